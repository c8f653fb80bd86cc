//! Stage 3 — validate: the rules of SPEC §2 that look across rows and files.
//!
//! Input: every file's [`FileResult`] from normalise, handed to a [`Validator`] one file at a
//! time in path order (while later files are still being read). Output: [`Validated`] — the
//! used payment rows (the run's columnar ledger, and their group sums file by file), budget
//! and indicator rows; every rejected row with its reasons; the
//! project dictionary (display names and row order per unit); one [`SheetSummary`] per sheet
//! for the audit; and every problem found, errors and warnings.
//!
//! Rules here: files with identical bytes; 合计/总计 rows that do not equal their sheet;
//! payments outside the report year; payment rows repeated across files (overlapping
//! exports) or within one file; unit names that match nothing (one message per name, with
//! where it was first seen, its rows, its money and the closest configured name); a folder
//! without a payment ledger.

use crate::config::Config;
use crate::diag::Problem;
use crate::ledger::{Ledger, PayRow, pack_date};
use crate::model::*;
use crate::stages::normalise::{
    AmountUnit, FileResult, HeaderCells, Kind, Rejected, TotalRow, UnitMatcher, project_key,
};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// One sheet's account for the audit (SPEC §8 `来源文件`).
#[derive(Debug, Clone)]
pub struct SheetSummary {
    pub file: Arc<str>,
    pub sheet: Arc<str>,
    pub kind: Option<Kind>,
    pub header_row: Option<u32>,
    pub amount_unit: Option<AmountUnit>,
    pub rows_read: u32,
    pub used: u32,
    pub rejected: u32,
    pub blank: u32,
    pub notes: u32,
    pub totals: Vec<TotalRow>,
    pub sum_used: Cents,
    pub sum_rejected: Cents,
    /// The sum of every data row's parsed amount (the sheet's input sum).
    pub data_sum: Cents,
    /// The 合计/总计 check: None when there is no such row or it was skipped.
    pub total_matched: Option<bool>,
}

/// The projects of each unit, in report order, with their display names.
#[derive(Debug, Clone, Default)]
pub struct Projects {
    /// Per unit: (key, display name), listed ones first, then by first appearance.
    pub per_unit: Vec<Vec<(String, String)>>,
}

impl Projects {
    /// The display name of a project key of a unit.
    pub fn display<'a>(&'a self, unit: usize, key: &'a str) -> &'a str {
        self.per_unit
            .get(unit)
            .and_then(|ps| ps.iter().find(|(k, _)| k == key))
            .map(|(_, d)| d.as_str())
            .unwrap_or(key)
    }
}

/// The result of validation.
#[derive(Debug, Clone, Default)]
pub struct Validated {
    pub payments: Ledger,
    /// The payments' group sums, file by file (combined by the aggregate stage).
    pub payment_sums: crate::stages::aggregate::Partial,
    pub budgets: Vec<Budget>,
    /// The unit's 部门整体 indicators (rows without a project).
    pub indicators: Vec<Indicator>,
    /// The projects' indicators (rows with a project, SPEC §10), keys after aliases.
    pub project_indicators: Vec<Indicator>,
    pub rejected: Vec<Rejected>,
    pub projects: Projects,
    /// Project key → its name as first typed in the run (see `project_order`).
    pub first_names: HashMap<String, String>,
    pub sheets: Vec<SheetSummary>,
    /// Files as read: (relative path, size in bytes, readable).
    pub files: Vec<(String, u64, bool)>,
    pub problems: Vec<Problem>,
    /// True when some sheet was a payment ledger.
    pub has_payment_ledger: bool,
    pub has_indicator_sheet: bool,
}

impl Validated {
    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(|p| p.is_error())
    }
    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }
}

/// Rows of one sheet that repeat rows of another sheet (SPEC §2.5, per sheet).
struct Overlap {
    file: Arc<str>,
    sheet: Arc<str>,
    first_row: u32,
    other_row: u32,
    rows: u32,
    money: Cents,
}

