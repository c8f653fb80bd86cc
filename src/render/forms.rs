//! The project forms workbook `{year}年度项目支出绩效自评表.xlsx` (SPEC §10): sheet `汇总`,
//! then one sheet per project laid out as the 财政部 template (财预〔2020〕10号 附件). Lays out
//! what `forms.rs` computed; computes nothing.
//!
//! ```text
//!   A            B              C          D           E          F      G          H
//! 1 项目支出绩效自评表                                                   (merged A:H)
//! 2 （2023年度）
//! 3 项目名称     {project}
//! 4 主管部门     {department}                          实施单位   {unit}
//! 5 项目资金     (blank)        年初预算数 全年预算数（A）全年执行数（B）分值 执行率（B/A） 得分
//! 6 （万元）     年度资金总额   …          …           …          10     …%         …
//! 7              其中：本年财政拨款 …                               —      …%         —
//! 8              上年结转资金   …                                   —      …%         —
//! 9              其他资金       …                                   —      …%         —
//!   注：…（结转资金优先使用, when applied)
//!   年度总体目标 预期目标 (B:E)                 实际完成情况 (F:H)
//!                {goal}                          {achieved}
//!   绩效指标 (merged A:H)
//!   一级指标     二级指标       三级指标   年度指标值  实际完成值 分值   得分       偏差原因分析及改进措施
//!   产出指标（50分） …          (一级 and 二级 merged down their rows)
//!   总分 (A:F)                                                            {total}    {grade}
//! ```

use crate::config::Config;
use crate::forms::{Forms, MoneyRow, ProjectForm, rate};
use crate::model::*;
use crate::render::report::{new_workbook, write_table};
use crate::render::style::Styles;
use anyhow::Result;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Format, Workbook, Worksheet};

/// 【待填写】: what the user must write.
pub const TODO: &str = "【待填写】";

/// The forms workbook as bytes: [`forms_workbook`], then [`save`].
///
/// # Errors
/// Only an internal writer error.
pub fn forms_bytes(cfg: &Config, forms: &Forms) -> Result<Vec<u8>> {
    Ok(save(forms_workbook(cfg, forms)?)?.0)
}

/// The forms workbook, filled: sheet `汇总`, then one sheet per form, filled on every core.
///
/// # Errors
/// Only an internal writer error.
pub fn forms_workbook(cfg: &Config, forms: &Forms) -> Result<Workbook> {
    let year = cfg.report.year;
    let mut wb = new_workbook(year, &format!("{year}年度项目支出绩效自评表"))?;
    // The fastest deflate, as the audit: a city's year has thousands of forms.
    wb.set_zip_compression_level(1);
    let st = Styles::new();
    if let Some(summary) = &forms.summary {
        let ws = wb.add_worksheet();
        write_table(ws, summary, &st)?;
    }
    // The sheets are filled apart, on every core (rust_xlsxwriter numbers their texts and
    // formats when the workbook is saved), then added in order.
    use rayon::prelude::*;
    let sheets: Vec<Worksheet> = forms
        .forms
        .par_iter()
        .zip(&forms.sheet_names)
        .map(|(form, name)| -> Result<Worksheet> {
            let mut ws = Worksheet::new();
            ws.set_name(name)?;
            write_form(&mut ws, cfg, form, &st)?;
            Ok(ws)
        })
        .collect::<Result<_>>()?;
    for ws in sheets {
        wb.push_worksheet(ws);
    }
    Ok(wb)
}

/// The filled workbook as bytes, and the workbook to free ([`super::drop_later`]).
///
/// # Errors
/// Only an internal writer error.
pub fn save(mut wb: Workbook) -> Result<(Vec<u8>, super::Leftover)> {
    let bytes = crate::timing::time("forms-save", || wb.save_to_buffer())?;
    Ok((bytes, Box::new(wb)))
}

