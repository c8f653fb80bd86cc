//! Cell values parsed: money, dates, economic class, fund, spend kind, budget kind and the
//! numbers of indicators (SPEC §2.3).

use super::AmountUnit;
use super::{cell_text, norm};
use crate::model::*;
use calamine::Data;
use rust_decimal::Decimal;
use std::str::FromStr;
use unicode_normalization::UnicodeNormalization;

// ---------------------------------------------------------------------------------------
// Values (SPEC §2.3)

/// Parses an amount to cents. Returns the cents and, when the value had to be rounded to the
/// cent, a warning.
///
/// # Errors
/// The reason, quoting the value, when it is empty or not a number.
pub fn parse_money(d: &Data, unit: AmountUnit) -> Result<(Cents, Option<String>), String> {
    // Fast path: a float within a hair of a whole cent (nearly every numeric cell). The
    // product is exact to far below a cent at these magnitudes; anything else takes the
    // decimal path below, which also warns.
    if let Data::Float(f) = d {
        let scale = match unit {
            AmountUnit::Yuan => 100.0,
            AmountUnit::Wan => 1_000_000.0,
        };
        let x = f * scale;
        if x.is_finite() && x.abs() < 1e13 {
            let r = x.round();
            if (x - r).abs() < 1e-6 {
                return Ok((r as i64, None));
            }
        }
    }
    let value = match d {
        Data::Empty => return Err("金额为空".into()),
        Data::Int(i) => Decimal::from(*i),
        Data::Float(f) => {
            if !f.is_finite() {
                return Err(format!("金额“{f}”不是数字"));
            }
            Decimal::from_str(&f.to_string())
                .or_else(|_| Decimal::from_scientific(&format!("{f:e}")))
                .map_err(|_| format!("金额“{f}”超出范围"))?
        }
        Data::String(s) => {
            if s.trim().is_empty() {
                return Err("金额为空".into());
            }
            parse_money_text(s).ok_or_else(|| format!("金额“{}”不是数字", s.trim()))?
        }
        other => return Err(format!("金额“{}”不是数字", cell_text(other))),
    };
    let cents = value
        .checked_mul(unit.factor())
        .and_then(|v| v.checked_mul(Decimal::ONE_HUNDRED))
        .ok_or_else(|| format!("金额“{}”超出范围", cell_text(d)))?;
    let rounded = round(cents, 0);
    let c: i64 = rounded
        .try_into()
        .map_err(|_| format!("金额“{}”超出范围", cell_text(d)))?;
    if c.unsigned_abs() > 1_000_000_000_000_000 {
        return Err(format!("金额“{}”超出范围", cell_text(d)));
    }
    // More than 0.000001 元 away from a cent value.
    let warn = if (cents - rounded).abs() > Decimal::new(1, 4) {
        Some(format!(
            "金额“{}”不是整分，已按四舍五入取为 {} 元",
            cell_text(d),
            yuan(c)
        ))
    } else {
        None
    };
    Ok((c, warn))
}

