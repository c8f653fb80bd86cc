//! The report's tables as data (SPEC §7): what each sheet shows, cell by cell, before any
//! formatting. Built from the aggregates, the figures and the scores; read by the renderer,
//! which only lays them out, and by the audit (尾差, 问题提示).

use crate::config::{Config, ProgressBasis, SANGONG_CLASSES};
use crate::figures::{self, FigureValue};
use crate::model::*;
use crate::period::Period;
use crate::stages::aggregate::Aggregates;
use crate::stages::score::Scores;
use crate::stages::validate::Projects;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// A value in a table cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// Money, shown in 万元 with 2 decimals (rounded once, at display).
    Money(Cents),
    /// A fraction shown as a percentage with 2 decimals; None shows as empty.
    Rate(Option<Decimal>),
    /// A score or count, shown as typed (already rounded where it must be).
    Number(Decimal),
    /// An exact number shown rounded to `dp` decimals in the `0.00` format.
    Fixed(Decimal, u32),
    Empty,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }
}

/// How a row is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowStyle {
    Normal,
    Total,
    Highlight,
}

/// A header cell at (row offset, column) spanning rows × columns.
#[derive(Debug, Clone)]
pub struct HeaderCell {
    pub row: u32,
    pub col: u16,
    pub rows: u32,
    pub cols: u16,
    pub text: String,
}

/// One sheet's table.
#[derive(Debug, Clone)]
pub struct Table {
    pub sheet: String,
    pub title: String,
    /// Row 2 says `单位：万元`.
    pub in_wan: bool,
    pub header: Vec<HeaderCell>,
    pub header_rows: u32,
    pub columns: u16,
    pub rows: Vec<(RowStyle, Vec<Cell>)>,
    /// A line under the rows (how a column is computed).
    pub note: Option<String>,
    /// Tables laid out below this one on the same sheet (their `sheet` is unused).
    pub blocks: Vec<Table>,
    /// Charts below the table, drawn from its cells and its blocks'.
    pub charts: Vec<ChartSpec>,
    /// The widest a text column may grow (Excel width units): longer texts wrap, so that a
    /// sheet of long reasons still prints at a readable scale on one page width.
    pub wrap_width: Option<f64>,
}

/// A chart over cells of a sheet's tables: data, not format (the renderer draws it).
#[derive(Debug, Clone, PartialEq)]
pub struct ChartSpec {
    pub kind: ChartKind,
    pub title: String,
    /// The table the ranges refer to: 0 the sheet's table, i its block i − 1.
    pub table: usize,
    /// Data rows (0-based among the table's rows), first and last inclusive.
    pub rows: (usize, usize),
    /// The column of the categories (x axis).
    pub categories: u16,
    pub series: Vec<SeriesSpec>,
}

/// Line or bar (columns).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    Line,
    Column,
}

/// One series: its column, and the points (row offsets within the chart's rows) drawn in the
/// highlight colour.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesSpec {
    pub name: String,
    pub column: u16,
    /// Drawn as a line over a column chart (e.g. 序时进度 over the units' rates).
    pub as_line: bool,
    pub highlight: Vec<usize>,
    /// What a highlighted point means, for the legend (`低于序时进度`).
    pub highlight_means: &'static str,
}

impl Table {
    /// A table with one header row of `names`.
    pub fn new(sheet: &str, title: String, in_wan: bool, names: &[&str]) -> Table {
        Table {
            sheet: sheet.to_string(),
            title,
            in_wan,
            header: names
                .iter()
                .enumerate()
                .map(|(c, n)| HeaderCell {
                    row: 0,
                    col: c as u16,
                    rows: 1,
                    cols: 1,
                    text: n.to_string(),
                })
                .collect(),
            header_rows: 1,
            columns: names.len() as u16,
            rows: Vec::new(),
            note: None,
            blocks: Vec::new(),
            charts: Vec::new(),
            wrap_width: None,
        }
    }
}

/// A column whose displayed rows do not add up to its displayed total (尾差).
#[derive(Debug, Clone, PartialEq)]
pub struct TailDiff {
    pub sheet: String,
    pub column: String,
    pub rows_sum: Decimal,
    pub total: Decimal,
}

