//! The stages of SPEC §3 run in order over one input folder; the result every command uses.
//!
//! ingest + normalise run per file, in parallel (a file's raw cells are dropped as soon as
//! it is normalised, so memory holds one raw file per core); validate, aggregate and score
//! run once over everything. Nothing here writes a file.

use crate::config::Config;
use crate::diag::Problem;
use crate::figures::{FIGURES, GOVFUND_BASIC, GOVFUND_PROJECT};
use crate::model::*;
use crate::period::Period;
use crate::stages::aggregate::{Aggregates, aggregate_partial};
use crate::stages::normalise::{FileResult, UnitMatcher, normalise_file};
use crate::stages::score::{Scores, score};
use crate::stages::validate::{Validated, Validator};
use crate::stages::{ingest, normalise::Kind};
use crate::tables::{self, Report};
use anyhow::{Context, Result, bail};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// One reconciliation of the audit's `核对` sheet: left must equal right.
#[derive(Debug, Clone)]
pub struct Check {
    pub category: String,
    pub object: String,
    pub left: Cents,
    pub right: Cents,
    pub note: String,
    /// Left and right count rows, not cents.
    pub rows: bool,
}

impl Check {
    pub fn ok(&self) -> bool {
        self.left == self.right
    }
}

/// Everything a run learnt.
pub struct Outcome {
    /// The period the figures cover.
    pub period: Period,
    /// Shared: the detail CSV is written from it while the rest is computed.
    pub validated: std::sync::Arc<Validated>,
    pub agg: Option<Aggregates>,
    pub scores: Option<Scores>,
    pub report: Option<Report>,
    /// The 项目支出绩效自评表 (SPEC §10).
    pub forms: Option<crate::forms::Forms>,
    /// Each project's sums by the audit's independent path (the `项目资金` proof).
    pub project_rows: BTreeMap<(usize, String), crate::forms::ProjectSums>,
    pub checks: Vec<Check>,
    /// For the audit's 问题提示.
    pub findings: Vec<crate::findings::Finding>,
    /// Every error and warning, in the order found.
    pub problems: Vec<Problem>,
    pub files_read: usize,
}

impl Outcome {
    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(|p| p.is_error())
    }
    pub fn warnings(&self) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(|p| !p.is_error())
    }
    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }
}

/// What the pipeline reports while it works; the command decides what to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// `done` of `total` files read and normalised.
    Read { done: usize, total: usize },
}

/// A progress callback, called from the worker threads.
pub type OnProgress<'a> = &'a (dyn Fn(Progress) + Sync);

/// No progress shown.
pub fn silent(_: Progress) {}

/// Runs every stage over `input`.
///
/// # Errors
/// A usage error: the input folder cannot be listed.
pub fn run(input: &Path, config_path: &Path, cfg: &Config) -> Result<Outcome> {
    run_skipping(input, config_path, cfg, None, &silent)
}

/// Lists and reads every file of `input` (not `skip`, the output folder) and normalises it,
/// files in parallel. Returns the files in path order, and the problems of the listing.
///
/// # Errors
/// A usage error: the input folder does not exist or cannot be listed.
pub fn read_folder(
    input: &Path,
    config_path: &Path,
    cfg: &Config,
    units: &UnitMatcher,
    skip: Option<&Path>,
    progress: OnProgress,
) -> Result<(Vec<FileResult>, Vec<Problem>)> {
    let mut files = Vec::new();
    let problems = read_folder_each(input, config_path, cfg, units, skip, progress, |f, _, _| {
        files.push(f)
    })?;
    Ok((files, problems))
}