fn parse_money_text(s: &str) -> Option<Decimal> {
    let mut t: String = norm(s).replace('￥', "¥");
    // A trailing 元 is the unit the column is in anyway (万元 is not: it would change the scale).
    if t.ends_with('元') && !t.ends_with("万元") {
        t.pop();
    }
    let mut negative = false;
    if t.starts_with('(') && t.ends_with(')') && t.len() > 2 {
        negative = true;
        t = t[1..t.len() - 1].to_string();
    }
    if let Some(rest) = t.strip_prefix('-').or_else(|| t.strip_prefix('−')) {
        negative = !negative;
        t = rest.to_string();
    }
    if let Some(rest) = t.strip_prefix('¥') {
        t = rest.to_string();
    }
    if let Some(rest) = t.strip_prefix('-') {
        negative = !negative;
        t = rest.to_string();
    }
    if t.is_empty() {
        return None;
    }
    // Thousands separators: only between digits.
    let b = t.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c == b','
            && (i == 0
                || i + 1 == b.len()
                || !b[i - 1].is_ascii_digit()
                || !b[i + 1].is_ascii_digit())
        {
            return None;
        }
    }
    let t = t.replace(',', "");
    if !t.chars().all(|c| c.is_ascii_digit() || c == '.') || t.matches('.').count() > 1 || t == "."
    {
        return None;
    }
    let v = Decimal::from_str(&t).ok()?;
    Some(if negative { -v } else { v })
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
fn civil_from_days(z: i64) -> Date {
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

/// Parses an economic class: a leading 3-to-5 digit code, or a name from the built-in table.
///
/// # Errors
/// The reason, quoting the value.
pub fn parse_econ(d: &Data) -> Result<String, String> {
    let text = match d {
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 => format!("{f:.0}"),
        other => cell_text(other),
    };
    if text.is_empty() {
        return Err("经济分类为空".into());
    }
    let n = norm(&text);
    let digits: String = n.chars().take_while(|c| c.is_ascii_digit()).collect();
    if (3..=5).contains(&digits.len()) {
        return Ok(digits);
    }
    if digits.is_empty() {
        let name = n.trim_start_matches(['-', '_', ':', '.', '、']);
        if let Some(code) = crate::econ::code_for_name(name) {
            return Ok(code.to_string());
        }
        // A path of names, `商品和服务支出-公务接待费` or `.../办公费`: the last, most specific
        // name decides (an unknown one is an error, never its parent: that would hide a
        // 三公 item under 302).
        if let Some(last) = name.rsplit(['-', '/', '|', '>', '—', '\\']).next()
            && last != name
            && let Some(code) = crate::econ::code_for_name(last)
        {
            return Ok(code.to_string());
        }
    }
    Err(format!(
        "经济分类“{text}”无法识别：应以3至5位科目编码开头（如“30217 公务接待费”），或为标准科目名称"
    ))
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

/// The three value fields whose words differ by system (SPEC §2.3), each mapped by a
/// `[values.…]` table of the config.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ValueField {
    Fund,
    SpendKind,
    BudgetKind,
}

impl ValueField {
    pub const ALL: [ValueField; 3] = [
        ValueField::Fund,
        ValueField::SpendKind,
        ValueField::BudgetKind,
    ];
    /// The column's name in messages.
    pub fn label(self) -> &'static str {
        match self {
            ValueField::Fund => "资金性质",
            ValueField::SpendKind => "支出类型",
            ValueField::BudgetKind => "指标类型",
        }
    }
    /// Its table in the config: `[values.fund]`.
    pub fn section(self) -> &'static str {
        match self {
            ValueField::Fund => "fund",
            ValueField::SpendKind => "spend_kind",
            ValueField::BudgetKind => "budget_kind",
        }
    }
    /// The words a `[values]` line may map to.
    pub fn targets(self) -> &'static str {
        match self {
            ValueField::Fund => "一般公共预算、政府性基金、其他资金",
            ValueField::SpendKind => "基本支出、项目支出",
            ValueField::BudgetKind => "年初预算、追加、调减、上年结转",
        }
    }
}

/// 资金性质 through the config's `[values.fund]`, then the built-in words.
pub fn fund_word(values: &crate::config::Values, text: &str) -> Result<Fund, String> {
    parse_fund(values.lookup(ValueField::Fund, text).unwrap_or(text))
}

/// 支出类型 through `[values.spend_kind]`, then the built-in words.
pub fn kind_word(values: &crate::config::Values, text: &str) -> Result<Option<SpendKind>, String> {
    parse_spend_kind(values.lookup(ValueField::SpendKind, text).unwrap_or(text))
}

/// 指标类型 through `[values.budget_kind]`, then the built-in words.
pub fn budget_kind_word(values: &crate::config::Values, text: &str) -> Result<BudgetKind, String> {
    parse_budget_kind(values.lookup(ValueField::BudgetKind, text).unwrap_or(text))
}

/// Parses 资金性质 (built-in words, a leading code stripped).
pub fn parse_fund(text: &str) -> Result<Fund, String> {
    let n = value_key(text);
    match n.as_str() {
        "一般公共预算"
        | "一般公共预算资金"
        | "一般公共预算拨款"
        | "财政拨款"
        | "财政拨款收入"
        | "公共财政预算"
        | "经费拨款"
        | "纳入预算管理的非税收入拨款"
        | "纳入一般公共预算管理的非税收入拨款"
        | "行政事业性收费拨款" => Ok(Fund::General),
        "政府性基金" | "政府性基金预算" | "政府性基金拨款" | "政府性基金预算资金" => {
            Ok(Fund::GovFund)
        }
        "其他资金"
        | "单位资金"
        | "自有资金"
        | "事业收入"
        | "其他收入"
        | "上级补助收入"
        | "财政专户管理资金"
        | "事业单位经营收入"
        | "附属单位上缴收入" => Ok(Fund::Other),
        "" => Err("资金性质为空".into()),
        _ => Err(format!(
            "资金性质“{}”无法识别：应为一般公共预算、政府性基金或其他资金等",
            text.trim()
        )),
    }
}

/// Parses 支出类型; `None` for an empty cell (the caller falls back on the project).
pub fn parse_spend_kind(text: &str) -> Result<Option<SpendKind>, String> {
    match value_key(text).as_str() {
        "" => Ok(None),
        // 一体化 项目类别: 人员类项目, 运转类项目 (basic), 特定目标类项目 (project).
        "基本支出" | "人员经费" | "公用经费" | "人员类" | "运转类" | "人员类项目"
        | "运转类项目" => Ok(Some(SpendKind::Basic)),
        "项目支出" | "特定目标类" | "特定目标类项目" => {
            Ok(Some(SpendKind::Project))
        }
        // A qualified kind, as some exports write it: `基本支出-人员经费`, `项目支出（专项）`.
        k if k.starts_with("基本支出") => Ok(Some(SpendKind::Basic)),
        k if k.starts_with("项目支出") => Ok(Some(SpendKind::Project)),
        _ => Err(format!(
            "支出类型“{}”无法识别：应为基本支出或项目支出",
            text.trim()
        )),
    }
}