/// All the report's tables.
#[derive(Debug, Clone)]
pub struct Report {
    pub tables: Vec<Table>,
    pub tail_diffs: Vec<TailDiff>,
    pub warnings: Vec<String>,
    /// The 支出概况 lines (figure id, label, value), as the workbook shows them: the report
    /// draft takes its figures from here, never computing one a second time.
    pub overview: Vec<(String, String, FigureValue)>,
}

/// Builds every table of the report.
pub fn build(
    cfg: &Config,
    agg: &Aggregates,
    scores: &Scores,
    indicators: &[Indicator],
    projects: &Projects,
    period: &Period,
) -> Report {
    let year = cfg.report.year;
    let (overview, warnings) = figures::overview(&cfg.classification, agg);
    let mut tables = vec![
        overview_table(year, &overview, period),
        sangong_table(cfg, agg),
        project_table(cfg, agg, projects),
        score_table(cfg, scores, period),
        execution_table(cfg, scores),
        indicator_table(cfg, scores, indicators),
        progress_table(cfg, agg, scores, period),
    ];
    // A partial year says so in every title.
    let suffix = period.title_suffix();
    for t in &mut tables {
        t.title.push_str(&suffix);
    }
    let mut tail_diffs: Vec<TailDiff> = tables.iter_mut().flat_map(tail_diffs).collect();
    tail_diffs.extend(overview_tail_diffs(&overview));
    Report {
        tables,
        tail_diffs,
        warnings,
        overview,
    }
}

/// The sums inside 支出概况, on displayed values: a total against the lines that make it up
/// (F1 = F2 + F3 [+ 其他基本支出], F11 = F1 + F12 [+ 政府性基金基本支出], F13 = F8 + F14
/// [+ 政府性基金项目支出], F10 = F11 + F13).
fn overview_tail_diffs(lines: &[(String, String, FigureValue)]) -> Vec<TailDiff> {
    let shown = |id: &str| -> Decimal {
        lines
            .iter()
            .find(|(i, _, _)| i == id)
            .map(|(_, _, v)| match v {
                FigureValue::Money(c) => wan_display(*c),
                FigureValue::Rate(_) => Decimal::ZERO,
            })
            .unwrap_or(Decimal::ZERO)
    };
    let label = |id: &str| {
        lines
            .iter()
            .find(|(i, _, _)| i == id)
            .map(|(_, l, _)| l.clone())
            .unwrap_or_default()
    };
    let sums: [(&str, &[&str]); 4] = [
        ("F1", &["F2", "F3", "F3b"]),
        ("F11", &["F1", "F12", "G1"]),
        ("F13", &["F8", "F14", "G2"]),
        ("F10", &["F11", "F13"]),
    ];
    sums.iter()
        .filter_map(|(total, parts)| {
            let rows_sum: Decimal = parts.iter().map(|p| shown(p)).sum();
            (rows_sum != shown(total)).then(|| TailDiff {
                sheet: "支出概况".into(),
                column: format!(
                    "{} = {}",
                    label(total),
                    parts
                        .iter()
                        .map(|p| label(p))
                        .filter(|l| !l.is_empty())
                        .collect::<Vec<_>>()
                        .join(" + ")
                ),
                rows_sum,
                total: shown(total),
            })
        })
        .collect()
}

fn overview_table(year: i32, lines: &[(String, String, FigureValue)], period: &Period) -> Table {
    let mut t = Table::new(
        "支出概况",
        format!("{year}年度部门整体支出情况表"),
        true,
        &["项目", "金额（万元）"],
    );
    for (_, label, v) in lines {
        let cell = match v {
            FigureValue::Money(c) => Cell::Money(*c),
            FigureValue::Rate(r) => Cell::Rate(*r),
        };
        t.rows
            .push((RowStyle::Normal, vec![Cell::text(label), cell]));
    }
    if period.partial() {
        t.note = Some(format!(
            "注：本表为截至{}的累计执行数，不是全年数；预算为全年预算，执行率按截至该日的支出计算。",
            period.date_text()
        ));
    }
    t
}

