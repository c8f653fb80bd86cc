//! The report workbook `{year}年度{department}部门整体支出绩效自评表.xlsx` (SPEC §7): one sheet
//! per table, laid out as the report lays it out. Also the generic table writer the audit
//! workbook uses.

use crate::model::wan_display;
use crate::render::style::{Styles, text_width};
use crate::tables::{Cell, ChartKind, ChartSpec, RowStyle, SeriesSpec, Table};
use anyhow::Result;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    Chart, ChartFont, ChartFormat, ChartLine, ChartPoint, ChartSolidFill, ChartType, DocProperties,
    ExcelDateTime, Format, Workbook, Worksheet,
};

/// A new workbook with fixed document properties, so the bytes never depend on "now".
pub fn new_workbook(year: i32, title: &str) -> Result<Workbook> {
    let mut wb = Workbook::new();
    let when = ExcelDateTime::from_ymd(year.clamp(1900, 9999) as u16, 12, 31)?;
    let props = DocProperties::new()
        .set_title(title)
        .set_author("jixiao")
        .set_creation_datetime(&when);
    wb.set_properties(&props);
    Ok(wb)
}

/// The report workbook as bytes.
///
/// # Errors
/// Only an internal writer error.
pub fn report_bytes(year: i32, department: &str, tables: &[Table]) -> Result<Vec<u8>> {
    workbook_bytes(
        year,
        &format!("{year}年度{department}部门整体支出绩效自评表"),
        tables,
    )
}

/// A workbook of `tables`, one sheet each, titled `title`, laid out as the report's sheets.
///
/// # Errors
/// Only an internal writer error.
pub fn workbook_bytes(year: i32, title: &str, tables: &[Table]) -> Result<Vec<u8>> {
    let mut wb = new_workbook(year, title)?;
    let st = Styles::new();
    for t in tables {
        let ws = wb.add_worksheet();
        write_table(ws, t, &st)?;
    }
    Ok(wb.save_to_buffer()?)
}

/// Excel's limit on the characters of a cell.
const CELL_CHARS: usize = 32_767;

/// A text as a cell can hold it: cut short, and said so, past Excel's limit (a message that
/// lists thousands of names is printed whole on the terminal).
pub fn excel_text(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().count() <= CELL_CHARS {
        return std::borrow::Cow::Borrowed(s);
    }
    const CUT: &str = "……（超过单元格的字数上限，以下从略）";
    let keep: String = s.chars().take(CELL_CHARS - CUT.chars().count()).collect();
    std::borrow::Cow::Owned(keep + CUT)
}