/// Identical rows inside one sheet listed one by one before they are summarised.
const REPEATS_LISTED: usize = 5;

/// Voucher, date, unit, project, econ, fund and amount all equal (`a` from the run's
/// ledger, `b` from a sheet whose project and class ids are mapped to `project`, `econ`).
fn same_payment(a: &PayRow, b: &PayRow, project: u32, econ: u32) -> bool {
    a.voucher == b.voucher
        && a.date == b.date
        && a.unit == b.unit
        && a.project_id == project
        && a.econ_id == econ
        && a.fund == b.fund
        && a.amount == b.amount
}

/// The cross-row rules, applied file by file in path order (see the module docs): the
/// pipeline validates each file as soon as it and the files before it are read, so this
/// runs while later files are still being read, and each file's rows move into the run's
/// ledger at once.
pub struct Validator<'a> {
    cfg: &'a Config,
    units: &'a UnitMatcher,
    v: Validated,
    /// (fingerprint, size) of each file used → its path: identical files.
    seen_bytes: HashMap<(u64, u64), String>,
    /// Hash of a row's SPEC §2.5 fields → index of its first row in the run's ledger.
    /// (The table holds row indexes, 4 bytes a row; `keys` the key of every row of the
    /// run's ledger, 8 bytes a row, read when the table grows.) One table per month of the
    /// row's date (equal rows share their date): a month's table stays in cache while its
    /// file is validated, where one table for the year missed the cache on every row.
    dup_keys: [hashbrown::HashTable<u32>; 13],
    keys: Vec<u64>,
    /// Project key → its name as first typed.
    display: HashMap<String, String>,
    /// The rows of the run's ledger the last file added.
    last_rows: std::ops::Range<usize>,
    /// How many files are still to come after the next one (a hint for reserving room).
    files_after: usize,
    unrecognised: Vec<(Arc<str>, Arc<str>, Option<HeaderCells>)>,
    /// (unit, project key) of another spelling → the project's key (`project_aliases`).
    aliases: HashMap<(usize, String), String>,
}

