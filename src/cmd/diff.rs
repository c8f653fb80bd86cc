//! `jixiao diff A.xlsx B.xlsx`: a cell-level diff of two workbooks. Exit 0 equal, 1
//! different, 2 when a file cannot be read.

use crate::model::col_letter;
use crate::stages::ingest::{RawSheet, read_file};
use crate::stages::normalise::cell_text;
use anyhow::{Result, anyhow};
use calamine::Data;
use std::io::Write;
use std::path::Path;

/// Differences between two workbooks, one line each: `项目支出!C7：A为419.77，B为419.78`.
///
/// # Errors
/// When a file cannot be read.
pub fn differences(a: &Path, b: &Path) -> Result<Vec<String>> {
    let read = |p: &Path| read_file(p, &p.display().to_string()).map_err(|e| anyhow!("{e}"));
    let (a, b) = (read(a)?, read(b)?);
    let mut out = Vec::new();
    for sa in &a.sheets {
        match b.sheets.iter().find(|s| s.name == sa.name) {
            None => out.push(format!("{}：只在A中有此工作表", sa.name)),
            Some(sb) => compare(sa, sb, &mut out),
        }
    }
    for sb in &b.sheets {
        if !a.sheets.iter().any(|s| s.name == sb.name) {
            out.push(format!("{}：只在B中有此工作表", sb.name));
        }
    }
    Ok(out)
}

/// Numbers equal within rounding noise; anything else equal only as the same kind of cell with
/// the same value — the number `419.77` and the text `"419.77"` differ, and so do texts that
/// differ only by spaces (a regression that turns a number into text must show).
fn same(x: &Data, y: &Data) -> bool {
    match (number(x), number(y)) {
        (Some(p), Some(q)) => (p - q).abs() <= 1e-9 * p.abs().max(1.0),
        (None, None) => x == y,
        _ => false,
    }
}

fn number(d: &Data) -> Option<f64> {
    match d {
        Data::Int(i) => Some(*i as f64),
        Data::Float(f) => Some(*f),
        _ => None,
    }
}

/// The kind of a cell as a user would name it.
fn kind(d: &Data) -> &'static str {
    match d {
        Data::Int(_) | Data::Float(_) => "数字",
        Data::String(_) => "文本",
        Data::Bool(_) => "逻辑值",
        Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) => "日期",
        Data::Error(_) => "错误值",
        Data::Empty => "空",
    }
}

/// Compares the cells present in either sheet (an empty cell equals a missing one).
fn compare(a: &RawSheet, b: &RawSheet, out: &mut Vec<String>) {
    let mut at: Vec<(u32, u32)> = a
        .cells()
        .iter()
        .chain(b.cells())
        .map(|x| (x.0, x.1))
        .collect();
    at.sort_unstable();
    at.dedup();
    for (r, c) in at {
        let (x, y) = (a.cell(r, c), b.cell(r, c));
        if !same(x, y) {
            let (sx, sy) = if kind(x) == kind(y) || x == &Data::Empty || y == &Data::Empty {
                (show(x), show(y))
            } else {
                (typed(x), typed(y))
            };
            out.push(format!(
                "{}!{}{}：A为{sx}，B为{sy}",
                a.name,
                col_letter(c),
                r + 1,
            ));
        }
    }
}

fn show(d: &Data) -> String {
    match d {
        Data::Empty => "（空）".into(),
        Data::String(t) if t.trim() != t || t.is_empty() => format!("“{t}”"),
        other => cell_text(other),
    }
}

/// A cell with its kind, where the two cells' kinds differ: `数字419.77`, `文本“419.77”`.
fn typed(d: &Data) -> String {
    match d {
        Data::String(t) => format!("文本“{t}”"),
        other => format!("{}{}", kind(other), cell_text(other)),
    }
}

/// Prints the differences; returns 0 when equal, 1 when different.
pub fn run(a: &Path, b: &Path) -> Result<i32> {
    let d = differences(a, b)?;
    let mut out = std::io::stdout().lock();
    for line in d.iter().take(500) {
        writeln!(out, "{line}")?;
    }
    if d.len() > 500 {
        writeln!(out, "……（只列出前 500 处）")?;
    }
    if d.is_empty() {
        writeln!(out, "两个工作簿的所有单元格相同")?;
    } else {
        writeln!(
            out,
            "共 {} 处不同（A：{}，B：{}）",
            d.len(),
            a.display(),
            b.display()
        )?;
    }
    Ok(if d.is_empty() { 0 } else { 1 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_turned_text_or_spaces_added_is_a_difference() {
        let num = Data::Float(419.77);
        let text = Data::String("419.77".into());
        assert!(same(&num, &Data::Float(419.770_000_000_000_1)));
        assert!(!same(&num, &text));
        assert!(!same(&text, &num));
        assert!(!same(&text, &Data::String(" 419.77".into())));
        assert!(same(&text, &Data::String("419.77".into())));
        assert!(!same(&Data::Empty, &Data::String(String::new())));
        assert_eq!(typed(&num), "数字419.77");
        assert_eq!(typed(&text), "文本“419.77”");
        assert_eq!(show(&Data::String(" x".into())), "“ x”");
    }
}
