//! Stage 4 — aggregate: the group-bys (SPEC §3.4). The only module that groups, and it
//! groups with polars.
//!
//! Input: the run's payment [`Ledger`] and the used budget rows. Each becomes one polars
//! frame of integer columns (texts as dictionary ids, money as `i64` cents: exact), and every
//! table's grouping is a filter and a group-by over it. Everything downstream (figures,
//! scores, tables, findings) reads these sums; nothing downstream sums rows.
//!
//! ```text
//! payments frame (one row per used payment row)
//! ┌──────┬─────────┬──────┬──────┬──────┬───────┬───────┬────────┐
//! │ unit ┆ project ┆ kind ┆ fund ┆ econ ┆ class ┆ month ┆ amount │
//! │ i32  ┆ i32 id  ┆ i32  ┆ i32  ┆ i32  ┆ i32   ┆ i32   ┆ i64 ¢  │
//! ╞══════╪═════════╪══════╪══════╪══════╪═══════╪═══════╪════════╡
//! │ 0    ┆ 17      ┆ 1    ┆ 0    ┆ 4    ┆ 2     ┆ 3     ┆ 125000 │   class: 三公 class, -1 none
//! └──────┴─────────┴──────┴──────┴──────┴───────┴───────┴────────┘
//!   → by unit × fund × kind × econ                      [`Aggregates::payments`] (figures)
//!   → by unit (from the line above)                     [`Aggregates::unit_actual`] (scores)
//!   → kind = 项目支出, by unit × project × fund × drawn   [`Aggregates::projects`] (项目支出, §10)
//!   → by unit × month                                   [`Aggregates::months`] (执行进度)
//!   → fund = 一般公共预算, class ≥ 0, by unit × class      [`Aggregates::sangong`] (三公, findings)
//!
//! budgets frame: unit, project, kind, fund, econ, class, budget_kind (i32), amount (i64, signed)
//!   → by unit × fund × kind × econ × budget_kind        [`Aggregates::budgets`] (figures)
//!   → kind = 项目支出, by unit × project × fund × budget_kind
//!                                                       [`Aggregates::project_budgets`] (§10 forms)
//!   → by unit                                           [`Aggregates::unit_budget`] (scores)
//!   → fund = 一般公共预算, class ≥ 0, by unit × class      [`Aggregates::sangong`]
//! ```
//!
//! Groups come out in order of first appearance (polars' stable group-by): deterministic.

use crate::config::Classification;
use crate::ledger::{Dict, Ledger};
use crate::model::*;
use anyhow::Result;
use polars::prelude::*;

/// Payments of one unit × fund × kind × economic class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayGroup {
    pub unit: usize,
    pub kind: SpendKind,
    pub fund: Fund,
    pub econ: String,
    pub amount: Cents,
}

/// Budget rows of one unit × fund × kind × economic class × budget kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetGroup {
    pub unit: usize,
    pub kind: SpendKind,
    pub fund: Fund,
    pub econ: String,
    pub budget_kind: BudgetKind,
    pub amount: Cents,
}

/// Project spending (支出类型 项目支出) of one unit × project × fund.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectSum {
    pub unit: usize,
    /// The project key (see `normalise::project_key`).
    pub project: String,
    pub fund: Fund,
    /// Which budget the payments drew, as their ledger says (the project forms' attribution).
    pub drawn: Drawn,
    pub amount: Cents,
}

/// Project budget rows (支出类型 项目支出) of one unit × project × fund × budget kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectBudget {
    pub unit: usize,
    /// The project key (see `normalise::project_key`).
    pub project: String,
    pub fund: Fund,
    pub budget_kind: BudgetKind,
    /// Signed: a 调减 is negative.
    pub amount: Cents,
}

/// The payments of one unit in one month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthSum {
    pub unit: usize,
    pub month: u32,
    pub amount: Cents,
}

/// General-fund budget and spending of one unit in one “三公” class
/// (`config::SANGONG_CLASSES` order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClassSum {
    pub unit: usize,
    pub class: usize,
    pub budget: Cents,
    pub actual: Cents,
}