/// 三公 classes in table order: 公车运行维护, 公车购置, 公务接待, 出国经费.
fn sangong_table(cfg: &Config, agg: &Aggregates) -> Table {
    let year = cfg.report.year;
    let mut t = Table::new(
        "三公经费",
        format!("{year}年度“三公”经费支出明细表"),
        true,
        &[],
    );
    t.header_rows = 2;
    t.columns = 9;
    t.header.push(HeaderCell {
        row: 0,
        col: 0,
        rows: 2,
        cols: 1,
        text: "单位名称".into(),
    });
    for (k, name) in SANGONG_CLASSES.iter().enumerate() {
        let c = 1 + 2 * k as u16;
        t.header.push(HeaderCell {
            row: 0,
            col: c,
            rows: 1,
            cols: 2,
            text: name.to_string(),
        });
        t.header.push(HeaderCell {
            row: 1,
            col: c,
            rows: 1,
            cols: 1,
            text: format!("{year}年预算数"),
        });
        t.header.push(HeaderCell {
            row: 1,
            col: c + 1,
            rows: 1,
            cols: 1,
            text: format!("{year}年决算数"),
        });
    }
    // The groups by unit × class (aggregate), placed: per class, budget then actual.
    let mut sums = vec![[0i64; 8]; cfg.units.len()];
    for g in &agg.sangong {
        if let Some(row) = sums.get_mut(g.unit) {
            row[2 * g.class] = g.budget;
            row[2 * g.class + 1] = g.actual;
        }
    }
    let mut total = [0i64; 8];
    for (unit, row) in cfg.units.iter().zip(&sums) {
        let mut cells = vec![Cell::text(&unit.name)];
        for (t, x) in total.iter_mut().zip(row) {
            *t += x;
            cells.push(Cell::Money(*x));
        }
        t.rows.push((RowStyle::Normal, cells));
    }
    let mut cells = vec![Cell::text("合  计")];
    cells.extend(total.iter().map(|c| Cell::Money(*c)));
    t.rows.push((RowStyle::Total, cells));
    t
}

fn project_table(cfg: &Config, agg: &Aggregates, projects: &Projects) -> Table {
    let mut t = Table::new(
        "项目支出",
        format!("{}年度项目支出明细表", cfg.report.year),
        true,
        &["单位名称", "项目名称", "支出金额", "备   注"],
    );
    // The groups by unit × project × fund (× the budget drawn: added up here), by key.
    let mut sums: HashMap<(usize, &str, Fund), Cents> = HashMap::new();
    for g in &agg.projects {
        *sums
            .entry((g.unit, g.project.as_str(), g.fund))
            .or_default() += g.amount;
    }
    let mut total = 0;
    for (u, unit) in cfg.units.iter().enumerate() {
        for (key, display) in projects.per_unit.get(u).into_iter().flatten() {
            let sum = |fund: Fund| sums.get(&(u, key.as_str(), fund)).copied().unwrap_or(0);
            let general = sum(Fund::General);
            if general == 0 {
                continue;
            }
            let other = sum(Fund::Other);
            let note = if other != 0 {
                format!("未包括其他资金支出{}万元", wan_display(other))
            } else {
                String::new()
            };
            total += general;
            t.rows.push((
                RowStyle::Normal,
                vec![
                    Cell::text(&unit.name),
                    Cell::text(display),
                    Cell::Money(general),
                    Cell::Text(note),
                ],
            ));
        }
    }
    t.rows.push((
        RowStyle::Total,
        vec![
            Cell::text("合   计"),
            Cell::Empty,
            Cell::Money(total),
            Cell::Empty,
        ],
    ));
    t
}