fn num(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

const LAST_COL: u16 = 7;
const WIDTHS: [f64; 8] = [20.0, 18.0, 22.0, 13.0, 13.0, 9.0, 11.0, 26.0];

/// One project's sheet (see the module docs).
fn write_form(ws: &mut Worksheet, cfg: &Config, f: &ProjectForm, st: &Styles) -> Result<()> {
    for (c, w) in WIDTHS.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.merge_range(0, 0, 0, LAST_COL, "项目支出绩效自评表", &st.title)?;
    ws.set_row_height(0, 30)?;
    let centred = st
        .note
        .clone()
        .set_align(rust_xlsxwriter::FormatAlign::Center);
    ws.merge_range(
        1,
        0,
        1,
        LAST_COL,
        &format!("（{}年度）", cfg.report.year),
        &centred,
    )?;
    ws.write_with_format(2, 0, "项目名称", &st.label)?;
    ws.merge_range(2, 1, 2, LAST_COL, &f.name, &st.text)?;
    ws.write_with_format(3, 0, "主管部门", &st.label)?;
    ws.merge_range(3, 1, 3, 3, &cfg.report.department, &st.text)?;
    ws.write_with_format(3, 4, "实施单位", &st.label)?;
    ws.merge_range(3, 5, 3, LAST_COL, &cfg.units[f.unit].name, &st.text)?;
    for r in 2..=3 {
        ws.set_row_height(r, 30)?;
    }
    let mut r = write_money(ws, f, st, 4)?;
    r = write_goal(ws, f, st, r)?;
    r = write_indicators(ws, cfg, f, st, r)?;
    // 总分 and 评价等级.
    ws.merge_range(r, 0, r, 5, "总分", &st.total_text)?;
    match f.total {
        Some(t) => ws.write_number_with_format(r, 6, num(round(t, 2)), &st.total_fixed)?,
        None => ws.write_with_format(r, 6, TODO, &st.todo)?,
    };
    match &f.grade {
        Some(g) => ws.write_with_format(r, 7, format!("评价等级：{g}"), &st.total_text)?,
        None => ws.write_with_format(r, 7, TODO, &st.todo)?,
    };
    ws.set_row_height(r, 24)?;
    ws.set_portrait();
    ws.set_paper_size(9);
    // One project a page when it fits; a long indicator list runs on, one page wide.
    ws.set_print_fit_to_pages(1, if r < 45 { 1 } else { 0 });
    ws.set_print_center_horizontally(true);
    Ok(())
}

/// The money block from row `r`; returns the row after it.
fn write_money(ws: &mut Worksheet, f: &ProjectForm, st: &Styles, r: u32) -> Result<u32> {
    let m = &f.money;
    let header = [
        "",
        "年初预算数",
        "全年预算数（A）",
        "全年执行数（B）",
        "分值",
        "执行率（B/A）",
        "得分",
    ];
    for (i, h) in header.iter().enumerate() {
        ws.write_with_format(r, 1 + i as u16, *h, &st.header)?;
    }
    ws.set_row_height(r, 30)?;
    let rows: [(&str, &MoneyRow); 4] = [
        ("年度资金总额", &m.total),
        ("其中：本年财政拨款", &m.current),
        ("上年结转资金", &m.carryover),
        ("其他资金", &m.other),
    ];
    for (k, (label, row)) in rows.iter().enumerate() {
        let rr = r + 1 + k as u32;
        ws.set_row_height(rr, 20)?;
        ws.write_with_format(rr, 1, *label, &st.text)?;
        for (c, cents) in [(2, row.initial), (3, row.budget), (4, row.actual)] {
            ws.write_number_with_format(rr, c, num(wan_display(cents)), &st.money)?;
        }
        match rate(row) {
            Some(x) => ws.write_number_with_format(rr, 6, num(round(x, 4)), &st.rate)?,
            None => ws.write_blank(rr, 6, &st.rate)?,
        };
        if k == 0 {
            ws.write_number_with_format(rr, 5, num(f.exec_points), &st.number)?;
            ws.write_number_with_format(rr, 7, num(round(f.exec_score, 2)), &st.fixed)?;
        } else {
            ws.write_with_format(rr, 5, "—", &st.label)?;
            ws.write_with_format(rr, 7, "—", &st.label)?;
        }
    }
    ws.merge_range(r, 0, r + 4, 0, "项目资金\n（万元）", &st.label)?;
    let mut next = r + 5;
    if m.by_rule {
        ws.merge_range(
            next,
            0,
            next,
            LAST_COL,
            "注：支出明细未标明每笔支出使用的指标来源，财政拨款支出按“结转资金优先使用”的原则，先计入上年结转资金（以其全年预算数为限），其余计入本年财政拨款。",
            &st.note_left,
        )?;
        ws.set_row_height(next, 30)?;
        next += 1;
    }
    Ok(next)
}

/// The 年度总体目标 block from row `r`; returns the row after it.
fn write_goal(ws: &mut Worksheet, f: &ProjectForm, st: &Styles, r: u32) -> Result<u32> {
    ws.merge_range(r, 0, r + 1, 0, "年度总体目标", &st.label)?;
    ws.merge_range(r, 1, r, 4, "预期目标", &st.header)?;
    ws.merge_range(r, 5, r, LAST_COL, "实际完成情况", &st.header)?;
    let cell = |x: &Option<String>| -> (String, &Format) {
        match x {
            Some(t) => (t.clone(), &st.text),
            None => (TODO.to_string(), &st.todo),
        }
    };
    let (goal, gf) = cell(&f.goal);
    let (achieved, af) = cell(&f.achieved);
    ws.merge_range(r + 1, 1, r + 1, 4, &goal, gf)?;
    ws.merge_range(r + 1, 5, r + 1, LAST_COL, &achieved, af)?;
    let longest = goal.chars().count().max(achieved.chars().count());
    // About 28 characters a line in either half.
    ws.set_row_height(r + 1, (15 * longest.div_ceil(28).max(2)) as f64)?;
    Ok(r + 2)
}

/// The 绩效指标 block from row `r`; returns the row after it.
fn write_indicators(
    ws: &mut Worksheet,
    cfg: &Config,
    f: &ProjectForm,
    st: &Styles,
    r: u32,
) -> Result<u32> {
    ws.merge_range(r, 0, r, LAST_COL, "绩效指标", &st.header)?;
    let header = [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_with_format(r + 1, c as u16, *h, &st.header)?;
    }
    let first = r + 2;
    if f.indicators.is_empty() {
        ws.merge_range(
            first,
            0,
            first,
            LAST_COL,
            &format!(
                "{TODO}（绩效指标表中没有本项目的指标：请补充产出、效益、满意度指标后重新运行）"
            ),
            &st.todo,
        )?;
        ws.set_row_height(first, 30)?;
        return Ok(first + 1);
    }
    for (k, fi) in f.indicators.iter().enumerate() {
        let i = &fi.indicator;
        let rr = first + k as u32;
        ws.write_with_format(rr, 2, &i.name, &st.text)?;
        ws.write_with_format(rr, 3, &i.target_text, &st.text)?;
        ws.write_with_format(rr, 4, &i.actual_text, &st.text)?;
        ws.write_number_with_format(rr, 5, num(i.points), &st.number)?;
        ws.write_number_with_format(rr, 6, num(round(fi.score, 2)), &st.fixed)?;
        if fi.score < i.points && i.reason.trim().is_empty() {
            ws.write_with_format(rr, 7, TODO, &st.todo)?;
        } else {
            ws.write_with_format(rr, 7, &i.reason, &st.text)?;
        }
        let longest = [&i.name, &i.reason]
            .iter()
            .map(|t| t.chars().count())
            .max()
            .unwrap_or(0);
        ws.set_row_height(rr, (15 * longest.div_ceil(11).max(1)).max(22) as f64)?;
    }
    // 一级 cells merged down their group, 二级 down their runs.
    let runs = |key: &dyn Fn(usize) -> String| -> Vec<(usize, usize, String)> {
        let mut out: Vec<(usize, usize, String)> = Vec::new();
        for k in 0..f.indicators.len() {
            let v = key(k);
            match out.last_mut() {
                Some((_, end, last)) if *last == v => *end = k,
                _ => out.push((k, k, v)),
            }
        }
        out
    };
    let level1 = |k: usize| f.indicators[k].indicator.level1.label().to_string();
    for (a, b, label) in runs(&level1) {
        let level = f.indicators[a].indicator.level1;
        let text = format!(
            "{label}（{}分）",
            cfg.project_forms.points_group(level).normalize()
        );
        merge_or_write(ws, first + a as u32, first + b as u32, 0, &text, &st.label)?;
    }
    let level2 = |k: usize| {
        let i = &f.indicators[k].indicator;
        format!("{}\u{0}{}", i.level1.label(), i.level2)
    };
    for (a, b, key) in runs(&level2) {
        let text = key.split('\u{0}').nth(1).unwrap_or("");
        merge_or_write(ws, first + a as u32, first + b as u32, 1, text, &st.label)?;
    }
    Ok(first + f.indicators.len() as u32)
}

fn merge_or_write(
    ws: &mut Worksheet,
    r1: u32,
    r2: u32,
    c: u16,
    text: &str,
    f: &Format,
) -> Result<()> {
    if r1 == r2 {
        ws.write_with_format(r1, c, text, f)?;
    } else {
        ws.merge_range(r1, c, r2, c, text, f)?;
    }
    Ok(())
}