/// Lists the files of `input` (not `skip`, the output folder), reads and normalises them on
/// every core — each worker takes the next file in path order — and hands each result to
/// `on_file` in path order, as soon as it and every file before it are done (so the caller
/// validates early files while later ones are read), with the number of files still to come
/// and a probe of whether some file is still being read. Returns the problems of the listing.
///
/// # Errors
/// A usage error: the input folder does not exist or cannot be listed.
pub fn read_folder_each(
    input: &Path,
    config_path: &Path,
    cfg: &Config,
    units: &UnitMatcher,
    skip: Option<&Path>,
    progress: OnProgress,
    mut on_file: impl FnMut(FileResult, usize, &dyn Fn() -> bool),
) -> Result<Vec<Problem>> {
    if !input.is_dir() {
        bail!("输入文件夹 {} 不存在", input.display());
    }
    let template = cfg
        .report
        .template
        .as_ref()
        .map(|t| config_path.parent().unwrap_or(Path::new(".")).join(t));
    let mut not_ledgers = vec![config_path];
    not_ledgers.extend(template.as_deref());
    // The run's own outputs, should the output folder be the input folder itself (a
    // subfolder is skipped whole): a second run must not read them as ledgers.
    let own: Vec<PathBuf> = skip
        .map(|out| cfg.output_names().iter().map(|n| out.join(n)).collect())
        .unwrap_or_default();
    not_ledgers.extend(own.iter().map(PathBuf::as_path));
    let (files, mut problems) = ingest::list_files(input, &not_ledgers, skip)
        .with_context(|| format!("无法读取输入文件夹 {}", input.display()))?;
    if files.is_empty() && problems.is_empty() {
        problems.push(Problem::error(format!(
            "输入文件夹 {} 中没有任何表格文件（xlsx、xls、ods、csv）",
            input.display()
        )));
    }
    let read_one = |(path, rel): &(std::path::PathBuf, String)| match crate::timing::time(
        &format!("read {rel}"),
        || ingest::read_file(path, rel),
    ) {
        Ok(raw) => crate::timing::time(&format!("normalise {rel}"), || {
            normalise_file(&raw, cfg, units)
        }),
        Err(p) => FileResult {
            rel: rel.clone(),
            size: 0,
            fingerprint: 0,
            sheets: Vec::new(),
            read_error: Some(p),
        },
    };
    let total = files.len();
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(total)
        .max(1);
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let (tx, rx) = std::sync::mpsc::channel::<(usize, FileResult)>();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let (tx, next, done, files, read_one) = (tx.clone(), &next, &done, &files, &read_one);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(file) = files.get(i) else { break };
                    let r = read_one(file);
                    let d = done.fetch_add(1, Ordering::Relaxed) + 1;
                    progress(Progress::Read { done: d, total });
                    if tx.send((i, r)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        // Results arrive in any order; they are handed on in path order.
        let mut pending: BTreeMap<usize, FileResult> = BTreeMap::new();
        let mut want = 0;
        for (i, r) in rx {
            pending.insert(i, r);
            while let Some(r) = pending.remove(&want) {
                on_file(r, total - want - 1, &|| {
                    done.load(Ordering::Relaxed) < total
                });
                want += 1;
            }
        }
    });
    Ok(problems)
}

/// [`run`], not reading `output` when it lies inside the input folder, reporting progress.
///
/// # Errors
/// As [`run`].
pub fn run_skipping(
    input: &Path,
    config_path: &Path,
    cfg: &Config,
    output: Option<&Path>,
    progress: OnProgress,
) -> Result<Outcome> {
    let read = read_validate(input, config_path, cfg, output, progress)?;
    let computed = compute(cfg, &read)?;
    Ok(assemble(read, computed))
}

/// The files read and validated: what [`compute`] works from (and the detail CSV).
pub struct Read {
    pub validated: std::sync::Arc<Validated>,
    /// The problems of the listing and of validation.
    pub problems: Vec<Problem>,
    pub files_read: usize,
}

/// Reads and validates every file of `input` (not `output`), reporting progress.
///
/// # Errors
/// As [`run`].
pub fn read_validate(
    input: &Path,
    config_path: &Path,
    cfg: &Config,
    output: Option<&Path>,
    progress: OnProgress,
) -> Result<Read> {
    read_validate_each(input, config_path, cfg, output, progress, &mut |_, _| {})
}

