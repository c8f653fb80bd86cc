//! Stage 2 — normalise: raw sheets → typed rows (SPEC §2.1–§2.4, §3.2).
//!
//! Input: a [`RawSheet`] (cells at absolute positions). Output: a [`SheetResult`] — the
//! sheet's kind, header row and amount unit; its data rows parsed into payment columns
//! (a [`crate::ledger::Ledger`]),
//! [`Budget`] or [`Indicator`] values with provenance; rows that could not be parsed, as
//! [`Rejected`] with their reasons; and the skipped rows (blank, notes, totals).
//!
//! This stage only renames and parses: it never groups. Rules that need more than one row
//! (totals, duplicates, the report year) are in `validate`.
//!
//! Read in this order — a sheet goes through [`normalise_sheet`]'s steps:
//!
//! | module | what it decides |
//! |---|---|
//! | `header.rs` | which row is the header (grouped sub-columns below it), the sheet's kind, which column is which field, what the title block names |
//! | `columns.rs` | the synonyms of every field, header names and their units, the kind from the evidence |
//! | `rows.rs` | what a row is: a total (bare or named), the header typed again, or a row for its kind |
//! | `ledger_row.rs` | a ledger row: note or data; amount, unit, and the fields both ledgers carry |
//! | `payment.rs`, `budget.rs`, `indicator.rs` | each kind's own fields |
//! | `values.rs`, `units.rs` | cell values (money, class, the config's words) and unit names |
//!
//! Text helpers (`crate::text`) and the built-in words (`crate::vocab`) are leaf modules the
//! config reads too. `RowCtx` (here) holds a sheet's column map and its caches: values are
//! parsed once per distinct cell value, by id.

use crate::config::Config;
use crate::diag::Problem;
use crate::model::*;
use crate::stages::ingest::{RawCell, RawFile, RawSheet};
use calamine::Data;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::sync::Arc;
use unicode_normalization::UnicodeNormalization;

mod budget;
mod columns;
mod header;
mod indicator;
mod ledger_row;
mod payment;
mod rows;
mod units;
mod values;

pub use columns::*;
use header::{Columns, Header, map_columns, recognise};
pub use rows::{TotalRow, total_label};
pub use units::*;
pub use values::*;
// The text helpers and vocabularies live in leaf modules (the config reads them too).
pub use crate::text::*;
pub use crate::vocab::*;

// ---------------------------------------------------------------------------------------
// Text

/// The text of a cell, trimmed; borrowed when the cell holds text (the common case).
fn cell_str(d: &Data) -> std::borrow::Cow<'_, str> {
    match d {
        Data::String(s) => std::borrow::Cow::Borrowed(s.trim()),
        Data::Empty => std::borrow::Cow::Borrowed(""),
        d => std::borrow::Cow::Owned(cell_text(d)),
    }
}

