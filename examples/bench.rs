//! The benchmark of SPEC §9 and of the performance issue, on the year `gen_bench` writes
//! (12 monthly ledgers × 100,000 rows and a budget ledger), at 1, 3 and 12 monthly files.
//!
//! Contenders, each a separate process (so each has its own peak RSS), run in alternating
//! rounds (A B C D, A B C D, …) so the machine's drift hits all alike:
//!
//! - `range floor`: calamine alone building each sheet's `Range` (`worksheet_range`), files
//!   spread over every core — SPEC §9's yardstick;
//! - `stream floor`: calamine's streaming cell reader touching every cell (borrowed values),
//!   files over every core;
//! - `jixiao run`: the release binary end to end (report, draft, audit, detail CSV);
//! - `python polars`: `bench/polars_baseline.py` (polars `read_excel` through fastexcel, one
//!   file per thread, then the group-bys), when `python3 -c "import polars, fastexcel"` works.
//!
//! Prints one Markdown table (median wall time and its ratio to the range floor; median CPU
//! time, user + system, and its ratio — steadier than wall time on a shared machine; peak
//! RSS) and checks the 12-file run's figures against the generator's slow reference.
//!
//! `cargo run --release --example bench -- [DIR] [ROUNDS]`
//! `cargo run --release --example bench -- --floor range|stream DIR` (one floor, for a child)

#[path = "support/measure.rs"]
mod measure;

use calamine::{Reader, open_workbook_auto};
use measure::{measured, median};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn xlsx_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("bench folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .collect();
    files.sort();
    files
}

/// Calamine alone over every file of `dir` on every core; returns the cells seen.
fn floor(kind: &str, dir: &Path) -> usize {
    xlsx_files(dir)
        .par_iter()
        .map(|p| {
            let mut wb = calamine::open_workbook::<calamine::Xlsx<_>, _>(p).expect("xlsx");
            let mut n = 0;
            for name in wb.sheet_names() {
                if kind == "range" {
                    let r = wb.worksheet_range(&name).expect("sheet");
                    n += r.used_cells().count();
                } else {
                    let mut cells = wb.worksheet_cells_reader(&name).expect("sheet");
                    while let Some(c) = cells.next_cell().expect("cell") {
                        if !matches!(c.get_value(), calamine::DataRef::Empty) {
                            n += 1;
                        }
                    }
                }
            }
            n
        })
        .sum()
}

/// A folder with the first `n` monthly files of `dir`, its budget ledger and config
/// (hard links, or copies across devices).
fn subset(dir: &Path, n: usize) -> PathBuf {
    if n >= 12 {
        return dir.to_path_buf();
    }
    let out = PathBuf::from(format!("{}-{n}", dir.display()));
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).expect("subset folder");
    let files = xlsx_files(dir);
    let (monthly, other): (Vec<&PathBuf>, Vec<&PathBuf>) = files
        .iter()
        .partition(|p| p.to_string_lossy().contains("支付明细"));
    for p in monthly
        .into_iter()
        .take(n)
        .chain(other)
        .chain([&dir.join("jixiao.toml")])
    {
        let to = out.join(p.file_name().expect("name"));
        if std::fs::hard_link(p, &to).is_err() {
            std::fs::copy(p, &to).expect("copy");
        }
    }
    out
}

