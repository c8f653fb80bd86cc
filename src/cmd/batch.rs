//! A folder of department folders (SPEC §11): `run`, `check` and `init` on each department in
//! turn, with the progress per department, and for `run` the summary workbook
//! `{year}年度部门整体支出绩效自评汇总表.xlsx` in the output folder.
//!
//! Departments run one after another (the files of a department are already read on every
//! core); each leaves only its [`DeptSummary`] before the next starts, so memory follows the
//! largest department, not the sum. One department's errors never stop the others.

use crate::batch::{Department, DeptSummary, Status, batch_year, discover, summary_name};
use crate::cmd::Paths;
use anyhow::Result;
use std::io::{IsTerminal, Write};
use std::path::Path;

/// The departments of a batch, when `paths` name one: no `--config`, an input folder without a
/// `jixiao.toml` of its own, and department folders below it.
pub fn departments(paths: &Paths) -> Option<Vec<Department>> {
    let input = paths.input();
    if paths.config.is_some() || !input.is_dir() || input.join("jixiao.toml").exists() {
        return None;
    }
    let found = discover(&input);
    (!found.is_empty()).then_some(found)
}

/// The paths of one department's run: its folder in, `OUT/{rel}` out, its own config.
fn department_paths(paths: &Paths, d: &Department) -> Paths {
    Paths {
        input: Some(d.dir.clone()),
        output: Some(paths.output().join(&d.rel)),
        config: None,
    }
}

/// On a terminal: which department is being worked on.
fn say_start(i: usize, n: usize, d: &Department) {
    if std::io::stderr().is_terminal() {
        eprintln!("[{}/{n}] 正在处理 {}……", i + 1, d.rel);
    }
}

/// One line for a finished department.
fn said(row: &DeptSummary) -> String {
    match &row.status {
        Status::Unusable(message) => format!("无法运行：{message}"),
        Status::Errors => format!(
            "{} 个错误、{} 个警告，未生成报表（见其核对底稿）",
            row.errors, row.warnings
        ),
        other => {
            let warnings = if row.warnings > 0 {
                format!("，{} 个警告", row.warnings)
            } else {
                String::new()
            };
            format!("{}{warnings}", other.text())
        }
    }
}

/// `jixiao run` on a batch: every department into `OUT/{rel}/`, then the summary workbook.
/// Exit 1 when any department has errors (or could not run), else 0.
///
/// # Errors
/// The output folder or the summary cannot be written (exit 2).
pub fn run(paths: &Paths, departments: &[Department]) -> Result<i32> {
    let out = paths.output();
    std::fs::create_dir_all(&out).map_err(|e| {
        anyhow::anyhow!(
            "无法创建输出文件夹 {}：{}",
            out.display(),
            crate::diag::io_text(&e)
        )
    })?;
    let n = departments.len();
    let mut rows: Vec<DeptSummary> = Vec::with_capacity(n);
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "共 {n} 个部门，逐个处理：")?;
    for (i, d) in departments.iter().enumerate() {
        say_start(i, n, d);
        let mut summary = None;
        // A failure inside one department's run (a bug: a panic) is that department's row,
        // never the end of the batch.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            crate::cmd::run::execute(&department_paths(paths, d), true, &mut |f| {
                summary = Some(DeptSummary::of_run(d, f))
            })
        }));
        let row = match (result, summary) {
            (Ok(Ok(_)), Some(row)) => row,
            (Ok(Ok(code)), None) => DeptSummary::unusable(
                d,
                format!("内部错误，请报告：运行结束（退出码 {code}）但没有结果"),
            ),
            (Ok(Err(e)), _) => DeptSummary::unusable(d, format!("{e:#}")),
            (Err(_), _) => DeptSummary::unusable(
                d,
                "内部错误，请报告：处理该部门时程序异常中止（其余部门照常处理）".into(),
            ),
        };
        writeln!(stdout, "[{}/{n}] {}：{}", i + 1, d.rel, said(&row))?;
        // The first errors of a department with errors, as in its audit (the rest are there).
        if row.status == Status::Errors {
            for e in &row.first_errors {
                writeln!(stdout, "    错误：{e}")?;
            }
            if let Some(note) = &row.earlier {
                writeln!(stdout, "    {note}")?;
            }
        }
        rows.push(row);
        crate::cmd::release_memory();
    }
    let year = batch_year(&rows);
    let name = summary_name(year);
    let bytes = crate::batch::summary_bytes(year, &rows)?;
    let path = out.join(&name);
    crate::render::write_atomic(&path, &bytes)?;
    let count = |f: &dyn Fn(&Status) -> bool| rows.iter().filter(|r| f(&r.status)).count();
    writeln!(
        stdout,
        "完成 {} 个，年中 {} 个，有错误 {} 个，无法运行 {} 个。",
        count(&|s| *s == Status::Done),
        count(&|s| matches!(s, Status::MidYear(_))),
        count(&|s| *s == Status::Errors),
        count(&|s| matches!(s, Status::Unusable(_))),
    )?;
    writeln!(stdout, "已生成汇总表：{}", path.display())?;
    Ok(i32::from(rows.iter().any(|r| r.exit != 0)))
}

