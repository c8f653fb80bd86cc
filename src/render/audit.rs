//! The audit workbook `{year}年度核对底稿.xlsx` and the detail CSV `{year}年度支出明细.csv`
//! (SPEC §8). Every figure of the report can be traced from here to its ledger rows.

use crate::config::Config;
use crate::diag::Problem;
use crate::ledger::Ledger;
use crate::model::*;
use crate::pipeline::{Check, Outcome};
use crate::render::report::{new_workbook, write_table};
use crate::render::style::Styles;
use crate::tables::{Cell, RowStyle, Table};
use anyhow::Result;
use rust_decimal::Decimal;
use rust_xlsxwriter::Worksheet;
use std::collections::HashMap;
use std::io::Write;

/// Excel's row limit, less the title and header rows.
const MAX_ROWS: usize = 1_048_576 - 4;

fn table(sheet: &str, title: &str, names: &[&str]) -> Table {
    Table::new(sheet, title.to_string(), false, names)
}

fn yuan_cell(c: Cents) -> Cell {
    Cell::Fixed(yuan(c), 2)
}

fn count(n: u32) -> Cell {
    Cell::Number(Decimal::from(n))
}

fn ok_cell(ok: bool) -> Cell {
    Cell::text(if ok { "一致" } else { "不一致" })
}

fn push_limited(t: &mut Table, style: RowStyle, cells: Vec<Cell>) {
    if t.rows.len() < MAX_ROWS {
        t.rows.push((style, cells));
    } else if t.rows.len() == MAX_ROWS {
        t.rows.push((
            RowStyle::Highlight,
            vec![Cell::text(
                "超过工作表行数上限，其余行见明细 CSV 或错误输出",
            )],
        ));
    }
}

/// The audit workbook as bytes, and the workbook to free ([`super::drop_later`]).
///
/// # Errors
/// Only an internal writer error.
pub fn audit_bytes(
    cfg: &Config,
    o: &Outcome,
    earlier: Option<&str>,
) -> Result<(Vec<u8>, super::Leftover)> {
    let year = cfg.report.year;
    let mut first = sources(o, year);
    // On exit 1, the report files an earlier run left beside this audit are said at the top.
    if let Some(note) = earlier.filter(|_| o.has_errors()) {
        first.note = Some(match first.note.take() {
            Some(n) => format!("{note}\n{n}"),
            None => note.to_string(),
        });
    }
    let tables = [
        first,
        checks(&o.checks, year),
        tails(o, year),
        exceptions(o, year),
        findings(o, year),
        problems(&o.problems, year),
        project_money(cfg, o, year),
    ];
    let budgets = budget_detail(cfg, o, year);
    let mut wb = new_workbook(year, &format!("{year}年度核对底稿"))?;
    // The fastest deflate: the 预算明细 sheet of a city's year is ~7 MB of XML; the default
    // level took ~0.07 s longer, at the end of the run, to make the file 0.67 MB, not 1.2 MB.
    wb.set_zip_compression_level(1);
    let st = Styles::new();
    // The sheets are filled apart (rust_xlsxwriter hashes every cell's format: the
    // 预算明细 sheet of a city's year, ~185,000 cells, took ~0.08 s), 预算明细 beside the
    // rest, then added in order; their texts and formats are numbered when saved.
    let sheet = |t: &Table| -> Result<Worksheet> {
        let mut ws = Worksheet::new();
        write_table(&mut ws, t, &st)?;
        Ok(ws)
    };
    let (sheets, last) = rayon::join(
        || tables.iter().map(sheet).collect::<Result<Vec<_>>>(),
        || sheet(&budgets),
    );
    for ws in sheets?.into_iter().chain([last?]) {
        wb.push_worksheet(ws);
    }
    let bytes = wb.save_to_buffer()?;
    Ok((bytes, Box::new((wb, tables, budgets))))
}