fn is_blank(d: &Data) -> bool {
    match d {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------
// Sheets

/// A data row that could not be used, with every reason.
#[derive(Debug, Clone)]
pub struct Rejected {
    pub prov: Prov,
    pub kind: Kind,
    pub reasons: Vec<String>,
    /// The raw values of the mapped columns: (column name, text).
    pub raw: Vec<(String, String)>,
    /// The amount as parsed, when it could be (counted in the sheet's sums).
    pub amount: Option<Cents>,
    /// The raw unit name when the only trouble is an unknown unit (summarised in validate).
    pub unknown_unit: Option<String>,
    /// The words of a fund, spend-kind or budget-kind cell that no vocabulary knows, when
    /// they are the only trouble (summarised in validate, one message per word).
    /// (field, word, its column).
    pub unknown_values: Vec<(ValueField, String, Option<u32>)>,
}

/// A row of header-like cells: (Excel row, its non-empty cells).
pub type HeaderCells = (u32, Vec<String>);

/// Everything normalise learnt from one sheet.
#[derive(Debug, Clone)]
pub struct SheetResult {
    pub file: Arc<str>,
    pub sheet: Arc<str>,
    pub kind: Option<Kind>,
    /// Excel row of the (last) header row.
    pub header_row: Option<u32>,
    pub amount_unit: Option<AmountUnit>,
    /// Rows below the header (or all rows, for an unrecognised sheet).
    pub rows_read: u32,
    pub blank: u32,
    pub notes: Vec<(u32, String)>,
    pub totals: Vec<TotalRow>,
    /// Sum of every data row's parsed amount, rejected rows included.
    pub data_sum: Cents,
    /// Some amount of the sheet could not be read (the 合计 check is skipped).
    pub amount_unreadable: bool,
    /// The used payment rows, as columns (one source: this sheet).
    pub payments: crate::ledger::Ledger,
    pub budgets: Vec<Budget>,
    pub indicators: Vec<Indicator>,
    pub rejected: Vec<Rejected>,
    /// Project keys with their names as first typed, in order of first appearance.
    pub projects: Vec<(String, String)>,
    pub problems: Vec<Problem>,
    /// An unrecognised sheet's likely header.
    pub unrecognised_header: Option<HeaderCells>,
    /// Every distinct (unit name, code) of the ledger rows, in order of first appearance.
    pub units_seen: Vec<UnitSeen>,
    /// Payment rows of unknown units by year (what `init` takes the year from).
    pub years: std::collections::BTreeMap<i32, u32>,
    /// Words of fund, spend-kind and budget-kind cells that no vocabulary knows, in rows of
    /// unknown units (what `init` drafts `[values]` lines from): (field, word, rows, cents).
    pub words_seen: Vec<(ValueField, String, u32, Cents)>,
    /// The texts above the header (title, 编制单位：…), for `init` to find the department.
    pub titles: Vec<String>,
}

/// A unit name as the rows write it, with the code beside it, and how much it carries.
#[derive(Debug, Clone)]
pub struct UnitSeen {
    pub name: String,
    pub code: String,
    pub kind: Kind,
    pub rows: u32,
    pub cents: Cents,
    /// Projects of its rows, first appearance first (collected for unknown units only).
    pub projects: Vec<String>,
}

impl Default for UnitSeen {
    fn default() -> Self {
        UnitSeen {
            name: String::new(),
            code: String::new(),
            kind: Kind::Payment,
            rows: 0,
            cents: 0,
            projects: Vec::new(),
        }
    }
}

/// Everything normalise learnt from one file.
#[derive(Debug, Clone)]
pub struct FileResult {
    pub rel: String,
    pub size: u64,
    pub fingerprint: u64,
    pub sheets: Vec<SheetResult>,
    /// The file could not be read at all.
    pub read_error: Option<Problem>,
}

/// Normalises every sheet of a file.
pub fn normalise_file(raw: &RawFile, cfg: &Config, units: &UnitMatcher) -> FileResult {
    let file: Arc<str> = Arc::from(raw.rel.as_str());
    FileResult {
        rel: raw.rel.clone(),
        size: raw.size,
        fingerprint: raw.fingerprint,
        sheets: raw
            .sheets
            .iter()
            .map(|s| normalise_sheet(&file, s, cfg, units))
            .collect(),
        read_error: None,
    }
}

fn empty_result(file: &Arc<str>, sheet: &RawSheet) -> SheetResult {
    SheetResult {
        file: file.clone(),
        sheet: Arc::from(sheet.name.as_str()),
        kind: None,
        header_row: None,
        amount_unit: None,
        rows_read: 0,
        blank: 0,
        notes: Vec::new(),
        totals: Vec::new(),
        data_sum: 0,
        amount_unreadable: false,
        payments: crate::ledger::Ledger::default(),
        budgets: Vec::new(),
        indicators: Vec::new(),
        rejected: Vec::new(),
        projects: Vec::new(),
        problems: Vec::new(),
        unrecognised_header: None,
        units_seen: Vec::new(),
        words_seen: Vec::new(),
        years: Default::default(),
        titles: Vec::new(),
    }
}

/// The row among the first 20 with the most non-empty cells (the first such): what an
/// unrecognised sheet most likely has as its header, shown when no payment ledger is found.
pub fn normalise_sheet(
    file: &Arc<str>,
    sheet: &RawSheet,
    cfg: &Config,
    units: &UnitMatcher,
) -> SheetResult {
    let mut out = empty_result(file, sheet);
    let Some((header, kind)) = recognise(sheet, &mut out) else {
        return out;
    };
    out.payments.source_id(file, &out.sheet);
    let columns = map_columns(sheet, &header, kind, &mut out);
    let (table, width) = table_rows(sheet, &header, &mut out);
    if !columns.missing.is_empty() {
        reject_all(&header, kind, &table, sheet, &mut out);
        return out;
    }
    let unit = amount_unit(sheet, &header, &columns, cfg, kind, &mut out);
    let mut ctx = RowCtx::new(sheet, &header, &columns, cfg, units, unit, width, &out);
    for &(r, cells) in &table {
        ctx.row(r, cells, kind, &mut out);
    }
    if kind != Kind::Indicators {
        let has = |f: Field| columns.cols.contains_key(&f);
        for w in ctx
            .defaults
            .warnings(has(Field::Fund), has(Field::SpendKind))
        {
            out.problems.push(Problem::warning(w).at(
                &out.file,
                &out.sheet,
                header.last_row + 1,
                None,
            ));
        }
    }
    out.payments.shrink_to_fit();
    out.budgets.shrink_to_fit();
    out
}

/// The table: the header's columns, the rows below it that have cells there, and its width.
/// A cell outside those columns is reported and ignored (a Ctrl+End accident, a stamp in the
/// last cell), never a reason to read the sheet's whole extent.
fn table_rows<'s>(
    sheet: &'s RawSheet,
    header: &Header,
    out: &mut SheetResult,
) -> (Vec<(u32, &'s [RawCell])>, u32) {
    let (f, s) = (out.file.to_string(), out.sheet.to_string());
    let width = header.names.len() as u32;
    let first = header.last_row + 1;
    let mut outside: Vec<(u32, u32)> = Vec::new();
    let table: Vec<(u32, &[RawCell])> = sheet
        .rows_from(first)
        .filter_map(|(r, cells)| {
            let inside = cells.partition_point(|x| x.1 < width);
            outside.extend(cells[inside..].iter().map(|x| (x.0, x.1)));
            (inside > 0).then(|| (r, &cells[..inside]))
        })
        .collect();
    for &(r, c) in outside.iter().take(5) {
        out.problems.push(
            Problem::warning(format!(
                "{}{}：表格范围外的单元格，已忽略",
                col_letter(c),
                r + 1
            ))
            .at(&f, &s, r + 1, Some(c)),
        );
    }
    if outside.len() > 5 {
        out.problems.push(
            Problem::warning(format!(
                "另有 {} 个表格范围外（表头以右）的单元格，已忽略",
                outside.len() - 5
            ))
            .file(&f)
            .sheet(&s),
        );
    }
    let end = table.last().map_or(first, |(r, _)| r + 1);
    out.rows_read = end - first;
    out.blank = out.rows_read - table.len() as u32;
    (table, width)
}

/// Every row below the header of a sheet that lacks a required column: rejected, so none is
/// lost.
fn reject_all(
    header: &Header,
    kind: Kind,
    table: &[(u32, &[RawCell])],
    sheet: &RawSheet,
    out: &mut SheetResult,
) {
    // Every row below the header is unusable: reject them so none is lost.
    for &(r, cells) in table {
        out.rejected.push(Rejected {
            prov: Prov {
                file: out.file.clone(),
                sheet: out.sheet.clone(),
                row: r + 1,
            },
            kind,
            reasons: vec!["所在表缺少必需的列".into()],
            raw: raw_values(sheet, cells, &header.names),
            amount: None,
            unknown_unit: None,
            unknown_values: Vec::new(),
        });
    }
}

/// The sheet's amount unit: the column's own suffix, else the title, else the config.
fn amount_unit(
    sheet: &RawSheet,
    header: &Header,
    columns: &Columns,
    cfg: &Config,
    kind: Kind,
    out: &mut SheetResult,
) -> AmountUnit {
    let title_unit = sheet
        .rows_from(0)
        .take_while(|(r, _)| *r <= header.last_row)
        .flat_map(|(_, cells)| cells)
        .find_map(|x| title_unit(&cell_text(sheet.value(x.2))));
    let default_unit = if cfg.report.ledger_amount_unit == "万元" {
        AmountUnit::Wan
    } else {
        AmountUnit::Yuan
    };
    let amount_unit = columns
        .cols
        .get(&Field::Amount)
        .and_then(|&c| header.col_units[c as usize])
        .or(title_unit)
        .unwrap_or(default_unit);
    if kind != Kind::Indicators {
        out.amount_unit = Some(amount_unit);
    }
    amount_unit
}

fn raw_values(sheet: &RawSheet, cells: &[RawCell], names: &[String]) -> Vec<(String, String)> {
    cells
        .iter()
        .filter_map(|(_, c, d)| {
            let t = cell_text(sheet.value(*d));
            (!t.is_empty()).then(|| {
                let n = names.get(*c as usize).cloned().unwrap_or_default();
                (if n.is_empty() { col_letter(*c) } else { n }, t)
            })
        })
        .collect()
}

struct RowCtx<'a> {
    file: Arc<str>,
    sheet_name: Arc<str>,
    sheet: &'a RawSheet,
    names: &'a [String],
    cfg: &'a Config,
    units: &'a UnitMatcher,
    unit: AmountUnit,
    /// Projects seen, by id in the sheet's dictionary.
    project_seen: Vec<bool>,
    /// Parsed values by the text they were parsed from: ledgers repeat the same few names
    /// on every row, and normalising them (NFKC) is the cost of this stage.
    cache: Caches,
    /// The rows whose fund or spend kind was not read but defaulted.
    defaults: Defaulted,
    /// The cells of the row being read.
    cells: &'a [RawCell],
    /// The unit named in the title block (`单位名称：…`), for an indicator sheet without a
    /// unit column (the 财政部 self-evaluation template).
    title_unit_name: Option<String>,
    /// The project named in the title block (`项目名称：…`), for an indicator sheet without a
    /// project column (the 财政部 project template, SPEC §10).
    title_project_name: Option<String>,
    /// The column of each field, by `Field as usize`.
    cols_at: [Option<u32>; FIELD_COUNT],
    /// The value id of each column of the row being read ([`NO_CELL`] for none), and its row.
    row_ids: Vec<u32>,
    cur: u32,
}

impl<'a> RowCtx<'a> {
    /// The reader of one sheet's rows.
    #[allow(clippy::too_many_arguments)]
    fn new(
        sheet: &'a RawSheet,
        header: &'a Header,
        columns: &Columns,
        cfg: &'a Config,
        units: &'a UnitMatcher,
        unit: AmountUnit,
        width: u32,
        out: &SheetResult,
    ) -> RowCtx<'a> {
        let mut cols_at = [None; FIELD_COUNT];
        for (f, c) in &columns.cols {
            cols_at[*f as usize] = Some(*c);
        }
        RowCtx {
            file: out.file.clone(),
            sheet_name: out.sheet.clone(),
            sheet,
            names: &header.names,
            cfg,
            units,
            unit,
            project_seen: Vec::new(),
            cache: Caches::default(),
            defaults: Defaulted::default(),
            cells: &[],
            title_unit_name: columns.title_unit_name.clone(),
            title_project_name: columns.title_project_name.clone(),
            cols_at,
            row_ids: vec![NO_CELL; width as usize],
            cur: u32::MAX,
        }
    }
}