/// `jixiao check` on a batch: each department's check in turn, nothing written. Exit 1 when
/// any department has errors or cannot be checked.
///
/// # Errors
/// Only a failed write to the terminal.
pub fn check(paths: &Paths, departments: &[Department]) -> Result<i32> {
    let n = departments.len();
    let mut failed = Vec::new();
    for (i, d) in departments.iter().enumerate() {
        println!("== [{}/{n}] {} ==", i + 1, d.rel);
        let code = match crate::cmd::check::run(&department_paths(paths, d)) {
            Ok(code) => code,
            Err(e) => {
                eprintln!("错误：{e:#}");
                2
            }
        };
        if code != 0 {
            failed.push(d.rel.clone());
        }
    }
    if failed.is_empty() {
        println!("共 {n} 个部门，均可生成报表");
        Ok(0)
    } else {
        println!(
            "共 {n} 个部门，{} 个有错误：{}",
            failed.len(),
            failed.join("、")
        );
        Ok(1)
    }
}

/// The folders `init` drafts a config for on a batch root: beside a department (same parent
/// folder), without a config, not inside a department, holding files.
pub fn undrafted(root: &Path, departments: &[Department]) -> Vec<Department> {
    let mut parents: Vec<&Path> = departments.iter().filter_map(|d| d.dir.parent()).collect();
    parents.sort();
    parents.dedup();
    let mut out = Vec::new();
    for parent in parents {
        let Ok(entries) = std::fs::read_dir(parent) else {
            continue;
        };
        let mut subs: Vec<std::path::PathBuf> = entries
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .map(|e| e.path())
            .filter(|p| {
                !p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            })
            .filter(|p| !p.join("jixiao.toml").exists() && has_files(p))
            .filter(|p| discover(p).is_empty())
            .collect();
        subs.sort();
        for dir in subs {
            let rel = crate::batch::rel_path(root, &dir);
            out.push(Department { dir, rel });
        }
    }
    out
}

/// True when `dir` or a folder below it holds a file.
fn has_files(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.flatten().any(|e| match e.file_type() {
            Ok(t) if t.is_file() => true,
            Ok(t) if t.is_dir() => has_files(&e.path()),
            _ => false,
        })
    })
}

/// `jixiao init` on a batch root: drafts the config of each department folder that lacks one
/// (see [`undrafted`]) and says which; existing configs are left alone.
///
/// # Errors
/// Only a failed write to the terminal.
pub fn init(root: &Path, departments: &[Department]) -> Result<i32> {
    let todo = undrafted(root, departments);
    println!(
        "{} 是多个部门的文件夹：已有配置的部门 {} 个",
        root.display(),
        departments.len()
    );
    if todo.is_empty() {
        println!("没有缺少 jixiao.toml 的部门文件夹，未改动任何文件");
        return Ok(0);
    }
    let (mut drafted, mut failed) = (Vec::new(), Vec::new());
    for d in &todo {
        println!("== {} ==", d.rel);
        match crate::cmd::init::run(&d.dir, false) {
            Ok(_) => drafted.push(d.rel.clone()),
            Err(e) => {
                eprintln!("错误：{e:#}");
                failed.push(d.rel.clone());
            }
        }
    }
    if !drafted.is_empty() {
        println!(
            "已起草 {} 个部门的 jixiao.toml：{}",
            drafted.len(),
            drafted.join("、")
        );
    }
    if failed.is_empty() {
        Ok(0)
    } else {
        println!("无法起草：{}", failed.join("、"));
        Ok(1)
    }
}

