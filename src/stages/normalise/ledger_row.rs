//! The row parser shared by the two ledgers (SPEC §2.2 支出明细, 预算指标): a note, or the
//! amount, the unit (SPEC §2.4) and the fields both kinds carry — project, spend kind,
//! economic class, fund — before the kind's own parser (`payment.rs`, `budget.rs`).

use super::*;

/// Words no vocabulary knows, with their column and message: one message per word, from
/// validate, when nothing else is wrong with the row.
pub(super) type Words = Vec<(ValueField, String, Option<u32>, String)>;

/// The fields both ledgers carry, parsed.
pub(super) struct LedgerFields<'a> {
    pub project_id: u32,
    pub project_cell: &'a Data,
    pub spend: SpendKind,
    /// The spend kind came from the project, not from a cell.
    pub inferred: bool,
    pub econ_id: u32,
    pub fund: Fund,
}

impl<'a> RowCtx<'a> {
    /// A row of a payment or budget ledger that is not a total or the header again.
    pub(super) fn ledger_row(
        &mut self,
        r: u32,
        kind: Kind,
        first_text: &str,
        is_note_text: bool,
        out: &mut SheetResult,
    ) {
        let mut errs: Vec<(Option<u32>, String)> = Vec::new();
        let amount_cell = self.get(r, Field::Amount);
        let unit_text = self.str(r, Field::Unit);
        if is_blank(amount_cell) && (unit_text.is_empty() || is_note_text) {
            out.notes.push((r + 1, first_text.to_string()));
            return;
        }
        let amount_col = self.col(Field::Amount);
        let amount = match parse_money(amount_cell, self.unit) {
            Ok((c, warn)) => {
                if let Some(w) = warn {
                    out.problems.push(Problem::warning(w).at(
                        &self.file,
                        &self.sheet_name,
                        r + 1,
                        amount_col,
                    ));
                }
                out.data_sum += c;
                Some(c)
            }
            Err(e) => {
                out.amount_unreadable = true;
                errs.push((amount_col, e));
                None
            }
        };
        if unit_text.is_empty() {
            errs.push((self.col(Field::Unit), "有金额但单位名称为空".into()));
        }
        let Some(unit) = self.unit_of(r, kind, &unit_text, amount, &mut errs, out) else {
            return;
        };
        let mut unknown: Words = Vec::new();
        let fields = self.ledger_fields(r, &mut errs, &mut unknown, out);
        match kind {
            Kind::Payment => self.payment(r, fields, unit, amount, errs, unknown, out),
            Kind::Budget => self.budget(r, fields, unit, amount, errs, unknown, out),
            Kind::Indicators => {}
        }
    }

    /// The configured unit of a ledger row (SPEC §2.4): `Some(Some(unit))`, `Some(None)` with
    /// the trouble in `errs`, or `None` when the row has been put aside as a row of an unknown
    /// unit (summarised once per name by validate). Every distinct name is noted for `init`.
    fn unit_of(
        &mut self,
        r: u32,
        kind: Kind,
        unit_text: &str,
        amount: Option<Cents>,
        errs: &mut Vec<(Option<u32>, String)>,
        out: &mut SheetResult,
    ) -> Option<Option<usize>> {
        if unit_text.is_empty() {
            return Some(None);
        }
        {
            let units = self.units;
            let key = (
                self.field_id(r, Field::Unit).unwrap_or(NO_CELL),
                self.field_id(r, Field::UnitCode).unwrap_or(NO_CELL),
            );
            let (found, seen) = match self.cache.units.get(&key) {
                Some(x) => x.clone(),
                None => {
                    let code = self.str(r, Field::UnitCode);
                    let x = units.find(unit_text, &code);
                    out.units_seen.push(UnitSeen {
                        name: unit_text.trim().to_string(),
                        code: code.trim().to_string(),
                        kind,
                        ..UnitSeen::default()
                    });
                    let seen = out.units_seen.len() - 1;
                    self.cache.units.insert(key, (x.clone(), seen));
                    (x, seen)
                }
            };
            let s = &mut out.units_seen[seen];
            s.rows += 1;
            s.cents += amount.unwrap_or(0);
            match found {
                Ok(u) => Some(Some(u)),
                Err(UnitError::Unknown) => {
                    self.unknown_unit(r, kind, unit_text, seen, amount, errs, out)
                }
                Err(UnitError::Conflict(a, b)) => {
                    errs.push((
                        self.col(Field::UnitCode).or(self.col(Field::Unit)),
                        format!(
                            "单位编码与单位名称“{unit_text}”指向不同单位（编码为“{}”，名称为“{}”）",
                            self.cfg.units[a].name, self.cfg.units[b].name
                        ),
                    ));
                    Some(None)
                }
            }
        }
    }

