//! The header resolver (SPEC §2.1, §2.2): which row is the header (with up to two rows of
//! grouped sub-columns below it), what kind of sheet it heads, which column is which field,
//! and what the title block above it says (a unit or a project for the 财政部 templates).

use super::*;

pub(super) struct Header {
    /// Excel-0-based row of the last header row.
    pub last_row: u32,
    /// Normalised names per column.
    pub names: Vec<String>,
    /// Per-column amount unit from the header suffix.
    pub col_units: Vec<Option<AmountUnit>>,
}

/// The name a header cell has, counting a vertical merge from above as its top-left value.
fn header_cell(sheet: &RawSheet, row: u32, col: u32) -> String {
    let d = sheet.cell(row, col);
    if !is_blank(d) {
        return cell_text(d);
    }
    for m in &sheet.merges {
        if m.start.0 < row
            && m.end.0 >= row
            && m.start.1 <= col
            && m.end.1 >= col
            && m.start.1 == col
        {
            return cell_text(sheet.cell(m.start.0, m.start.1));
        }
    }
    String::new()
}

/// Columns further than this from the previous header cell are outside the table.
const MAX_HEADER_GAP: u32 = 20;

/// The width of a table whose header is row `r` (and maybe `r + 1`): one past its last header
/// cell, where a run of more than [`MAX_HEADER_GAP`] empty columns ends the header (a stray
/// value far to the right is not a column).
fn header_width(sheet: &RawSheet, r: u32) -> u32 {
    let mut cols: Vec<u32> = sheet
        .row(r)
        .iter()
        .chain(sheet.row(r + 1))
        .map(|x| x.1)
        .chain(
            sheet
                .merges
                .iter()
                .filter(|m| m.start.0 < r && m.end.0 >= r)
                .map(|m| m.start.1),
        )
        .collect();
    cols.sort_unstable();
    let mut end = 0;
    for c in cols {
        if c > end + MAX_HEADER_GAP {
            break;
        }
        end = c + 1;
    }
    end
}

fn find_header(sheet: &RawSheet) -> Option<Header> {
    let end = sheet.end_row().min(20);
    for r in 0..end {
        let width = header_width(sheet, r);
        // A header's top row names columns or groups itself (a title row above it never
        // does): at least two of its cells are column names.
        let own = (0..width)
            .filter(|&c| is_column_name(&header_name(&header_cell(sheet, r, c)).0))
            .count();
        if own < 2 {
            continue;
        }
        let depth = header_depth(sheet, r, width);
        let rows: Vec<Vec<String>> = (r..=r + depth)
            .map(|q| {
                (0..width)
                    .map(|c| {
                        if q == r {
                            header_cell(sheet, q, c)
                        } else {
                            cell_text(sheet.cell(q, c))
                        }
                    })
                    .collect()
            })
            .collect();
        let named: Vec<(String, Option<AmountUnit>)> = grouped_names(&rows);
        let matches = named.iter().filter(|(n, _)| is_column_name(n)).count();
        if matches < 3 {
            continue;
        }
        let (names, col_units) = named.into_iter().unzip();
        return Some(Header {
            last_row: r + depth,
            names,
            col_units,
        });
    }
    None
}

/// How many rows below row `r` belong to its header (0 to 2): a row of words only (no number,
/// date or amount), at least one of them standing under a group of the row above — a merged
/// cell over several columns, or (as a CSV writes it) an empty cell right of a group's first
/// sub-column — or a `其中…` breakdown, or a column name of its own (SPEC §2.1).
fn header_depth(sheet: &RawSheet, r: u32, width: u32) -> u32 {
    let mut depth = 0;
    while depth < 2 {
        let q = r + depth + 1;
        if q >= sheet.end_row() {
            break;
        }
        let cells: Vec<(u32, &Data)> = (0..width)
            .map(|c| (c, sheet.cell(q, c)))
            .filter(|(_, d)| !is_blank(d))
            .collect();
        if cells.is_empty() || cells.iter().any(|(_, d)| looks_like_data(d)) {
            break;
        }
        let above = |c: u32| cell_text(sheet.cell(q - 1, c));
        // The header typed again is a repeated header (rejected as such), not a sub-row.
        let repeated = cells
            .iter()
            .filter(|(c, d)| cell_text(d) == above(*c))
            .count();
        if repeated >= 2 {
            break;
        }
        let under_group = |c: u32| {
            sheet.merges.iter().any(|m| {
                m.start.0 < q
                    && m.end.0 >= q - 1
                    && m.start.1 <= c
                    && m.end.1 >= c
                    && m.end.1 > m.start.1
            }) || (above(c).is_empty() && c > 0 && !cell_text(sheet.cell(q, c - 1)).is_empty())
        };
        let sub = cells.iter().any(|(c, d)| {
            let t = header_name(&cell_text(d)).0;
            under_group(*c) || t.starts_with("其中") || is_column_name(&t)
        });
        if !sub {
            break;
        }
        depth += 1;
    }
    depth
}

