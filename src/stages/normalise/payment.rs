//! The payment ledger's row parser (SPEC §2.2 支出明细): the date, then the row into the
//! sheet's columnar ledger, with the budget it drew when the ledger says (SPEC §10).

use super::ledger_row::{LedgerFields, Words};
use super::*;

impl<'a> RowCtx<'a> {
    /// A payment row, its shared fields parsed: used, or rejected with every trouble.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn payment(
        &mut self,
        r: u32,
        f: LedgerFields<'a>,
        unit: Option<usize>,
        amount: Option<Cents>,
        mut errs: Vec<(Option<u32>, String)>,
        unknown: Words,
        out: &mut SheetResult,
    ) {
        let kind = Kind::Payment;
        let LedgerFields {
            project_id,
            project_cell,
            spend,
            inferred,
            econ_id,
            fund,
        } = f;
        let date_cell = self.get(r, Field::Date);
        let date = match self
            .cache
            .date
            .get(self.field_id(r, Field::Date), || parse_date(date_cell))
        {
            Ok(d) => Some(d),
            Err(e) => {
                errs.push((self.col(Field::Date), e));
                None
            }
        };
        if !errs.is_empty() || !unknown.is_empty() {
            self.reject_with_words(out, kind, errs, unknown, amount, r);
            return;
        }
        if let (Some(unit), Some(amount), Some(date)) = (unit, amount, date) {
            self.see_project(out, project_id, project_cell);
            self.defaults.count(inferred.then_some(spend), amount);
            let memo = self.str(r, Field::Memo);
            let drawn = self.drawn(r);
            out.payments.push(crate::ledger::NewRow {
                source: 0,
                row: r + 1,
                date,
                unit,
                project: project_id,
                kind: spend,
                econ: econ_id,
                fund,
                drawn,
                voucher: &self.str(r, Field::Voucher),
                memo: &memo,
                amount,
            });
        }
    }

    /// Which budget a payment row drew, from its 指标来源 cell: 上年结转 → carry-over, another
    /// budget kind → this year's; anything else (指标类型 = 正常指标, empty) does not say. Never
    /// an error on a payment ledger: the column only informs the project forms (SPEC §10).
    fn drawn(&mut self, r: u32) -> Drawn {
        if self.col(Field::BudgetKind).is_none() {
            return Drawn::Unknown;
        }
        let cell = self.get(r, Field::BudgetKind);
        let values = &self.cfg.values;
        self.cache.drawn.get(
            self.field_id(r, Field::BudgetKind),
            || match budget_kind_word(values, &cell_str(cell)) {
                Ok(BudgetKind::Carryover) => Drawn::Carryover,
                Ok(_) => Drawn::Current,
                Err(_) => Drawn::Unknown,
            },
        )
    }
}