fn sources(o: &Outcome, year: i32) -> Table {
    let mut t = table(
        "来源文件",
        &format!("{year}年度来源文件清单"),
        &[
            "文件",
            "工作表",
            "类型",
            "表头行",
            "金额单位",
            "读取行数",
            "使用行数",
            "拒绝行数",
            "空行",
            "说明行",
            "合计行",
            "行数平衡",
            "使用金额（元）",
            "拒绝金额（元）",
            "合计行金额（元）",
            "合计是否一致",
        ],
    );
    let v = &o.validated;
    for (file, _, readable) in &v.files {
        if !readable {
            let mut cells = vec![Cell::text(file), Cell::Empty, Cell::text("无法读取")];
            cells.extend((0..13).map(|_| Cell::Empty));
            t.rows.push((RowStyle::Highlight, cells));
            continue;
        }
        for s in v.sheets.iter().filter(|s| &*s.file == file) {
            let accounted = s.used + s.rejected + s.blank + s.notes + s.totals.len() as u32;
            let total_value = s
                .totals
                .iter()
                .find(|t| t.is_grand())
                .and_then(|t| t.amount);
            let style = if s.kind.is_none() || s.rejected > 0 || s.total_matched == Some(false) {
                RowStyle::Highlight
            } else {
                RowStyle::Normal
            };
            let is_money =
                matches!(s.kind, Some(k) if k != crate::stages::normalise::Kind::Indicators);
            t.rows.push((
                style,
                vec![
                    Cell::text(&*s.file),
                    Cell::text(&*s.sheet),
                    Cell::text(s.kind.map(|k| k.label()).unwrap_or(if s.rows_read == 0 {
                        "空表"
                    } else {
                        "未识别"
                    })),
                    s.header_row.map(count).unwrap_or(Cell::Empty),
                    Cell::text(s.amount_unit.map(|u| u.label()).unwrap_or("")),
                    count(s.rows_read),
                    count(s.used),
                    count(s.rejected),
                    count(s.blank),
                    count(s.notes),
                    count(s.totals.len() as u32),
                    if s.kind.is_some() {
                        ok_cell(accounted == s.rows_read)
                    } else {
                        Cell::text("未使用")
                    },
                    if is_money {
                        yuan_cell(s.sum_used)
                    } else {
                        Cell::Empty
                    },
                    if is_money {
                        yuan_cell(s.sum_rejected)
                    } else {
                        Cell::Empty
                    },
                    total_value.map(yuan_cell).unwrap_or(Cell::Empty),
                    match s.total_matched {
                        Some(ok) => ok_cell(ok),
                        None if total_value.is_some() => Cell::text("未核对（有金额无法读取）"),
                        None => Cell::text("无合计行"),
                    },
                ],
            ));
        }
    }
    t
}

fn checks(checks: &[Check], year: i32) -> Table {
    let mut t = table(
        "核对",
        &format!("{year}年度金额平衡与报表数字复核"),
        &[
            "类别",
            "对象",
            "左（元）",
            "右（元）",
            "差额",
            "结果",
            "说明",
        ],
    );
    for c in checks {
        let amount = |x: Cents| {
            if c.rows {
                Cell::Number(Decimal::from(x))
            } else {
                yuan_cell(x)
            }
        };
        t.rows.push((
            if c.ok() {
                RowStyle::Normal
            } else {
                RowStyle::Highlight
            },
            vec![
                Cell::text(&c.category),
                Cell::text(&c.object),
                amount(c.left),
                amount(c.right),
                amount(c.left - c.right),
                ok_cell(c.ok()),
                Cell::text(&c.note),
            ],
        ));
    }
    t
}

