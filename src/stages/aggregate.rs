//! Stage 4 — aggregate: the group-bys (SPEC §3.4). The only module that groups.
//!
//! Input: the used payment and budget rows. Output: [`Aggregates`] —
//! payments summed by unit × project × kind × fund × econ × month, and budgets by
//! unit × project × kind × fund × econ × budget_kind, computed with polars over integer
//! cents (exact). Everything downstream (figures, tables, scores) reads these sums.
//!
//! ```text
//! payments frame (one row per used payment row)      after group_by + sum
//! ┌──────┬─────────┬──────┬──────┬───────┬───────┬────────┐
//! │ unit ┆ project ┆ kind ┆ fund ┆ econ  ┆ month ┆ amount │
//! │ i32  ┆ str     ┆ i32  ┆ i32  ┆ str   ┆ i32   ┆ i64    │
//! ╞══════╪═════════╪══════╪══════╪═══════╪═══════╪════════╡
//! │ 0    ┆ 施工图… ┆ 1    ┆ 0    ┆ 30227 ┆ 3     ┆ 125000 │
//! ```

use crate::model::*;
use anyhow::Result;
use polars::prelude::*;

/// One group of payments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayGroup {
    pub unit: usize,
    pub project: String,
    pub kind: SpendKind,
    pub fund: Fund,
    pub econ: String,
    pub month: u32,
    pub amount: Cents,
}

/// One group of budget rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetGroup {
    pub unit: usize,
    pub project: String,
    pub kind: SpendKind,
    pub fund: Fund,
    pub econ: String,
    pub budget_kind: BudgetKind,
    pub amount: Cents,
}

/// The sums every later stage reads.
#[derive(Debug, Clone, Default)]
pub struct Aggregates {
    pub payments: Vec<PayGroup>,
    pub budgets: Vec<BudgetGroup>,
}

/// Groups and sums payments and budgets (see the module docs).
///
/// # Errors
/// Only an internal polars failure.
pub fn aggregate(payments: &[Payment], budgets: &[Budget]) -> Result<Aggregates> {
    Ok(Aggregates {
        payments: anyhow::Context::context(pay_groups(payments), "汇总支出明细时出错（内部错误）")?,
        budgets: anyhow::Context::context(
            budget_groups(budgets),
            "汇总预算指标时出错（内部错误）",
        )?,
    })
}