fn score_table(cfg: &Config, scores: &Scores, period: &Period) -> Table {
    let s = &cfg.scoring;
    let h = |name: &str, p: f64| format!("{name}（{}分）", crate::config::dec(p).normalize());
    let execution = if period.partial() {
        format!(
            "预算执行（{}分，按截至{}执行数）",
            crate::config::dec(s.budget_execution).normalize(),
            period.short_date_text()
        )
    } else {
        h("预算执行", s.budget_execution)
    };
    let names = [
        "序号".to_string(),
        "单位名称".to_string(),
        execution,
        h("产出指标", s.output),
        h("效益指标", s.benefit),
        h("满意度指标", s.satisfaction),
        "综合评分".to_string(),
    ];
    let refs: Vec<&str> = names.iter().map(|s| s.as_str()).collect();
    let mut t = Table::new(
        "绩效评分",
        format!("{}年度部门整体支出绩效自评评分表", cfg.report.year),
        false,
        &refs,
    );
    let groups = |g: Option<[Decimal; 3]>, f: &dyn Fn(Decimal) -> Decimal| -> Vec<Cell> {
        match g {
            Some(g) => g.iter().map(|x| Cell::Number(f(*x))).collect(),
            None => vec![Cell::text("未评"), Cell::text("未评"), Cell::text("未评")],
        }
    };
    for (i, u) in scores.units.iter().enumerate() {
        let mut cells = vec![
            Cell::Number(Decimal::from(i + 1)),
            Cell::text(&cfg.units[u.unit].name),
            Cell::Number(Scores::unit_display(u.execution)),
        ];
        cells.extend(groups(u.groups, &Scores::unit_display));
        cells.push(Cell::Number(Scores::unit_display(u.total)));
        t.rows.push((RowStyle::Normal, cells));
    }
    let d = &scores.dept;
    let mut cells = vec![
        Cell::text("部门加权平均分"),
        Cell::Empty,
        Cell::Number(d.execution),
    ];
    cells.extend(groups(d.groups, &|x| x));
    cells.push(Cell::Number(d.total));
    t.rows.push((RowStyle::Total, cells));
    let mut cells = vec![
        Cell::text("评价等级"),
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
    ];
    cells.push(Cell::Text(d.grade.clone()));
    t.rows.push((RowStyle::Total, cells));
    t
}

fn execution_table(cfg: &Config, scores: &Scores) -> Table {
    let mut t = Table::new(
        "单位执行",
        format!("{}年度单位预算执行情况表", cfg.report.year),
        true,
        &["单位名称", "预算数", "实际支出", "执行率", "预算执行得分"],
    );
    let (mut b, mut a) = (0, 0);
    for u in &scores.units {
        b += u.budget;
        a += u.actual;
        t.rows.push((
            RowStyle::Normal,
            vec![
                Cell::text(&cfg.units[u.unit].name),
                Cell::Money(u.budget),
                Cell::Money(u.actual),
                Cell::Rate(u.rate),
                Cell::Number(Scores::unit_display(u.execution)),
            ],
        ));
    }
    t.rows.push((
        RowStyle::Total,
        vec![
            Cell::text("合  计"),
            Cell::Money(b),
            Cell::Money(a),
            Cell::Rate(figures::rate(a, b)),
            Cell::Number(scores.dept.execution),
        ],
    ));
    t
}

fn indicator_table(cfg: &Config, scores: &Scores, indicators: &[Indicator]) -> Table {
    let mut t = Table::new(
        "指标得分",
        format!("{}年度绩效指标自评得分表", cfg.report.year),
        false,
        &[
            "单位名称",
            "一级指标",
            "二级指标",
            "三级指标",
            "分值",
            "方向",
            "目标值",
            "完成值",
            "得分",
            "偏差原因",
            "说明",
        ],
    );
    // The reasons and notes wrap: the sheet prints at ≥ 80 % on A4 landscape (issue 20).
    t.wrap_width = Some(10.0);
    // Units in config order, then indicators in input order.
    for u in 0..cfg.units.len() {
        for (i, ind) in indicators.iter().enumerate().filter(|(_, x)| x.unit == u) {
            let s = &scores.indicators[i];
            let style = if s.score < ind.points {
                RowStyle::Highlight
            } else {
                RowStyle::Normal
            };
            t.rows.push((
                style,
                vec![
                    Cell::text(&cfg.units[u].name),
                    Cell::text(ind.level1.label()),
                    Cell::text(&ind.level2),
                    Cell::text(&ind.name),
                    Cell::Number(ind.points.normalize()),
                    Cell::text(ind.direction.label()),
                    Cell::text(&ind.target_text),
                    Cell::text(&ind.actual_text),
                    Cell::Number(Scores::unit_display(s.score)),
                    Cell::text(&ind.reason),
                    Cell::Text(if s.overridden {
                        "采用填报的自评得分（未按公式计算）".into()
                    } else {
                        String::new()
                    }),
                ],
            ));
        }
    }
    t
}