/// The sums every later stage reads.
#[derive(Debug, Clone, Default)]
pub struct Aggregates {
    pub payments: Vec<PayGroup>,
    pub budgets: Vec<BudgetGroup>,
    /// Per unit (by index): all payments, and the adjusted budget.
    pub unit_actual: Vec<Cents>,
    pub unit_budget: Vec<Cents>,
    pub projects: Vec<ProjectSum>,
    pub project_budgets: Vec<ProjectBudget>,
    pub months: Vec<MonthSum>,
    /// Units × classes with a budget or spending, budgets' groups first.
    pub sangong: Vec<ClassSum>,
}

/// Groups and sums payments and budgets (see the module docs). `units` is the number of
/// configured units.
///
/// # Errors
/// Only an internal polars failure.
pub fn aggregate(
    payments: &Ledger,
    budgets: &[Budget],
    cls: &Classification,
    units: usize,
) -> Result<Aggregates> {
    anyhow::Context::context(
        groups(payments, budgets, cls, units),
        "汇总支出明细和预算指标时出错（内部错误）",
    )
}

/// [`aggregate`], from the payment sums the pipeline grouped file by file (`partial`, over
/// the rows of `payments`).
///
/// # Errors
/// Only an internal polars failure.
pub fn aggregate_partial(
    partial: &Partial,
    payments: &Ledger,
    budgets: &[Budget],
    cls: &Classification,
    units: usize,
) -> Result<Aggregates> {
    anyhow::Context::context(
        finish(partial, payments, budgets, cls, units),
        "汇总支出明细和预算指标时出错（内部错误）",
    )
}

fn i32_col(name: &str, v: Vec<i32>) -> Column {
    Column::new(name.into(), v)
}

/// The payments frame (see the module docs).
fn payment_frame(
    l: &Ledger,
    rows: std::ops::Range<usize>,
    cls: &Classification,
) -> PolarsResult<DataFrame> {
    // The 三公 class of each economic class id: decided once per distinct code.
    let class_of: Vec<i32> = l
        .econs
        .values()
        .iter()
        .map(|e| cls.sangong_class(e).map_or(-1, |c| c as i32))
        .collect();
    let ids = |v: &[u32]| {
        v[rows.clone()]
            .iter()
            .map(|&x| x as i32)
            .collect::<Vec<i32>>()
    };
    let econ = &l.econ[rows.clone()];
    DataFrame::new_infer_height(vec![
        i32_col("unit", ids(&l.unit)),
        i32_col("project", ids(&l.project)),
        i32_col(
            "kind",
            l.kind[rows.clone()].iter().map(|k| k.code()).collect(),
        ),
        i32_col(
            "fund",
            l.fund[rows.clone()].iter().map(|f| f.code()).collect(),
        ),
        i32_col(
            "drawn",
            l.drawn[rows.clone()].iter().map(|d| d.code()).collect(),
        ),
        i32_col("econ", ids(&l.econ)),
        i32_col(
            "class",
            econ.iter().map(|&e| class_of[e as usize]).collect(),
        ),
        i32_col(
            "month",
            l.date[rows.clone()].iter().map(|d| d / 100 % 100).collect(),
        ),
        Column::new("amount".into(), l.amount[rows].to_vec()),
    ])
}