/// True when the files, as read, hold both a payment ledger and a budget ledger: a
/// department's exports (one department's folder of sub-folders keeps them apart).
fn has_both_ledgers(files: &[crate::stages::normalise::FileResult]) -> bool {
    use crate::stages::normalise::Kind;
    let has = |k: Kind| {
        files
            .iter()
            .any(|f| f.sheets.iter().any(|s| s.kind == Some(k)))
    };
    has(Kind::Payment) && has(Kind::Budget)
}

/// On a root with no config anywhere: its sub-folders, when it is a fresh batch — the root
/// holds no file of its own and at least two of its sub-folders hold both a payment and a
/// budget ledger. (The sample, one department, keeps them in `支付明细/` and `预算指标/`: never
/// both in one sub-folder.) Reads sub-folders only until two such are found.
///
/// # Errors
/// An unreadable folder.
pub fn fresh_departments(root: &Path) -> Result<Option<Vec<Department>>> {
    let Ok(entries) = std::fs::read_dir(root) else {
        return Ok(None);
    };
    let mut subs = Vec::new();
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        if name.starts_with('.') {
            continue;
        }
        match e.file_type() {
            Ok(t) if t.is_dir() => subs.push(e.path()),
            Ok(t) if t.is_file() => return Ok(None),
            _ => {}
        }
    }
    if subs.len() < 2 {
        return Ok(None);
    }
    subs.sort();
    let mut departments = 0;
    for dir in &subs {
        let (files, _) = crate::cmd::init::read(dir)?;
        if has_both_ledgers(&files) {
            departments += 1;
            if departments == 2 {
                let all = subs
                    .iter()
                    .map(|dir| Department {
                        rel: crate::batch::rel_path(root, dir),
                        dir: dir.clone(),
                    })
                    .collect();
                return Ok(Some(all));
            }
        }
    }
    Ok(None)
}

/// `jixiao init` on a fresh batch root: drafts the config of each sub-folder holding both
/// ledgers, one after another, and says which folders were drafted and which were not.
///
/// # Errors
/// Only a failed write to the terminal.
pub fn init_fresh(root: &Path, folders: Vec<Department>) -> Result<i32> {
    println!(
        "{} 下有多个部门的导出表（每个部门一个文件夹），逐个起草 jixiao.toml：",
        root.display()
    );
    let (mut drafted, mut skipped, mut failed) = (Vec::new(), Vec::new(), Vec::new());
    for d in &folders {
        let read = crate::cmd::init::read(&d.dir);
        match read {
            Ok((files, _)) if !has_both_ledgers(&files) => skipped.push(d.rel.clone()),
            Ok((files, problems)) => {
                println!("== {} ==", d.rel);
                match crate::cmd::init::write_draft(&d.dir, false, &files, &problems) {
                    Ok(_) => drafted.push(d.rel.clone()),
                    Err(e) => {
                        eprintln!("错误：{e:#}");
                        failed.push(d.rel.clone());
                    }
                }
            }
            Err(e) => {
                eprintln!("错误：{}：{e:#}", d.rel);
                failed.push(d.rel.clone());
            }
        }
        crate::cmd::release_memory();
    }
    println!(
        "已起草 {} 个部门的 jixiao.toml：{}",
        drafted.len(),
        drafted.join("、")
    );
    if !skipped.is_empty() {
        println!(
            "未起草（文件夹中没有同时找到支出明细和预算指标）：{}",
            skipped.join("、")
        );
    }
    if failed.is_empty() {
        Ok(0)
    } else {
        println!("无法起草：{}", failed.join("、"));
        Ok(1)
    }
}