impl<'a> Validator<'a> {
    pub fn new(cfg: &'a Config, units: &'a UnitMatcher) -> Validator<'a> {
        let mut aliases = HashMap::new();
        let mut display = HashMap::new();
        for (u, unit) in cfg.units.iter().enumerate() {
            for (alias, target) in &unit.project_aliases {
                let key = project_key(target);
                display
                    .entry(key.clone())
                    .or_insert_with(|| target.trim().to_string());
                aliases.insert((u, project_key(alias)), key);
            }
        }
        Validator {
            aliases,
            cfg,
            units,
            v: Validated::default(),
            seen_bytes: HashMap::new(),
            dup_keys: Default::default(),
            keys: Vec::new(),
            display,
            last_rows: 0..0,
            files_after: 0,
            unrecognised: Vec::new(),
        }
    }

    /// The run's ledger so far, the rows the last file added to it, and each project key's
    /// name as first typed so far (what the detail CSV needs to write that file's rows).
    pub fn last_file(&self) -> (&Ledger, std::ops::Range<usize>, &HashMap<String, String>) {
        (&self.v.payments, self.last_rows.clone(), &self.display)
    }

    /// Frees the memos of the run's rows before row `n` (the detail CSV has written them;
    /// nothing else reads memos): long memos are the largest text of a row, ~100 MB for a
    /// year of 1.2 million payments.
    pub fn release_memos(&mut self, n: usize) {
        self.v.payments.memos.release_before(n);
    }

    /// How many files will follow the next one: the run's ledger then reserves room as if
    /// each were like it, once, instead of doubling its columns again and again (each
    /// doubling copied them into fresh pages: ~1.5 % of a 12-file run). Room never used is
    /// only address space: its pages are never touched.
    pub fn expect_files(&mut self, after: usize) {
        self.files_after = after;
    }

    /// The next file, in path order.
    pub fn file(&mut self, mut f: FileResult) {
        let incoming: Vec<&Ledger> = f.sheets.iter().map(|s| &s.payments).collect();
        self.v
            .payments
            .reserve_like(&incoming, 1 + self.files_after);
        let rows: usize = incoming.iter().map(|l| l.len()).sum();
        if rows > 0 && self.keys.capacity() < self.keys.len() + rows {
            self.keys
                .reserve(crate::ledger::reserve_rows(rows, 1 + self.files_after));
        }
        let v = &mut self.v;
        let read = f.read_error.is_none();
        v.files.push((f.rel.clone(), f.size, read));
        if let Some(p) = f.read_error.take() {
            v.problems.push(p);
        }
        // Identical files: the later one by path is reported and not used.
        let earlier = self
            .seen_bytes
            .get(&(f.fingerprint, f.size))
            .filter(|_| read);
        if let Some(first) = earlier {
            v.problems.push(
                Problem::error(format!(
                    "与文件“{first}”内容完全相同（重复导出？），本文件未使用"
                ))
                .file(&f.rel),
            );
            for s in &mut f.sheets {
                let reason = format!("重复文件：与“{first}”相同");
                move_all_to_rejected(s, &reason);
            }
        } else if read {
            self.seen_bytes
                .insert((f.fingerprint, f.size), f.rel.clone());
        }
        let year = self.cfg.report.year;
        let as_of = self.cfg.report.as_of_date();
        let first_row = v.payments.len();
        let (dup_keys, keys, display, unrecognised) = (
            &mut self.dup_keys,
            &mut self.keys,
            &mut self.display,
            &mut self.unrecognised,
        );
        for mut s in f.sheets {
            v.problems.append(&mut s.problems);
            if s.kind.is_none() {
                unrecognised.push((
                    s.file.clone(),
                    s.sheet.clone(),
                    s.unrecognised_header.take(),
                ));
            }
            for (k, d) in &s.projects {
                display.entry(k.clone()).or_insert_with(|| d.clone());
            }
            match s.kind {
                Some(Kind::Payment) => v.has_payment_ledger = true,
                Some(Kind::Indicators) => v.has_indicator_sheet = true,
                _ => {}
            }
            // Payments: the report year, then repeated rows, in one pass over the sheet's
            // rows; the used ones are appended to the run's ledger as they are decided.
            let m = v.payments.remap(&s.payments);
            let first_used = v.payments.len();
            let mut overlaps: Vec<Overlap> = Vec::new();
            let mut repeats = 0usize;
            let last_day = as_of.map_or(i32::MAX, pack_date);
            for i in 0..s.payments.len() {
                let date = s.payments.date[i];
                if date / 10_000 != year || date > last_day {
                    let p = s.payments.get(i);
                    let after_as_of = date > last_day;
                    let msg = if after_as_of {
                        format!(
                            "支付日期 {} 晚于配置的截至日期 {}（report.as_of）",
                            p.date,
                            as_of.map(|d| d.to_string()).unwrap_or_default()
                        )
                    } else {
                        format!("支付日期 {} 不在报告年度 {year} 年内", p.date)
                    };
                    v.problems
                        .push(Problem::error(msg.clone()).at(p.file, p.sheet, p.row, None));
                    s.rejected.push(rejected_payment(&p, msg));
                    continue;
                }
                // Rows are keyed by a hash of the SPEC §2.5 fields (8 bytes a row, not
                // copies of its strings, hashed by normalise); a hit is confirmed field by
                // field.
                let key = s.payments.dup_key[i];
                let dup_keys = &mut dup_keys[(date / 100 % 100).clamp(0, 12) as usize];
                let found = dup_keys.find(key, |&j| keys[j as usize] == key).copied();
                let Some(idx) = found else {
                    v.payments.push_from(&s.payments, i, &m);
                    keys.push(key);
                    let keys = &*keys;
                    dup_keys.insert_unique(key, keys.len() as u32 - 1, |&j| keys[j as usize]);
                    continue;
                };
                let p = s.payments.get(i);
                let (project, econ) = (m.project(p.project_id), m.econ(p.econ_id));
                let earlier = Some(v.payments.get(idx as usize))
                    .filter(|q| same_payment(q, &p, project, econ))
                    .map(|q| (q.file.clone(), q.sheet.clone(), q.row));
                match earlier {
                    // A row that repeats a row of another sheet (of this file or another):
                    // an overlapping export or a copied sheet. Not used; one error per pair
                    // of sheets, below.
                    Some((file, sheet, row)) if (&*file, &*sheet) != (&**p.file, &**p.sheet) => {
                        let msg = format!(
                            "与“{file} › {sheet}”第{row}行完全相同（凭证号、日期、单位、项目、经济分类、资金性质、金额均一致）：导出期间重叠或工作表被复制？此行未使用"
                        );
                        match overlaps
                            .iter_mut()
                            .find(|o| o.file == file && o.sheet == sheet)
                        {
                            Some(o) => {
                                o.rows += 1;
                                o.money += p.amount;
                            }
                            None => overlaps.push(Overlap {
                                file,
                                sheet,
                                first_row: p.row,
                                other_row: row,
                                rows: 1,
                                money: p.amount,
                            }),
                        }
                        s.rejected.push(rejected_payment(&p, msg));
                        continue;
                    }
                    Some((_, _, row)) => {
                        repeats += 1;
                        if repeats <= REPEATS_LISTED {
                            v.problems.push(
                                Problem::warning(format!(
                                    "与本表第{row}行完全相同，请确认不是重复录入（已计入）"
                                ))
                                .at(p.file, p.sheet, p.row, None),
                            );
                        }
                    }
                    // A different row with the same hash: used (the first keeps the key).
                    None => {}
                }
                v.payments.push_from(&s.payments, i, &m);
                keys.push(key);
            }
            if !self.aliases.is_empty() {
                apply_project_aliases(&self.aliases, v, first_used, &mut s);
            }
            let used_payments = v.payments.len() - first_used;
            let sum_used_payments: Cents = v.payments.amount[first_used..].iter().sum();
            s.payments = Ledger::default();
            for o in &overlaps {
                v.problems.push(
                Problem::error(format!(
                    "本表有 {} 行（金额 {} 元）与“{} › {}”的行完全相同（首行为第{}行，对应其第{}行）：导出期间重叠或工作表被复制？这些行未使用",
                    o.rows,
                    yuan(o.money),
                    o.file,
                    o.sheet,
                    o.first_row,
                    o.other_row
                ))
                .at(&s.file, &s.sheet, o.first_row, None),
            );
            }
            if repeats > REPEATS_LISTED {
                v.problems.push(
                Problem::warning(format!(
                    "本表另有 {} 行与本表前面的某行完全相同，请确认不是重复录入（已计入；明细见支出明细 CSV）",
                    repeats - REPEATS_LISTED
                ))
                .file(&s.file)
                .sheet(&s.sheet),
            );
            }

            // 合计/总计 rows must equal the sheet's data rows.
            let mut total_matched = None;
            if !s.amount_unreadable {
                subtotals(&mut v.problems, &s);
                for t in s.totals.iter().filter(|t| t.is_grand()) {
                    let ok = t.amount == Some(s.data_sum);
                    total_matched = Some(total_matched.unwrap_or(true) && ok);
                    if !ok {
                        let shown = t
                            .amount
                            .map(|a| format!("{} 元", yuan(a)))
                            .unwrap_or_else(|| "无法读取".into());
                        v.problems.push(
                        Problem::error(format!(
                            "{}行金额为 {shown}，但本表各数据行之和为 {} 元（相差 {} 元）：导出不完整或被截断？",
                            t.label,
                            yuan(s.data_sum),
                            yuan(t.amount.unwrap_or(0) - s.data_sum)
                        ))
                        .at(&s.file, &s.sheet, t.row, None),
                    );
                    }
                }
            }

            let sum_used: Cents =
                sum_used_payments + s.budgets.iter().map(raw_budget_amount).sum::<Cents>();
            let sum_rejected: Cents = s.rejected.iter().filter_map(|r| r.amount).sum();
            v.sheets.push(SheetSummary {
                file: s.file.clone(),
                sheet: s.sheet.clone(),
                kind: s.kind,
                header_row: s.header_row,
                amount_unit: s.amount_unit,
                rows_read: s.rows_read,
                used: (used_payments + s.budgets.len() + s.indicators.len()) as u32,
                rejected: s.rejected.len() as u32,
                blank: s.blank,
                notes: s.notes.len() as u32,
                totals: s.totals.clone(),
                sum_used,
                sum_rejected,
                data_sum: s.data_sum,
                total_matched,
            });
            v.budgets.append(&mut s.budgets);
            // A project's indicators are its form's (SPEC §10), never the unit's score.
            for i in s.indicators.drain(..) {
                if i.project.is_empty() {
                    v.indicators.push(i);
                } else {
                    v.project_indicators.push(i);
                }
            }
            v.rejected.append(&mut s.rejected);
        }
        crate::timing::time("sum-file", || self.sum_file(first_row));
        self.last_rows = first_row..self.v.payments.len();
    }

    /// The group sums of the rows the last file added (see `aggregate::Partial`).
    fn sum_file(&mut self, first_row: usize) {
        let v = &mut self.v;
        let rows = first_row..v.payments.len();
        if let Err(e) = v
            .payment_sums
            .add(&v.payments, rows, &self.cfg.classification)
        {
            v.problems.push(Problem::error(format!(
                "内部错误，请报告：汇总支出明细时出错（{e}）"
            )));
        }
    }

    /// Every file seen: the rules over the whole run, and the result.
    pub fn finish(self) -> Validated {
        let mut v = self.v;
        let unrecognised = self.unrecognised;
        unknown_units(&mut v, self.cfg, self.units);
        unknown_words(&mut v);
        if !v.has_payment_ledger {
            let listed: Vec<String> = unrecognised
                .iter()
                .map(|(file, sheet, h)| match h {
                    Some((row, cells)) => {
                        let shown: Vec<&str> = cells.iter().take(16).map(|c| c.as_str()).collect();
                        format!("{file} › {sheet} › 第{row}行：{}", shown.join("、"))
                    }
                    None => format!("{file} › {sheet}：空表"),
                })
                .collect();
            let detail = if listed.is_empty() {
                String::new()
            } else {
                format!("。未能识别的工作表及其表头：\n  {}", listed.join("\n  "))
            };
            v.problems.push(Problem::error(format!(
                "输入文件夹中没有支出明细表（需要含“单位名称”和“支付金额”“实际支付金额”等金额列的表）{detail}"
            )));
        }
        v.projects = project_order(&v, self.cfg, &self.display);
        v.first_names = self.display;
        v
    }
}