/// The budgets frame, with its economic classes as ids of `econs` and its projects as ids of
/// `projects`.
fn budget_frame(
    rows: &[Budget],
    cls: &Classification,
    econs: &mut Dict,
    projects: &mut Dict,
) -> PolarsResult<DataFrame> {
    let econ: Vec<i32> = rows.iter().map(|b| econs.id_arc(&b.econ) as i32).collect();
    let project: Vec<i32> = rows
        .iter()
        .map(|b| projects.id_arc(&b.project) as i32)
        .collect();
    DataFrame::new_infer_height(vec![
        i32_col("unit", rows.iter().map(|b| b.unit as i32).collect()),
        i32_col("project", project),
        i32_col("kind", rows.iter().map(|b| b.kind.code()).collect()),
        i32_col("fund", rows.iter().map(|b| b.fund.code()).collect()),
        i32_col(
            "class",
            rows.iter()
                .map(|b| cls.sangong_class(&b.econ).map_or(-1, |c| c as i32))
                .collect(),
        ),
        i32_col("econ", econ),
        i32_col(
            "budget_kind",
            rows.iter().map(|b| b.budget_kind.code()).collect(),
        ),
        Column::new(
            "amount".into(),
            rows.iter().map(|b| b.amount).collect::<Vec<i64>>(),
        ),
    ])
}

/// Payment sums of parts of the ledger, combined at the end: the pipeline groups each file's
/// rows as soon as they are validated (while later files are read), so the full-ledger frame
/// is never built. Sums of sums are exact, and first appearance in the concatenated parts is
/// first appearance over all rows.
#[derive(Debug, Clone, Default)]
pub struct Partial {
    fine: Vec<DataFrame>,
    projects: Vec<DataFrame>,
    months: Vec<DataFrame>,
    sangong: Vec<DataFrame>,
}

impl Partial {
    /// Groups rows `rows` of the ledger (see the module docs) and keeps the sums.
    ///
    /// # Errors
    /// Only an internal polars failure.
    pub fn add(
        &mut self,
        l: &Ledger,
        rows: std::ops::Range<usize>,
        cls: &Classification,
    ) -> PolarsResult<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let pay = payment_frame(l, rows, cls)?;
        self.fine
            .push(sum_by(&pay, &["unit", "fund", "kind", "econ"])?);
        let is_project = pay.column("kind")?.i32()?.equal(SpendKind::Project.code());
        let project_rows = pay
            .select(["unit", "project", "fund", "drawn", "amount"])?
            .filter(&is_project)?;
        self.projects.push(sum_by(
            &project_rows,
            &["unit", "project", "fund", "drawn"],
        )?);
        self.months.push(sum_by(&pay, &["unit", "month"])?);
        self.sangong
            .push(sum_by(&general(&pay)?, &["unit", "class"])?);
        Ok(())
    }
}

/// The rows of the general fund in a “三公” class.
fn general(df: &DataFrame) -> PolarsResult<DataFrame> {
    let mask =
        df.column("fund")?.i32()?.equal(Fund::General.code()) & df.column("class")?.i32()?.gt_eq(0);
    df.filter(&mask)
}

/// The parts' groups combined: concatenated, then grouped again by the same keys.
fn combine(parts: &[DataFrame], keys: &[&str]) -> PolarsResult<DataFrame> {
    let mut all = match parts.first() {
        Some(first) => first.clone(),
        None => {
            let mut cols: Vec<Column> = keys.iter().map(|k| i32_col(k, Vec::new())).collect();
            cols.push(Column::new("amount".into(), Vec::<i64>::new()));
            return DataFrame::new_infer_height(cols);
        }
    };
    for p in &parts[1..] {
        all.vstack_mut(p)?;
    }
    sum_by(&all, keys)
}

/// Every sum from the whole ledger at once (for tests and small runs).
fn groups(
    l: &Ledger,
    budgets: &[Budget],
    cls: &Classification,
    units: usize,
) -> PolarsResult<Aggregates> {
    let mut partial = Partial::default();
    partial.add(l, 0..l.len(), cls)?;
    finish(&partial, l, budgets, cls, units)
}

