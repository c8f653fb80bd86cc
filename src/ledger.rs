//! The payment ledger as columns: what normalise produces per sheet, what validate appends
//! into one ledger for the run, what the aggregate stage turns into polars frames, and what
//! the audit's plain loop and the detail CSV read.
//!
//! One row is about 60 bytes: typed columns (dates as `yyyymmdd`, cents as `i64`), the texts
//! that repeat (project, class) as ids into a [`Dict`], the voucher numbers and memos as text
//! columns ([`Texts`]), and the row's provenance as a source id (file, sheet) and an Excel row.
//!
//! ```text
//! Ledger (columns)                                   dictionaries
//! ┌────────┬─────┬──────────┬──────┬─────────┬──────┬──────┬──────┬──────┬─────────┬────────┐
//! │ source ┆ row ┆ date     ┆ unit ┆ project ┆ kind ┆ econ ┆ fund ┆ memo ┆ voucher ┆ amount │  projects: 0 → "施工图审查"
//! │ u32    ┆ u32 ┆ i32      ┆ u32  ┆ u32 id  ┆ enum ┆ u32  ┆ enum ┆ text ┆ text    ┆ i64 ¢  │  econs:    0 → "30227"
//! ╞════════╪═════╪══════════╪══════╪═════════╪══════╪══════╪══════╪══════╪═════════╪════════╡  sources:  0 → (file, sheet)
//! │ 0      ┆ 5   ┆ 20230305 ┆ 0    ┆ 0       ┆ 项目 ┆ 0    ┆ 一般 ┆ 付款 ┆ ZF0012  ┆ 125000 │
//! ```
//!
//! A sheet's ledger (from normalise) also has the `dup_key` column; the run's does not.

use crate::model::*;
use std::sync::Arc;

/// Texts as dense ids, in order of first appearance (deterministic).
#[derive(Debug, Clone, Default)]
pub struct Dict {
    index: hashbrown::HashMap<Arc<str>, u32>,
    values: Vec<Arc<str>>,
    /// A hash of each text's content, the same in every dictionary (see [`text_hash`]).
    hashes: Vec<u64>,
}

/// The content hash of a text, with a fixed seed: equal texts hash alike in every sheet's
/// dictionary, so rows of different sheets can be compared by hash.
pub fn text_hash(s: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0x6a69_7869_616f).hash_one(s)
}

impl Dict {
    /// The id of `s`, adding it the first time.
    pub fn id(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        self.add(Arc::from(s))
    }

    /// The id of a shared text, adding it (without a copy) the first time.
    pub fn id_arc(&mut self, s: &Arc<str>) -> u32 {
        if let Some(&i) = self.index.get(&**s) {
            return i;
        }
        self.add(s.clone())
    }

    fn add(&mut self, s: Arc<str>) -> u32 {
        let i = self.values.len() as u32;
        self.hashes.push(text_hash(&s));
        self.index.insert(s.clone(), i);
        self.values.push(s);
        i
    }

    /// The content hash of an id's text.
    pub fn hash(&self, id: u32) -> u64 {
        self.hashes.get(id as usize).copied().unwrap_or(0)
    }

    /// The text of an id.
    pub fn get(&self, id: u32) -> &str {
        self.values.get(id as usize).map_or("", |s| s)
    }

    /// The id of a text already added.
    pub fn find(&self, s: &str) -> Option<u32> {
        self.index.get(s).copied()
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Every text, by id.
    pub fn values(&self) -> &[Arc<str>] {
        &self.values
    }
}

/// A column of texts that rarely repeat (voucher numbers, memos): one buffer and the end
/// of each row's text. Memory follows the text (a dictionary would cost ~100 bytes a row
/// for a memo column where every row differs).
///
/// The texts of the first rows can be released once nothing will read them again (the
/// run's memos, once the detail CSV has written their rows): they then read as empty.
#[derive(Debug, Clone, Default)]
pub struct Texts {
    text: String,
    /// The end of each row's text from row `first` on, counted from the start of row 0's.
    end: Vec<usize>,
    /// Rows released: row `i` ends at `end[i - first]`.
    first: usize,
    /// Bytes released: `text` starts this far from the start of row 0's text.
    base: usize,
}

impl Texts {
    pub fn push(&mut self, s: &str) {
        self.text.push_str(s);
        self.end.push(self.base + self.text.len());
    }

    /// The text of row `i` (empty past the end, and for a released row).
    pub fn get(&self, i: usize) -> &str {
        let Some(j) = i.checked_sub(self.first) else {
            return "";
        };
        let start = if j == 0 { self.base } else { self.end[j - 1] };
        self.end
            .get(j)
            .and_then(|&end| self.text.get(start - self.base..end - self.base))
            .unwrap_or("")
    }

