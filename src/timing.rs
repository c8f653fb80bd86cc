//! Stage timings for the benchmark: with `JIXIAO_TIMINGS=1` in the environment, each stage's
//! wall time is printed to stderr as `timing <stage> <seconds>` (engineers only; not shown
//! to users otherwise).

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("JIXIAO_TIMINGS").is_some_and(|v| v == "1"))
}

/// Runs `f`, printing its wall time under `stage` when timings are on.
pub fn time<T>(stage: &str, f: impl FnOnce() -> T) -> T {
    if !enabled() {
        return f();
    }
    let t = Instant::now();
    let v = f();
    eprintln!("timing {stage} {:.3}", t.elapsed().as_secs_f64());
    v
}