/// No cell in this column of the row.
const NO_CELL: u32 = u32::MAX;

/// Values parsed once per distinct cell value of a sheet, by value id (`None`: no cell):
/// ledgers repeat the same few names on every row, and normalising them (NFKC) is the cost
/// of this stage. No hashing per row.
struct IdCache<V> {
    /// Per value id + 1 (0: no cell), the index + 1 of its parsed value (0: not yet).
    slot: Vec<u32>,
    vals: Vec<V>,
}

impl<V> Default for IdCache<V> {
    fn default() -> Self {
        IdCache {
            slot: Vec::new(),
            vals: Vec::new(),
        }
    }
}

impl<V: Clone> IdCache<V> {
    fn get(&mut self, id: Option<u32>, f: impl FnOnce() -> V) -> V {
        let i = id.map_or(0, |i| i as usize + 1);
        if i >= self.slot.len() {
            self.slot.resize(i + 1, 0);
        }
        match self.slot[i] {
            0 => {
                let v = f();
                self.vals.push(v.clone());
                self.slot[i] = self.vals.len() as u32;
                v
            }
            k => self.vals[k as usize - 1].clone(),
        }
    }
}

/// Rows used with a value the sheet did not give: counted for the sheet's warnings.
#[derive(Default)]
struct Defaulted {
    /// Every used row (rows, cents): when the sheet has no fund column, all are general.
    all: (u32, Cents),
    /// Rows whose spend kind was inferred from the project: basic, then project.
    basic: (u32, Cents),
    project: (u32, Cents),
}