    /// Frees the texts of the rows before row `n`: they read as empty from now on. The
    /// buffer keeps its room, and the texts of the rows from `n` on move to its front.
    pub fn release_before(&mut self, n: usize) {
        let n = n.min(self.first + self.end.len());
        if n <= self.first {
            return;
        }
        let base = self.end[n - 1 - self.first];
        self.text.drain(..base - self.base);
        self.end.drain(..n - self.first);
        (self.first, self.base) = (n, base);
    }

    fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.end.shrink_to_fit();
    }

    fn bytes(&self) -> usize {
        self.text.len()
    }

    fn reserve(&mut self, rows: usize, bytes: usize) {
        self.text.reserve(bytes);
        self.end.reserve(rows);
    }
}

/// A date as the `i32` `yyyymmdd` (sortable; a polars column as is).
pub fn pack_date(d: Date) -> i32 {
    d.year * 10_000 + d.month as i32 * 100 + d.day as i32
}

/// The date of a packed `yyyymmdd`.
pub fn unpack_date(v: i32) -> Date {
    Date {
        year: v / 10_000,
        month: (v / 100 % 100) as u32,
        day: (v % 100) as u32,
    }
}

/// Used payment rows as columns (see the module docs).
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    /// (file, sheet) of each source id.
    pub sources: Vec<(Arc<str>, Arc<str>)>,
    pub source: Vec<u32>,
    /// Excel row, 1-based.
    pub row: Vec<u32>,
    /// `yyyymmdd`.
    pub date: Vec<i32>,
    pub unit: Vec<u32>,
    pub project: Vec<u32>,
    pub kind: Vec<SpendKind>,
    pub econ: Vec<u32>,
    pub fund: Vec<Fund>,
    /// Which budget each payment drew, when its ledger says (see [`Drawn`]).
    pub drawn: Vec<Drawn>,
    pub amount: Vec<Cents>,
    pub vouchers: Texts,
    pub memos: Texts,
    /// A hash of what makes two payment rows the same (SPEC §2.5: voucher, date, unit,
    /// project, class, fund, amount), computed as normalise appends each row (in parallel
    /// over files) for validate's duplicate check. Not kept in the run's ledger.
    pub dup_key: Vec<u64>,
    /// Project keys (see `normalise::project_key`; empty for none).
    pub projects: Dict,
    /// Economic class codes.
    pub econs: Dict,
}

/// One row of a [`Ledger`], borrowed.
#[derive(Debug, Clone, Copy)]
pub struct PayRow<'a> {
    pub file: &'a Arc<str>,
    pub sheet: &'a Arc<str>,
    pub row: u32,
    pub date: Date,
    pub unit: usize,
    pub project: &'a str,
    pub project_id: u32,
    pub kind: SpendKind,
    pub econ: &'a str,
    pub econ_id: u32,
    pub fund: Fund,
    pub drawn: Drawn,
    pub voucher: &'a str,
    pub memo: &'a str,
    pub amount: Cents,
}

impl PayRow<'_> {
    pub fn prov(&self) -> Prov {
        Prov {
            file: self.file.clone(),
            sheet: self.sheet.clone(),
            row: self.row,
        }
    }
}

/// The values of one row to append (texts already as ids of the ledger's dictionaries).
#[derive(Debug, Clone, Copy)]
pub struct NewRow<'a> {
    pub source: u32,
    pub row: u32,
    pub date: Date,
    pub unit: usize,
    pub project: u32,
    pub kind: SpendKind,
    pub econ: u32,
    pub fund: Fund,
    pub drawn: Drawn,
    pub voucher: &'a str,
    pub memo: &'a str,
    pub amount: Cents,
}

impl Ledger {
    pub fn len(&self) -> usize {
        self.amount.len()
    }

    pub fn is_empty(&self) -> bool {
        self.amount.is_empty()
    }

    /// The id of a (file, sheet) source, adding it the first time.
    pub fn source_id(&mut self, file: &Arc<str>, sheet: &Arc<str>) -> u32 {
        if let Some(i) = self
            .sources
            .iter()
            .position(|(f, s)| f == file && s == sheet)
        {
            return i as u32;
        }
        self.sources.push((file.clone(), sheet.clone()));
        self.sources.len() as u32 - 1
    }

    pub fn push(&mut self, r: NewRow<'_>) {
        self.source.push(r.source);
        self.row.push(r.row);
        self.date.push(pack_date(r.date));
        self.unit.push(r.unit as u32);
        self.project.push(r.project);
        self.kind.push(r.kind);
        self.econ.push(r.econ);
        self.fund.push(r.fund);
        self.drawn.push(r.drawn);
        self.amount.push(r.amount);
        self.vouchers.push(r.voucher);
        self.memos.push(r.memo);
        self.dup_key.push(dup_key(
            r.voucher,
            pack_date(r.date),
            r.unit as u32,
            self.projects.hash(r.project),
            self.econs.hash(r.econ),
            r.fund,
            r.amount,
        ));
    }