/// Other spellings of a project (`project_aliases`) replaced by the project's key: in the
/// run's ledger rows from `first_row` on, and in the sheet's budget and indicator rows.
fn apply_project_aliases(
    aliases: &HashMap<(usize, String), String>,
    v: &mut Validated,
    first_row: usize,
    s: &mut crate::stages::normalise::SheetResult,
) {
    let l = &mut v.payments;
    // Decided once per (unit, project id) of the sheet's rows.
    let mut to: HashMap<(u32, u32), u32> = HashMap::new();
    for i in first_row..l.len() {
        let (unit, project) = (l.unit[i], l.project[i]);
        let id = match to.get(&(unit, project)) {
            Some(&id) => id,
            None => {
                let key = (unit as usize, l.projects.get(project).to_string());
                let id = match aliases.get(&key) {
                    Some(target) => l.projects.id(target),
                    None => project,
                };
                to.insert((unit, project), id);
                id
            }
        };
        l.project[i] = id;
    }
    for b in &mut s.budgets {
        if let Some(target) = aliases.get(&(b.unit, b.project.to_string())) {
            b.project = Arc::from(target.as_str());
        }
    }
    for i in &mut s.indicators {
        if let Some(target) = aliases.get(&(i.unit, i.project.clone())) {
            i.project = target.clone();
        }
    }
}