impl Defaulted {
    fn count(&mut self, inferred: Option<SpendKind>, amount: Cents) {
        let add = |x: &mut (u32, Cents)| {
            x.0 += 1;
            x.1 += amount;
        };
        add(&mut self.all);
        match inferred {
            Some(SpendKind::Basic) => add(&mut self.basic),
            Some(SpendKind::Project) => add(&mut self.project),
            None => {}
        }
    }

    /// The sheet's warnings (SPEC §2.2: a field that decides a figure is never defaulted
    /// silently).
    fn warnings(&self, has_fund: bool, has_kind: bool) -> Vec<String> {
        let mut out = Vec::new();
        if !has_fund && self.all.0 > 0 {
            out.push(format!(
                "本表没有资金性质列（资金性质、资金性质名称、资金来源）：{} 行、金额 {} 元全部按一般公共预算计算；如含单位资金等其他资金，请导出带“资金性质”列的表",
                self.all.0,
                yuan(self.all.1)
            ));
        }
        let inferred = self.basic.0 + self.project.0;
        if inferred > 0 {
            let why = if has_kind {
                format!("{inferred} 行的支出类型为空")
            } else {
                "本表没有支出类型列（支出类型、项目类别等）".to_string()
            };
            out.push(format!(
                "{why}，已按项目名称推断：无项目或项目为基本支出（人员类、运转类等）的 {} 行、{} 元计为基本支出，其余 {} 行、{} 元计为项目支出；如有误，请导出带“支出类型”或“项目类别”列的表",
                self.basic.0,
                yuan(self.basic.1),
                self.project.0,
                yuan(self.project.1)
            ));
        }
        out
    }
}

#[derive(Default)]
struct Caches {
    /// Unit lookups by the value ids of (name, code), with the index of the name in
    /// `SheetResult::units_seen`.
    units: hashbrown::HashMap<(u32, u32), (Result<usize, UnitError>, usize)>,
    /// Texts with their ids in the sheet's ledger dictionaries.
    econ: IdCache<Result<u32, String>>,
    fund: IdCache<Result<Fund, String>>,
    kind: IdCache<Result<Option<SpendKind>, String>>,
    project: IdCache<u32>,
    date: IdCache<Result<Date, String>>,
    drawn: IdCache<Drawn>,
}

impl<'a> RowCtx<'a> {
    fn col(&self, f: Field) -> Option<u32> {
        self.cols_at[f as usize]
    }

