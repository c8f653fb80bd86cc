//! The report workbook `{year}年度{department}部门整体支出绩效自评表.xlsx` (SPEC §7): one sheet
//! per table, laid out as the report lays it out. Also the generic table writer the audit
//! workbook uses.

use crate::model::wan_display;
use crate::render::style::{Styles, text_width};
use crate::tables::{Cell, RowStyle, Table};
use anyhow::Result;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, Worksheet};

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
    let mut wb = new_workbook(
        year,
        &format!("{year}年度{department}部门整体支出绩效自评表"),
    )?;
    let st = Styles::new();
    for t in tables {
        let ws = wb.add_worksheet();
        write_table(ws, t, &st)?;
    }
    Ok(wb.save_to_buffer()?)
}

fn f64_of(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// Lays out one table: title (row 1, merged), `单位：万元` (row 2, right), header from row 3,
/// then the rows. Frozen header, landscape A4 one page wide, header rows repeated on print.
///
/// # Errors
/// Only an internal writer error.
pub fn write_table(ws: &mut Worksheet, t: &Table, st: &Styles) -> Result<()> {
    ws.set_name(&t.sheet)?;
    let ncols = t.columns.max(1);
    let last_col = ncols - 1;
    if last_col > 0 {
        ws.merge_range(0, 0, 0, last_col, &t.title, &st.title)?;
    } else {
        ws.write_with_format(0, 0, &t.title, &st.title)?;
    }
    ws.set_row_height(0, 30)?;
    if t.in_wan {
        ws.write_with_format(1, last_col, "单位：万元", &st.note)?;
    }
    let h0 = 2u32;
    let mut widths: Vec<f64> = vec![6.0; ncols as usize];
    for h in &t.header {
        let (r1, c1) = (h0 + h.row, h.col);
        let (r2, c2) = (r1 + h.rows - 1, c1 + h.cols - 1);
        if r1 != r2 || c1 != c2 {
            ws.merge_range(r1, c1, r2, c2, &h.text, &st.header)?;
        } else {
            ws.write_with_format(r1, c1, &h.text, &st.header)?;
        }
        if h.cols == 1 {
            let w = &mut widths[c1 as usize];
            *w = w.max(text_width(&h.text) + 2.0);
        }
    }
    let first_data = h0 + t.header_rows;
    for (i, (style, cells)) in t.rows.iter().enumerate() {
        let r = first_data + i as u32;
        // A total row's label spills over the empty cell beside it (部门加权平均分, 合   计).
        let merged_label = *style == RowStyle::Total
            && matches!(cells.first(), Some(Cell::Text(_)))
            && matches!(cells.get(1), Some(Cell::Empty));
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
            match cell {
                Cell::Text(s) => {
                    ws.write_with_format(r, c16, s, text_f)?;
                    widths[c] = widths[c].max(text_width(s).min(60.0) + 2.0);
                }
                Cell::Money(cents) => {
                    ws.write_number_with_format(r, c16, f64_of(wan_display(*cents)), money_f)?;
                    widths[c] = widths[c].max(text_width(&wan_display(*cents).to_string()) + 3.0);
                }
                Cell::Rate(Some(x)) => {
                    ws.write_number_with_format(
                        r,
                        c16,
                        f64_of(crate::model::round(*x, 4)),
                        rate_f,
                    )?;
                    widths[c] = widths[c].max(10.0);
                }
                Cell::Rate(None) => {
                    ws.write_blank(r, c16, rate_f)?;
                }
                Cell::Number(x) => {
                    ws.write_number_with_format(r, c16, f64_of(*x), number_f)?;
                    widths[c] = widths[c].max(text_width(&x.to_string()) + 3.0);
                }
                Cell::Fixed(x, dp) => {
                    let v = crate::model::round(*x, *dp);
                    ws.write_number_with_format(r, c16, f64_of(v), fixed_f)?;
                    widths[c] = widths[c].max(text_width(&v.to_string()) + 3.0);
                }
                Cell::Empty => {
                    ws.write_blank(r, c16, text_f)?;
                }
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_freeze_panes(first_data, 0)?;
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(h0, first_data - 1)?;
    ws.set_print_center_horizontally(true);
    Ok(())
}