/// The spend kind of a row without one: no project, or a project named as basic spending
/// (`基本支出`, `人员经费`, `公用经费`, `人员类…`, `运转类…`) → basic; any other project →
/// project. Always reported by the caller with the money it affects (SPEC §2.2).
pub fn kind_from_project(project_key: &str) -> SpendKind {
    let basic = project_key.is_empty()
        || project_key.starts_with("人员类")
        || project_key.starts_with("运转类")
        || parse_spend_kind(project_key) == Ok(Some(SpendKind::Basic));
    if basic {
        SpendKind::Basic
    } else {
        SpendKind::Project
    }
}

/// Parses 指标类型.
pub fn parse_budget_kind(text: &str) -> Result<BudgetKind, String> {
    match value_key(text).as_str() {
        // The SPEC's words, and the 指标来源 wordings of 一体化 exports.
        "年初预算" | "年初" | "年初批复" | "年初安排" => Ok(BudgetKind::Initial),
        "追加" | "调增" | "追加预算" | "年中追加" | "预算追加" => {
            Ok(BudgetKind::Increase)
        }
        "调减" | "调减预算" | "预算调减" => Ok(BudgetKind::Decrease),
        "上年结转" | "结转" | "结转资金" | "上年结转资金" => {
            Ok(BudgetKind::Carryover)
        }
        "" => Err("指标类型为空".into()),
        _ => Err(format!(
            "指标类型“{}”无法识别：应为年初预算、追加、调减或上年结转",
            text.trim()
        )),
    }
}

/// Parses an indicator number: comparison signs stripped, the leading number read, a
/// trailing `%` divides by 100, trailing units ignored.
pub fn parse_indicator_number(text: &str) -> Option<Decimal> {
    let t: String = norm(text)
        .chars()
        .filter(|c| !matches!(c, '≥' | '≤' | '>' | '<' | '=' | '＞' | '＜' | '＝'))
        .collect();
    let mut num = String::new();
    let mut chars = t.chars().peekable();
    if let Some('-') = chars.peek() {
        num.push('-');
        chars.next();
    }
    let mut rest = String::new();
    for c in chars.by_ref() {
        if c.is_ascii_digit() || c == '.' || c == ',' {
            num.push(c);
        } else {
            rest.push(c);
            break;
        }
    }
    rest.extend(chars);
    let num = num.replace(',', "");
    let v = Decimal::from_str(&num).ok()?;
    Some(if rest.starts_with('%') {
        v / Decimal::ONE_HUNDRED
    } else {
        v
    })
}

/// Parses 指标方向.
pub fn parse_direction(text: &str) -> Result<Direction, String> {
    match norm(text).as_str() {
        "正向" | "≥" | ">=" | ">" | "正向指标" | "大于等于" | "大于" | "不低于" => {
            Ok(Direction::Positive)
        }
        "反向" | "≤" | "<=" | "<" | "反向指标" | "小于等于" | "小于" | "不高于" => {
            Ok(Direction::Negative)
        }
        "等于" | "=" => Ok(Direction::Equal),
        "定性" | "定性指标" => Ok(Direction::Qualitative),
        "" => Err("指标方向为空".into()),
        _ => Err(format!(
            "指标方向“{}”无法识别：应为正向、反向、等于或定性",
            text.trim()
        )),
    }
}

pub fn parse_level1(text: &str) -> Result<Level1, String> {
    let n = norm(text);
    // The 财政部 template writes the group's points in the cell: `产出指标(50分)`.
    let n = match n.strip_suffix("分)").and_then(|x| x.rsplit_once('(')) {
        Some((stem, points)) if points.parse::<f64>().is_ok() => stem.to_string(),
        _ => n,
    };
    match n.as_str() {
        "产出指标" => Ok(Level1::Output),
        "效益指标" => Ok(Level1::Benefit),
        "满意度指标" => Ok(Level1::Satisfaction),
        "" => Err("一级指标为空".into()),
        _ => Err(format!(
            "一级指标“{}”无法识别：应为产出指标、效益指标或满意度指标",
            text.trim()
        )),
    }
}

pub fn parse_grade(text: &str) -> Result<Option<Grade>, String> {
    match norm(text).as_str() {
        "" => Ok(None),
        "达成" => Ok(Some(Grade::Achieved)),
        "部分达成" => Ok(Some(Grade::Partial)),
        "未达成" => Ok(Some(Grade::NotAchieved)),
        _ => Err(format!(
            "完成等级“{}”无法识别：应为达成、部分达成或未达成",
            text.trim()
        )),
    }
}

pub fn parse_plain_number(d: &Data) -> Option<Decimal> {
    match d {
        Data::Int(i) => Some(Decimal::from(*i)),
        Data::Float(f) => Decimal::from_str(&f.to_string()).ok(),
        Data::String(s) => Decimal::from_str(&norm(s)).ok(),
        _ => None,
    }
}
