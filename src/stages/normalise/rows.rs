//! Row classification (SPEC §2.1): what a row of a table is — a total row (合计, 小计, named
//! subtotals), the header typed again, or a row for its sheet kind's parser (which decides
//! between a note and data, as each kind has its own notion of an empty row).

use super::*;

/// A total row (合计/总计/小计/本页合计).
#[derive(Debug, Clone)]
pub struct TotalRow {
    pub row: u32,
    /// The total word: 合计, 总计, 小计 or 本页合计.
    pub label: String,
    /// The label names what it totals (`岳阳市城市建设档案馆小计`, `小计：档案馆`): a subtotal
    /// of the rows above it, whatever its word.
    pub named: bool,
    /// The label as written (normalised).
    pub text: String,
    pub amount: Option<Cents>,
    /// The sum of the data rows since the previous total row (or the header).
    pub since: Cents,
}

impl TotalRow {
    /// A 合计/总计 of the whole sheet (not a named or page total).
    pub fn is_grand(&self) -> bool {
        !self.named && (self.label == "合计" || self.label == "总计")
    }
}

/// The total word of a label (normalised, SPEC §2.1): `合计`, `总计`, `小计`, `本页合计` alone
/// (a trailing colon allowed), or named — a label ending with 小计/合计/总计
/// (`岳阳市城市建设档案馆小计`, `本单位合计`) or beginning with one and a colon (`小计：档案馆`).
/// Returns the word and whether it is named.
pub fn total_label(label: &str) -> Option<(&'static str, bool)> {
    let bare = label.trim_end_matches(':');
    if let Some(w) = TOTAL_LABELS.iter().find(|w| **w == bare) {
        return Some((w, false));
    }
    TOTAL_LABELS[..3].iter().find_map(|w| {
        let named = (label.ends_with(w) && label.len() > w.len())
            || label
                .strip_prefix(w)
                .is_some_and(|rest| rest.starts_with(':') && rest.len() > 1);
        named.then_some((*w, true))
    })
}

/// The total words; the first three may be named (see [`total_label`]).
const TOTAL_LABELS: [&str; 4] = ["小计", "合计", "总计", "本页合计"];
const NOTE_PREFIXES: [&str; 8] = [
    "制表", "审核", "复核", "填报", "打印", "备注", "说明", "注:",
];

impl<'a> RowCtx<'a> {
    /// One row of the table: `cells` are its non-empty cells inside the header's columns.
    /// What kind of row it is; a row that is none of the kinds here goes to its sheet kind's
    /// parser.
    pub(super) fn row(&mut self, r: u32, cells: &'a [RawCell], kind: Kind, out: &mut SheetResult) {
        self.enter(r, cells);
        let first_text = self.first_text(cells);
        if self.total_row(r, kind, &first_text, out) {
            return;
        }
        if self.repeats_header(r, cells, kind) {
            let errs = vec![(None, "此行与表头相同：表头行重复或出现两个表头".into())];
            self.reject(out, self.prov(r), kind, errs, None, None, r);
            return;
        }
        let is_note_text = NOTE_PREFIXES.iter().any(|p| first_text.starts_with(p));
        match kind {
            Kind::Indicators => self.indicator_row(r, &first_text, is_note_text, out),
            Kind::Payment | Kind::Budget => {
                self.ledger_row(r, kind, &first_text, is_note_text, out)
            }
        }
    }

    /// Makes row `r` the current row: its cells by column.
    fn enter(&mut self, r: u32, cells: &'a [RawCell]) {
        for x in self.cells {
            self.row_ids[x.1 as usize] = NO_CELL;
        }
        for x in cells {
            self.row_ids[x.1 as usize] = x.2;
        }
        self.cells = cells;
        self.cur = r;
    }

    /// The row's first text cell: normalised only when it may be a total or a note (the
    /// common row is neither).
    fn first_text(&self, cells: &[RawCell]) -> std::borrow::Cow<'a, str> {
        // Normalised only when it may be a total or a note (the common row is neither).
        let first_raw = cells.iter().find_map(|x| match self.sheet.value(x.2) {
            Data::String(s) if !s.trim().is_empty() => Some(s.as_str()),
            _ => None,
        });
        match first_raw {
            Some(s)
                if s.chars().any(|c| {
                    matches!(
                        c,
                        '合' | '总'
                            | '小'
                            | '本'
                            | '制'
                            | '审'
                            | '复'
                            | '填'
                            | '打'
                            | '备'
                            | '说'
                            | '注'
                    )
                }) =>
            {
                std::borrow::Cow::Owned(norm(s))
            }
            Some(s) => std::borrow::Cow::Borrowed(s.trim()),
            None => std::borrow::Cow::Borrowed(""),
        }
    }

    /// A total row (SPEC §2.1): noted with its amount and the sum of the data rows since the
    /// previous total; true when the row is one.
    fn total_row(&self, r: u32, kind: Kind, first_text: &str, out: &mut SheetResult) -> bool {
        if let Some((word, named)) = total_label(first_text) {
            let amount = if kind == Kind::Indicators {
                None
            } else {
                parse_money(self.get(r, Field::Amount), self.unit)
                    .ok()
                    .map(|x| x.0)
            };
            let before: Cents = out.totals.iter().map(|t| t.since).sum();
            out.totals.push(TotalRow {
                row: r + 1,
                label: word.to_string(),
                named,
                text: first_text.to_string(),
                amount,
                since: out.data_sum - before,
            });
            return true;
        }
        false
    }

    /// A data row that repeats the header: three cells or more are column names.
    fn repeats_header(&self, r: u32, cells: &[RawCell], kind: Kind) -> bool {
        // A data row that repeats the header (probed on one text cell first: it is costly).
        let probe = |f: Field| {
            self.field_id(r, f)
                .is_some_and(|id| match self.sheet.value(id) {
                    Data::String(t) => is_column_name(&header_name(t).0),
                    _ => false,
                })
        };
        let amount_is_text = self.field_id(r, Field::Amount).is_some_and(|id| {
            matches!(self.sheet.value(id), Data::String(t) if !t.trim_start().starts_with(|c: char| c.is_ascii_digit() || "-(（¥￥－".contains(c)))
        });
        let header_like = if (kind == Kind::Indicators
            && (probe(Field::Unit) || probe(Field::Name)))
            || (amount_is_text && probe(Field::Amount))
        {
            cells
                .iter()
                .filter(|x| is_column_name(&header_name(&cell_text(self.sheet.value(x.2))).0))
                .count()
        } else {
            0
        };
        header_like >= 3
    }
}