/// `项目资金` (SPEC §10 proof): each form's money block by the report's path (the aggregates)
/// and by the independent path (a plain loop over the rows), in 元, four lines a form (and
/// the projects below `min_budget`, which get no form); then the sums over all forms.
fn project_money(cfg: &Config, o: &Outcome, year: i32) -> Table {
    use crate::forms::{MoneyBlock, money_block};
    let mut t = table(
        "项目资金",
        &format!("{year}年度项目支出绩效自评表资金核对"),
        &[
            "序号",
            "单位名称",
            "项目名称",
            "资金",
            "年初预算数（元）",
            "全年预算数（元）",
            "全年执行数（元）",
            "复核：年初预算数",
            "复核：全年预算数",
            "复核：全年执行数",
            "结果",
        ],
    );
    let Some(forms) = &o.forms else {
        return t;
    };
    let lines = |b: &MoneyBlock| {
        [
            ("年度资金总额", b.total),
            ("其中：本年财政拨款", b.current),
            ("上年结转资金", b.carryover),
            ("其他资金", b.other),
        ]
    };
    let listed = forms
        .forms
        .iter()
        .map(|f| {
            (
                Cell::Number(Decimal::from(f.no as i64)),
                f.unit,
                &f.key,
                f.name.clone(),
                &f.sums,
            )
        })
        .chain(forms.skipped.iter().map(|(u, k, s)| {
            (
                Cell::text("未出表"),
                *u,
                k,
                o.validated.projects.display(*u, k).to_string(),
                s,
            )
        }));
    for (no, unit, key, name, sums) in listed {
        let ours = money_block(sums);
        let theirs = o
            .project_rows
            .get(&(unit, key.clone()))
            .map(money_block)
            .unwrap_or_default();
        for (k, ((label, a), (_, b))) in lines(&ours).into_iter().zip(lines(&theirs)).enumerate() {
            let ok = a == b;
            t.rows.push((
                if ok {
                    RowStyle::Normal
                } else {
                    RowStyle::Highlight
                },
                vec![
                    if k == 0 { no.clone() } else { Cell::Empty },
                    Cell::text(&cfg.units[unit].name),
                    Cell::text(&name),
                    Cell::text(label),
                    yuan_cell(a.initial),
                    yuan_cell(a.budget),
                    yuan_cell(a.actual),
                    yuan_cell(b.initial),
                    yuan_cell(b.budget),
                    yuan_cell(b.actual),
                    ok_cell(ok),
                ],
            ));
        }
    }
    for c in o
        .checks
        .iter()
        .filter(|c| c.category == "项目自评表" && !c.rows)
    {
        t.rows.push((
            if c.ok() {
                RowStyle::Total
            } else {
                RowStyle::Highlight
            },
            vec![
                Cell::text("合计"),
                Cell::Empty,
                Cell::text(&c.object),
                Cell::text(&c.note),
                Cell::Empty,
                Cell::Empty,
                yuan_cell(c.left),
                Cell::Empty,
                Cell::Empty,
                yuan_cell(c.right),
                ok_cell(c.ok()),
            ],
        ));
    }
    t.note = Some(
        "左三列：自评表（分组汇总）；右三列：逐行复核（逐行累加支出明细和预算指标）。财政拨款支出按“结转资金优先使用”分配到上年结转资金和本年财政拨款。合计行：各表之和与报表数字（逐行复核）的对照。".into(),
    );
    t
}

fn tails(o: &Outcome, year: i32) -> Table {
    let mut t = table(
        "尾差",
        &format!("{year}年度报表尾差（各行显示值之和与合计显示值不等）"),
        &[
            "表",
            "列",
            "各行显示值之和（万元）",
            "合计显示值（万元）",
            "差（万元）",
        ],
    );
    for d in o.report.iter().flat_map(|r| &r.tail_diffs) {
        t.rows.push((
            RowStyle::Normal,
            vec![
                Cell::text(&d.sheet),
                Cell::text(&d.column),
                Cell::Fixed(d.rows_sum, 2),
                Cell::Fixed(d.total, 2),
                Cell::Fixed(d.rows_sum - d.total, 2),
            ],
        ));
    }
    if t.rows.is_empty() {
        t.rows.push((
            RowStyle::Normal,
            vec![
                Cell::text("无尾差"),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
            ],
        ));
    }
    t
}

fn exceptions(o: &Outcome, year: i32) -> Table {
    let mut t = table(
        "异常",
        &format!("{year}年度拒绝的数据行"),
        &[
            "文件",
            "工作表",
            "行",
            "类型",
            "原因",
            "金额（元）",
            "原始值",
        ],
    );
    for r in &o.validated.rejected {
        let raw = r
            .raw
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("；");
        push_limited(
            &mut t,
            RowStyle::Normal,
            vec![
                Cell::text(&*r.prov.file),
                Cell::text(&*r.prov.sheet),
                count(r.prov.row),
                Cell::text(r.kind.label()),
                Cell::text(r.reasons.join("；")),
                r.amount.map(yuan_cell).unwrap_or(Cell::Empty),
                Cell::Text(raw),
            ],
        );
    }
    t
}

