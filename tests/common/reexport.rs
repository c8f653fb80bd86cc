//! Re-exports an export folder under other header names: the same rows and amounts, only the
//! header row renamed, columns split, added or removed — as a real 预算管理一体化 system would
//! write the same ledgers. Used by `examples/reexport.rs` (which writes
//! `fixtures/yueyang-2023-yitihua/`) and by the tests of real header variants.
//!
//! Every sheet is read with calamine (CSV with the csv crate, GBK decoded) into a grid, the
//! sheet's operations are applied to its header row and data rows, and it is written back as
//! `.xlsx` with rust_xlsxwriter. The product's own reader is not used.
#![allow(dead_code)]

use calamine::{Data, Reader, open_workbook_auto};
use std::path::Path;

/// One cell of a re-exported sheet.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Num(f64),
    /// An Excel date serial, written with a date format.
    Date(f64),
}

impl Cell {
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.trim().to_string(),
            Cell::Num(x) | Cell::Date(x) => x.to_string(),
        }
    }
}

/// One sheet: its name, its rows, and the index of its header row (the first row with at
/// least three of the sample's header names).
pub struct Grid {
    pub name: String,
    pub rows: Vec<Vec<Cell>>,
    pub header: Option<usize>,
    /// Merged ranges (first row, first column, last row, last column), written as merges.
    pub merges: Vec<(u32, u16, u32, u16)>,
}

/// The header names of the bundled sample (its own vocabulary), used to find header rows.
const KNOWN: &[&str] = &[
    "支付日期",
    "记账日期",
    "支付凭证号",
    "凭证号",
    "预算单位",
    "预算单位名称",
    "单位名称",
    "单位编码",
    "项目名称",
    "支出项目",
    "支出类型",
    "经济分类",
    "部门经济分类科目",
    "资金性质",
    "资金来源",
    "摘要",
    "用途",
    "支付金额",
    "发生额（元）",
    "指标类型",
    "指标文号",
    "指标金额",
    "一级指标",
    "二级指标",
    "三级指标",
    "分值",
    "指标方向",
];

impl Grid {
    fn header_row(&self) -> &[Cell] {
        &self.rows[self.header.expect("a sheet with a header")]
    }

    /// The column whose header is one of `names`.
    pub fn col(&self, names: &[&str]) -> Option<usize> {
        let h = self.header?;
        self.rows[h]
            .iter()
            .position(|c| names.contains(&c.text().as_str()))
    }

    /// The data rows (below the header) that are not blank and not 合计/footer rows: the rows
    /// a transform may rewrite.
    fn data_rows(&self) -> Vec<usize> {
        let Some(h) = self.header else {
            return Vec::new();
        };
        (h + 1..self.rows.len())
            .filter(|&r| {
                let first = self.rows[r]
                    .iter()
                    .map(Cell::text)
                    .find(|t| !t.is_empty())
                    .unwrap_or_default();
                !first.is_empty()
                    && !["合计", "总计", "小计"].contains(&first.replace(' ', "").as_str())
                    && !first.starts_with("制表")
            })
            .collect()
    }

    /// Renames the header cell named one of `old` to `new`.
    pub fn rename(&mut self, old: &[&str], new: &str) -> &mut Self {
        if let (Some(c), Some(h)) = (self.col(old), self.header) {
            self.rows[h][c] = Cell::Text(new.into());
        }
        self
    }

    /// Inserts a column `name` after column `at`, its data cells computed from each row.
    pub fn insert(&mut self, at: usize, name: &str, f: impl Fn(&[Cell]) -> Cell) -> &mut Self {
        let Some(h) = self.header else { return self };
        let data = self.data_rows();
        let width = self.rows[h].len();
        for (r, row) in self.rows.iter_mut().enumerate() {
            if row.len() < width {
                row.resize(width, Cell::Empty);
            }
            let v = if r == h {
                Cell::Text(name.into())
            } else if data.contains(&r) {
                f(row)
            } else {
                Cell::Empty
            };
            row.insert((at + 1).min(row.len()), v);
        }
        self
    }