/// Subtotals (a 小计, or any named total) must equal the data rows since the previous total
/// row: a warning otherwise (grouped exports subtotal each unit or project; a named 合计 that
/// equals the whole sheet is its grand total).
fn subtotals(problems: &mut Vec<Problem>, s: &crate::stages::normalise::SheetResult) {
    for t in s.totals.iter().filter(|t| t.named || t.label == "小计") {
        let Some(amount) = t.amount else { continue };
        if amount == t.since || (t.named && t.label != "小计" && amount == s.data_sum) {
            continue;
        }
        problems.push(
            Problem::warning(format!(
                "“{}”行金额为 {} 元，但上一合计行（或表头）以来各数据行之和为 {} 元（相差 {} 元）：请核对导出表",
                t.text,
                yuan(amount),
                yuan(t.since),
                yuan(amount - t.since)
            ))
            .at(&s.file, &s.sheet, t.row, None),
        );
    }
}

/// The amount of a budget row as typed (what the sheet's 合计 adds up).
fn raw_budget_amount(b: &Budget) -> Cents {
    b.typed_amount
}

fn rejected_payment(p: &PayRow, reason: String) -> Rejected {
    Rejected {
        prov: p.prov(),
        kind: Kind::Payment,
        reasons: vec![reason],
        raw: vec![
            ("日期".into(), p.date.to_string()),
            ("单位".into(), p.unit.to_string()),
            ("项目".into(), p.project.to_string()),
            ("经济分类".into(), p.econ.to_string()),
            ("资金性质".into(), p.fund.label().into()),
            ("凭证号".into(), p.voucher.to_string()),
            ("金额".into(), yuan(p.amount).to_string()),
        ],
        amount: Some(p.amount),
        unknown_unit: None,
        unknown_values: Vec::new(),
    }
}