fn findings(o: &Outcome, year: i32) -> Table {
    let mut t = table(
        "问题提示",
        &format!("{year}年度存在的问题（供报告“存在的问题”一节参考）"),
        &["类别", "单位", "内容"],
    );
    for f in &o.findings {
        t.rows.push((
            RowStyle::Normal,
            vec![
                Cell::text(f.category),
                Cell::text(&f.unit),
                Cell::text(&f.detail),
            ],
        ));
    }
    if t.rows.is_empty() {
        t.rows.push((
            RowStyle::Normal,
            vec![Cell::text("未发现问题"), Cell::Empty, Cell::Empty],
        ));
    }
    t
}

fn problems(ps: &[Problem], year: i32) -> Table {
    let mut t = table(
        "错误与警告",
        &format!("{year}年度输入检查结果"),
        &["级别", "位置", "内容"],
    );
    for p in ps {
        push_limited(
            &mut t,
            if p.is_error() {
                RowStyle::Highlight
            } else {
                RowStyle::Normal
            },
            vec![
                Cell::text(if p.is_error() { "错误" } else { "警告" }),
                Cell::Text(p.place()),
                Cell::text(&p.message),
            ],
        );
    }
    if t.rows.is_empty() {
        t.rows.push((
            RowStyle::Normal,
            vec![Cell::text("无"), Cell::Empty, Cell::Empty],
        ));
    }
    t
}

fn budget_detail(cfg: &Config, o: &Outcome, year: i32) -> Table {
    let mut t = table(
        "预算明细",
        &format!("{year}年度预算指标明细（已使用的行）"),
        &[
            "文件",
            "工作表",
            "行",
            "单位",
            "项目",
            "支出类型",
            "经济分类",
            "资金性质",
            "指标类型",
            "文号",
            "金额（元，调减为负）",
        ],
    );
    let v = &o.validated;
    for b in &v.budgets {
        push_limited(
            &mut t,
            RowStyle::Normal,
            vec![
                Cell::text(&*b.prov.file),
                Cell::text(&*b.prov.sheet),
                count(b.prov.row),
                Cell::text(&cfg.units[b.unit].name),
                Cell::text(v.projects.display(b.unit, &b.project)),
                Cell::text(b.kind.label()),
                Cell::text(&*b.econ),
                Cell::text(b.fund.label()),
                Cell::text(b.budget_kind.label()),
                Cell::text(&b.doc_no),
                yuan_cell(b.amount),
            ],
        );
    }
    t
}

/// The detail CSV's first bytes: the BOM and the header line.
const CSV_HEAD: &str = "\u{FEFF}文件,工作表,行,支付日期,月份,单位,项目,支出类型,经济分类,经济分类名称,资金性质,凭证号,摘要,金额（元）\r\n";

/// Rows formatted at a time (on every core when there are many).
const CSV_CHUNK: usize = 16_384;

/// Writes the detail CSV: UTF-8 with BOM, one line per used payment row, with provenance
/// and every normalised field. No row limit.
///
/// The same bytes as a run's [`DetailCsv`], which writes each file's rows as soon as they
/// are validated; this form works from the finished validation (projects' display names
/// from its per-unit lists).
///
/// # Errors
/// The writer's error.
pub fn write_detail_csv(
    cfg: &Config,
    v: &crate::stages::validate::Validated,
    w: &mut dyn Write,
) -> Result<()> {
    w.write_all(CSV_HEAD.as_bytes())?;
    let l = &v.payments;
    let mut texts = CsvTexts::new(cfg);
    texts.extend(l);
    // By project id, its display name for each unit that has it (one unit, almost always).
    for (u, list) in v.projects.per_unit.iter().enumerate() {
        for (key, display) in list {
            if let Some(id) = l.projects.find(key) {
                texts.name_project(id, u as u32, display);
            }
        }
    }
    texts.write_rows(l, 0..l.len(), w)
}

/// The detail CSV of a run, written file by file as each file is validated (while later
/// files are still being read): its formatting is off the end of the run, where it was the
/// longest stage. Rows of a file are final once validated (later files only append), and so
/// is each project's display name once its key has been seen: the configured name for the
/// unit, else the name as first typed in the run (see `validate::project_order`).
pub struct DetailCsv {
    texts: CsvTexts,
    /// (unit, project key) → the configured name (the last of a unit's entries with that key).
    configured: HashMap<(u32, String), String>,
}