    /// Appends a column at the right.
    pub fn append(&mut self, name: &str, f: impl Fn(&[Cell]) -> Cell) -> &mut Self {
        let Some(h) = self.header else { return self };
        let width = self.rows[h].len();
        self.insert(width - 1, name, f)
    }

    /// Removes the column named one of `names`.
    pub fn remove(&mut self, names: &[&str]) -> &mut Self {
        if let Some(c) = self.col(names) {
            for row in &mut self.rows {
                if c < row.len() {
                    row.remove(c);
                }
            }
        }
        self
    }

    /// Rewrites the data cells of the column named one of `names`, given the whole row.
    pub fn map(&mut self, names: &[&str], f: impl Fn(&[Cell]) -> Cell) -> &mut Self {
        let Some(c) = self.col(names) else {
            return self;
        };
        for r in self.data_rows() {
            let v = f(&self.rows[r]);
            if c < self.rows[r].len() {
                self.rows[r][c] = v;
            }
        }
        self
    }

    /// Groups the data rows by the column named one of `by` (stable: a group's rows keep their
    /// order) and adds after each group a subtotal row — `label(group)` in that column, the
    /// group's sum in the amount column (`amount`), `off` cents added to the first one — as
    /// exports grouped by unit or project write them.
    pub fn subtotal(
        &mut self,
        by: &[&str],
        amount: &[&str],
        label: impl Fn(&str) -> String,
        off: i64,
    ) -> &mut Self {
        let (Some(key), Some(money)) = (self.col(by), self.col(amount)) else {
            return self;
        };
        let data = self.data_rows();
        let (Some(&first), Some(&last)) = (data.first(), data.last()) else {
            return self;
        };
        let width = self.rows[self.header.unwrap_or(0)].len();
        let mut block: Vec<Vec<Cell>> = self.rows[first..=last].to_vec();
        block.sort_by_key(|r| r.get(key).map(Cell::text).unwrap_or_default());
        let cents = |c: &Cell| -> i64 {
            let x = match c {
                Cell::Num(x) => *x,
                other => other.text().replace(',', "").parse::<f64>().unwrap_or(0.0),
            };
            (x * 100.0).round() as i64
        };
        let mut out: Vec<Vec<Cell>> = Vec::new();
        let mut i = 0;
        let mut first_group = true;
        while i < block.len() {
            let k = block[i][key].text();
            let mut sum = 0;
            while i < block.len() && block[i][key].text() == k {
                sum += cents(&block[i][money]);
                out.push(block[i].clone());
                i += 1;
            }
            if first_group {
                sum += off;
                first_group = false;
            }
            let mut row = vec![Cell::Empty; width];
            row[key] = Cell::Text(label(&k));
            row[money] = Cell::Num(sum as f64 / 100.0);
            out.push(row);
        }
        self.rows.splice(first..=last, out);
        self
    }

    /// Turns the header into a grouped two-row header: each run of columns named as a group's
    /// sub-columns gets the group's name above its first column (merged over the run when
    /// `merged`, else the cells to its right left empty, as a CSV writes it); every other
    /// column keeps its name above an empty cell (merged down when `merged`).
    pub fn group_header(&mut self, groups: &[(&str, &[&str])], merged: bool) -> &mut Self {
        let Some(h) = self.header else { return self };
        let names: Vec<String> = self.rows[h].iter().map(Cell::text).collect();
        let width = names.len();
        let (mut top, mut bottom) = (vec![Cell::Empty; width], vec![Cell::Empty; width]);
        let (r1, r2) = (h as u32, h as u32 + 1);
        let mut c = 0;
        // Each group is used once, in order (two groups may have the same sub-columns).
        let mut used = vec![false; groups.len()];
        while c < width {
            let group = groups.iter().enumerate().find(|(i, (_, subs))| {
                !used[*i]
                    && names
                        .get(c..c + subs.len())
                        .is_some_and(|w| w.iter().zip(subs.iter()).all(|(a, b)| a == b))
            });
            match group {
                Some((i, (g, subs))) => {
                    used[i] = true;
                    top[c] = Cell::Text(g.to_string());
                    for (i, s) in subs.iter().enumerate() {
                        bottom[c + i] = Cell::Text(s.to_string());
                    }
                    if merged && subs.len() > 1 {
                        self.merges
                            .push((r1, c as u16, r1, (c + subs.len() - 1) as u16));
                    }
                    c += subs.len();
                }
                None => {
                    top[c] = self.rows[h][c].clone();
                    if merged && !names[c].is_empty() {
                        self.merges.push((r1, c as u16, r2, c as u16));
                    }
                    c += 1;
                }
            }
        }
        self.rows[h] = bottom;
        self.rows.insert(h, top);
        self
    }