/// [`read_validate`], calling `after` once each file has been validated (in path order; see
/// [`Validator::last_file`]), with whether some later file is still being read.
///
/// # Errors
/// As [`run`].
pub fn read_validate_each(
    input: &Path,
    config_path: &Path,
    cfg: &Config,
    output: Option<&Path>,
    progress: OnProgress,
    after: &mut dyn FnMut(&mut Validator, bool),
) -> Result<Read> {
    let units = UnitMatcher::new(cfg);
    // Each file is validated as soon as it and the files before it are read.
    let mut validator = Validator::new(cfg, &units);
    let mut files_read = 0;
    let mut problems = crate::timing::time("read+validate", || {
        read_folder_each(
            input,
            config_path,
            cfg,
            &units,
            output,
            progress,
            |f, to_come, reading| {
                files_read += 1;
                let rel = f.rel.clone();
                validator.expect_files(to_come);
                crate::timing::time(&format!("validate {rel}"), || validator.file(f));
                after(&mut validator, reading());
            },
        )
    })?;
    let validated = crate::timing::time("validate-finish", || validator.finish());
    problems.extend(validated.problems.iter().cloned());
    Ok(Read {
        validated: std::sync::Arc::new(validated),
        problems,
        files_read,
    })
}

/// What a run computes from the validated rows.
pub struct Computed {
    period: Period,
    agg: Aggregates,
    scores: Scores,
    report: Report,
    forms: crate::forms::Forms,
    project_rows: BTreeMap<(usize, String), crate::forms::ProjectSums>,
    checks: Vec<Check>,
    findings: Vec<crate::findings::Finding>,
    problems: Vec<Problem>,
}

/// Aggregates, scores, tables, reconciliation and findings over the validated rows.
///
/// # Errors
/// Only an internal polars failure.
pub fn compute(cfg: &Config, read: &Read) -> Result<Computed> {
    let validated = &read.validated;
    let mut problems = Vec::new();
    // The report's path (polars) and the audit's independent path (a plain loop over the
    // rows) run side by side.
    let cls = &cfg.classification;
    let (agg, by_rows) = crate::timing::time("aggregate", || {
        rayon::join(
            || {
                aggregate_partial(
                    &validated.payment_sums,
                    &validated.payments,
                    &validated.budgets,
                    cls,
                    cfg.units.len(),
                )
            },
            || {
                let mut defs: Vec<&crate::figures::FigureDef> = checked_figures().collect();
                defs.push(&crate::figures::PROJECT_BUDGET_ALL);
                let figures =
                    crate::figures::from_rows(&defs, cls, &validated.payments, &validated.budgets);
                let projects = crate::forms::from_rows(&validated.payments, &validated.budgets);
                (figures, projects)
            },
        )
    });
    let (mut by_rows, project_rows) = by_rows;
    let project_budget_by_rows = by_rows.pop().unwrap_or(0);
    let agg = agg?;
    let indicators_complete = !validated
        .rejected
        .iter()
        .any(|r| r.kind == Kind::Indicators);
    let scores = score(&agg, &validated.indicators, cfg, indicators_complete);
    problems.extend(scores.problems.iter().cloned());
    let period = Period::new(
        cfg.report.year,
        cfg.report.progress_basis,
        cfg.report.as_of_date(),
        validated
            .payments
            .date
            .iter()
            .map(|&d| crate::ledger::unpack_date(d)),
    );
    if period.partial() {
        problems.push(Problem::warning(format!(
            "数据截至{}，不是全年：各表标题已注明“截至{}”，执行率和预算执行得分按截至该日的支出计算，仅供年中分析，不能作为年度自评结果",
            period.date_text(),
            period.date_text()
        )));
    }
    let report = crate::timing::time("tables", || {
        tables::build(
            cfg,
            &agg,
            &scores,
            &validated.indicators,
            &validated.projects,
            &period,
        )
    });
    problems.extend(report.warnings.iter().map(|w| Problem::warning(w.clone())));

    let forms = crate::timing::time("forms", || {
        crate::forms::build(
            cfg,
            &agg,
            &validated.projects,
            &validated.project_indicators,
        )
    });
    problems.extend(forms.problems.iter().cloned());
    let mut checks = reconcile(cfg, validated, &agg, &by_rows);
    checks.extend(forms_proof(
        &forms,
        &project_rows,
        &by_rows,
        project_budget_by_rows,
    ));
    for c in checks.iter().filter(|c| !c.ok()) {
        problems.push(Problem::error(format!(
            "内部错误，请报告：核对未通过（{}：{}，{} 元 ≠ {} 元）",
            c.category,
            c.object,
            yuan(c.left),
            yuan(c.right)
        )));
    }
    let findings = crate::timing::time("findings", || {
        crate::findings::findings(cfg, &agg, &scores, &validated.indicators, &period)
    });
    Ok(Computed {
        period,
        agg,
        scores,
        report,
        forms,
        project_rows,
        checks,
        findings,
        problems,
    })
}

