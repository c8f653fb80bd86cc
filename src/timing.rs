//! Stage timings for the benchmark: with `JIXIAO_TIMINGS=1` in the environment, each stage's
//! wall time is printed to stderr as `timing <stage> <seconds> (<from>–<to>)`, the span in
//! seconds since the run began, so stages that overlap show as such (engineers only; not
//! shown to users otherwise).

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("JIXIAO_TIMINGS").is_some_and(|v| v == "1"))
}

/// The moment the first timing was asked for (`main` asks at once).
fn origin() -> Instant {
    static AT: OnceLock<Instant> = OnceLock::new();
    *AT.get_or_init(Instant::now)
}

/// Starts the clock the spans are measured from.
pub fn start() {
    if enabled() {
        origin();
    }
}

/// Runs `f`, printing its wall time under `stage` when timings are on.
pub fn time<T>(stage: &str, f: impl FnOnce() -> T) -> T {
    if !enabled() {
        return f();
    }
    let from = origin().elapsed().as_secs_f64();
    let v = f();
    let to = origin().elapsed().as_secs_f64();
    eprintln!("timing {stage} {:.3} ({from:.3}–{to:.3})", to - from);
    v
}
