//! The budget ledger's row parser (SPEC §2.2 预算指标): the budget kind (a 调减 subtracts,
//! whatever its sign), an optional date, then the row as a used budget row.

use super::ledger_row::{LedgerFields, Words};
use super::*;

impl<'a> RowCtx<'a> {
    /// A budget row, its shared fields parsed: used, or rejected with every trouble.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn budget(
        &mut self,
        r: u32,
        f: LedgerFields<'a>,
        unit: Option<usize>,
        amount: Option<Cents>,
        mut errs: Vec<(Option<u32>, String)>,
        mut unknown: Words,
        out: &mut SheetResult,
    ) {
        let kind = Kind::Budget;
        let values = &self.cfg.values;
        let LedgerFields {
            project_id,
            project_cell,
            spend,
            inferred,
            econ_id,
            fund,
        } = f;
        let text = self.text(r, Field::BudgetKind);
        let bk = match budget_kind_word(values, &text) {
            Ok(k) => Some(k),
            Err(e) if text.trim().is_empty() => {
                errs.push((self.col(Field::BudgetKind), e));
                None
            }
            Err(e) => {
                let col = self.col(Field::BudgetKind);
                unknown.push((ValueField::BudgetKind, text.trim().to_string(), col, e));
                None
            }
        };
        if self.col(Field::Date).is_some()
            && !is_blank(self.get(r, Field::Date))
            && let Err(e) = parse_date(self.get(r, Field::Date))
        {
            errs.push((self.col(Field::Date), e));
        }
        if !errs.is_empty() || !unknown.is_empty() {
            self.reject_with_words(out, kind, errs, unknown, amount, r);
            return;
        }
        if let (Some(unit), Some(amount), Some(bk)) = (unit, amount, bk) {
            self.see_project(out, project_id, project_cell);
            self.defaults.count(inferred.then_some(spend), amount);
            let effect = if bk == BudgetKind::Decrease {
                -amount.abs()
            } else {
                amount
            };
            out.budgets.push(Budget {
                prov: self.prov(r),
                unit,
                project: Arc::from(out.payments.projects.get(project_id)),
                kind: spend,
                econ: Arc::from(out.payments.econs.get(econ_id)),
                fund,
                budget_kind: bk,
                doc_no: self.text(r, Field::DocNo),
                amount: effect,
                typed_amount: amount,
            });
        }
    }
}