fn finish(
    partial: &Partial,
    l: &Ledger,
    budgets: &[Budget],
    cls: &Classification,
    units: usize,
) -> PolarsResult<Aggregates> {
    let fine = combine(&partial.fine, &["unit", "fund", "kind", "econ"])?;
    let projects = combine(&partial.projects, &["unit", "project", "fund", "drawn"])?;
    let months = combine(&partial.months, &["unit", "month"])?;
    let sangong_pay = combine(&partial.sangong, &["unit", "class"])?;
    let mut econs = l.econs.clone();
    let mut budget_projects = Dict::default();
    let bud = budget_frame(budgets, cls, &mut econs, &mut budget_projects)?;
    let bfine = sum_by(&bud, &["unit", "fund", "kind", "econ", "budget_kind"])?;
    let is_project = bud.column("kind")?.i32()?.equal(SpendKind::Project.code());
    let bprojects = sum_by(
        &bud.filter(&is_project)?,
        &["unit", "project", "fund", "budget_kind"],
    )?;
    let sangong_bud = sum_by(&general(&bud)?, &["unit", "class"])?;

    let per_unit = |df: &DataFrame| -> PolarsResult<Vec<Cents>> {
        let mut v = vec![0; units];
        let g = sum_by(df, &["unit"])?;
        for (u, a) in ints(&g, "unit")?.into_iter().zip(money(&g)?) {
            if let Some(slot) = v.get_mut(u as usize) {
                *slot = a;
            }
        }
        Ok(v)
    };
    let unit_actual = per_unit(&fine)?;
    let unit_budget = per_unit(&bfine)?;

    let payments = {
        let (u, f, k, e, a) = (
            ints(&fine, "unit")?,
            ints(&fine, "fund")?,
            ints(&fine, "kind")?,
            ints(&fine, "econ")?,
            money(&fine)?,
        );
        (0..a.len())
            .map(|i| PayGroup {
                unit: u[i] as usize,
                kind: SpendKind::from_code(k[i]),
                fund: Fund::from_code(f[i]),
                econ: l.econs.get(e[i] as u32).to_string(),
                amount: a[i],
            })
            .collect()
    };
    let budgets = {
        let (u, f, k, e, b, a) = (
            ints(&bfine, "unit")?,
            ints(&bfine, "fund")?,
            ints(&bfine, "kind")?,
            ints(&bfine, "econ")?,
            ints(&bfine, "budget_kind")?,
            money(&bfine)?,
        );
        (0..a.len())
            .map(|i| BudgetGroup {
                unit: u[i] as usize,
                kind: SpendKind::from_code(k[i]),
                fund: Fund::from_code(f[i]),
                econ: econs.get(e[i] as u32).to_string(),
                budget_kind: BudgetKind::from_code(b[i]),
                amount: a[i],
            })
            .collect()
    };
    let projects = {
        let (u, p, f, d, a) = (
            ints(&projects, "unit")?,
            ints(&projects, "project")?,
            ints(&projects, "fund")?,
            ints(&projects, "drawn")?,
            money(&projects)?,
        );
        (0..a.len())
            .map(|i| ProjectSum {
                unit: u[i] as usize,
                project: l.projects.get(p[i] as u32).to_string(),
                fund: Fund::from_code(f[i]),
                drawn: Drawn::from_code(d[i]),
                amount: a[i],
            })
            .collect()
    };
    let project_budgets = {
        let (u, p, f, b, a) = (
            ints(&bprojects, "unit")?,
            ints(&bprojects, "project")?,
            ints(&bprojects, "fund")?,
            ints(&bprojects, "budget_kind")?,
            money(&bprojects)?,
        );
        (0..a.len())
            .map(|i| ProjectBudget {
                unit: u[i] as usize,
                project: budget_projects.get(p[i] as u32).to_string(),
                fund: Fund::from_code(f[i]),
                budget_kind: BudgetKind::from_code(b[i]),
                amount: a[i],
            })
            .collect()
    };
    let months = {
        let (u, m, a) = (
            ints(&months, "unit")?,
            ints(&months, "month")?,
            money(&months)?,
        );
        (0..a.len())
            .map(|i| MonthSum {
                unit: u[i] as usize,
                month: m[i] as u32,
                amount: a[i],
            })
            .collect()
    };
    // Budget and spending of each unit × class, in one list.
    let mut sangong: Vec<ClassSum> = Vec::new();
    for (df, is_budget) in [(&sangong_bud, true), (&sangong_pay, false)] {
        let (u, c, a) = (ints(df, "unit")?, ints(df, "class")?, money(df)?);
        for i in 0..a.len() {
            let (unit, class) = (u[i] as usize, c[i] as usize);
            let at = match sangong
                .iter()
                .position(|s| s.unit == unit && s.class == class)
            {
                Some(at) => at,
                None => {
                    sangong.push(ClassSum {
                        unit,
                        class,
                        ..ClassSum::default()
                    });
                    sangong.len() - 1
                }
            };
            if is_budget {
                sangong[at].budget = a[i];
            } else {
                sangong[at].actual = a[i];
            }
        }
    }
    Ok(Aggregates {
        payments,
        budgets,
        unit_actual,
        unit_budget,
        projects,
        project_budgets,
        months,
        sangong,
    })
}