impl DetailCsv {
    /// Writes the header.
    ///
    /// # Errors
    /// The writer's error.
    pub fn new(cfg: &Config, w: &mut dyn Write) -> Result<DetailCsv> {
        w.write_all(CSV_HEAD.as_bytes())?;
        let mut configured = HashMap::new();
        for (u, unit) in cfg.units.iter().enumerate() {
            for p in &unit.projects {
                configured.insert(
                    (u as u32, crate::stages::normalise::project_key(p)),
                    p.trim().to_string(),
                );
            }
        }
        Ok(DetailCsv {
            texts: CsvTexts::new(cfg),
            configured,
        })
    }

    /// Writes rows `rows` of the run's ledger `l` (a file just validated); `display` is each
    /// project key's name as first typed so far.
    ///
    /// # Errors
    /// The writer's error.
    pub fn append(
        &mut self,
        l: &Ledger,
        rows: std::ops::Range<usize>,
        display: &HashMap<String, String>,
        w: &mut dyn Write,
    ) -> Result<()> {
        self.texts.extend(l);
        for i in rows.clone() {
            let (unit, project) = (l.unit[i], l.project[i]);
            if self.texts.project_named(project, unit) {
                continue;
            }
            let key = l.projects.get(project);
            let name = if key.is_empty() {
                key
            } else {
                self.configured
                    .get(&(unit, key.to_string()))
                    .or_else(|| display.get(key))
                    .map_or(key, String::as_str)
            };
            self.texts.name_project(project, unit, name);
        }
        self.texts.write_rows(l, rows, w)
    }
}

/// The detail CSV's repeated texts, each escaped once, by id: sources, units, projects
/// (their display names, per unit), classes with their names.
struct CsvTexts {
    sources: Vec<String>,
    units: Vec<String>,
    /// By project id: its display name for each unit that has it (one unit, almost always):
    /// an index and a short scan a row, no hashing.
    projects: Vec<Vec<(u32, String)>>,
    project_keys: Vec<String>,
    econs: Vec<String>,
    /// One buffer per chunk formatted at once, kept from file to file (fresh buffers of
    /// ~3 MB each faulted their pages in every time: ~1 % of a run).
    buffers: Vec<Vec<u8>>,
}

fn csv_field(s: &str) -> String {
    let mut f = Vec::new();
    push_csv_field(&mut f, s);
    String::from_utf8_lossy(&f).into_owned()
}

impl CsvTexts {
    fn new(cfg: &Config) -> CsvTexts {
        CsvTexts {
            sources: Vec::new(),
            units: cfg.units.iter().map(|u| csv_field(&u.name)).collect(),
            projects: Vec::new(),
            project_keys: Vec::new(),
            econs: Vec::new(),
            buffers: Vec::new(),
        }
    }

    /// Takes in the ledger's sources, projects and classes added since the last call (ids
    /// only grow).
    fn extend(&mut self, l: &Ledger) {
        for (file, sheet) in &l.sources[self.sources.len().min(l.sources.len())..] {
            self.sources
                .push(format!("{},{}", csv_field(file), csv_field(sheet)));
        }
        let keys = l.projects.values();
        for k in &keys[self.project_keys.len().min(keys.len())..] {
            self.project_keys.push(csv_field(k));
        }
        self.projects.resize_with(keys.len(), Vec::new);
        let econs = l.econs.values();
        for e in &econs[self.econs.len().min(econs.len())..] {
            self.econs.push(format!(
                "{},{}",
                csv_field(e),
                csv_field(crate::econ::name_for_code(e).unwrap_or(""))
            ));
        }
    }

    fn project_named(&self, project: u32, unit: u32) -> bool {
        self.projects
            .get(project as usize)
            .is_some_and(|names| names.iter().any(|(u, _)| *u == unit))
    }

    /// Names project `project` for `unit` (a later name for the same unit replaces it).
    fn name_project(&mut self, project: u32, unit: u32, display: &str) {
        let Some(names) = self.projects.get_mut(project as usize) else {
            return;
        };
        let shown = csv_field(display);
        match names.iter_mut().find(|(u, _)| *u == unit) {
            Some(named) => named.1 = shown,
            None => names.push((unit, shown)),
        }
    }