/// A cell a header cannot hold: a number, a date, or text that reads as an amount or a date.
fn looks_like_data(d: &Data) -> bool {
    match d {
        Data::String(s) => {
            let t = s.trim();
            !t.is_empty()
                && (parse_money(d, AmountUnit::Yuan).is_ok() || parse_date(d).is_ok())
                && t.chars().any(|c| c.is_ascii_digit())
        }
        Data::Empty => false,
        _ => true,
    }
}

/// Column names from the header's rows (top first; cells as typed). A column whose lower cells
/// are empty takes the name above (merged down, or a single column of a CSV). A cell under a
/// group is resolved against it (SPEC §2.1): its own text when it is a column name; else the
/// group and it joined (`预算单位`+`名称` → 预算单位名称) when that is one; else the group for the
/// group's first sub-column when the group is one (`支付金额` › `金额`); a `其中…` breakdown is
/// never a field (it keeps its joined name, which the unread-column warning names).
fn grouped_names(rows: &[Vec<String>]) -> Vec<(String, Option<AmountUnit>)> {
    let width = rows.first().map_or(0, Vec::len);
    let mut names: Vec<(String, Option<AmountUnit>)> = rows
        .first()
        .map(|top| top.iter().map(|t| header_name(t)).collect())
        .unwrap_or_default();
    for (k, row) in rows.iter().enumerate().skip(1) {
        let above = &rows[k - 1];
        // The group over each column: its own cell above, else (a merged or CSV group) the
        // nearest group start to the left whose run of sub-columns reaches here.
        let mut group: Vec<Option<usize>> = vec![None; width];
        for c in 0..width {
            if !above[c].is_empty() {
                group[c] = (!row[c].is_empty()).then_some(c);
            } else if c > 0 && !row[c].is_empty() {
                group[c] = group[c - 1];
            }
        }
        let mut next = names.clone();
        for c in 0..width {
            let sub = header_name(&row[c]);
            if sub.0.is_empty() {
                continue;
            }
            let Some(g) = group[c] else {
                next[c] = sub;
                continue;
            };
            let (gname, gunit) = names[g].clone();
            let unit = sub.1.or(gunit);
            let joined = format!("{gname}{}", sub.0);
            let first_of_group = g == c;
            next[c] = if sub.0.starts_with("其中") {
                (format!("{gname}›{}", sub.0), unit)
            } else if is_column_name(&sub.0)
                && !(first_of_group && sub.0 == "金额" && is_column_name(&gname))
            {
                (sub.0, unit)
            } else if is_column_name(&joined) {
                (joined, unit)
            } else if first_of_group && is_column_name(&gname) {
                (gname, unit)
            } else {
                (joined, unit)
            };
        }
        names = next;
    }
    names
}

fn likely_header(sheet: &RawSheet) -> Option<HeaderCells> {
    let mut best: Option<HeaderCells> = None;
    for (r, row) in sheet.rows_from(0).take_while(|(r, _)| *r < 20) {
        let cells: Vec<String> = row
            .iter()
            .map(|x| cell_text(sheet.value(x.2)))
            .filter(|t| !t.is_empty())
            .collect();
        if cells.len() > best.as_ref().map_or(0, |b| b.1.len()) {
            best = Some((r + 1, cells));
        }
    }
    best
}