/// 序时进度 at the end of month `m`.
pub fn time_progress(basis: ProgressBasis, year: i32, m: u32) -> Decimal {
    match basis {
        ProgressBasis::Month => Decimal::from(m) / Decimal::from(12),
        ProgressBasis::Day => {
            let dim = crate::period::days_in_months(year);
            let elapsed: u32 = dim[..m as usize].iter().sum();
            Decimal::from(elapsed) / Decimal::from(dim.iter().sum::<u32>())
        }
    }
}

fn progress_table(cfg: &Config, agg: &Aggregates, scores: &Scores, period: &Period) -> Table {
    let mut t = Table::new(
        "执行进度",
        format!("{}年度预算执行进度表", cfg.report.year),
        true,
        &[
            "单位名称",
            "月份",
            "预算数",
            "累计实际支出",
            "累计执行率",
            "序时进度",
            "进度差（百分点）",
            "进度差（万元）",
        ],
    );
    // Every month to the as-of date, spending or not; none after it.
    let last = period.as_of.month;
    let mut rows_for = |name: &str, budget: Cents, monthly: &[Cents; 13], total_row: bool| {
        let mut cum = 0;
        for m in 1..=last {
            cum += monthly[m as usize];
            let progress = if m == last {
                period.elapsed()
            } else {
                time_progress(cfg.report.progress_basis, cfg.report.year, m)
            };
            let rate = figures::rate(cum, budget);
            let behind = rate.is_some_and(|r| r < progress);
            let gap_points = rate.map(|r| (r - progress) * Decimal::ONE_HUNDRED);
            let gap_wan =
                (Decimal::from(cum) - Decimal::from(budget) * progress) / Decimal::from(1_000_000);
            let style = if total_row {
                RowStyle::Total
            } else if behind {
                RowStyle::Highlight
            } else {
                RowStyle::Normal
            };
            t.rows.push((
                style,
                vec![
                    Cell::text(name),
                    Cell::text(format!("{m}月")),
                    Cell::Money(budget),
                    Cell::Money(cum),
                    Cell::Rate(rate),
                    Cell::Rate(Some(progress)),
                    gap_points.map(|g| Cell::Fixed(g, 2)).unwrap_or(Cell::Empty),
                    Cell::Fixed(gap_wan, 2),
                ],
            ));
        }
    };
    let mut dept = [0i64; 13];
    let mut dept_budget = 0;
    let mut monthly = vec![[0i64; 13]; cfg.units.len()];
    // The groups by unit × month (aggregate), placed; the department row is their total.
    for g in agg.months.iter().filter(|g| g.month <= last) {
        monthly[g.unit][g.month as usize] = g.amount;
        dept[g.month as usize] += g.amount;
    }
    for u in &scores.units {
        dept_budget += u.budget;
        rows_for(&cfg.units[u.unit].name, u.budget, &monthly[u.unit], false);
    }
    rows_for("部门合计", dept_budget, &dept, true);
    let dept_rows = (t.rows.len() - last as usize, t.rows.len() - 1);

    // At the as-of date: each unit's rate against 序时进度, the year-end rate at this pace,
    // and what each remaining month must spend.
    let mut at = projection_table(cfg, scores, period, &monthly);
    let units = scores.units.len();
    let behind: Vec<usize> = at.rows[..units]
        .iter()
        .enumerate()
        .filter(|(_, (style, _))| *style == RowStyle::Highlight)
        .map(|(i, _)| i)
        .collect();
    at.sheet = t.sheet.clone();
    // Long unit names wrap: with the charts below, the sheet prints at ≥ 80 % (issue 20).
    t.wrap_width = Some(24.0);
    at.wrap_width = t.wrap_width;
    t.blocks.push(at);
    t.charts = vec![
        ChartSpec {
            kind: ChartKind::Line,
            title: "部门累计执行率与序时进度".into(),
            table: 0,
            rows: dept_rows,
            categories: 1,
            series: vec![
                SeriesSpec {
                    name: "累计执行率".into(),
                    column: 4,
                    as_line: true,
                    highlight: Vec::new(),
                    highlight_means: "低于序时进度",
                },
                SeriesSpec {
                    name: "序时进度".into(),
                    column: 5,
                    as_line: true,
                    highlight: Vec::new(),
                    highlight_means: "低于序时进度",
                },
            ],
        },
        ChartSpec {
            kind: ChartKind::Column,
            title: if period.partial() {
                format!("截至{}各单位执行率", period.short_date_text())
            } else {
                "各单位执行率".to_string()
            },
            table: 1,
            rows: (0, units.saturating_sub(1)),
            categories: 0,
            series: vec![
                SeriesSpec {
                    name: "执行率".into(),
                    column: 3,
                    as_line: false,
                    highlight: behind,
                    highlight_means: "低于序时进度",
                },
                // Grey columns beside the units' (a line over columns does not render in
                // every spreadsheet program).
                SeriesSpec {
                    name: "序时进度".into(),
                    column: 4,
                    as_line: false,
                    highlight: Vec::new(),
                    highlight_means: "低于序时进度",
                },
            ],
        },
    ];
    t
}