    /// Removes every title cell (above the header) that says `单位：…`.
    pub fn drop_title_unit(&mut self) -> &mut Self {
        let h = self.header.unwrap_or(0);
        for row in &mut self.rows[..h] {
            for c in row.iter_mut() {
                if c.text().replace(' ', "").starts_with("单位：") {
                    *c = Cell::Empty;
                }
            }
        }
        self
    }

    pub fn is_payment(&self) -> bool {
        self.header.is_some() && self.col(&["支付金额", "发生额（元）"]).is_some()
    }
    pub fn is_budget(&self) -> bool {
        self.header.is_some() && self.col(&["指标金额"]).is_some()
    }
    pub fn is_indicators(&self) -> bool {
        self.header.is_some() && self.col(&["一级指标"]).is_some()
    }
}

/// `30217 公务接待费` / `30217-公务接待费` → (`30217`, `公务接待费`); a name alone → ("", name).
pub fn split_econ(text: &str) -> (String, String) {
    let t = text.trim();
    let digits: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
    let rest = t[digits.len()..]
        .trim_start_matches([' ', '-', '　'])
        .trim();
    (digits, rest.to_string())
}

/// Reads every sheet of one file.
pub fn read(path: &Path) -> Vec<Grid> {
    let ext = path.extension().unwrap().to_string_lossy().to_lowercase();
    let mut grids = Vec::new();
    if ext == "csv" {
        let bytes = std::fs::read(path).unwrap();
        let text = match std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes))
        {
            Ok(s) => s.to_string(),
            Err(_) => encoding_rs::GB18030.decode(&bytes).0.into_owned(),
        };
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let rows = rdr
            .records()
            .map(|r| {
                r.unwrap()
                    .iter()
                    .map(|f| {
                        if f.is_empty() {
                            Cell::Empty
                        } else {
                            Cell::Text(f.to_string())
                        }
                    })
                    .collect()
            })
            .collect();
        grids.push(Grid {
            name: path.file_stem().unwrap().to_string_lossy().to_string(),
            rows,
            header: None,
            merges: Vec::new(),
        });
    } else {
        let mut wb = open_workbook_auto(path).unwrap();
        for name in wb.sheet_names() {
            let range = wb.worksheet_range(&name).unwrap();
            let (h, w) = range.end().map(|e| (e.0 + 1, e.1 + 1)).unwrap_or((0, 0));
            let rows = (0..h)
                .map(|r| {
                    (0..w)
                        .map(|c| match range.get_value((r, c)) {
                            None | Some(Data::Empty) => Cell::Empty,
                            Some(Data::String(s)) => Cell::Text(s.clone()),
                            Some(Data::Float(f)) => Cell::Num(*f),
                            Some(Data::Int(i)) => Cell::Num(*i as f64),
                            Some(Data::DateTime(d)) => Cell::Date(d.as_f64()),
                            Some(d) => Cell::Text(d.to_string()),
                        })
                        .collect()
                })
                .collect();
            grids.push(Grid {
                name,
                rows,
                header: None,
                merges: Vec::new(),
            });
        }
    }
    for g in &mut grids {
        g.header = g.rows.iter().take(20).position(|row| {
            row.iter()
                .filter(|c| KNOWN.contains(&c.text().as_str()))
                .count()
                >= 3
        });
    }
    grids
}

