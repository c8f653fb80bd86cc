//! The batch benchmark of SPEC §11 and issue 19: 100 departments of mixed sizes (1,000 to
//! 100,000 payment rows each, log-spread, in shuffled order; 3–60 units, 10 projects per unit),
//! written once by `gen_bench` into `target/bench-batch/部门NNN/`.
//!
//! Measured in alternating rounds, each a separate process (own peak RSS):
//!
//! - `batch`: `jixiao run --input target/bench-batch` (every department, then the summary);
//! - `singles`: `jixiao run` on each department folder in turn — the sum of their wall and CPU
//!   times, the largest peak RSS;
//! - `range floor`: calamine alone building the `Range` of every sheet of every department's
//!   files, spread over every core (SPEC §9's yardstick, over all files at once).
//!
//! Prints a Markdown table and the two verdicts of the issue: batch wall ≤ 1.1 × the sum of
//! the singles, batch peak RSS ≤ 1.5 × the largest single.
//!
//! `cargo run --release --example bench_batch -- [ROOT] [ROUNDS]`
//! `cargo run --release --example bench_batch -- --floor ROOT` (the floor, for a child)

#[path = "support/measure.rs"]
mod measure;

use calamine::Reader;
use measure::{measured, median};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::Command;

const DEPARTMENTS: usize = 100;

/// Every `.xlsx` below `dir`.
fn xlsx_below(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("folder")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            xlsx_below(&p, out);
        } else if p.extension().is_some_and(|e| e == "xlsx") {
            out.push(p);
        }
    }
}

fn floor(root: &Path) -> usize {
    let mut files = Vec::new();
    xlsx_below(root, &mut files);
    files
        .par_iter()
        .map(|p| {
            let mut wb = calamine::open_workbook::<calamine::Xlsx<_>, _>(p).expect("xlsx");
            let mut n = 0;
            for name in wb.sheet_names() {
                n += wb
                    .worksheet_range(&name)
                    .expect("sheet")
                    .used_cells()
                    .count();
            }
            n
        })
        .sum()
}

/// The departments' folders, in path order.
fn departments(root: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .expect("bench root")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("jixiao.toml").is_file())
        .collect();
    dirs.sort();
    dirs
}

/// Writes the 100 departments (once: a marker file says they are complete).
fn generate(root: &Path, gen_bench: &Path) {
    let marker = root.join(".complete");
    if marker.exists() {
        return;
    }
    let _ = std::fs::remove_dir_all(root);
    std::fs::create_dir_all(root).expect("bench root");
    let mut total = 0usize;
    for i in 0..DEPARTMENTS {
        // Sizes log-spread from 1,000 to 100,000 rows, assigned in a shuffled order.
        let k = (i * 37) % DEPARTMENTS;
        let rows = (1_000.0 * 100f64.powf(k as f64 / (DEPARTMENTS - 1) as f64)).round() as usize;
        let per_month = rows.div_ceil(12);
        let units = (rows / 1_700).clamp(3, 60);
        let name = format!("基准{:03}局", i + 1);
        let status = Command::new(gen_bench)
            .arg(root.join(format!("部门{:03}", i + 1)))
            .args([
                per_month.to_string(),
                "standard".into(),
                units.to_string(),
                "10".into(),
                name,
            ])
            .stderr(std::process::Stdio::null())
            .status()
            .expect("gen_bench");
        assert!(status.success(), "gen_bench failed");
        total += per_month * 12;
    }
    std::fs::write(&marker, format!("{total}\n")).expect("marker");
    eprintln!("wrote {DEPARTMENTS} departments, {total} payment rows");
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--floor") {
        assert!(floor(Path::new(&args[1])) > 0);
        return;
    }
    let root = PathBuf::from(args.first().map_or("target/bench-batch", String::as_str));
    let rounds: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(3);
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let exe = manifest.join("target/release/jixiao");
    let me = std::env::current_exe().expect("bench binary");
    let gen_bench = me.with_file_name("gen_bench");
    generate(&root, &gen_bench);
    let depts = departments(&root);
    let rows: usize = std::fs::read_to_string(root.join(".complete"))
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0);
    let out = PathBuf::from(format!("{}.out", root.display()));
    let singles_out = PathBuf::from(format!("{}.single", root.display()));
    println!(
        "{} departments, {rows} payment rows; {} threads; {rounds} alternating rounds",
        depts.len(),
        rayon::current_num_threads()
    );
    let (mut batch_t, mut batch_c, mut batch_rss) = (Vec::new(), Vec::new(), 0f64);
    let (mut single_t, mut single_c, mut single_rss) = (Vec::new(), Vec::new(), 0f64);
    let (mut floor_t, mut floor_c) = (Vec::new(), Vec::new());
    let mut largest = String::new();
    for _ in 0..rounds {
        let (t, c, _) = measured(Command::new(&me).arg("--floor").arg(&root)).expect("floor");
        floor_t.push(t);
        floor_c.push(c);
        // The batch exits 0: every generated department is clean.
        let (t, c, r2) = measured(
            Command::new(&exe)
                .args(["run", "--input"])
                .arg(&root)
                .arg("--output")
                .arg(&out),
        )
        .expect("batch run");
        batch_t.push(t);
        batch_c.push(c);
        batch_rss = batch_rss.max(r2);
        let (mut t_sum, mut c_sum) = (0.0, 0.0);
        for d in &depts {
            let name = d.file_name().expect("name");
            let (t, c, r) = measured(
                Command::new(&exe)
                    .args(["run", "--input"])
                    .arg(d)
                    .arg("--output")
                    .arg(singles_out.join(name)),
            )
            .expect("single run");
            t_sum += t;
            c_sum += c;
            if r > single_rss {
                single_rss = r;
                largest = name.to_string_lossy().to_string();
            }
        }
        single_t.push(t_sum);
        single_c.push(c_sum);
    }
    let (ft, fc) = (median(&mut floor_t), median(&mut floor_c));
    let (bt, bc) = (median(&mut batch_t), median(&mut batch_c));
    let (st, sc) = (median(&mut single_t), median(&mut single_c));
    println!();
    println!("| contender | wall (median, s) | × range floor | CPU (median, s) | peak RSS (MiB) |");
    println!("|---|---|---|---|---|");
    println!("| range floor (all files, every core) | {ft:.2} | 1.00 | {fc:.2} | |");
    println!(
        "| batch run | {bt:.2} | {:.2} | {bc:.2} | {batch_rss:.0} |",
        bt / ft
    );
    println!(
        "| {} single runs, summed | {st:.2} | {:.2} | {sc:.2} | {single_rss:.0} (largest: {largest}) |",
        depts.len(),
        st / ft
    );
    println!();
    let verdict = |ok: bool| if ok { "ok" } else { "NOT MET" };
    println!(
        "batch wall ÷ sum of singles: {:.3} (≤ 1.1: {})",
        bt / st,
        verdict(bt <= 1.1 * st)
    );
    println!(
        "batch peak RSS ÷ largest single: {:.2} (≤ 1.5: {})",
        batch_rss / single_rss,
        verdict(batch_rss <= 1.5 * single_rss)
    );
}
