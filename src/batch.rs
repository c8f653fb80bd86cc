//! Several departments in one run (SPEC §11): which folders are departments, what a finished
//! department leaves for the summary (its rows, reduced from its own results before the next
//! department starts), and the summary workbook's tables.
//!
//! Input: a root folder; each department's [`Outcome`] as its run finished. Output: the
//! [`Department`]s in path order, one [`DeptSummary`] each, and the tables of
//! `{year}年度部门整体支出绩效自评汇总表.xlsx`. Every figure of a summary row is read from the
//! department's own results — its 支出概况 lines, its 绩效评分 department row, its forms'
//! 汇总 rows — never computed a second time.

use crate::cmd::run::Finished;
use crate::figures::FigureValue;
use crate::model::Cents;
use crate::tables::{Cell, ChartKind, ChartSpec, RowStyle, SeriesSpec, Table};
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};

/// A department folder below the batch root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Department {
    pub dir: PathBuf,
    /// Its path below the root, `/`-separated: the output goes to `OUT/{rel}/`.
    pub rel: String,
}

/// The departments below `root`: folders holding a `jixiao.toml`, at any depth, in path order
/// (names compared level by level). A department folder's sub-folders belong to it; hidden
/// folders and symbolic links are not entered.
pub fn discover(root: &Path) -> Vec<Department> {
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<Department>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut subs: Vec<(String, PathBuf)> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| (e.file_name().to_string_lossy().to_string(), e.path()))
        .filter(|(name, _)| !name.starts_with('.'))
        .collect();
    subs.sort();
    for (_, path) in subs {
        if path.join("jixiao.toml").is_file() {
            let rel = rel_path(root, &path);
            out.push(Department { dir: path, rel });
        } else {
            walk(root, &path, out);
        }
    }
}

/// `path` below `root`, `/`-separated (the department's name in messages and its output
/// folder below `OUT`).
pub fn rel_path(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// How a department's run ended, as the summary's 状态 says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// A full year, exit 0.
    Done,
    /// Exit 0 on part of the year: the as-of date.
    MidYear(String),
    /// Input errors (exit 1): its audit says which.
    Errors,
    /// Its config or folder could not be used (exit 2 on its own): the message.
    Unusable(String),
}

impl Status {
    pub fn text(&self) -> String {
        match self {
            Status::Done => "完成".into(),
            Status::MidYear(date) => format!("年中（截至{date}）"),
            Status::Errors => "有错误，见该部门核对底稿".into(),
            Status::Unusable(_) => "配置错误，见运行情况".into(),
        }
    }
}

/// The money columns of 部门汇总, in order, by figure id.
pub const MONEY_FIGURES: [&str; 6] = ["F9", "F10", "F11", "F13", "F4", "F5"];

/// What a finished department leaves for the summary.
#[derive(Debug, Clone, PartialEq)]
pub struct DeptSummary {
    pub rel: String,
    /// The configured department, else the folder's name.
    pub department: String,
    pub year: Option<i32>,
    pub units: Option<usize>,
    /// F9, F10, F11, F13, F4, F5 as in its 支出概况 (None when no report was made).
    pub money: Option<[Cents; 6]>,
    /// F15 as in its 支出概况.
    pub rate: Option<Decimal>,
    /// Its configured `execution_threshold`, as a fraction.
    pub threshold: Option<Decimal>,
    /// The 绩效评分 department row: 预算执行, the three groups (None: 未评), 综合评分, 等级.
    pub scores: Option<(Decimal, Option<[Decimal; 3]>, Decimal, String)>,
    /// Project forms, and how many scored below 90.
    pub forms: Option<(usize, usize)>,
    /// Its forms' 汇总 rows (the total row left out).
    pub project_rows: Vec<Vec<Cell>>,
    /// Its findings: (category, unit, detail).
    pub findings: Vec<(String, String, String)>,
    pub status: Status,
    pub exit: i32,
    pub errors: usize,
    pub warnings: usize,
    pub rows_read: u64,
    /// The first errors, as printed.
    pub first_errors: Vec<String>,
    /// On errors: the report files an earlier run left in its output folder, and when.
    pub earlier: Option<String>,
}

/// How many of a department's errors 运行情况 quotes.
const FIRST_ERRORS: usize = 3;

impl DeptSummary {
    /// The row of a department whose run could not start (its config, its folder).
    pub fn unusable(dept: &Department, message: String) -> DeptSummary {
        let name = dept.rel.rsplit('/').next().unwrap_or(&dept.rel).to_string();
        DeptSummary {
            rel: dept.rel.clone(),
            department: name,
            year: None,
            units: None,
            money: None,
            rate: None,
            threshold: None,
            scores: None,
            forms: None,
            project_rows: Vec::new(),
            findings: Vec::new(),
            status: Status::Unusable(message.clone()),
            exit: 2,
            errors: 1,
            warnings: 0,
            rows_read: 0,
            first_errors: vec![message],
            earlier: None,
        }
    }