/// Writes sheets as one `.xlsx` file.
pub fn write(path: &Path, grids: &[Grid]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    for g in grids {
        let ws = wb.add_worksheet();
        ws.set_name(&g.name).unwrap();
        for (r, row) in g.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell {
                    Cell::Empty => {}
                    Cell::Text(s) => {
                        ws.write_string(r, c, s).unwrap();
                    }
                    Cell::Num(x) => {
                        ws.write_number(r, c, *x).unwrap();
                    }
                    Cell::Date(x) => {
                        ws.write_number_with_format(r, c, *x, &date).unwrap();
                    }
                }
            }
        }
        let plain = rust_xlsxwriter::Format::new();
        for &(r1, c1, r2, c2) in &g.merges {
            let text = g.rows[r1 as usize][c1 as usize].text();
            ws.merge_range(r1, c1, r2, c2, &text, &plain).unwrap();
        }
    }
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    wb.save(path).unwrap();
}

/// Re-exports every spreadsheet under `src` into `dst` (as `.xlsx`, same relative paths),
/// applying `f` to each sheet; `jixiao.toml` is copied as it is.
pub fn reexport(src: &Path, dst: &Path, f: &dyn Fn(&mut Grid)) {
    let mut entries: Vec<_> = std::fs::read_dir(src)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        let target = dst.join(p.file_name().unwrap());
        if p.is_dir() {
            reexport(&p, &target, f);
        } else if p.file_name().unwrap() == "jixiao.toml" {
            std::fs::create_dir_all(dst).unwrap();
            std::fs::copy(&p, &target).unwrap();
        } else {
            let mut grids = read(&p);
            for g in &mut grids {
                f(g);
            }
            write(&target.with_extension("xlsx"), &grids);
        }
    }
}

/// The spend kind of a sample row: its 支出类型, else (the November export has none) basic
/// when it has no project or the project 基本支出.
fn basic_row(g: &Grid, row: &[Cell]) -> bool {
    match g.col(&["支出类型"]) {
        Some(c) => row[c].text() == "基本支出",
        None => {
            let p = g
                .col(&["项目名称", "支出项目"])
                .map(|c| row[c].text())
                .unwrap_or_default();
            p.is_empty() || p == "基本支出"
        }
    }
}