    /// The voucher number of row `i`.
    pub fn voucher(&self, i: usize) -> &str {
        self.vouchers.get(i)
    }

    /// Row `i` (panics past the end, like a slice).
    pub fn get(&self, i: usize) -> PayRow<'_> {
        let (file, sheet) = &self.sources[self.source[i] as usize];
        PayRow {
            file,
            sheet,
            row: self.row[i],
            date: unpack_date(self.date[i]),
            unit: self.unit[i] as usize,
            project: self.projects.get(self.project[i]),
            project_id: self.project[i],
            kind: self.kind[i],
            econ: self.econs.get(self.econ[i]),
            econ_id: self.econ[i],
            fund: self.fund[i],
            drawn: self.drawn[i],
            voucher: self.voucher(i),
            memo: self.memos.get(i),
            amount: self.amount[i],
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = PayRow<'_>> + Clone {
        (0..self.len()).map(|i| self.get(i))
    }

    /// Frees the spare capacity (a sheet's ledger is kept until validate).
    pub fn shrink_to_fit(&mut self) {
        self.source.shrink_to_fit();
        self.row.shrink_to_fit();
        self.date.shrink_to_fit();
        self.unit.shrink_to_fit();
        self.project.shrink_to_fit();
        self.kind.shrink_to_fit();
        self.econ.shrink_to_fit();
        self.fund.shrink_to_fit();
        self.drawn.shrink_to_fit();
        self.amount.shrink_to_fit();
        self.vouchers.shrink_to_fit();
        self.memos.shrink_to_fit();
        self.dup_key.shrink_to_fit();
    }
}

/// The duplicate key of a row (see [`Ledger::dup_key`]); texts by their content hashes.
fn dup_key(
    voucher: &str,
    date: i32,
    unit: u32,
    project: u64,
    econ: u64,
    fund: Fund,
    amount: Cents,
) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0x0064_7570)
        .hash_one((voucher, date, unit, project, econ, fund, amount))
}

/// How the ids of one ledger's dictionaries map into another's (see [`Ledger::remap`]).
pub struct Remap {
    source: Vec<u32>,
    project: Vec<u32>,
    econ: Vec<u32>,
}

impl Remap {
    /// The id the other ledger's project `id` has in this one.
    pub fn project(&self, id: u32) -> u32 {
        self.project[id as usize]
    }

    /// The id the other ledger's class `id` has in this one.
    pub fn econ(&self, id: u32) -> u32 {
        self.econ[id as usize]
    }
}

/// The most rows [`Ledger::reserve_like`] reserves room for at once (~300 MB of address
/// space; only the rows written are ever in memory).
pub const RESERVE_ROWS: usize = 4_000_000;

/// Room for `times` batches of `rows` rows, at least one batch and at most about
/// [`RESERVE_ROWS`].
pub fn reserve_rows(rows: usize, times: usize) -> usize {
    rows * times.clamp(1, (RESERVE_ROWS / rows.max(1)).max(1))
}

impl Ledger {
    /// When the rows of `incoming` do not fit, reserves room for `times` as many rows (and
    /// texts) as they hold — at most [`RESERVE_ROWS`] rows' worth (beyond, columns double as
    /// usual).
    pub fn reserve_like(&mut self, incoming: &[&Ledger], times: usize) {
        let rows: usize = incoming.iter().map(|l| l.len()).sum();
        if rows == 0 || self.amount.capacity() >= self.len() + rows {
            return;
        }
        let vouchers: usize = incoming.iter().map(|l| l.vouchers.bytes()).sum();
        let memos: usize = incoming.iter().map(|l| l.memos.bytes()).sum();
        let more = reserve_rows(rows, times);
        let times = more / rows;
        self.source.reserve(more);
        self.row.reserve(more);
        self.date.reserve(more);
        self.unit.reserve(more);
        self.project.reserve(more);
        self.kind.reserve(more);
        self.econ.reserve(more);
        self.fund.reserve(more);
        self.drawn.reserve(more);
        self.amount.reserve(more);
        self.vouchers.reserve(more, vouchers.saturating_mul(times));
        self.memos.reserve(more, memos.saturating_mul(times));
    }

    /// The ids of `other`'s sources and texts in this ledger, adding those it lacks.
    pub fn remap(&mut self, other: &Ledger) -> Remap {
        Remap {
            source: other
                .sources
                .iter()
                .map(|(f, s)| self.source_id(f, s))
                .collect(),
            project: other
                .projects
                .values()
                .iter()
                .map(|s| self.projects.id_arc(s))
                .collect(),
            econ: other
                .econs
                .values()
                .iter()
                .map(|s| self.econs.id_arc(s))
                .collect(),
        }
    }