    /// The row of a department whose run finished (exit 0 or 1), read from its outcome.
    pub fn of_run(dept: &Department, f: &Finished) -> DeptSummary {
        let (cfg, o) = (f.cfg, f.outcome);
        let figure = |id: &str| {
            o.report
                .as_ref()?
                .overview
                .iter()
                .find(|(fid, _, _)| fid == id)
                .map(|(_, _, v)| v.clone())
        };
        let money = (!o.has_errors()).then(|| {
            MONEY_FIGURES.map(|id| match figure(id) {
                Some(FigureValue::Money(c)) => c,
                _ => 0,
            })
        });
        let rate = match figure("F15") {
            Some(FigureValue::Rate(r)) if !o.has_errors() => r,
            _ => None,
        };
        let scores = o.scores.as_ref().filter(|_| !o.has_errors()).map(|s| {
            (
                s.dept.execution,
                s.dept.groups,
                s.dept.total,
                s.dept.grade.clone(),
            )
        });
        let forms = o.forms.as_ref().filter(|_| !o.has_errors());
        let project_rows = forms
            .and_then(|f| f.summary.as_ref())
            .map(|t| {
                t.rows
                    .iter()
                    .filter(|(style, _)| *style != RowStyle::Total)
                    .map(|(_, cells)| cells.clone())
                    .collect()
            })
            .unwrap_or_default();
        let below = Decimal::from(90);
        let status = if o.has_errors() {
            Status::Errors
        } else if o.period.partial() {
            Status::MidYear(o.period.date_text())
        } else {
            Status::Done
        };
        DeptSummary {
            rel: dept.rel.clone(),
            department: cfg.report.department.clone(),
            year: Some(cfg.report.year),
            units: Some(cfg.units.len()),
            money,
            rate,
            threshold: Some(cfg.scoring.threshold()),
            scores,
            forms: forms.map(|f| {
                (
                    f.forms.len(),
                    f.forms
                        .iter()
                        .filter(|x| x.total.is_some_and(|t| t < below))
                        .count(),
                )
            }),
            project_rows,
            findings: o
                .findings
                .iter()
                .map(|f| (f.category.to_string(), f.unit.clone(), f.detail.clone()))
                .collect(),
            status,
            exit: f.code,
            errors: o.errors().count(),
            warnings: o.warnings().count() + f.extra_warnings,
            earlier: f.earlier.map(str::to_string),
            rows_read: o
                .validated
                .sheets
                .iter()
                .filter(|s| s.kind.is_some())
                .map(|s| u64::from(s.rows_read))
                .sum(),
            first_errors: o
                .errors()
                .take(FIRST_ERRORS)
                .map(|e| e.to_string())
                .collect(),
        }
    }
}

/// The year the summary is named for: the most departments' year (the later on a tie).
pub fn batch_year(depts: &[DeptSummary]) -> Option<i32> {
    let mut years: Vec<i32> = depts.iter().filter_map(|d| d.year).collect();
    years.sort_unstable();
    let mut best: Option<(usize, i32)> = None;
    for y in &years {
        let n = years.iter().filter(|x| *x == y).count();
        if best.is_none_or(|(bn, by)| n > bn || (n == bn && *y > by)) {
            best = Some((n, *y));
        }
    }
    best.map(|(_, y)| y)
}

/// The summary workbook's file name.
pub fn summary_name(year: Option<i32>) -> String {
    match year {
        Some(y) => format!("{y}年度部门整体支出绩效自评汇总表.xlsx"),
        None => "部门整体支出绩效自评汇总表.xlsx".into(),
    }
}

/// The summary's four sheets: 部门汇总 (with its chart), 项目汇总, 问题提示, 运行情况.
pub fn summary_tables(year: Option<i32>, depts: &[DeptSummary]) -> Vec<Table> {
    let prefix = year.map(|y| format!("{y}年度")).unwrap_or_default();
    vec![
        departments_table(&prefix, depts),
        projects_table(&prefix, depts),
        findings_table(&prefix, depts),
        runs_table(&prefix, depts),
    ]
}

/// The columns of 部门汇总 (SPEC §11).
const DEPARTMENT_COLUMNS: [&str; 19] = [
    "部门",
    "单位数",
    "部门预算支出总额",
    "部门实际支出总额",
    "执行率",
    "基本支出",
    "项目支出",
    "“三公”经费预算",
    "“三公”经费支出",
    "预算执行",
    "产出",
    "效益",
    "满意度",
    "综合评分",
    "评价等级",
    "项目自评表数",
    "其中低于90分",
    "问题提示条数",
    "状态",
];