/// The outcome of a run, from what was read and what was computed.
pub fn assemble(read: Read, c: Computed) -> Outcome {
    let mut problems = read.problems;
    problems.extend(c.problems);
    Outcome {
        period: c.period,
        findings: c.findings,
        validated: read.validated,
        agg: Some(c.agg),
        scores: Some(c.scores),
        report: Some(c.report),
        forms: Some(c.forms),
        project_rows: c.project_rows,
        checks: c.checks,
        problems,
        files_read: read.files_read,
    }
}

/// The `核对` sheet: per file and in all, input = used + rejected; rows accounted for; and
/// every figure by the aggregates against a plain loop over the detail rows.
/// The figures the `核对` sheet recomputes.
fn checked_figures() -> impl Iterator<Item = &'static crate::figures::FigureDef> {
    FIGURES.iter().chain([&GOVFUND_BASIC, &GOVFUND_PROJECT])
}

fn reconcile(cfg: &Config, v: &Validated, agg: &Aggregates, by_rows: &[Cents]) -> Vec<Check> {
    let mut out = Vec::new();
    let mut per_file: BTreeMap<&str, (Cents, Cents, Cents)> = BTreeMap::new();
    for s in &v.sheets {
        let e = per_file.entry(&s.file).or_default();
        e.0 += s.data_sum;
        e.1 += s.sum_used;
        e.2 += s.sum_rejected;
    }
    let mut all = (0, 0, 0);
    for (file, (input, used, rejected)) in &per_file {
        all = (all.0 + input, all.1 + used, all.2 + rejected);
        out.push(Check {
            category: "金额平衡".into(),
            object: file.to_string(),
            left: *input,
            right: used + rejected,
            note: format!("输入金额 = 使用 {} + 拒绝 {}", yuan(*used), yuan(*rejected)),
            rows: false,
        });
    }
    out.push(Check {
        category: "金额平衡".into(),
        object: "全部文件".into(),
        left: all.0,
        right: all.1 + all.2,
        note: format!("输入金额 = 使用 {} + 拒绝 {}", yuan(all.1), yuan(all.2)),
        rows: false,
    });
    let rows_read: u32 = v
        .sheets
        .iter()
        .filter(|s| s.kind.is_some())
        .map(|s| s.rows_read)
        .sum();
    let rows_placed: u32 = v
        .sheets
        .iter()
        .filter(|s| s.kind.is_some())
        .map(|s| s.used + s.rejected + s.blank + s.notes + s.totals.len() as u32)
        .sum();
    out.push(Check {
        category: "行数平衡".into(),
        object: "全部已识别工作表".into(),
        left: rows_read as Cents,
        right: rows_placed as Cents,
        note: "读取行数 = 使用 + 拒绝 + 空行 + 说明行 + 合计行（单位：行）".into(),
        rows: true,
    });
    let cls = &cfg.classification;
    for (f, right) in checked_figures().zip(by_rows) {
        out.push(Check {
            category: "报表数字".into(),
            object: format!("{} {}", f.id, f.label),
            left: f.from_aggregates(cls, agg),
            right: *right,
            note: "左：分组汇总（报表的口径表）；右：逐行复核（按口径文字另写的筛选，两者不一致即报错）".into(),
            rows: false,
        });
    }
    out
}