fn check_figures(dir: &Path, out: &Path) -> bool {
    let expected = std::fs::read_to_string(dir.with_extension("expected.txt")).expect("expected");
    let mut wb =
        open_workbook_auto(out.join("2023年度基准局部门整体支出绩效自评表.xlsx")).expect("report");
    let range = wb.worksheet_range("支出概况").expect("支出概况");
    let mut ok = true;
    let labels: Vec<(u32, String)> = (0..range.height() as u32)
        .filter_map(|r| match range.get_value((r, 0)) {
            Some(calamine::Data::String(s)) => Some((r, s.clone())),
            _ => None,
        })
        .collect();
    for line in expected.lines() {
        let (id, cents) = line.split_once(' ').expect("line");
        let cents: i64 = cents.parse().expect("cents");
        let want = (cents as f64 / 1_000_000.0 * 100.0).round() / 100.0;
        let label = jixiao::figures::FIGURES
            .iter()
            .find(|f| f.id == id)
            .expect("figure")
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
    ok
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--floor") {
        let (kind, dir) = (&args[1], PathBuf::from(&args[2]));
        let cells = floor(kind, &dir);
        assert!(cells > 0);
        return;
    }
    let dir = PathBuf::from(args.first().map_or("target/bench-year", String::as_str));
    let rounds: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let exe = root.join("target/release/jixiao");
    let me = std::env::current_exe().expect("bench binary");
    let script = root.join("bench/polars_baseline.py");
    let python = Command::new("python3")
        .args(["-c", "import polars, fastexcel"])
        .status()
        .is_ok_and(|s| s.success());
    println!(
        "{} threads; {rounds} alternating rounds; python polars {}",
        rayon::current_num_threads(),
        if python {
            "available"
        } else {
            "not installed (pip install polars fastexcel)"
        }
    );
    println!();
    println!(
        "| files | contender | runs (s) | median | × range floor | CPU (median) | CPU × floor | peak RSS |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let mut ok = true;
    for n in [1, 3, 12] {
        let input = subset(&dir, n);
        let out = PathBuf::from(format!("{}.out", input.display()));
        let mut names = vec!["range floor", "stream floor", "jixiao run"];
        if python {
            names.push("python polars");
        }
        let mut times: Vec<Vec<f64>> = vec![Vec::new(); names.len()];
        let mut cpus: Vec<Vec<f64>> = vec![Vec::new(); names.len()];
        let mut peaks: Vec<f64> = vec![0.0; names.len()];
        for _ in 0..rounds {
            for (k, name) in names.iter().enumerate() {
                let mut cmd = match *name {
                    "range floor" => {
                        let mut c = Command::new(&me);
                        c.args(["--floor", "range"]).arg(&input);
                        c
                    }
                    "stream floor" => {
                        let mut c = Command::new(&me);
                        c.args(["--floor", "stream"]).arg(&input);
                        c
                    }
                    "jixiao run" => {
                        let mut c = Command::new(&exe);
                        c.args(["run", "--input"])
                            .arg(&input)
                            .arg("--output")
                            .arg(&out);
                        c
                    }
                    _ => {
                        let mut c = Command::new("python3");
                        c.arg(&script).arg(&input);
                        c
                    }
                };
                let Some((secs, cpu, peak)) = measured(&mut cmd) else {
                    println!("{name} failed on {}", input.display());
                    std::process::exit(1);
                };
                times[k].push(secs);
                cpus[k].push(cpu);
                peaks[k] = peaks[k].max(peak);
            }
        }
        let floor_median = median(&mut times[0].clone());
        let floor_cpu = median(&mut cpus[0].clone());
        for (k, name) in names.iter().enumerate() {
            let runs: Vec<String> = times[k].iter().map(|t| format!("{t:.2}")).collect();
            let m = median(&mut times[k].clone());
            let c = median(&mut cpus[k].clone());
            println!(
                "| {n} | {name} | {} | {m:.2} s | {:.2}× | {c:.2} s | {:.2}× | {:.0} MiB |",
                runs.join(", "),
                m / floor_median,
                c / floor_cpu,
                peaks[k]
            );
        }
        if n == 12 {
            ok = check_figures(&dir, &out);
            let jixiao = median(&mut times[2].clone());
            let verdict = |b: bool| if b { "met" } else { "NOT met" };
            println!();
            println!(
                "figures vs slow reference: {}",
                if ok { "identical" } else { "DIFFERENT" }
            );
            println!(
                "targets (12 files): time ≤ 1.2× range floor {} ({:.2}×); peak RSS ≤ 300 MiB {} ({:.0} MiB){}",
                verdict(jixiao <= 1.2 * floor_median),
                jixiao / floor_median,
                verdict(peaks[2] <= 300.0),
                peaks[2],
                if python {
                    format!(
                        "; faster than python polars {}",
                        verdict(jixiao < median(&mut times[3].clone()))
                    )
                } else {
                    String::new()
                }
            );
        }
    }
    if !ok {
        std::process::exit(1);
    }
}