fn count(n: usize) -> Cell {
    Cell::Number(Decimal::from(n as u64))
}

impl DeptSummary {
    /// Below its own `execution_threshold`.
    fn behind(&self) -> bool {
        matches!((self.rate, self.threshold), (Some(r), Some(th)) if r < th)
    }

    /// Its row of 部门汇总; a department without a report has only its name, units and status.
    fn cells(&self) -> Vec<Cell> {
        let mut cells = vec![
            Cell::text(&self.department),
            self.units.map_or(Cell::Empty, count),
        ];
        match self.money {
            Some(m) => {
                cells.extend([Cell::Money(m[0]), Cell::Money(m[1]), Cell::Rate(self.rate)]);
                cells.extend(m[2..].iter().map(|c| Cell::Money(*c)));
            }
            None => cells.extend((0..7).map(|_| Cell::Empty)),
        }
        match &self.scores {
            Some((exec, groups, sum, grade)) => {
                cells.push(Cell::Number(*exec));
                for k in 0..3 {
                    cells.push(groups.map_or(Cell::text("未评"), |g| Cell::Number(g[k])));
                }
                cells.extend([Cell::Number(*sum), Cell::text(grade)]);
            }
            None => cells.extend((0..6).map(|_| Cell::Empty)),
        }
        match self.forms {
            Some((n, below)) => cells.extend([count(n), count(below)]),
            None => cells.extend([Cell::Empty, Cell::Empty]),
        }
        // A department without a report has no findings to count (its audit has its errors).
        cells.push(match self.money {
            Some(_) => count(self.findings.len()),
            None => Cell::Empty,
        });
        cells.push(Cell::text(self.status.text()));
        cells
    }
}

/// The 合计 row: the departments with a report (money, units, forms, findings); the
/// execution rate of the totals.
fn total_cells(depts: &[DeptSummary]) -> Vec<Cell> {
    let mut total = [0 as Cents; 6];
    let (mut units, mut forms, mut below, mut findings) = (0, 0, 0, 0);
    for d in depts {
        let Some(m) = d.money else { continue };
        for (t, x) in total.iter_mut().zip(m) {
            *t += x;
        }
        units += d.units.unwrap_or(0);
        findings += d.findings.len();
        if let Some((n, b)) = d.forms {
            forms += n;
            below += b;
        }
    }
    let rate = crate::figures::rate(total[1], total[0]);
    let mut cells = vec![Cell::text("合  计"), count(units)];
    cells.extend([
        Cell::Money(total[0]),
        Cell::Money(total[1]),
        Cell::Rate(rate),
    ]);
    cells.extend(total[2..].iter().map(|c| Cell::Money(*c)));
    cells.extend((0..6).map(|_| Cell::Empty));
    cells.extend([count(forms), count(below), count(findings), Cell::Empty]);
    cells
}

fn departments_table(prefix: &str, depts: &[DeptSummary]) -> Table {
    let mut t = Table::new(
        "部门汇总",
        format!("{prefix}部门整体支出绩效自评汇总表"),
        true,
        &DEPARTMENT_COLUMNS,
    );
    for d in depts {
        let style = if d.exit != 0 || d.behind() {
            RowStyle::Highlight
        } else {
            RowStyle::Normal
        };
        t.rows.push((style, d.cells()));
    }
    t.rows.push((RowStyle::Total, total_cells(depts)));
    t.note = Some(
        "注：各部门的数字取自该部门本次运行的报表（支出概况、绩效评分、项目支出绩效自评表）；合计行的执行率为合计实际支出 ÷ 合计预算，不是各部门执行率的平均数。有错误的部门不计入合计。"
            .into(),
    );
    t.wrap_width = Some(10.0);
    rate_chart(&mut t, depts);
    t
}

/// Below the table: each department's rate against its own threshold, and their chart (the
/// threshold as a line, departments behind it in red).
fn rate_chart(t: &mut Table, depts: &[DeptSummary]) {
    let mut data = Table::new(
        "部门汇总",
        "各部门预算执行率与目标".into(),
        false,
        &["部门", "执行率", "目标执行率"],
    );
    for d in depts {
        data.rows.push((
            RowStyle::Normal,
            vec![
                Cell::text(&d.department),
                Cell::Rate(d.rate),
                Cell::Rate(d.threshold),
            ],
        ));
    }
    data.wrap_width = t.wrap_width;
    t.blocks.push(data);
    if depts.is_empty() {
        return;
    }
    let behind = (0..depts.len()).filter(|&i| depts[i].behind()).collect();
    t.charts.push(ChartSpec {
        kind: ChartKind::Column,
        title: "各部门预算执行率".into(),
        table: 1,
        rows: (0, depts.len() - 1),
        categories: 0,
        series: vec![
            SeriesSpec {
                name: "执行率".into(),
                column: 1,
                as_line: false,
                highlight: behind,
                highlight_means: "低于目标执行率",
            },
            SeriesSpec {
                name: "目标执行率".into(),
                column: 2,
                as_line: true,
                highlight: Vec::new(),
                highlight_means: "",
            },
        ],
    });
}