/// The proof of the project forms (SPEC §10): each form's sums by the aggregates against the
/// plain loop over the rows, and the sums over all forms (and the projects below
/// `min_budget`) against F13, F8 + 政府性基金项目支出 and the adjusted project budget of all
/// funds, each computed by the plain loop.
fn forms_proof(
    forms: &crate::forms::Forms,
    project_rows: &BTreeMap<(usize, String), crate::forms::ProjectSums>,
    by_rows: &[Cents],
    project_budget_by_rows: Cents,
) -> Vec<Check> {
    let mut out = Vec::new();
    let every = forms
        .forms
        .iter()
        .map(|f| (f.unit, &f.key, &f.sums))
        .chain(forms.skipped.iter().map(|(u, k, s)| (*u, k, s)));
    let (mut actual, mut fiscal, mut budget, mut differ) = (0, 0, 0, 0);
    for (unit, key, s) in every {
        actual += s.actual[0] + s.actual[1];
        fiscal += s.actual[0];
        budget += s.budget.iter().flatten().sum::<Cents>();
        if project_rows.get(&(unit, key.clone())) != Some(s) {
            differ += 1;
        }
    }
    // A project the plain loop finds that has no form (nor a skipped place) differs too.
    differ += project_rows
        .keys()
        .filter(|(u, k)| {
            !forms.forms.iter().any(|f| f.unit == *u && f.key == *k)
                && !forms.skipped.iter().any(|(su, sk, _)| su == u && sk == k)
        })
        .count() as Cents;
    let figure = |id: &str| {
        checked_figures()
            .position(|f| f.id == id)
            .and_then(|i| by_rows.get(i))
            .copied()
            .unwrap_or(0)
    };
    let check = |object: &str, left, right, note: &str| Check {
        category: "项目自评表".into(),
        object: object.into(),
        left,
        right,
        note: note.into(),
        rows: false,
    };
    out.push(Check {
        rows: true,
        ..check(
            "各项目资金（分组汇总与逐行复核不一致的项目数）",
            differ,
            0,
            "每张自评表的预算和支出，按分组汇总与逐行复核两种算法（单位：个）",
        )
    });
    out.push(check(
        "Σ全年执行数 = F13 项目支出（含其他资金）",
        actual,
        figure("F13"),
        "左：各自评表（含低于 min_budget 未出表的项目）；右：逐行复核",
    ));
    out.push(check(
        "Σ财政拨款全年执行数 = F8 + 政府性基金项目支出",
        fiscal,
        figure("F8") + figure("G2"),
        "本年财政拨款 + 上年结转资金两行；右：逐行复核",
    ));
    out.push(check(
        "Σ全年预算数 = 项目支出调整后预算（含其他资金）",
        budget,
        project_budget_by_rows,
        "左：各自评表；右：逐行复核",
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Files reach the validator in path order, whatever order the workers finish them in
    /// (here the first file is by far the largest), and each exactly once.
    #[test]
    fn files_are_handed_on_in_path_order() {
        let dir = std::env::temp_dir().join(format!("jixiao-order-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("b")).unwrap();
        let header = "支付日期,预算单位,项目名称,支出类型,经济分类,资金性质,支付金额\n";
        let row = |i: usize| format!("2023-01-02,本级,,基本支出,30201,一般公共预算,{i}.00\n");
        let mut big = String::from(header);
        for i in 1..=20_000 {
            big.push_str(&row(i));
        }
        let small = format!("{header}{}", row(1));
        std::fs::write(dir.join("a.csv"), big).unwrap();
        for name in ["b/c.csv", "b/d.csv", "e.csv", "f.csv"] {
            std::fs::write(dir.join(name), &small).unwrap();
        }
        let cfg = Config::parse("[report]\ndepartment='某局'\nyear=2023\n[[unit]]\nname='本级'\n")
            .unwrap();
        let units = UnitMatcher::new(&cfg);
        let mut order = Vec::new();
        let config = dir.join("jixiao.toml");
        let problems = read_folder_each(&dir, &config, &cfg, &units, None, &silent, |f, _, _| {
            order.push((
                f.rel.clone(),
                f.sheets.iter().map(|s| s.payments.len()).sum::<usize>(),
                f.sheets
                    .iter()
                    .flat_map(|s| &s.problems)
                    .filter(|p| p.is_error())
                    .count(),
            ))
        })
        .unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        assert!(problems.is_empty());
        assert_eq!(
            order,
            vec![
                ("a.csv".to_string(), 20_000, 0),
                ("b/c.csv".to_string(), 1, 0),
                ("b/d.csv".to_string(), 1, 0),
                ("e.csv".to_string(), 1, 0),
                ("f.csv".to_string(), 1, 0),
            ]
        );
    }
}