fn f64_of(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// Lays out one table: title (row 1, merged), `单位：万元` (row 2, right), header from row 3,
/// then the rows and the note; then its blocks below it and its charts beside it. Frozen
/// header, landscape A4 one page wide, header rows repeated on print.
///
/// # Errors
/// Only an internal writer error.
pub fn write_table(ws: &mut Worksheet, t: &Table, st: &Styles) -> Result<()> {
    ws.set_name(&t.sheet)?;
    let ncols = t
        .blocks
        .iter()
        .map(|b| b.columns)
        .chain([t.columns])
        .max()
        .unwrap_or(1)
        .max(1);
    let mut widths: Vec<f64> = vec![6.0; ncols as usize];
    if t.in_wan {
        ws.write_with_format(1, t.columns.max(1) - 1, "单位：万元", &st.note)?;
    }
    let (first_data, mut next) = write_block(ws, t, st, 0, 2, &mut widths)?;
    let mut data_rows = vec![first_data];
    for b in &t.blocks {
        let (first, after) = write_block(ws, b, st, next + 1, next + 2, &mut widths)?;
        data_rows.push(first);
        next = after;
    }
    // The title (16 pt against the body's 11) must fit in its merged cells: widen evenly.
    let need = text_width(&t.title) * 16.0 / 11.0 + 4.0;
    let span = &mut widths[..t.columns.max(1) as usize];
    let have: f64 = span.iter().sum();
    if have < need {
        let extra = (need - have) / span.len() as f64;
        span.iter_mut().for_each(|w| *w += extra);
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    for (i, spec) in t.charts.iter().enumerate() {
        let chart = chart(&t.sheet, spec, data_rows[spec.table])?;
        // Below the tables, one under the other: beside a long table they widened the
        // printed page (issue 20).
        ws.insert_chart_with_offset(next + 1 + i as u32 * 22, 0, &chart, 0, 0)?;
    }
    ws.set_freeze_panes(first_data, 0)?;
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(2, first_data - 1)?;
    ws.set_print_center_horizontally(true);
    Ok(())
}

/// A chart of [`ChartSpec`] over the sheet's cells, the table's data starting at `first_data`.
fn chart(sheet: &str, spec: &ChartSpec, first_data: u32) -> Result<Chart> {
    let (r1, r2) = (
        first_data + spec.rows.0 as u32,
        first_data + spec.rows.1 as u32,
    );
    let mut font = ChartFont::new();
    font.set_name("宋体").set_character_set(134);
    let add = |chart: &mut Chart, s: &SeriesSpec, colour: &str| {
        // The legend shows the series' colour (issue 20): every point highlighted, the series
        // is drawn in the highlight colour and named for it; some, the name says which.
        let points = spec.rows.1 - spec.rows.0 + 1;
        let all = !s.highlight.is_empty() && s.highlight.len() >= points;
        let (colour, name) = if all {
            (
                HIGHLIGHT_COLOUR,
                format!("{}（均{}）", s.name, s.highlight_means),
            )
        } else if !s.highlight.is_empty() {
            (colour, format!("{}（红色：{}）", s.name, s.highlight_means))
        } else {
            (colour, s.name.clone())
        };
        let mut fill = ChartFormat::new();
        fill.set_solid_fill(ChartSolidFill::new().set_color(colour))
            .set_line(ChartLine::new().set_color(colour).set_width(2.0));
        let series = chart
            .add_series()
            .set_name(name.as_str())
            .set_categories((sheet, r1, spec.categories, r2, spec.categories))
            .set_values((sheet, r1, s.column, r2, s.column))
            .set_format(&mut fill);
        if !s.highlight.is_empty() && !all {
            let points: Vec<ChartPoint> = (0..=spec.rows.1 - spec.rows.0)
                .map(|i| {
                    if s.highlight.contains(&i) {
                        ChartPoint::new().set_format(
                            ChartFormat::new()
                                .set_solid_fill(ChartSolidFill::new().set_color(HIGHLIGHT_COLOUR)),
                        )
                    } else {
                        ChartPoint::new()
                    }
                })
                .collect();
            series.set_points(&points);
        }
    };
    let colours = ["#2F5597", "#7F7F7F"];
    let mut chart = match spec.kind {
        ChartKind::Line => Chart::new(ChartType::Line),
        ChartKind::Column => Chart::new(ChartType::Column),
    };
    let mut overlay = Chart::new(ChartType::Line);
    let mut overlaid = false;
    for (i, s) in spec.series.iter().enumerate() {
        let colour = colours[i.min(colours.len() - 1)];
        if spec.kind == ChartKind::Column && s.as_line {
            add(&mut overlay, s, colour);
            overlaid = true;
        } else {
            add(&mut chart, s, colour);
        }
    }
    if overlaid {
        chart.combine(&overlay);
    }
    chart.title().set_name(spec.title.as_str()).set_font(&font);
    chart.x_axis().set_font(&font);
    chart.y_axis().set_font(&font).set_num_format("0%");
    chart.legend().set_font(&font);
    chart.set_width(560).set_height(400);
    Ok(chart)
}

/// The highlight colour of a point behind 序时进度 (the cells' highlight, darker).
const HIGHLIGHT_COLOUR: &str = "#C00000";

/// Writes a table's title at `title_row` (merged over its columns), its header from
/// `header_row`, its rows and its note. Returns (first data row, first row after it).
fn write_block<'s>(
    ws: &mut Worksheet,
    t: &Table,
    st: &'s Styles,
    title_row: u32,
    header_row: u32,
    widths: &mut [f64],
) -> Result<(u32, u32)> {
    let ncols = t.columns.max(1);
    let last_col = ncols - 1;
    if last_col > 0 {
        ws.merge_range(title_row, 0, title_row, last_col, &t.title, &st.title)?;
    } else {
        ws.write_with_format(title_row, 0, &t.title, &st.title)?;
    }
    ws.set_row_height(title_row, 30)?;
    let h0 = header_row;
    // A table that caps its text columns (`wrap_width`) also lets a header longer than the
    // cap wrap onto two lines (its row made tall enough), so long headers do not widen it.
    let mut header_lines = 1u32;
    for h in &t.header {
        let (r1, c1) = (h0 + h.row, h.col);
        let (r2, c2) = (r1 + h.rows - 1, c1 + h.cols - 1);
        if r1 != r2 || c1 != c2 {
            ws.merge_range(r1, c1, r2, c2, &h.text, &st.header)?;
        } else {
            ws.write_with_format(r1, c1, &h.text, &st.header)?;
        }
        if h.cols == 1 {
            let full = text_width(&h.text);
            let need = match t.wrap_width {
                Some(cap) if full > cap => {
                    header_lines = 2;
                    cap.max(full / 2.0 + 1.0)
                }
                _ => full,
            };
            let w = &mut widths[c1 as usize];
            *w = w.max(need + 2.0);
        }
    }
    if header_lines > 1 && t.header_rows == 1 {
        ws.set_row_height(h0, 15.0 * header_lines as f64)?;
    }
    let first_data = h0 + t.header_rows;
    // Cells are written without a format, and each column's runs of rows that share one are
    // formatted at once (`set_range_format`): rust_xlsxwriter hashes the whole format for
    // every formatted cell it is given, ~60 % of writing a large table.
    let mut runs: Vec<Option<(u32, u32, &'s Format)>> = vec![None; ncols as usize];
    let mut formatted = |ws: &mut Worksheet, r: u32, c: usize, f: &'s Format| -> Result<()> {
        let Some(slot) = runs.get_mut(c) else {
            ws.set_range_format(r, c as u16, r, c as u16, f)?;
            return Ok(());
        };
        match slot {
            Some((_, end, g)) if *end + 1 == r && std::ptr::eq(*g, f) => *end = r,
            _ => {
                if let Some((start, end, g)) = slot.replace((r, r, f)) {
                    ws.set_range_format(start, c as u16, end, c as u16, g)?;
                }
            }
        }
        Ok(())
    };
    for (i, (style, cells)) in t.rows.iter().enumerate() {
        let r = first_data + i as u32;
        // A total row's label spills over the empty cell beside it (部门加权平均分, 合   计).
        let merged_label = *style == RowStyle::Total
            && matches!(cells.first(), Some(Cell::Text(_)))
            && matches!(cells.get(1), Some(Cell::Empty));
        // Lines of the row's longest wrapped text (tables with a `wrap_width`).
        let mut lines = 1u32;
        for (c, cell) in cells.iter().enumerate() {
            let c16 = c as u16;
            if merged_label && c < 2 {
                if let (0, Cell::Text(s)) = (c, cell) {
                    ws.merge_range(r, 0, r, 1, s, &st.total_text)?;
                }
                continue;
            }
            let (text_f, money_f, rate_f, number_f, fixed_f) = match style {
                RowStyle::Normal => (&st.text, &st.money, &st.rate, &st.number, &st.fixed),
                RowStyle::Total => (
                    &st.total_text,
                    &st.total_money,
                    &st.total_rate,
                    &st.total_number,
                    &st.total_fixed,
                ),
                RowStyle::Highlight => (
                    &st.hi_text,
                    &st.hi_money,
                    &st.hi_rate,
                    &st.hi_number,
                    &st.hi_fixed,
                ),
            };
            // A cell left empty here becomes a formatted blank (as `write_blank` made it).
            let f = match cell {
                Cell::Text(s) => {
                    ws.write(r, c16, excel_text(s).as_ref())?;
                    let cap = t.wrap_width.unwrap_or(60.0);
                    widths[c] = widths[c].max(text_width(s).min(cap) + 2.0);
                    if t.wrap_width.is_some() {
                        // Lines in a column `cap + 2` wide (Excel's width counts digits: a
                        // CJK character of 宋体 is two, other characters one).
                        let exact: f64 = s
                            .chars()
                            .map(|c| if (c as u32) < 0x2E80 { 1.0 } else { 2.0 })
                            .sum();
                        lines = lines.max((exact / (cap + 2.0)).ceil() as u32);
                    }
                    text_f
                }
                Cell::Money(cents) => {
                    let v = wan_display(*cents);
                    ws.write_number(r, c16, f64_of(v))?;
                    widths[c] = widths[c].max(text_width(&v.to_string()) + 3.0);
                    money_f
                }
                Cell::Rate(Some(x)) => {
                    ws.write_number(r, c16, f64_of(crate::model::round(*x, 4)))?;
                    widths[c] = widths[c].max(10.0);
                    rate_f
                }
                Cell::Rate(None) => rate_f,
                Cell::Number(x) => {
                    ws.write_number(r, c16, f64_of(*x))?;
                    widths[c] = widths[c].max(text_width(&x.to_string()) + 3.0);
                    number_f
                }
                Cell::Fixed(x, dp) => {
                    let v = crate::model::round(*x, *dp);
                    ws.write_number(r, c16, f64_of(v))?;
                    widths[c] = widths[c].max(text_width(&v.to_string()) + 3.0);
                    fixed_f
                }
                Cell::Empty => text_f,
            };
            formatted(ws, r, c, f)?;
        }
        if lines > 1 {
            ws.set_row_height(r, 15.0 * lines as f64)?;
        }
    }
    for (c, run) in runs.into_iter().enumerate() {
        if let Some((start, end, f)) = run {
            ws.set_range_format(start, c as u16, end, c as u16, f)?;
        }
    }
    let mut next = first_data + t.rows.len() as u32;
    if let Some(note) = &t.note {
        ws.merge_range(next, 0, next, last_col.max(1), note, &st.note_left)?;
        ws.set_row_height(next, 36)?;
        next += 1;
    }
    Ok((first_data, next))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_longer_than_a_cell_is_cut_and_says_so() {
        let long = "项".repeat(40_000);
        let cut = excel_text(&long);
        assert_eq!(cut.chars().count(), CELL_CHARS);
        assert!(cut.ends_with("以下从略）"));
        assert_eq!(excel_text("短"), "短");
    }
}