/// Per unit and for the department at the as-of date: budget, actual, rate, 序时进度, the
/// projected year-end rate (rate ÷ elapsed fraction of the year), and the 万元 a remaining
/// month must spend to reach 100% (序时进度 at year end) and the threshold.
fn projection_table(
    cfg: &Config,
    scores: &Scores,
    period: &Period,
    monthly: &[[Cents; 13]],
) -> Table {
    let threshold = cfg.scoring.threshold();
    let pct = crate::model::round(threshold * Decimal::ONE_HUNDRED, 2).normalize();
    let reach = format!("达到{pct}%每月需支出");
    // A whole year has nothing left to project: its block is the rates alone.
    let partial = period.partial();
    let names: &[&str] = if partial {
        &[
            "单位名称",
            "预算数",
            "累计实际支出",
            "执行率",
            "序时进度",
            "按目前进度预计全年执行率",
            "全年执行完毕每月需支出",
            &reach,
        ]
    } else {
        &["单位名称", "预算数", "实际支出", "执行率", "序时进度"]
    };
    let title = if partial {
        format!("截至{}各单位执行进度与全年预测", period.date_text())
    } else {
        format!("{}年度各单位预算执行率", period.as_of.year)
    };
    let mut t = Table::new("", title, true, names);
    let elapsed = period.elapsed();
    let left = period.months_left();
    let row = |name: &str, budget: Cents, actual: Cents, style: RowStyle| {
        let rate = figures::rate(actual, budget);
        let projected = rate
            .filter(|_| elapsed > Decimal::ZERO)
            .map(|r| r / elapsed);
        let per_month = |target: Decimal| -> Cell {
            if left <= Decimal::ZERO || budget == 0 {
                return Cell::Empty;
            }
            let short = Decimal::from(budget) * target - Decimal::from(actual);
            Cell::Fixed(
                short.max(Decimal::ZERO) / left / Decimal::from(1_000_000),
                2,
            )
        };
        let style = match style {
            RowStyle::Normal if rate.is_some_and(|r| r < elapsed) => RowStyle::Highlight,
            s => s,
        };
        let mut cells = vec![
            Cell::text(name),
            Cell::Money(budget),
            Cell::Money(actual),
            Cell::Rate(rate),
            Cell::Rate(Some(elapsed)),
        ];
        if partial {
            cells.extend([
                Cell::Rate(projected),
                per_month(Decimal::ONE),
                per_month(threshold),
            ]);
        }
        (style, cells)
    };
    let (mut b, mut a) = (0, 0);
    for u in &scores.units {
        let actual: Cents = monthly[u.unit].iter().sum();
        b += u.budget;
        a += actual;
        t.rows.push(row(
            &cfg.units[u.unit].name,
            u.budget,
            actual,
            RowStyle::Normal,
        ));
    }
    t.rows.push(row("部门合计", b, a, RowStyle::Total));
    t.note = partial.then(|| format!(
        "注：序时进度为截至{}已过时间占全年的比例；预计全年执行率 = 执行率 ÷ 序时进度（按目前的支出速度）；每月需支出 = 达到目标尚缺的金额 ÷ 剩余月数（{}个月）。",
        period.date_text(),
        crate::model::round(left, 2).normalize()
    ));
    t
}