    /// The value id of a field's cell in row `r`; text fields inside a vertical merge take
    /// its top-left value.
    fn field_id(&self, r: u32, f: Field) -> Option<u32> {
        let c = self.col(f)?;
        let id = if r == self.cur {
            self.row_ids
                .get(c as usize)
                .copied()
                .filter(|&i| i != NO_CELL)
        } else {
            self.sheet.id(r, c)
        };
        if id.is_some() || f == Field::Amount {
            return id;
        }
        for m in &self.sheet.merges {
            if m.start.0 < r && m.end.0 >= r && m.start.1 <= c && m.end.1 >= c {
                return self.sheet.id(m.start.0, m.start.1);
            }
        }
        None
    }

    /// The cell of a field (see [`RowCtx::field_id`]).
    fn get(&self, r: u32, f: Field) -> &'a Data {
        static EMPTY: Data = Data::Empty;
        match self.field_id(r, f) {
            Some(id) => self.sheet.value(id),
            None => &EMPTY,
        }
    }

    fn text(&self, r: u32, f: Field) -> String {
        cell_text(self.get(r, f))
    }

    /// The text of a field, borrowed when the cell holds text (the common case).
    fn str(&self, r: u32, f: Field) -> std::borrow::Cow<'a, str> {
        cell_str(self.get(r, f))
    }

    /// Notes the words of a row of an unknown unit that no vocabulary knows (the row is not
    /// parsed further: `init` drafts `[values]` lines from these).
    fn note_unknown_words(
        &mut self,
        r: u32,
        kind: Kind,
        amount: Option<Cents>,
        out: &mut SheetResult,
    ) {
        let values = &self.cfg.values;
        let mut words: Vec<ValueField> = Vec::new();
        if self.col(Field::Fund).is_some() {
            let cell = self.get(r, Field::Fund);
            let id = self.field_id(r, Field::Fund);
            if self
                .cache
                .fund
                .get(id, || fund_word(values, &cell_str(cell)))
                .is_err()
            {
                words.push(ValueField::Fund);
            }
        }
        if self.col(Field::SpendKind).is_some() {
            let cell = self.get(r, Field::SpendKind);
            let id = self.field_id(r, Field::SpendKind);
            if self
                .cache
                .kind
                .get(id, || kind_word(values, &cell_str(cell)))
                .is_err()
            {
                words.push(ValueField::SpendKind);
            }
        }
        if kind == Kind::Budget
            && budget_kind_word(values, &self.text(r, Field::BudgetKind)).is_err()
        {
            words.push(ValueField::BudgetKind);
        }
        for field in words {
            let f = match field {
                ValueField::Fund => Field::Fund,
                ValueField::SpendKind => Field::SpendKind,
                ValueField::BudgetKind => Field::BudgetKind,
            };
            let word = self.text(r, f).trim().to_string();
            if word.is_empty() {
                continue;
            }
            match out
                .words_seen
                .iter_mut()
                .find(|w| w.0 == field && w.1 == word)
            {
                Some(w) => {
                    w.2 += 1;
                    w.3 += amount.unwrap_or(0);
                }
                None => out.words_seen.push((field, word, 1, amount.unwrap_or(0))),
            }
        }
    }

    /// Notes the first spelling of a project (by its id in the sheet's dictionary).
    fn see_project(&mut self, out: &mut SheetResult, id: u32, raw: &Data) {
        let i = id as usize;
        if self.project_seen.get(i).copied().unwrap_or(false) {
            return;
        }
        if self.project_seen.len() <= i {
            self.project_seen.resize(i + 1, false);
        }
        self.project_seen[i] = true;
        let key = out.payments.projects.get(id);
        if !key.is_empty() {
            out.projects
                .push((key.to_string(), cell_str(raw).into_owned()));
        }
    }

    fn prov(&self, r: u32) -> Prov {
        Prov {
            file: self.file.clone(),
            sheet: self.sheet_name.clone(),
            row: r + 1,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn reject(
        &self,
        out: &mut SheetResult,
        prov: Prov,
        kind: Kind,
        errs: Vec<(Option<u32>, String)>,
        amount: Option<Cents>,
        unknown_unit: Option<String>,
        r: u32,
    ) {
        for (col, msg) in &errs {
            out.problems.push(Problem::error(msg.clone()).at(
                &self.file,
                &self.sheet_name,
                r + 1,
                *col,
            ));
        }
        out.rejected.push(Rejected {
            prov,
            kind,
            reasons: errs.into_iter().map(|(_, m)| m).collect(),
            raw: raw_values(self.sheet, self.cells, self.names),
            amount,
            unknown_unit,
            unknown_values: Vec::new(),
        });
    }

    /// Rejects a row whose troubles are `errs` and words no vocabulary knows (`unknown`):
    /// when the words are the only trouble, quietly (validate says once per word what to add
    /// to `[values]`); otherwise every trouble is said at the row.
    fn reject_with_words(
        &self,
        out: &mut SheetResult,
        kind: Kind,
        mut errs: Vec<(Option<u32>, String)>,
        unknown: Vec<(ValueField, String, Option<u32>, String)>,
        amount: Option<Cents>,
        r: u32,
    ) {
        if !errs.is_empty() {
            errs.extend(unknown.into_iter().map(|(_, _, col, msg)| (col, msg)));
            self.reject(out, self.prov(r), kind, errs, amount, None, r);
            return;
        }
        out.rejected.push(Rejected {
            prov: self.prov(r),
            kind,
            reasons: unknown.iter().map(|u| u.3.clone()).collect(),
            raw: raw_values(self.sheet, self.cells, self.names),
            amount,
            unknown_unit: None,
            unknown_values: unknown.into_iter().map(|(f, v, c, _)| (f, v, c)).collect(),
        });
    }

    /// An indicator row's unit: its 单位名称 cell, or the sheet's `单位名称：…` title line.
    fn unit_text(&self, r: u32) -> String {
        match (&self.title_unit_name, self.col(Field::Unit)) {
            (Some(name), None) => name.clone(),
            _ => self.text(r, Field::Unit),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn s(x: &str) -> Data {
        Data::String(x.into())
    }

    #[test]
    fn money_accepts_the_export_forms() {
        let y = AmountUnit::Yuan;
        assert_eq!(parse_money(&s("1,234.56"), y).unwrap().0, 123_456);
        assert_eq!(parse_money(&s("１２３４.５"), y).unwrap().0, 123_450);
        assert_eq!(parse_money(&s("¥1,000"), y).unwrap().0, 100_000);
        assert_eq!(parse_money(&s("￥1,000"), y).unwrap().0, 100_000);
        assert_eq!(parse_money(&s("-5.01"), y).unwrap().0, -501);
        assert_eq!(parse_money(&s("－5.01"), y).unwrap().0, -501);
        assert_eq!(parse_money(&s("（1,234.00）"), y).unwrap().0, -123_400);
        assert_eq!(parse_money(&s("(1,234.00)"), y).unwrap().0, -123_400);
        assert_eq!(parse_money(&s("1,234.00元"), y).unwrap().0, 123_400);
        assert!(parse_money(&s("12.5万元"), y).is_err());
        assert_eq!(parse_money(&Data::Float(0.1 + 0.2), y).unwrap().0, 30);
        assert_eq!(
            parse_money(&Data::Int(7), AmountUnit::Wan).unwrap().0,
            7_000_000
        );
        assert_eq!(
            parse_money(&s("419.7712"), AmountUnit::Wan).unwrap().0,
            419_771_200
        );
    }

    #[test]
    fn money_rejects_what_is_not_a_number() {
        let y = AmountUnit::Yuan;
        assert_eq!(
            parse_money(&s("12,3a4"), y).unwrap_err(),
            "金额“12,3a4”不是数字"
        );
        assert_eq!(parse_money(&Data::Empty, y).unwrap_err(), "金额为空");
        assert!(parse_money(&s(",12"), y).is_err());
        assert!(parse_money(&s("1..2"), y).is_err());
        assert!(parse_money(&s("--"), y).is_err());
        assert!(parse_money(&Data::Float(f64::NAN), y).is_err());
        assert!(parse_money(&s("99999999999999999999999999999"), AmountUnit::Wan).is_err());
    }

    #[test]
    fn money_off_the_cent_is_rounded_and_warned() {
        let (c, w) = parse_money(&Data::Float(1.005), AmountUnit::Yuan).unwrap();
        assert_eq!(c, 101);
        assert!(w.is_some());
        let (_, w) = parse_money(&Data::Float(1234.56), AmountUnit::Yuan).unwrap();
        assert!(w.is_none());
    }

    #[test]
    fn dates_in_every_accepted_form() {
        let d = Date {
            year: 2023,
            month: 1,
            day: 5,
        };
        for t in [
            "2023-01-05",
            "2023/1/5",
            "2023.1.5",
            "2023年1月5日",
            "20230105",
            "2023-01-05 00:00:00",
        ] {
            assert_eq!(parse_date(&s(t)).unwrap(), d, "{t}");
        }
        assert_eq!(parse_date(&Data::Int(20230105)).unwrap(), d);
        assert_eq!(parse_date(&Data::Float(44931.0)).unwrap(), d);
        let cell = |serial, is_1904| {
            Data::DateTime(calamine::ExcelDateTime::new(
                serial,
                calamine::ExcelDateTimeType::DateTime,
                is_1904,
            ))
        };
        assert_eq!(parse_date(&cell(44931.0, false)).unwrap(), d);
        assert_eq!(parse_date(&cell(44931.0 - 1462.0, true)).unwrap(), d);
        assert!(parse_date(&s("2023-02-30")).is_err());
        assert!(parse_date(&s("明天")).is_err());
        assert!(parse_date(&s("23-1-5")).is_err());
    }

    #[test]
    fn econ_codes_and_names() {
        assert_eq!(parse_econ(&s("30217 公务接待费")).unwrap(), "30217");
        assert_eq!(parse_econ(&s("30217-公务接待费")).unwrap(), "30217");
        assert_eq!(parse_econ(&Data::Float(30217.0)).unwrap(), "30217");
        assert_eq!(parse_econ(&s("301")).unwrap(), "301");
        assert_eq!(parse_econ(&s("公务用车购置")).unwrap(), "31013");
        assert_eq!(
            parse_econ(&s("商品和服务支出-公务接待费")).unwrap(),
            "30217"
        );
        assert_eq!(parse_econ(&s("商品和服务支出/办公费")).unwrap(), "30201");
        assert!(
            parse_econ(&s("商品和服务支出-神秘费")).is_err(),
            "never the parent"
        );
        assert!(parse_econ(&s("神秘-怪费")).is_err());
        assert!(parse_econ(&s("神秘科目")).unwrap_err().contains("神秘科目"));
        assert!(parse_econ(&s("3021712 x")).is_err());
    }

    #[test]
    fn funds_kinds_and_budget_kinds() {
        assert_eq!(parse_fund("财政拨款").unwrap(), Fund::General);
        assert_eq!(parse_fund(" 政府性基金预算 ").unwrap(), Fund::GovFund);
        assert_eq!(parse_fund("单位资金").unwrap(), Fund::Other);
        assert!(parse_fund("").is_err());
        assert!(parse_fund("专项债").is_err());
        assert_eq!(parse_spend_kind("运转类").unwrap(), Some(SpendKind::Basic));
        assert_eq!(
            parse_spend_kind("特定目标类").unwrap(),
            Some(SpendKind::Project)
        );
        assert_eq!(parse_spend_kind("").unwrap(), None);
        assert_eq!(
            parse_spend_kind("基本支出-人员经费").unwrap(),
            Some(SpendKind::Basic)
        );
        assert_eq!(
            parse_spend_kind("项目支出（专项）").unwrap(),
            Some(SpendKind::Project)
        );
        assert!(parse_spend_kind("转移支付").is_err());
        assert_eq!(
            kind_from_project(&project_key("基本支出")),
            SpendKind::Basic
        );
        assert_eq!(
            kind_from_project(&project_key("施工图审查经费")),
            SpendKind::Project
        );
        assert_eq!(parse_budget_kind("调增").unwrap(), BudgetKind::Increase);
        assert_eq!(parse_budget_kind("结转").unwrap(), BudgetKind::Carryover);
        assert_eq!(parse_budget_kind("年中追加").unwrap(), BudgetKind::Increase);
        assert!(parse_budget_kind("正常指标").is_err());
        assert_eq!(parse_direction("大于等于").unwrap(), Direction::Positive);
        assert_eq!(parse_direction("小于等于").unwrap(), Direction::Negative);
        assert_eq!(parse_level1("产出指标（50分）").unwrap(), Level1::Output);
        assert_eq!(
            parse_spend_kind("人员类项目").unwrap(),
            Some(SpendKind::Basic)
        );
        assert_eq!(
            kind_from_project(&project_key("运转类项目（日常公用）")),
            SpendKind::Basic
        );
        assert!(parse_budget_kind("预留").is_err());
    }

    #[test]
    fn value_words_with_codes_and_the_systems_own_words() {
        assert_eq!(value_key("111 经费拨款"), "经费拨款");
        assert_eq!(value_key("[3]单位资金"), "单位资金");
        assert_eq!(value_key("1-年初预算"), "年初预算");
        assert_eq!(value_key("一般公共预算"), "一般公共预算");
        assert_eq!(value_key("2023"), "2023");
        assert_eq!(parse_fund("111 经费拨款").unwrap(), Fund::General);
        assert_eq!(parse_fund("政府性基金拨款").unwrap(), Fund::GovFund);
        assert_eq!(parse_fund("[3]单位资金").unwrap(), Fund::Other);
        assert_eq!(parse_fund("附属单位上缴收入").unwrap(), Fund::Other);
        assert_eq!(
            parse_budget_kind("01 年初预算").unwrap(),
            BudgetKind::Initial
        );
        let values = Config::parse(
            "[report]\ndepartment='某局'\nyear=2023\n[[unit]]\nname='本级'\n[values.fund]\n\"国库集中支付资金\" = \"一般公共预算\"\n[values.budget_kind]\n\"年初批复数\" = \"年初预算\"\n",
        )
        .unwrap()
        .values;
        assert_eq!(
            fund_word(&values, " 国库集中支付资金 ").unwrap(),
            Fund::General
        );
        assert_eq!(
            fund_word(&values, "9 国库集中支付资金").unwrap(),
            Fund::General
        );
        assert!(fund_word(&values, "专项债").is_err());
        assert_eq!(
            budget_kind_word(&values, "年初批复数").unwrap(),
            BudgetKind::Initial
        );
        // A mapping to a word that is not a fund is a config error.
        let err = Config::parse(
            "[report]\ndepartment='某局'\nyear=2023\n[[unit]]\nname='本级'\n[values.fund]\n\"甲\" = \"乙\"\n",
        )
        .unwrap_err();
        assert!(format!("{err:#}").contains("[values.fund]"), "{err:#}");
    }

    #[test]
    fn total_labels_bare_and_named() {
        assert_eq!(total_label("合计"), Some(("合计", false)));
        assert_eq!(total_label("本页合计"), Some(("本页合计", false)));
        assert_eq!(total_label("小计:"), Some(("小计", false)));
        assert_eq!(
            total_label("岳阳市城市建设档案馆小计"),
            Some(("小计", true))
        );
        assert_eq!(total_label("本单位合计"), Some(("合计", true)));
        assert_eq!(total_label("小计:档案馆"), Some(("小计", true)));
        assert_eq!(total_label("小计:"), Some(("小计", false)));
        assert_eq!(total_label("岳阳市城市建设档案馆"), None);
        assert_eq!(total_label("合计数据核对"), None);
    }

    #[test]
    fn indicator_numbers() {
        let d = |x: &str| Decimal::from_str(x).unwrap();
        assert_eq!(parse_indicator_number("≥12项").unwrap(), d("12"));
        assert_eq!(parse_indicator_number(">=95%").unwrap(), d("0.95"));
        assert_eq!(parse_indicator_number("≤ 10 天").unwrap(), d("10"));
        assert_eq!(parse_indicator_number("＝0").unwrap(), d("0"));
        assert_eq!(parse_indicator_number("1,981套").unwrap(), d("1981"));
        assert_eq!(parse_indicator_number("9.8亿元").unwrap(), d("9.8"));
        assert!(parse_indicator_number("较好").is_none());
    }

    #[test]
    fn sheets_classified_by_evidence() {
        let k = |names: &[&str]| classify(&names.iter().map(|n| n.to_string()).collect::<Vec<_>>());
        // A payment export carrying 指标 columns is a payment ledger (issue 10).
        assert_eq!(
            k(&[
                "实际支付日期",
                "预算单位名称",
                "指标文号",
                "指标类型",
                "实际支付金额"
            ]),
            Some(Kind::Payment)
        );
        assert_eq!(
            k(&["预算单位名称", "指标来源", "指标类型", "金额"]),
            Some(Kind::Budget)
        );
        assert_eq!(k(&["单位", "发生额"]), Some(Kind::Payment));
        assert_eq!(k(&["单位名称", "一级指标", "分值"]), Some(Kind::Indicators));
        assert_eq!(k(&["指标类型", "文号"]), None);
        assert_eq!(
            header_name("金额（单位：万元）"),
            ("金额".into(), Some(AmountUnit::Wan))
        );
    }

    #[test]
    fn headers_and_title_units() {
        assert_eq!(
            header_name("支付金额（元）"),
            ("支付金额".into(), Some(AmountUnit::Yuan))
        );
        assert_eq!(
            header_name(" 指标 金额(万元)"),
            ("指标金额".into(), Some(AmountUnit::Wan))
        );
        assert_eq!(header_name("单 位"), ("单位".into(), None));
        assert_eq!(title_unit("单位：万元"), Some(AmountUnit::Wan));
        assert_eq!(
            title_unit("编制单位：某局      单位: 元"),
            Some(AmountUnit::Yuan)
        );
        assert_eq!(title_unit("单位名称"), None);
    }

    #[test]
    fn unit_names_with_codes_and_aliases() {
        let cfg = Config::parse(
            "[report]\ndepartment='某局'\nyear=2023\n[[unit]]\nname='某局本级'\ncode='501001'\naliases=['局本级']\n[[unit]]\nname='某局档案馆'\n",
        )
        .unwrap();
        let m = UnitMatcher::new(&cfg);
        assert_eq!(m.find("某局本级", ""), Ok(0));
        assert_eq!(m.find("501001-某局本级", ""), Ok(0));
        assert_eq!(m.find("[501001]局本级", ""), Ok(0));
        assert_eq!(m.find("501001 某局 本级", ""), Ok(0));
        assert_eq!(m.find("局本级", ""), Ok(0));
        assert_eq!(m.find("某局档案馆", ""), Ok(1));
        assert_eq!(m.find("（无名）", "501001"), Ok(0));
        assert_eq!(
            m.find("某局档案馆", "501001"),
            Err(UnitError::Conflict(0, 1))
        );
        assert_eq!(m.find("某局档案室", ""), Err(UnitError::Unknown));
        assert_eq!(m.closest("某局档案室"), Some(1));
        // An abbreviation points to the unit it abbreviates, not the nearest by edits.
        let cfg = Config::parse(
            "[report]\ndepartment='某县'\nyear=2023\n[[unit]]\nname='江南县水利局机关'\n[[unit]]\nname='江南县水土保持监测站'\n",
        )
        .unwrap();
        assert_eq!(UnitMatcher::new(&cfg).closest("水保站"), Some(1));
    }
}