fn pay_groups(rows: &[Payment]) -> PolarsResult<Vec<PayGroup>> {
    let df = DataFrame::new_infer_height(vec![
        Column::new(
            "unit".into(),
            rows.iter().map(|p| p.unit as i32).collect::<Vec<_>>(),
        ),
        Column::new(
            "project".into(),
            rows.iter().map(|p| p.project.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "kind".into(),
            rows.iter().map(|p| p.kind.code()).collect::<Vec<_>>(),
        ),
        Column::new(
            "fund".into(),
            rows.iter().map(|p| p.fund.code()).collect::<Vec<_>>(),
        ),
        Column::new(
            "econ".into(),
            rows.iter().map(|p| p.econ.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "month".into(),
            rows.iter().map(|p| p.date.month as i32).collect::<Vec<_>>(),
        ),
        Column::new(
            "amount".into(),
            rows.iter().map(|p| p.amount).collect::<Vec<_>>(),
        ),
    ])?;
    let keys = ["unit", "project", "kind", "fund", "econ", "month"];
    let g = sum_by(&df, &keys)?;
    let (unit, project, kind, fund, econ, month) = (
        g.column("unit")?.i32()?,
        g.column("project")?.str()?,
        g.column("kind")?.i32()?,
        g.column("fund")?.i32()?,
        g.column("econ")?.str()?,
        g.column("month")?.i32()?,
    );
    let amount = g.column("amount_sum")?.i64()?;
    Ok((0..g.height())
        .map(|i| PayGroup {
            unit: unit.get(i).unwrap_or(0) as usize,
            project: project.get(i).unwrap_or("").to_string(),
            kind: SpendKind::from_code(kind.get(i).unwrap_or(0)),
            fund: Fund::from_code(fund.get(i).unwrap_or(0)),
            econ: econ.get(i).unwrap_or("").to_string(),
            month: month.get(i).unwrap_or(0) as u32,
            amount: amount.get(i).unwrap_or(0),
        })
        .collect())
}

fn budget_groups(rows: &[Budget]) -> PolarsResult<Vec<BudgetGroup>> {
    let df = DataFrame::new_infer_height(vec![
        Column::new(
            "unit".into(),
            rows.iter().map(|p| p.unit as i32).collect::<Vec<_>>(),
        ),
        Column::new(
            "project".into(),
            rows.iter().map(|p| p.project.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "kind".into(),
            rows.iter().map(|p| p.kind.code()).collect::<Vec<_>>(),
        ),
        Column::new(
            "fund".into(),
            rows.iter().map(|p| p.fund.code()).collect::<Vec<_>>(),
        ),
        Column::new(
            "econ".into(),
            rows.iter().map(|p| p.econ.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "bkind".into(),
            rows.iter()
                .map(|p| p.budget_kind.code())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "amount".into(),
            rows.iter().map(|p| p.amount).collect::<Vec<_>>(),
        ),
    ])?;
    let g = sum_by(&df, &["unit", "project", "kind", "fund", "econ", "bkind"])?;
    let (unit, project, kind, fund, econ, bkind) = (
        g.column("unit")?.i32()?,
        g.column("project")?.str()?,
        g.column("kind")?.i32()?,
        g.column("fund")?.i32()?,
        g.column("econ")?.str()?,
        g.column("bkind")?.i32()?,
    );
    let amount = g.column("amount_sum")?.i64()?;
    Ok((0..g.height())
        .map(|i| BudgetGroup {
            unit: unit.get(i).unwrap_or(0) as usize,
            project: project.get(i).unwrap_or("").to_string(),
            kind: SpendKind::from_code(kind.get(i).unwrap_or(0)),
            fund: Fund::from_code(fund.get(i).unwrap_or(0)),
            econ: econ.get(i).unwrap_or("").to_string(),
            budget_kind: BudgetKind::from_code(bkind.get(i).unwrap_or(0)),
            amount: amount.get(i).unwrap_or(0),
        })
        .collect())
}

/// `amount` summed by `keys`, groups in order of first appearance (deterministic).
/// The one polars call of the pipeline, kept behind this function because polars' API churns.
/// The eager `GroupBy::sum` is deprecated in favour of the lazy API, whose feature would add
/// minutes to every clean build; it is exact on i64 and pinned with the polars version.
#[allow(deprecated)]
fn sum_by(df: &DataFrame, keys: &[&str]) -> PolarsResult<DataFrame> {
    if df.height() == 0 {
        let mut cols: Vec<Column> = keys
            .iter()
            .map(|k| df.column(k).cloned())
            .collect::<PolarsResult<_>>()?;
        cols.push(Column::new("amount_sum".into(), Vec::<i64>::new()));
        return DataFrame::new_infer_height(cols);
    }
    df.group_by_stable(keys.iter().copied())?
        .select(["amount"])
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn pay(unit: usize, project: &str, month: u32, amount: Cents) -> Payment {
        Payment {
            prov: Prov {
                file: Arc::from("f"),
                sheet: Arc::from("s"),
                row: 1,
            },
            date: Date {
                year: 2023,
                month,
                day: 1,
            },
            unit,
            project: project.into(),
            kind: SpendKind::Project,
            econ: "30227".into(),
            fund: Fund::General,
            voucher: String::new(),
            memo: String::new(),
            amount,
        }
    }

    #[test]
    fn sums_by_group_exactly_in_first_appearance_order() {
        let rows = vec![
            pay(1, "乙", 3, 10),
            pay(0, "甲", 3, 1),
            pay(1, "乙", 3, -4),
            pay(0, "甲", 4, 2),
            pay(1, "乙", 3, 999_999_999_999),
        ];
        let a = aggregate(&rows, &[]).unwrap();
        let got: Vec<(usize, &str, u32, Cents)> = a
            .payments
            .iter()
            .map(|g| (g.unit, g.project.as_str(), g.month, g.amount))
            .collect();
        assert_eq!(
            got,
            vec![
                (1, "乙", 3, 1_000_000_000_005),
                (0, "甲", 3, 1),
                (0, "甲", 4, 2)
            ]
        );
        assert!(a.budgets.is_empty());
    }

    #[test]
    fn empty_input_gives_no_groups() {
        let a = aggregate(&[], &[]).unwrap();
        assert!(a.payments.is_empty() && a.budgets.is_empty());
    }
}