fn move_all_to_rejected(s: &mut crate::stages::normalise::SheetResult, reason: &str) {
    let mut moved: Vec<Rejected> = Vec::new();
    for p in s.payments.iter() {
        moved.push(rejected_payment(&p, reason.to_string()));
    }
    s.payments = Ledger::default();
    for b in s.budgets.drain(..) {
        moved.push(Rejected {
            prov: b.prov.clone(),
            kind: Kind::Budget,
            reasons: vec![reason.to_string()],
            raw: vec![("金额".into(), yuan(b.amount).to_string())],
            amount: Some(raw_budget_amount(&b)),
            unknown_unit: None,
            unknown_values: Vec::new(),
        });
    }
    for i in s.indicators.drain(..) {
        moved.push(Rejected {
            prov: i.prov.clone(),
            kind: Kind::Indicators,
            reasons: vec![reason.to_string()],
            raw: vec![("指标名称".into(), i.name.clone())],
            amount: None,
            unknown_unit: None,
            unknown_values: Vec::new(),
        });
    }
    for r in &mut s.rejected {
        r.reasons.push(reason.to_string());
        r.unknown_unit = None;
        r.unknown_values.clear();
    }
    s.rejected.append(&mut moved);
    s.rejected.sort_by_key(|r| r.prov.row);
    s.problems.retain(|p| !p.is_error());
}

