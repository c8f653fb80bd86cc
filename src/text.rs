//! Text helpers every stage and the config share (a leaf: it depends on no other module of
//! the crate but `model`): the normalised form names are compared in, the keys of units,
//! projects and values, the text and the date of a cell.

use crate::model::Date;
use calamine::Data;
use unicode_normalization::UnicodeNormalization;

/// NFKC, then every whitespace character removed: the form in which names are compared.
pub fn norm(s: &str) -> String {
    // Most ledger text is already in NFKC: skip the (costly) normalisation then.
    if unicode_normalization::is_nfkc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes {
        s.chars().filter(|c| !c.is_whitespace()).collect()
    } else {
        s.nfkc().filter(|c| !c.is_whitespace()).collect()
    }
}

/// The text of a cell as typed (numbers in their shortest form).
pub fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(dt) => match excel_date(dt) {
            Some(d) => d.to_string(),
            None => dt.as_f64().to_string(),
        },
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// Splits a leading numeric code off a unit name: `501001-本级`, `501001 本级`,
/// `[501001]本级`. Returns (code, the normalised rest).
pub fn split_code(raw: &str) -> (Option<String>, String) {
    let n = norm(raw);
    for (open, close) in [('[', ']'), ('(', ')'), ('【', '】')] {
        if let Some(rest) = n.strip_prefix(open)
            && let Some(end) = rest.find(close)
        {
            let code = &rest[..end];
            let tail = &rest[end + close.len_utf8()..];
            if code.len() >= 3 && code.chars().all(|c| c.is_ascii_digit()) && !tail.is_empty() {
                return (Some(code.to_string()), tail.to_string());
            }
        }
    }
    let digits: String = n.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.len() >= 3 {
        let tail = n[digits.len()..].trim_start_matches(['-', '_', ':', '.', '、', '|', '/']);
        if !tail.is_empty() {
            return (Some(digits), tail.to_string());
        }
    }
    (None, n)
}

/// The key a unit name is compared by: normalised, without a code prefix.
pub fn unit_key(raw: &str) -> String {
    split_code(raw).1
}

/// The key a project name is grouped by.
pub fn project_key(raw: &str) -> String {
    norm(raw)
}

/// A value cell's text as the vocabularies compare it (SPEC §2.3): normalised, without a
/// leading numeric code and separator (`111 经费拨款`, `[3]单位资金`, `1-年初预算`).
pub fn value_key(text: &str) -> String {
    let n = norm(text);
    for (open, close) in [('[', ']'), ('(', ')'), ('【', '】')] {
        if let Some(rest) = n.strip_prefix(open)
            && let Some(end) = rest.find(close)
        {
            let code = &rest[..end];
            let tail = &rest[end + close.len_utf8()..];
            if !code.is_empty() && code.chars().all(|c| c.is_ascii_digit()) && !tail.is_empty() {
                return tail.to_string();
            }
        }
    }
    let digits = n.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 {
        let tail = n[digits..].trim_start_matches(['-', '_', ':', '.', '、', '|', '/']);
        if !tail.is_empty() && !tail.starts_with(|c: char| c.is_ascii_digit()) {
            return tail.to_string();
        }
    }
    n
}

/// Excel serial day number → date (1900 date system; serials from 1900-03-01 on).
pub fn serial_to_date(serial: f64) -> Option<Date> {
    if !(61.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64 - 25_569; // days since 1970-01-01
    Some(civil_from_days(days))
}

/// The date of an Excel date cell, in either date system (1900, or Mac Excel's 1904).
pub fn excel_date(dt: &calamine::ExcelDateTime) -> Option<Date> {
    if !dt.is_datetime() || !(1.0..2_958_466.0).contains(&dt.as_f64()) {
        return None;
    }
    let (y, m, d, ..) = dt.to_ymd_hms_milli();
    valid_date(y as i32, m as u32, d as u32)
}

/// Days since 1970-01-01 → civil date (Howard Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> Date {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    Date {
        year: (if m <= 2 { y + 1 } else { y }) as i32,
        month: m,
        day: d,
    }
}

fn valid_date(year: i32, month: u32, day: u32) -> Option<Date> {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let dim = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    ((1900..=2200).contains(&year) && (1..=dim).contains(&day)).then_some(Date { year, month, day })
}

/// Parses a date cell: an Excel date, or text `2023-01-05`, `2023/1/5`, `2023.1.5`,
/// `2023年1月5日`, `20230105` (a time part after a space is ignored).
///
/// # Errors
/// The reason, quoting the value.
pub fn parse_date(d: &Data) -> Result<Date, String> {
    let bad = || format!("日期“{}”无法识别", cell_text(d));
    match d {
        Data::Empty => Err("日期为空".into()),
        Data::DateTime(dt) => excel_date(dt).ok_or_else(bad),
        Data::Int(i) => parse_date_text(&i.to_string()).ok_or_else(bad),
        Data::Float(f) if f.fract() == 0.0 && *f >= 19_000_000.0 => {
            parse_date_text(&format!("{f:.0}")).ok_or_else(bad)
        }
        Data::Float(f) => serial_to_date(*f).ok_or_else(bad),
        Data::String(s) | Data::DateTimeIso(s) => parse_date_text(s).ok_or_else(bad),
        _ => Err(bad()),
    }
}

fn parse_date_text(s: &str) -> Option<Date> {
    // Fast path: `2023-01-05` as the budget system writes it.
    let b = s.trim().as_bytes();
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            b[r].iter().try_fold(0u32, |acc, c| {
                c.is_ascii_digit().then(|| acc * 10 + (c - b'0') as u32)
            })
        };
        if let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) {
            return valid_date(y as i32, m, d);
        }
    }
    let t: String = s.nfkc().collect::<String>();
    let t = t.trim();
    let t = t.split([' ', 'T']).next().unwrap_or("");
    if t.len() == 8 && t.chars().all(|c| c.is_ascii_digit()) {
        return valid_date(
            t[0..4].parse().ok()?,
            t[4..6].parse().ok()?,
            t[6..8].parse().ok()?,
        );
    }
    let t = t.strip_suffix('日').unwrap_or(t);
    let parts: Vec<&str> = t.split(['-', '/', '.', '年', '月']).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    if parts[0].len() != 4 {
        return None;
    }
    valid_date(
        parts[0].parse().ok()?,
        parts[1].parse().ok()?,
        parts[2].parse().ok()?,
    )
}