fn projects_table(prefix: &str, depts: &[DeptSummary]) -> Table {
    let mut names = vec!["部门"];
    names.extend(crate::forms::SUMMARY_COLUMNS);
    let mut t = Table::new(
        "项目汇总",
        format!("{prefix}项目支出绩效自评汇总表（各部门）"),
        true,
        &names,
    );
    for d in depts {
        for row in &d.project_rows {
            let mut cells = vec![Cell::text(&d.department)];
            cells.extend(row.iter().cloned());
            t.rows.push((RowStyle::Normal, cells));
        }
    }
    t.wrap_width = Some(20.0);
    t
}

fn findings_table(prefix: &str, depts: &[DeptSummary]) -> Table {
    let mut t = Table::new(
        "问题提示",
        format!("{prefix}各部门问题提示"),
        false,
        &["部门", "类别", "单位", "说明"],
    );
    // Departments with a report: the findings of a run with errors rest on rows it rejected.
    for d in depts.iter().filter(|d| d.money.is_some()) {
        for (category, unit, detail) in &d.findings {
            t.rows.push((
                RowStyle::Normal,
                vec![
                    Cell::text(&d.department),
                    Cell::text(category),
                    Cell::text(unit),
                    Cell::text(detail),
                ],
            ));
        }
    }
    t.wrap_width = Some(40.0);
    t
}

fn runs_table(prefix: &str, depts: &[DeptSummary]) -> Table {
    let mut t = Table::new(
        "运行情况",
        format!("{prefix}各部门运行情况"),
        false,
        &[
            "部门",
            "文件夹",
            "退出码",
            "状态",
            "错误数",
            "警告数",
            "读取行数",
            "主要错误",
            "备注",
        ],
    );
    for d in depts {
        let style = if d.exit == 0 {
            RowStyle::Normal
        } else {
            RowStyle::Highlight
        };
        t.rows.push((
            style,
            vec![
                Cell::text(&d.department),
                Cell::text(&d.rel),
                Cell::Number(Decimal::from(d.exit)),
                Cell::text(d.status.text()),
                Cell::Number(Decimal::from(d.errors as u64)),
                Cell::Number(Decimal::from(d.warnings as u64)),
                Cell::Number(Decimal::from(d.rows_read)),
                Cell::text(d.first_errors.join("；")),
                Cell::text(d.earlier.clone().unwrap_or_default()),
            ],
        ));
    }
    t.wrap_width = Some(40.0);
    t
}

/// The summary workbook as bytes, laid out as the report's sheets.
///
/// # Errors
/// Only an internal writer error.
pub fn summary_bytes(year: Option<i32>, depts: &[DeptSummary]) -> anyhow::Result<Vec<u8>> {
    let title = summary_name(year);
    let title = title.trim_end_matches(".xlsx");
    crate::render::report::workbook_bytes(year.unwrap_or(2000), title, &summary_tables(year, depts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn departments_are_found_at_any_depth_in_path_order_and_own_their_sub_folders() {
        let root = std::env::temp_dir().join(format!("jixiao-discover-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for (dir, config) in [
            ("b局", true),
            ("b局/支付明细", false),
            ("b局/子单位", true),
            ("a区/教育局", true),
            ("a区/卫健委", true),
            ("a区/说明", false),
            (".隐藏/x局", true),
            ("c空", false),
        ] {
            let p = root.join(dir);
            std::fs::create_dir_all(&p).unwrap();
            if config {
                std::fs::write(p.join("jixiao.toml"), "").unwrap();
            }
        }
        let found: Vec<String> = discover(&root).into_iter().map(|d| d.rel).collect();
        assert_eq!(found, ["a区/卫健委", "a区/教育局", "b局"]);
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn the_batch_year_is_the_most_departments_year() {
        let d = |y: Option<i32>| DeptSummary {
            year: y,
            ..DeptSummary::unusable(
                &Department {
                    dir: PathBuf::new(),
                    rel: "x".into(),
                },
                String::new(),
            )
        };
        assert_eq!(
            batch_year(&[d(Some(2023)), d(Some(2024)), d(Some(2023))]),
            Some(2023)
        );
        assert_eq!(batch_year(&[d(Some(2023)), d(Some(2024))]), Some(2024));
        assert_eq!(batch_year(&[d(None)]), None);
    }
}