/// One error per unknown unit name: where first seen, rows, money, the closest name.
fn unknown_units(v: &mut Validated, cfg: &Config, units: &UnitMatcher) {
    let mut by_name: BTreeMap<String, (Prov, u32, Cents)> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for r in &v.rejected {
        if let Some(name) = &r.unknown_unit {
            let e = by_name.entry(name.clone()).or_insert_with(|| {
                order.push(name.clone());
                (r.prov.clone(), 0, 0)
            });
            e.1 += 1;
            e.2 += r.amount.unwrap_or(0);
        }
    }
    for name in order {
        let (prov, rows, money) = &by_name[&name];
        // A total-like label is never proposed as an alias (it would double the sums).
        let total_like =
            crate::stages::normalise::total_label(&crate::stages::normalise::norm(&name)).is_some();
        let hint = if total_like {
            "；这像是小计或合计行的名称：请确认该行是否为汇总行（汇总行的第一个文字单元格应以“小计”“合计”结尾或以“小计：”开头），不要把它加入 aliases".to_string()
        } else {
            units
                .closest(&name)
                .map(|i| format!("；最接近的配置单位是“{}”，如是同一单位请在 jixiao.toml 的 aliases 中加入此名称", cfg.units[i].name))
                .unwrap_or_default()
        };
        v.problems.push(
            Problem::error(format!(
                "单位名称“{name}”未在配置中：共 {rows} 行、金额 {} 元，首次出现于此{hint}",
                yuan(*money)
            ))
            .at(&prov.file, &prov.sheet, prov.row, None),
        );
    }
}

/// One error per word of a fund, spend-kind or budget-kind cell that no vocabulary knows
/// (SPEC §2.3): its rows, its money, where first seen, and the `[values]` line to add.
fn unknown_words(v: &mut Validated) {
    use crate::stages::normalise::ValueField;
    type Seen = (Prov, Option<u32>, u32, Cents);
    let mut by_word: BTreeMap<(ValueField, String), Seen> = BTreeMap::new();
    let mut order: Vec<(ValueField, String)> = Vec::new();
    for r in &v.rejected {
        for (field, word, col) in &r.unknown_values {
            let key = (*field, word.clone());
            let e = by_word.entry(key.clone()).or_insert_with(|| {
                order.push(key);
                (r.prov.clone(), *col, 0, 0)
            });
            e.2 += 1;
            e.3 += r.amount.unwrap_or(0);
        }
    }
    for (field, word) in order {
        let (prov, col, rows, money) = &by_word[&(field, word.clone())];
        v.problems.push(
            Problem::error(format!(
                "{}“{word}”无法识别：共 {rows} 行、金额 {} 元未使用，首次出现于此。如是本系统对{}的写法，请在 jixiao.toml 中加入（等号右边填 {} 之一）：\n  [values.{}]\n  \"{word}\" = \"\"",
                field.label(),
                yuan(*money),
                field.label(),
                field.targets(),
                field.section()
            ))
            .at(&prov.file, &prov.sheet, prov.row, *col),
        );
    }
}

/// Per unit: the configured projects first, then the others by first appearance.
fn project_order(v: &Validated, cfg: &Config, display: &HashMap<String, String>) -> Projects {
    let mut per_unit: Vec<Vec<(String, String)>> = cfg
        .units
        .iter()
        .map(|u| {
            u.projects
                .iter()
                .map(|p| (project_key(p), p.trim().to_string()))
                .collect()
        })
        .collect();
    let mut seen: std::collections::HashSet<(usize, &str)> = per_unit
        .iter()
        .enumerate()
        .flat_map(|(u, ps)| ps.iter().map(move |(k, _)| (u, k.as_str())))
        .collect();
    // Distinct (unit, project id) pairs of the ledger first (integers, one pass), then
    // their texts.
    let l = &v.payments;
    let mut pairs: hashbrown::HashSet<(u32, u32)> = hashbrown::HashSet::new();
    let rows = (0..l.len())
        .filter(|&i| pairs.insert((l.unit[i], l.project[i])))
        .map(|i| (l.unit[i] as usize, l.projects.get(l.project[i])))
        .collect::<Vec<_>>()
        .into_iter()
        .chain(v.budgets.iter().map(|b| (b.unit, &*b.project)));
    let mut found: Vec<(usize, &str)> = Vec::new();
    for (unit, key) in rows {
        if !key.is_empty() && seen.insert((unit, key)) {
            found.push((unit, key));
        }
    }
    for (unit, key) in found {
        let d = display.get(key).cloned().unwrap_or_else(|| key.to_string());
        per_unit[unit].push((key.to_string(), d));
    }
    Projects { per_unit }
}
