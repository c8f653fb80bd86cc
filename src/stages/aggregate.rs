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
use std::collections::HashMap;

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
pub fn aggregate(payments: &Chunked<Payment>, budgets: &[Budget]) -> Result<Aggregates> {
    Ok(Aggregates {
        payments: anyhow::Context::context(pay_groups(payments), "汇总支出明细时出错（内部错误）")?,
        budgets: anyhow::Context::context(
            budget_groups(budgets),
            "汇总预算指标时出错（内部错误）",
        )?,
    })
}

/// Texts as dense ids, so the frame groups on integers (4 bytes a row, not a string).
#[derive(Default)]
struct Dict<'a> {
    ids: HashMap<&'a str, i32>,
    values: Vec<&'a str>,
}

impl<'a> Dict<'a> {
    fn id(&mut self, s: &'a str) -> i32 {
        if let Some(&i) = self.ids.get(s) {
            return i;
        }
        let i = self.values.len() as i32;
        self.ids.insert(s, i);
        self.values.push(s);
        i
    }
    /// The id of a text already seen.
    fn get(&self, s: &str) -> i32 {
        self.ids.get(s).copied().unwrap_or(0)
    }
    fn value(&self, i: i32) -> &'a str {
        self.values.get(i as usize).copied().unwrap_or("")
    }
}

/// The six key columns of a row and its amount.
type Keyed = ([i32; 6], Cents);

/// Sums amounts by the six keys with polars. The keys are small non-negative integers, packed
/// into one `i64` so the frame is two columns and polars groups on a single integer key
/// (a multi-column group-by row-encodes every key: on 1.2 M rows that cost 150 MB).
fn group(rows: impl Iterator<Item = Keyed> + Clone, n: usize) -> PolarsResult<Vec<Keyed>> {
    let mut max = [0i32; 6];
    for (k, _) in rows.clone() {
        for (m, v) in max.iter_mut().zip(k) {
            *m = (*m).max(v);
        }
    }
    let bits: Vec<u32> = max
        .iter()
        .map(|m| 32 - (*m as u32).leading_zeros())
        .collect();
    if bits.iter().sum::<u32>() > 62 {
        return Err(PolarsError::ComputeError("分组键超出范围".into()));
    }
    let pack = |k: [i32; 6]| {
        k.iter()
            .zip(&bits)
            .fold(0i64, |acc, (v, b)| (acc << b) | *v as i64)
    };
    let unpack = |mut key: i64| {
        let mut k = [0i32; 6];
        for (slot, b) in k.iter_mut().zip(&bits).rev() {
            *slot = (key & ((1i64 << b) - 1)) as i32;
            key >>= b;
        }
        k
    };
    let (mut keys, mut amount) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for (k, a) in rows {
        keys.push(pack(k));
        amount.push(a);
    }
    let df = DataFrame::new_infer_height(vec![
        Column::new("key".into(), keys),
        Column::new("amount".into(), amount),
    ])?;
    let g = sum_by(&df, &["key"])?;
    drop(df);
    let (keys, sums) = (g.column("key")?.i64()?, g.column("amount_sum")?.i64()?);
    Ok((0..g.height())
        .map(|i| (unpack(keys.get(i).unwrap_or(0)), sums.get(i).unwrap_or(0)))
        .collect())
}

/// What payments and budget rows share for grouping: the five common keys, one more key
/// of their own (month, or budget kind) and the amount.
trait Grouped {
    fn keys(&self) -> (usize, &str, SpendKind, Fund, &str, i32, Cents);
}

impl Grouped for Payment {
    fn keys(&self) -> (usize, &str, SpendKind, Fund, &str, i32, Cents) {
        let p = self;
        (
            p.unit,
            &p.project,
            p.kind,
            p.fund,
            &p.econ,
            p.date.month as i32,
            p.amount,
        )
    }
}

impl Grouped for Budget {
    fn keys(&self) -> (usize, &str, SpendKind, Fund, &str, i32, Cents) {
        let b = self;
        (
            b.unit,
            &b.project,
            b.kind,
            b.fund,
            &b.econ,
            b.budget_kind.code(),
            b.amount,
        )
    }
}

/// One group: unit, project, kind, fund, econ, the row type's own key, and the sum.
type Group = (usize, String, SpendKind, Fund, String, i32, Cents);

/// Texts to ids (one pass), then the packed polars group-by, then back to texts.
fn groups_of<'a, T: Grouped + 'a>(
    rows: impl Iterator<Item = &'a T> + Clone,
    n: usize,
) -> PolarsResult<Vec<Group>> {
    let (mut projects, mut econs) = (Dict::default(), Dict::default());
    for r in rows.clone() {
        let (_, project, _, _, econ, _, _) = r.keys();
        projects.id(project);
        econs.id(econ);
    }
    let (projects, econs) = (projects, econs);
    let keyed = rows.map(|r| {
        let (unit, project, kind, fund, econ, own, amount) = r.keys();
        let k = [
            unit as i32,
            projects.get(project),
            kind.code(),
            fund.code(),
            econs.get(econ),
            own,
        ];
        (k, amount)
    });
    Ok(group(keyed, n)?
        .into_iter()
        .map(|(k, amount)| {
            (
                k[0] as usize,
                projects.value(k[1]).to_string(),
                SpendKind::from_code(k[2]),
                Fund::from_code(k[3]),
                econs.value(k[4]).to_string(),
                k[5],
                amount,
            )
        })
        .collect())
}

fn pay_groups(rows: &Chunked<Payment>) -> PolarsResult<Vec<PayGroup>> {
    Ok(groups_of(rows.iter(), rows.len())?
        .into_iter()
        .map(
            |(unit, project, kind, fund, econ, month, amount)| PayGroup {
                unit,
                project,
                kind,
                fund,
                econ,
                month: month as u32,
                amount,
            },
        )
        .collect())
}

fn budget_groups(rows: &[Budget]) -> PolarsResult<Vec<BudgetGroup>> {
    Ok(groups_of(rows.iter(), rows.len())?
        .into_iter()
        .map(
            |(unit, project, kind, fund, econ, bk, amount)| BudgetGroup {
                unit,
                project,
                kind,
                fund,
                econ,
                budget_kind: BudgetKind::from_code(bk),
                amount,
            },
        )
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
            voucher: "".into(),
            memo: "".into(),
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
        let a = aggregate(&rows.into(), &[]).unwrap();
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
        let a = aggregate(&Chunked::default(), &[]).unwrap();
        assert!(a.payments.is_empty() && a.budgets.is_empty());
    }
}