/// Normalises one sheet (see the module docs).
/// The header and the sheet's kind; `None` for a sheet that is not a ledger or an indicator
/// sheet (its likely header noted for the audit).
pub(super) fn recognise(sheet: &RawSheet, out: &mut SheetResult) -> Option<(Header, Kind)> {
    let Some(header) = find_header(sheet) else {
        out.rows_read = sheet.end_row();
        out.unrecognised_header = likely_header(sheet);
        return None;
    };
    let Some(kind) = classify(&header.names) else {
        out.rows_read = sheet.end_row();
        out.header_row = Some(header.last_row + 1);
        out.unrecognised_header = Some((
            header.last_row + 1,
            header
                .names
                .iter()
                .filter(|n| !n.is_empty())
                .cloned()
                .collect(),
        ));
        return None;
    };
    out.kind = Some(kind);
    out.header_row = Some(header.last_row + 1);
    out.titles = sheet
        .rows_from(0)
        .take_while(|(r, _)| *r < header.last_row)
        .flat_map(|(_, cells)| cells.iter().map(|x| cell_text(sheet.value(x.2))))
        .filter(|t| !t.is_empty())
        .collect();
    Some((header, kind))
}

/// The columns of a recognised sheet.
pub(super) struct Columns {
    pub cols: HashMap<Field, u32>,
    /// The required fields no column holds: their synonyms (an error each, already said).
    pub missing: Vec<&'static [&'static str]>,
    /// The unit and the project named in the title block (the 财政部 templates).
    pub title_unit_name: Option<String>,
    pub title_project_name: Option<String>,
}

/// Maps columns to fields: the earliest synonym wins (or, for a budget kind or an indicator
/// direction, the column whose values are of that field); other matches are warned about;
/// every missing required column is an error naming it.
pub(super) fn map_columns(
    sheet: &RawSheet,
    header: &Header,
    kind: Kind,
    out: &mut SheetResult,
) -> Columns {
    let (cols, missing) = field_columns(sheet, header, kind, out);
    missing_columns(sheet, header, kind, cols, missing, out)
}

/// A required field without a column, and its synonyms.
type Missing = (Field, &'static [&'static str]);

/// Each field's column (see [`map_columns`]), and the required fields without one.
fn field_columns(
    sheet: &RawSheet,
    header: &Header,
    kind: Kind,
    out: &mut SheetResult,
) -> (HashMap<Field, u32>, Vec<Missing>) {
    let (f, s) = (out.file.to_string(), out.sheet.to_string());
    let mut cols: HashMap<Field, u32> = HashMap::new();
    let mut missing = Vec::new();
    for (field, syns, required) in fields(kind) {
        let mut found: Vec<(usize, u32)> = Vec::new();
        for (c, n) in header.names.iter().enumerate() {
            if let Some(p) = syns.iter().position(|x| x == n) {
                found.push((p, c as u32));
            }
        }
        found.sort();
        if found.len() > 1 && chosen_by_values(field) {
            let parses = |c: u32| -> usize {
                sheet
                    .rows_from(header.last_row + 1)
                    .filter(|&(r, _)| {
                        let t = cell_text(sheet.cell(r, c));
                        match field {
                            Field::BudgetKind => parse_budget_kind(&t).is_ok(),
                            _ => parse_direction(&t).is_ok(),
                        }
                    })
                    .count()
            };
            // The most cells of the field's values first; the synonym order among equals.
            found.sort_by_key(|&(p, c)| (std::cmp::Reverse(parses(c)), p));
        }
        if let Some(&(_, c)) = found.first() {
            cols.insert(field, c);
            for &(_, other) in &found[1..] {
                out.problems.push(
                    Problem::warning(format!(
                        "列“{}”与{}列“{}”对应同一字段，已使用{}列，忽略此列",
                        header.names[other as usize],
                        col_letter(c),
                        header.names[c as usize],
                        col_letter(c)
                    ))
                    .at(&f, &s, header.last_row + 1, Some(other)),
                );
            }
        } else if required {
            missing.push((field, syns));
        }
    }
    (cols, missing)
}