/// An integer key column of a grouped frame.
fn ints(df: &DataFrame, name: &str) -> PolarsResult<Vec<i32>> {
    Ok(df.column(name)?.i32()?.into_no_null_iter().collect())
}

/// The summed amounts of a grouped frame.
fn money(df: &DataFrame) -> PolarsResult<Vec<Cents>> {
    Ok(df.column("amount")?.i64()?.into_no_null_iter().collect())
}

/// `amount` summed by the `keys` columns (non-negative `i32`s): a frame of the keys and
/// `amount`, groups in order of first appearance (deterministic).
///
/// The keys are packed into one `i64` column first, so polars groups on a single integer
/// (a multi-column group-by row-encodes every key: on 1.2 M rows that cost 150 MB), and
/// unpacked after. Kept behind this function because polars' API churns: the eager
/// `GroupBy::sum` is deprecated in favour of the lazy API, whose feature would add minutes
/// to every clean build; it is exact on `i64` and pinned with the polars version.
#[allow(deprecated)]
pub fn sum_by(df: &DataFrame, keys: &[&str]) -> PolarsResult<DataFrame> {
    // Packed column by column, straight from the frame's columns (no copy of them).
    let cols: Vec<&Int32Chunked> = keys
        .iter()
        .map(|k| df.column(k).and_then(|c| c.i32()))
        .collect::<PolarsResult<_>>()?;
    let bits: Vec<u32> = cols
        .iter()
        .map(|c| 32 - (c.max().unwrap_or(0).max(0) as u32).leading_zeros())
        .collect();
    if bits.iter().sum::<u32>() > 62 || cols.iter().any(|c| c.min().unwrap_or(0) < 0) {
        return Err(PolarsError::ComputeError("分组键超出范围".into()));
    }
    let mut packed: Vec<i64> = vec![0; df.height()];
    for (c, b) in cols.iter().zip(&bits) {
        for (p, v) in packed.iter_mut().zip(c.into_no_null_iter()) {
            *p = (*p << b) | v as i64;
        }
    }
    let frame = DataFrame::new_infer_height(vec![
        Column::new("key".into(), packed),
        df.column("amount")?.clone(),
    ])?;
    let g = if frame.height() == 0 {
        DataFrame::new_infer_height(vec![
            Column::new("key".into(), Vec::<i64>::new()),
            Column::new("amount_sum".into(), Vec::<i64>::new()),
        ])?
    } else {
        frame.group_by_stable(["key"])?.select(["amount"]).sum()?
    };
    let packed = g.column("key")?.i64()?;
    let mut out: Vec<Vec<i32>> = vec![Vec::with_capacity(g.height()); keys.len()];
    for key in packed.into_no_null_iter() {
        let mut key = key;
        for (slot, b) in out.iter_mut().zip(&bits).rev() {
            slot.push((key & ((1i64 << b) - 1)) as i32);
            key >>= b;
        }
    }
    let mut columns: Vec<Column> = keys.iter().zip(out).map(|(k, v)| i32_col(k, v)).collect();
    columns.push(g.column("amount_sum")?.clone().with_name("amount".into()));
    DataFrame::new_infer_height(columns)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::NewRow;
    use std::sync::Arc;

    fn ledger(rows: &[(usize, &str, &str, u32, Fund, Cents)]) -> Ledger {
        let mut l = Ledger::default();
        let s = l.source_id(&Arc::from("f"), &Arc::from("s"));
        for &(unit, project, econ, month, fund, amount) in rows {
            let (project, econ) = (l.projects.id(project), l.econs.id(econ));
            l.push(NewRow {
                source: s,
                row: 1,
                date: Date {
                    year: 2023,
                    month,
                    day: 1,
                },
                unit,
                project,
                kind: SpendKind::Project,
                econ,
                fund,
                drawn: Drawn::Unknown,
                voucher: "",
                memo: "",
                amount,
            });
        }
        l
    }

    #[test]
    fn sums_by_group_exactly_in_first_appearance_order() {
        let l = ledger(&[
            (1, "乙", "30227", 3, Fund::General, 10),
            (0, "甲", "30217", 3, Fund::General, 1),
            (1, "乙", "30227", 3, Fund::Other, -4),
            (0, "甲", "30217", 4, Fund::General, 2),
            (1, "乙", "30227", 5, Fund::General, 999_999_999_999),
        ]);
        let a = aggregate(&l, &[], &Classification::default(), 2).unwrap();
        let got: Vec<(usize, &str, Fund, Cents)> = a
            .projects
            .iter()
            .map(|g| (g.unit, g.project.as_str(), g.fund, g.amount))
            .collect();
        assert!(a.projects.iter().all(|g| g.drawn == Drawn::Unknown));
        assert_eq!(
            got,
            vec![
                (1, "乙", Fund::General, 1_000_000_000_009),
                (0, "甲", Fund::General, 3),
                (1, "乙", Fund::Other, -4),
            ]
        );
        let months: Vec<(usize, u32, Cents)> = a
            .months
            .iter()
            .map(|m| (m.unit, m.month, m.amount))
            .collect();
        assert_eq!(
            months,
            vec![(1, 3, 6), (0, 3, 1), (0, 4, 2), (1, 5, 999_999_999_999)]
        );
        assert_eq!(a.unit_actual, vec![3, 1_000_000_000_005]);
        assert_eq!(a.unit_budget, vec![0, 0]);
        // 30217 is 公务接待 (class 2), general fund only.
        assert_eq!(
            a.sangong,
            vec![ClassSum {
                unit: 0,
                class: 2,
                budget: 0,
                actual: 3
            }]
        );
        assert!(a.budgets.is_empty());
    }

    #[test]
    fn sums_of_parts_equal_the_sums_of_the_whole_in_the_same_order() {
        let l = ledger(&[
            (1, "乙", "30227", 3, Fund::General, 10),
            (0, "甲", "30217", 3, Fund::General, 1),
            (1, "乙", "30227", 3, Fund::Other, -4),
            (0, "甲", "30217", 4, Fund::General, 2),
            (2, "丙", "30231", 5, Fund::General, 7),
            (1, "乙", "30227", 5, Fund::General, 5),
        ]);
        let cls = Classification::default();
        let whole = aggregate(&l, &[], &cls, 3).unwrap();
        let mut parts = Partial::default();
        for rows in [0..2, 2..2, 2..5, 5..6] {
            parts.add(&l, rows, &cls).unwrap();
        }
        let split = aggregate_partial(&parts, &l, &[], &cls, 3).unwrap();
        assert_eq!(whole.payments, split.payments);
        assert_eq!(whole.projects, split.projects);
        assert_eq!(whole.months, split.months);
        assert_eq!(whole.sangong, split.sangong);
        assert_eq!(whole.unit_actual, vec![3, 11, 7]);
        assert_eq!(split.unit_actual, whole.unit_actual);
    }

    #[test]
    fn empty_input_gives_no_groups() {
        let a = aggregate(&Ledger::default(), &[], &Classification::default(), 1).unwrap();
        assert!(a.payments.is_empty() && a.budgets.is_empty() && a.projects.is_empty());
        assert_eq!(a.unit_actual, vec![0]);
    }
}
