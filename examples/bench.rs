//! The benchmark of SPEC §9 on a year written by `gen_bench`: times calamine alone parsing
//! the ledgers on every core (the floor), then `jixiao run` end to end, its peak memory, and
//! checks its figures against the slow reference computed by the generator.
//!
//! `cargo run --release --example bench -- target/bench-year`

use calamine::{Reader, open_workbook_auto};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn calamine_alone(dir: &Path) -> f64 {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .collect();
    files.sort();
    let t = Instant::now();
    let cells: usize = files
        .par_iter()
        .map(|p| {
            let mut wb = open_workbook_auto(p).unwrap();
            wb.sheet_names()
                .iter()
                .map(|n| wb.worksheet_range(n).unwrap().get_size().0)
                .sum::<usize>()
        })
        .sum();
    let s = t.elapsed().as_secs_f64();
    assert!(cells > 0);
    s
}

fn peak_children_mib() -> f64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes into the struct we own.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    usage.ru_maxrss as f64 / 1024.0
}

fn main() {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "target/bench-year".into()),
    );
    let out = dir.with_extension("out");
    let exe = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/jixiao");

    let floor = (0..3)
        .map(|_| calamine_alone(&dir))
        .fold(f64::INFINITY, f64::min);
    println!(
        "calamine alone, {} threads: {floor:.2} s (best of 3)",
        rayon::current_num_threads()
    );

    let mut best = f64::INFINITY;
    for _ in 0..3 {
        let t = Instant::now();
        let status = Command::new(&exe)
            .args(["run", "--input"])
            .arg(&dir)
            .arg("--output")
            .arg(&out)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        best = best.min(t.elapsed().as_secs_f64());
        assert!(status.success(), "jixiao run failed");
    }
    let peak = peak_children_mib();
    println!(
        "jixiao run end to end: {best:.2} s (best of 3), {:.2}× calamine alone",
        best / floor
    );
    println!("peak memory: {peak:.0} MiB");

    // The figures against the slow reference.
    let expected = std::fs::read_to_string(dir.with_extension("expected.txt")).unwrap();
    let mut wb = open_workbook_auto(out.join("2023年度基准局部门整体支出绩效自评表.xlsx")).unwrap();
    let range = wb.worksheet_range("支出概况").unwrap();
    let mut ok = true;
    let labels: Vec<(u32, String)> = (0..range.height() as u32)
        .filter_map(|r| match range.get_value((r, 0)) {
            Some(calamine::Data::String(s)) => Some((r, s.clone())),
            _ => None,
        })
        .collect();
    for line in expected.lines() {
        let (id, cents) = line.split_once(' ').unwrap();
        let cents: i64 = cents.parse().unwrap();
        let want = (cents as f64 / 1_000_000.0 * 100.0).round() / 100.0;
        let label = jixiao::figures::FIGURES
            .iter()
            .find(|f| f.id == id)
            .unwrap()
            .label;
        let row = labels.iter().find(|(_, l)| l == label).map(|(r, _)| *r);
        let got = row.and_then(|r| match range.get_value((r, 1)) {
            Some(calamine::Data::Float(f)) => Some(*f),
            _ => None,
        });
        if got.map(|g| (g - want).abs() > 1e-9).unwrap_or(true) {
            ok = false;
            println!("{id} {label}: expected {want}, got {got:?}");
        }
    }
    println!(
        "figures vs slow reference: {}",
        if ok { "identical" } else { "DIFFERENT" }
    );
    let verdict = |b: bool| if b { "met" } else { "NOT met" };
    println!(
        "targets: time ≤ 1.2× {}, memory < 600 MiB {}",
        verdict(best <= 1.2 * floor),
        verdict(peak < 600.0)
    );
    if !ok {
        std::process::exit(1);
    }
}