    /// Row `i` of `other`, with its ids mapped by `m` into this ledger.
    pub fn push_from(&mut self, other: &Ledger, i: usize, m: &Remap) {
        self.source.push(m.source[other.source[i] as usize]);
        self.row.push(other.row[i]);
        self.date.push(other.date[i]);
        self.unit.push(other.unit[i]);
        self.project.push(m.project[other.project[i] as usize]);
        self.kind.push(other.kind[i]);
        self.econ.push(m.econ[other.econ[i] as usize]);
        self.fund.push(other.fund[i]);
        self.drawn.push(other.drawn[i]);
        self.amount.push(other.amount[i]);
        self.vouchers.push(other.vouchers.get(i));
        self.memos.push(other.memos.get(i));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(voucher: &str, project: u32, amount: Cents) -> NewRow<'_> {
        NewRow {
            source: 0,
            row: 3,
            date: Date {
                year: 2023,
                month: 12,
                day: 31,
            },
            unit: 2,
            project,
            kind: SpendKind::Project,
            econ: 0,
            fund: Fund::Other,
            drawn: Drawn::Unknown,
            voucher,
            memo: "",
            amount,
        }
    }

    #[test]
    fn rows_round_trip_through_the_columns_and_a_remap() {
        let mut a = Ledger::default();
        let s = a.source_id(&Arc::from("f.xlsx"), &Arc::from("支付明细"));
        let p = a.projects.id("乙项目");
        let q = a.projects.id("甲项目");
        a.econs.id("30227");
        a.push(NewRow {
            source: s,
            ..row("ZF1", p, 5)
        });
        a.push(NewRow {
            memo: "冲销，退回",
            ..row("", q, -7)
        });
        assert_eq!(a.len(), 2);
        let r = a.get(0);
        assert_eq!(
            (r.voucher, r.project, r.econ, r.amount),
            ("ZF1", "乙项目", "30227", 5)
        );
        assert_eq!(r.date.to_string(), "2023-12-31");
        assert_eq!(&**r.file, "f.xlsx");
        assert_eq!(a.voucher(1), "");

        let mut all = Ledger::default();
        all.projects.id("甲项目");
        let m = all.remap(&a);
        all.push_from(&a, 0, &m);
        all.push_from(&a, 1, &m);
        let (x, y) = (all.get(0), all.get(1));
        assert_eq!((x.project, y.project), ("乙项目", "甲项目"));
        assert_eq!((x.project_id, y.project_id), (1, 0));
        assert_eq!((x.voucher, y.voucher, y.amount), ("ZF1", "", -7));
        assert_eq!((x.memo, y.memo), ("", "冲销，退回"));
        assert_eq!(unpack_date(pack_date(x.date)), x.date);
    }

    #[test]
    fn released_texts_read_empty_and_the_rest_unchanged() {
        let mut t = Texts::default();
        for s in ["甲", "", "乙乙", "丙"] {
            t.push(s);
        }
        t.release_before(2);
        assert_eq!(
            (t.get(0), t.get(1), t.get(2), t.get(3)),
            ("", "", "乙乙", "丙")
        );
        assert_eq!(t.text, "乙乙丙", "released bytes are freed");
        t.push("丁");
        t.release_before(1);
        assert_eq!((t.get(2), t.get(4), t.get(5)), ("乙乙", "丁", ""));
        t.release_before(9);
        assert_eq!((t.get(3), t.get(4), t.text.len()), ("", "", 0));
        t.push("戊");
        assert_eq!((t.get(4), t.get(5)), ("", "戊"));
    }

    #[test]
    fn room_is_reserved_once_for_the_files_to_come_within_a_bound() {
        let mut file = Ledger::default();
        file.source_id(&Arc::from("f.xlsx"), &Arc::from("支付明细"));
        file.econs.id("30227");
        let p = file.projects.id("甲项目");
        for _ in 0..3 {
            file.push(row("ZF1", p, 5));
        }
        let mut run = Ledger::default();
        // Eleven more files like this one: room for all twelve at once.
        run.reserve_like(&[&file], 12);
        assert!(run.amount.capacity() >= 36 && run.vouchers.end.capacity() >= 36);
        assert!(run.vouchers.text.capacity() >= 36 * 3);
        let m = run.remap(&file);
        for i in 0..3 {
            run.push_from(&file, i, &m);
        }
        let cap = run.amount.capacity();
        run.reserve_like(&[&file], 12);
        assert_eq!(run.amount.capacity(), cap, "fits: nothing reserved");
        assert_eq!((run.len(), run.get(2).voucher), (3, "ZF1"));
        // Any number of files to come: never more than the bound.
        let mut run = Ledger::default();
        run.reserve_like(&[&file], usize::MAX);
        assert!(run.amount.capacity() <= RESERVE_ROWS + 3);
    }
}
