//! What the benchmarks share: timing a child process (wall, CPU, peak RSS) and medians.

use std::process::Command;
use std::time::Instant;

/// Runs a command; its wall time (s), CPU time (user + system, s) and peak RSS (MiB), or
/// None when it failed.
pub fn measured(cmd: &mut Command) -> Option<(f64, f64, f64)> {
    let t = Instant::now();
    let child = cmd
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .ok()?;
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child, writing into the values we own.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    let secs = t.elapsed().as_secs_f64();
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    let cpu = tv(usage.ru_utime) + tv(usage.ru_stime);
    (pid > 0 && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0).then_some((
        secs,
        cpu,
        usage.ru_maxrss as f64 / 1024.0,
    ))
}

pub fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}