    /// Project, spend kind, economic class and fund. Texts are trimmed and parsed only for a
    /// value not seen before in the sheet.
    fn ledger_fields(
        &mut self,
        r: u32,
        errs: &mut Vec<(Option<u32>, String)>,
        unknown: &mut Words,
        out: &mut SheetResult,
    ) -> LedgerFields<'a> {
        // Texts are trimmed and parsed only for a value not seen before in the sheet.
        let project_cell = self.get(r, Field::Project);
        let projects = &mut out.payments.projects;
        let project_id = self
            .cache
            .project
            .get(self.field_id(r, Field::Project), || {
                projects.id(&project_key(&cell_str(project_cell)))
            });
        let kind_id = self.field_id(r, Field::SpendKind);
        let mut inferred = false;
        let kind_cell = self.get(r, Field::SpendKind);
        let values = &self.cfg.values;
        let spend = match self
            .cache
            .kind
            .get(kind_id, || kind_word(values, &cell_str(kind_cell)))
        {
            Ok(Some(k)) => k,
            Ok(None) => {
                inferred = true;
                kind_from_project(out.payments.projects.get(project_id))
            }
            Err(e) => {
                let text = cell_text(kind_cell).trim().to_string();
                unknown.push((ValueField::SpendKind, text, self.col(Field::SpendKind), e));
                SpendKind::Basic
            }
        };
        // A separate code column decides the class when it has a value (the name beside it
        // is only its label).
        let econ_field = if self.field_id(r, Field::EconCode).is_none() {
            Field::Econ
        } else {
            Field::EconCode
        };
        let econ_cell = self.get(r, econ_field);
        let econs = &mut out.payments.econs;
        let econ_id = match self.cache.econ.get(self.field_id(r, econ_field), || {
            parse_econ(econ_cell).map(|e| econs.id(&e))
        }) {
            Ok(id) => id,
            Err(e) => {
                // The row is rejected: its class id is not used.
                errs.push((self.col(econ_field).or(self.col(Field::Econ)), e));
                0
            }
        };
        let fund = self.fund(r, errs, unknown);
        LedgerFields {
            project_id,
            project_cell,
            spend,
            inferred,
            econ_id,
            fund,
        }
    }

    /// A row of a unit no name, alias or code matches: what `init` drafts a config from (its
    /// projects, years and words; every name, when there is no config yet), then put aside to
    /// be summarised once per name by validate — unless the row has other troubles too.
    #[allow(clippy::too_many_arguments)]
    fn unknown_unit(
        &mut self,
        r: u32,
        kind: Kind,
        unit_text: &str,
        seen: usize,
        amount: Option<Cents>,
        errs: &mut Vec<(Option<u32>, String)>,
        out: &mut SheetResult,
    ) -> Option<Option<usize>> {
        // What `init` drafts a config from: the projects and years of names that
        // match no unit (every name, when there is no config yet).
        let project = self.str(r, Field::Project);
        let s = &mut out.units_seen[seen];
        if !project.is_empty() && !s.projects.iter().any(|p| **p == *project) {
            s.projects.push(project.to_string());
        }
        if kind == Kind::Payment
            && let Ok(d) = parse_date(self.get(r, Field::Date))
        {
            *out.years.entry(d.year).or_default() += 1;
        }
        self.note_unknown_words(r, kind, amount, out);
        if errs.is_empty() {
            // Summarised once per name by validate.
            let reasons = vec![format!("单位名称“{unit_text}”未在配置中")];
            let raw = raw_values(self.sheet, self.cells, self.names);
            out.rejected.push(Rejected {
                prov: self.prov(r),
                kind,
                reasons,
                raw,
                amount,
                unknown_unit: Some(unit_text.to_string()),
                unknown_values: Vec::new(),
            });
            return None;
        }
        errs.push((
            self.col(Field::Unit),
            format!("单位名称“{unit_text}”未在配置中"),
        ));
        Some(None)
    }

    /// The row's fund: the built-in words and the config's `[values.fund]`; general when the
    /// sheet has no fund column (warned once per sheet).
    fn fund(&mut self, r: u32, errs: &mut Vec<(Option<u32>, String)>, unknown: &mut Words) -> Fund {
        if self.col(Field::Fund).is_none() {
            return Fund::General;
        }
        let values = &self.cfg.values;
        let fund_id = self.field_id(r, Field::Fund);
        let fund_cell = self.get(r, Field::Fund);
        match self
            .cache
            .fund
            .get(fund_id, || fund_word(values, &cell_str(fund_cell)))
        {
            Ok(f) => f,
            Err(e) => {
                let text = cell_text(fund_cell).trim().to_string();
                if text.is_empty() {
                    errs.push((self.col(Field::Fund), e));
                } else {
                    unknown.push((ValueField::Fund, text, self.col(Field::Fund), e));
                }
                Fund::General
            }
        }
    }
}