/// The sample as a provincial 预算管理一体化 system exports it: the names of the 财政部 data
/// elements and of the front end's export columns, basic spending under 人员类/运转类
/// projects with the kind only in 项目类别, the economic class split into 代码 + 名称, both
/// 支付金额 and 实际支付金额, 指标文号 and 指标类型 on the payments, a 政府支出经济分类 column
/// that must not be read as the 部门 one, the budget kind in 指标来源 beside 指标类型 = 正常指标,
/// and the indicators with 指标性质 beside 指标方向 (大于等于/小于等于).
pub fn yitihua(g: &mut Grid) {
    if g.is_payment() || g.is_budget() {
        // Project and kind: basic rows get their 一体化 project, the kind goes to 项目类别.
        let econ_col = g.col(&["经济分类", "部门经济分类科目"]).unwrap();
        let project_col = g.col(&["项目名称", "支出项目"]).unwrap();
        let kinds: Vec<(usize, bool)> = g
            .data_rows()
            .into_iter()
            .map(|r| (r, basic_row(g, &g.rows[r])))
            .collect();
        for &(r, basic) in &kinds {
            let econ = g.rows[r][econ_col].text();
            if basic {
                let personnel = econ.starts_with("301") || econ.starts_with("303");
                g.rows[r][project_col] = Cell::Text(
                    if personnel {
                        "人员类项目（工资福利）"
                    } else {
                        "运转类项目（日常公用）"
                    }
                    .into(),
                );
            }
        }
        let kind_text = |basic: bool, econ: &str| -> Cell {
            Cell::Text(
                if !basic {
                    "特定目标类项目"
                } else if econ.starts_with("301") || econ.starts_with("303") {
                    "人员类项目"
                } else {
                    "运转类项目"
                }
                .into(),
            )
        };
        let kind_by_row: std::collections::HashMap<usize, Cell> = kinds
            .iter()
            .map(|&(r, basic)| (r, kind_text(basic, &g.rows[r][econ_col].text())))
            .collect();
        g.remove(&["支出类型"]);
        let project_col = g.col(&["项目名称", "支出项目"]).unwrap();
        // Row identity survives the insert: data rows keep their index.
        let h = g.header.unwrap();
        let data = g.data_rows();
        for (r, row) in g.rows.iter_mut().enumerate() {
            let v = if r == h {
                Cell::Text("项目类别".into())
            } else if data.contains(&r) {
                kind_by_row.get(&r).cloned().unwrap_or(Cell::Empty)
            } else {
                Cell::Empty
            };
            if row.len() <= project_col {
                row.resize(project_col + 1, Cell::Empty);
            }
            row.insert(project_col + 1, v);
        }
        g.rename(&["项目名称", "支出项目"], "预算项目");
        // The economic class: code and name in two columns, and a 政府 class beside them.
        let econ_col = g.col(&["经济分类", "部门经济分类科目"]).unwrap();
        let is_payment = g.is_payment();
        let (code_name, name_name) = if is_payment {
            ("部门支出经济分类代码", "部门支出经济分类名称")
        } else {
            ("部门预算经济分类代码", "部门预算经济分类")
        };
        g.insert(econ_col, name_name, |row| {
            Cell::Text(split_econ(&row[econ_col].text()).1)
        });
        g.map(&["经济分类", "部门经济分类科目"], |row| {
            let (code, _) = split_econ(&row[econ_col].text());
            if code.is_empty() {
                Cell::Empty
            } else {
                Cell::Text(code)
            }
        });
        g.rename(&["经济分类", "部门经济分类科目"], code_name);
        g.insert(econ_col + 1, "政府支出经济分类", |_| {
            Cell::Text("50502 商品和服务支出".into())
        });
        g.rename(&["资金性质", "资金来源"], "资金性质名称");
        g.rename(&["预算单位", "预算单位名称"], "预算单位名称");
        g.rename(&["单位编码"], "单位代码");
        if is_payment {
            g.rename(&["摘要", "用途"], "资金用途");
            g.rename(&["支付凭证号", "凭证号"], "支付凭证号");
            let date = g.col(&["支付日期", "记账日期"]).unwrap();
            g.rename(&["支付日期", "记账日期"], "实际支付日期");
            g.insert(date, "凭证日期", |row| row[date].clone());
            let amount = g.col(&["支付金额", "发生额（元）"]).unwrap();
            g.rename(&["支付金额", "发生额（元）"], "实际支付金额（元）");
            g.insert(amount, "支付金额（元）", |row| row[amount].clone());
            g.append("指标文号", |_| Cell::Text("岳财预〔2023〕1号".into()));
            g.append("指标类型", |_| Cell::Text("正常指标".into()));
        } else {
            g.rename(&["指标类型"], "指标来源");
            g.append("指标类型", |_| Cell::Text("正常指标".into()));
            g.rename(&["指标金额"], "金额（单位:万元）");
            g.drop_title_unit();
        }
    } else if g.is_indicators() {
        indicators_with_nature(g);
    }
}

/// The indicators with 指标性质 (正向/反向/等于/定性) beside 指标方向 (大于等于/小于等于/等于),
/// and the reason headed 偏差原因分析及改进措施.
pub fn indicators_with_nature(g: &mut Grid) {
    let Some(dir) = g.col(&["指标方向"]) else {
        return;
    };
    g.rename(&["指标方向"], "指标性质");
    g.insert(dir, "指标方向", |row| {
        Cell::Text(
            match row[dir].text().as_str() {
                "正向" => "大于等于",
                "反向" => "小于等于",
                "等于" => "等于",
                _ => "",
            }
            .into(),
        )
    });
    g.rename(&["偏差原因"], "偏差原因分析及改进措施");
}