/// The 尾差 of a table: for each money column of a table with a total row, the displayed
/// rows' sum against the displayed total.
fn tail_diffs(t: &mut Table) -> Vec<TailDiff> {
    let Some((RowStyle::Total, total)) = t.rows.last() else {
        return Vec::new();
    };
    if t.sheet == "执行进度" {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (c, cell) in total.iter().enumerate() {
        let Cell::Money(total) = cell else { continue };
        let rows_sum: Decimal = t.rows[..t.rows.len() - 1]
            .iter()
            .filter_map(|(_, r)| match r.get(c) {
                Some(Cell::Money(x)) => Some(wan_display(*x)),
                _ => None,
            })
            .sum();
        if rows_sum != wan_display(*total) {
            let column = t
                .header
                .iter()
                .filter(|h| h.col as usize <= c && c < (h.col + h.cols) as usize)
                .map(|h| h.text.clone())
                .collect::<Vec<_>>()
                .join("·");
            out.push(TailDiff {
                sheet: t.sheet.clone(),
                column,
                rows_sum,
                total: wan_display(*total),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_progress_by_month_and_day() {
        assert_eq!(
            time_progress(ProgressBasis::Month, 2023, 6),
            Decimal::new(5, 1)
        );
        assert_eq!(time_progress(ProgressBasis::Day, 2023, 12), Decimal::ONE);
        assert_eq!(
            time_progress(ProgressBasis::Day, 2023, 1),
            Decimal::from(31) / Decimal::from(365)
        );
        assert_eq!(
            time_progress(ProgressBasis::Day, 2024, 2),
            Decimal::from(60) / Decimal::from(366)
        );
    }

    #[test]
    fn overview_sums_are_checked_on_displayed_values() {
        let m = |id: &str, label: &str, c: Cents| {
            (id.to_string(), label.to_string(), FigureValue::Money(c))
        };
        // 0.004 + 0.004 万元 each display 0.00; their sum 0.008 displays 0.01.
        let lines = vec![
            m("F1", "一般公共预算基本支出", 80_00),
            m("F2", "其中：人员经费", 40_00),
            m("F3", "其中：公用经费", 40_00),
            m("F8", "一般公共预算项目支出", 0),
            m("F10", "部门实际支出总额", 80_00),
            m("F11", "基本支出（含其他资金）", 80_00),
            m("F12", "其中：其他资金基本支出", 0),
            m("F13", "项目支出（含其他资金）", 0),
            m("F14", "其中：其他资金项目支出", 0),
        ];
        let d = overview_tail_diffs(&lines);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(
            d[0].column,
            "一般公共预算基本支出 = 其中：人员经费 + 其中：公用经费"
        );
    }

    #[test]
    fn tail_differences_are_found() {
        let mut t = Table::new("项目支出", "t".into(), true, &["单位名称", "支出金额"]);
        // 0.004 + 0.004 万元 display 0.00 + 0.00, but the total 0.008 displays 0.01.
        t.rows
            .push((RowStyle::Normal, vec![Cell::text("a"), Cell::Money(40_00)]));
        t.rows
            .push((RowStyle::Normal, vec![Cell::text("b"), Cell::Money(40_00)]));
        t.rows.push((
            RowStyle::Total,
            vec![Cell::text("合计"), Cell::Money(80_00)],
        ));
        let d = tail_diffs(&mut t);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].column, "支出金额");
        assert_eq!(
            (d[0].rows_sum.to_string(), d[0].total.to_string()),
            ("0.00".into(), "0.01".into())
        );
    }
}
