//! `jixiao init [--input DIR] [--force]`: drafts `DIR/jixiao.toml` from the exports, through
//! the same ingest and normalise as `run` (see `draft.rs`). Never overwrites a config: exit 2,
//! unless `--force`, which keeps the old one as `jixiao.toml.bak`.

use crate::config::{Classification, Config, Report, Scoring};
use crate::diag::Problem;
use crate::draft::{DEPARTMENT_PLACEHOLDER, draft};
use crate::pipeline;
use crate::render::write_atomic;
use crate::stages::normalise::{FileResult, UnitMatcher};
use anyhow::{Context, Result, bail};
use std::io::Write;
use std::path::Path;

/// A config with no unit: every row's unit is unknown, which is what `init` wants to see.
fn empty_config() -> Config {
    Config {
        report: Report {
            department: String::new(),
            year: 0,
            ledger_amount_unit: "元".into(),
            weighting: Default::default(),
            progress_basis: Default::default(),
            as_of: None,
            template: None,
        },
        units: Vec::new(),
        classification: Classification::default(),
        scoring: Scoring::default(),
        project_forms: Default::default(),
        values: Default::default(),
        narrative: Default::default(),
    }
}

/// Drafts the config; returns the exit code (0), or a usage error (exit 2).
///
/// # Errors
/// An existing config without `--force`, an unreadable folder, a failed write.
pub fn run(input: &Path, force: bool) -> Result<i32> {
    let target = input.join("jixiao.toml");
    if !target.exists() {
        // A folder of department folders, some with their config: draft the others'.
        let departments = crate::batch::discover(input);
        if !departments.is_empty() {
            return crate::cmd::batch::init(input, &departments);
        }
        // None with a config yet: department folders are those holding both ledgers.
        if let Some(folders) = crate::cmd::batch::fresh_departments(input)? {
            return crate::cmd::batch::init_fresh(input, folders);
        }
    }
    if target.exists() && !force {
        bail!(
            "{} 已存在，未改动。如要重新起草，请使用 jixiao init --force（旧文件将改名为 jixiao.toml.bak）",
            target.display()
        );
    }
    let (files, problems) = read(input)?;
    write_draft(input, force, &files, &problems)
}

/// Every file of `input` read and normalised with no unit configured (what `init` drafts from).
///
/// # Errors
/// An unreadable folder.
pub fn read(input: &Path) -> Result<(Vec<FileResult>, Vec<Problem>)> {
    let cfg = empty_config();
    let units = UnitMatcher::new(&cfg);
    pipeline::read_folder(
        input,
        &input.join("jixiao.toml"),
        &cfg,
        &units,
        None,
        &crate::cmd::progress,
    )
}

/// Drafts `input/jixiao.toml` from its files as read, and says what to check.
///
/// # Errors
/// No unit found, a failed write.
pub fn write_draft(
    input: &Path,
    force: bool,
    files: &[FileResult],
    problems: &[Problem],
) -> Result<i32> {
    let target = input.join("jixiao.toml");
    for p in problems
        .iter()
        .chain(files.iter().filter_map(|f| f.read_error.as_ref()))
    {
        eprintln!("警告：{p}（此文件未用于起草）");
    }
    let d = draft(files);
    if d.units.is_empty() {
        bail!(
            "在 {} 中没有找到任何单位：需要含“单位名称”等列的支出明细或预算指标表",
            input.display()
        );
    }
    if force && target.exists() {
        let bak = input.join("jixiao.toml.bak");
        std::fs::rename(&target, &bak)
            .with_context(|| format!("无法把 {} 改名为 {}", target.display(), bak.display()))?;
    }
    write_atomic(&target, d.to_toml().as_bytes())?;

    let mut out = std::io::stdout().lock();
    let [pay, budget, ind, other] = d.sheets;
    let unread = if d.unrecognised.is_empty() {
        String::new()
    } else {
        format!("（{}，未使用）", d.unrecognised.join("、"))
    };
    writeln!(
        out,
        "读取 {} 个文件、{} 张工作表：支出明细 {pay} 张、预算指标 {budget} 张、绩效指标 {ind} 张、未识别 {other} 张{unread}；已识别的表共 {} 行",
        d.files,
        pay + budget + ind + other,
        d.rows
    )?;
    let coded = d.units.iter().filter(|u| u.code.is_some()).count();
    writeln!(out, "找到 {} 个单位（{coded} 个有编码）", d.units.len())?;
    let years: Vec<String> = d
        .years
        .iter()
        .map(|(y, n)| format!("{y}年 {n} 行"))
        .collect();
    writeln!(
        out,
        "支付日期：{}；年度取 {}",
        if years.is_empty() {
            "无".to_string()
        } else {
            years.join("、")
        },
        d.year
            .map(|y| y.to_string())
            .unwrap_or_else(|| "（未找到，请填写）".into())
    )?;
    writeln!(out, "已写入 {}", target.display())?;
    let mut todo = Vec::new();
    if d.department.is_none() {
        todo.push(format!(
            "填写部门名称（department，现为“{DEPARTMENT_PLACEHOLDER}”）"
        ));
    } else {
        todo.push("核对部门名称（department）".to_string());
    }
    if d.years.len() > 1 {
        todo.push("支出明细中有其他年份的支付，请确认年度（year）".to_string());
    }
    let merged: Vec<String> = d
        .units
        .iter()
        .flat_map(|u| {
            u.aliases.iter().map(move |(a, _)| {
                format!("{a} → {}（{}）", u.name, u.code.as_deref().unwrap_or(""))
            })
        })
        .collect();
    if !merged.is_empty() {
        todo.push(format!(
            "以下 {} 个写法与单位的编码相同，已直接合并为别名（aliases 中无 #；如不是同一单位，删去该行）：{}",
            merged.len(),
            merged.join("、")
        ));
    }
    let suggested: usize = d.units.iter().map(|u| u.suggested.len()).sum();
    if suggested > 0 {
        todo.push(format!(
            "{suggested} 个未带编码的简称列为注释中的别名：确认是哪个单位后去掉行首的 #"
        ));
    }
    let alone = d.units.iter().filter(|u| u.code.is_none()).count();
    if alone > 0 {
        todo.push(format!("{alone} 个单位没有编码：确认它们确是单独的单位"));
    }
    todo.push(
        "单位的顺序即报表的行序；编制人数、实有人数（staff_quota、staff_actual）按需填写".into(),
    );
    writeln!(out, "请核对：")?;
    for (i, t) in todo.iter().enumerate() {
        writeln!(out, "  {}. {t}", i + 1)?;
    }
    writeln!(
        out,
        "然后运行 jixiao check --input {} 检查。",
        input.display()
    )?;
    Ok(0)
}