    /// Formats rows `range` into `out` (cleared first).
    fn format_rows(&self, l: &Ledger, range: std::ops::Range<usize>, out: &mut Vec<u8>) {
        out.clear();
        out.reserve(range.len() * 200);
        for i in range {
            let d = l.date[i];
            let (unit, project) = (l.unit[i], l.project[i]);
            let project = self.projects[project as usize]
                .iter()
                .find(|(u, _)| *u == unit)
                .map_or(&self.project_keys[project as usize], |(_, name)| name);
            out.extend_from_slice(self.sources[l.source[i] as usize].as_bytes());
            out.push(b',');
            push_int(out, u64::from(l.row[i]), 1);
            out.push(b',');
            push_int(out, (d / 10_000).max(0) as u64, 4);
            out.push(b'-');
            push_int(out, (d / 100 % 100).max(0) as u64, 2);
            out.push(b'-');
            push_int(out, (d % 100).max(0) as u64, 2);
            out.push(b',');
            push_int(out, (d / 100 % 100).max(0) as u64, 1);
            for f in [
                self.units.get(unit as usize).map_or("", |s| s.as_str()),
                project,
                l.kind[i].label(),
                &self.econs[l.econ[i] as usize],
                l.fund[i].label(),
            ] {
                out.push(b',');
                out.extend_from_slice(f.as_bytes());
            }
            out.push(b',');
            push_csv_field(out, l.voucher(i));
            out.push(b',');
            push_csv_field(out, l.memos.get(i));
            out.push(b',');
            if l.amount[i] < 0 {
                out.push(b'-');
            }
            let a = l.amount[i].unsigned_abs();
            push_int(out, a / 100, 1);
            out.push(b'.');
            push_int(out, a % 100, 2);
            out.extend_from_slice(b"\r\n");
        }
    }

    /// Formats rows `rows` (chunks on every core, a bounded number in memory at once) and
    /// writes them in order.
    fn write_rows(
        &mut self,
        l: &Ledger,
        rows: std::ops::Range<usize>,
        w: &mut dyn Write,
    ) -> Result<()> {
        use rayon::prelude::*;
        let chunks: Vec<std::ops::Range<usize>> = rows
            .clone()
            .step_by(CSV_CHUNK)
            .map(|s| s..(s + CSV_CHUNK).min(rows.end))
            .collect();
        let at_once = 2 * rayon::current_num_threads().max(1);
        let mut buffers = std::mem::take(&mut self.buffers);
        buffers.resize_with(at_once.min(chunks.len()).max(buffers.len()), Vec::new);
        for batch in chunks.chunks(at_once) {
            let this = &*self;
            buffers
                .par_iter_mut()
                .zip(batch.par_iter())
                .for_each(|(out, r)| this.format_rows(l, r.clone(), out));
            for bytes in &buffers[..batch.len()] {
                w.write_all(bytes)?;
            }
        }
        self.buffers = buffers;
        Ok(())
    }
}

/// `n` in decimal, zero-padded to `width` digits.
fn push_int(out: &mut Vec<u8>, mut n: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut at = digits.len();
    while n > 0 || digits.len() - at < width {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    out.extend_from_slice(&digits[at..]);
}

/// A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180).
fn push_csv_field(out: &mut Vec<u8>, s: &str) {
    // Bytes, not chars: these ASCII bytes never occur inside a multi-byte character.
    if s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        out.push(b'"');
        for b in s.bytes() {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(s.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn integers_and_fields_as_the_csv_writes_them() {
        let mut out = Vec::new();
        for (n, w) in [(0, 1), (7, 2), (2023, 4), (5, 1), (1234567, 2), (3, 4)] {
            super::push_int(&mut out, n, w);
            out.push(b' ');
        }
        assert_eq!(String::from_utf8(out).unwrap(), "0 07 2023 5 1234567 0003 ");
        let mut f = Vec::new();
        super::push_csv_field(&mut f, "a,\"b\"");
        super::push_csv_field(&mut f, "摘要，含全角逗号");
        assert_eq!(
            String::from_utf8(f).unwrap(),
            "\"a,\"\"b\"\"\"摘要，含全角逗号"
        );
    }
}