/// The required fields still missing once the title block and a class code column are
/// counted; each an error with what to add.
fn missing_columns(
    sheet: &RawSheet,
    header: &Header,
    kind: Kind,
    cols: HashMap<Field, u32>,
    mut missing: Vec<Missing>,
    out: &mut SheetResult,
) -> Columns {
    let (f, s) = (out.file.to_string(), out.sheet.to_string());
    let header_problem =
        |msg: String, col: Option<u32>| Problem::error(msg).at(&f, &s, header.last_row + 1, col);
    // A separate code column stands in for the economic class.
    if cols.contains_key(&Field::EconCode) {
        missing.retain(|(field, _)| *field != Field::Econ);
    }
    // The 财政部 template names its unit above the table, not in a column.
    let title_unit_name = if kind == Kind::Indicators && !cols.contains_key(&Field::Unit) {
        unit_in_title(sheet, header.last_row)
    } else {
        None
    };
    if title_unit_name.is_some() {
        missing.retain(|(field, _)| *field != Field::Unit);
    }
    let title_project_name = if kind == Kind::Indicators && !cols.contains_key(&Field::Project) {
        project_in_title(sheet, header.last_row)
    } else {
        None
    };
    let missing: Vec<&[&str]> = missing.into_iter().map(|(_, syns)| syns).collect();
    if let Some(p) = unmapped_columns(&header.names, &cols) {
        out.problems
            .push(Problem::warning(p).at(&f, &s, header.last_row + 1, None));
    }
    // 目标值 and 完成值 are required unless an indicator is 定性: checked per row.
    for syns in &missing {
        // What to add, for the 财政部 template (no unit column, no direction column).
        let hint = match (kind, syns[0]) {
            (Kind::Indicators, "单位名称") => {
                "；或在表头上方写明“单位名称：…”（财政部自评表格式）"
            }
            (Kind::Indicators, "指标性质") => {
                "；财政部自评表没有此列：请增加一列“指标方向”，填写正向、反向、等于或定性"
            }
            _ => "",
        };
        out.problems.push(header_problem(
            format!(
                "{}表缺少必需的列“{}”（可用列名：{}）{hint}",
                kind.label(),
                syns[0],
                syns.join("、")
            ),
            None,
        ));
    }
    Columns {
        cols,
        missing,
        title_unit_name,
        title_project_name,
    }
}

/// `单位名称：某局` (or `预算单位：` / `部门（单位）名称：` / `填报单位：` / `实施单位：`) in a title
/// row above the header: the unit's name, up to a wide gap or the end of the cell.
fn unit_in_title(sheet: &RawSheet, header_row: u32) -> Option<String> {
    const LABELS: [&str; 5] = ["单位名称", "预算单位", "部门(单位)名称", "填报单位", "单位"];
    title_value(sheet, header_row, &LABELS)
}

/// `项目名称：…` in a title row above the header (the 财政部 project template, SPEC §2.2).
fn project_in_title(sheet: &RawSheet, header_row: u32) -> Option<String> {
    title_value(sheet, header_row, &["项目名称"])
}

/// The value after the first of `labels` followed by a colon in a title row above the
/// header, up to two spaces (another title field) or the end of the cell.
fn title_value(sheet: &RawSheet, header_row: u32, labels: &[&str]) -> Option<String> {
    for (_, cells) in sheet.rows_from(0).take_while(|(r, _)| *r < header_row) {
        for x in cells {
            let text: String = cell_text(sheet.value(x.2)).nfkc().collect();
            for label in labels {
                let Some(at) = text.find(label) else { continue };
                let rest = text[at + label.len()..].trim_start();
                let Some(rest) = rest.strip_prefix(':') else {
                    continue;
                };
                let value = rest.trim_start().split("  ").next().unwrap_or("").trim();
                if !value.is_empty() && title_unit(&format!("单位:{value}")).is_none() {
                    return Some(value.to_string());
                }
            }
        }
    }
    None
}

/// The warning for columns of a recognised sheet that map to no field but whose name says
/// they may hold one (SPEC §2.2: nothing decided silently).
fn unmapped_columns(names: &[String], cols: &HashMap<Field, u32>) -> Option<String> {
    let used: std::collections::HashSet<u32> = cols.values().copied().collect();
    let listed: Vec<String> = names
        .iter()
        .enumerate()
        .filter(|(c, n)| {
            !used.contains(&(*c as u32))
                && !is_column_name(n)
                && SUSPICIOUS_WORDS.iter().any(|w| n.contains(w))
        })
        .map(|(c, n)| {
            let note = if n.contains("经济分类") && n.contains("政府") {
                "，政府经济分类不是部门经济分类"
            } else {
                ""
            };
            format!("{}列“{n}”{note}", col_letter(c as u32))
        })
        .collect();
    (!listed.is_empty()).then(|| {
        format!(
            "以下列未被读取：{}。如其中有本工具应读取的数据（经济分类、资金性质、项目、支出类型、日期、金额），请将列名改为说明文档中的列名",
            listed.join("、")
        )
    })
}
