//! Cell values parsed: money, dates, economic class, fund, spend kind, budget kind and the
//! numbers of indicators (SPEC §2.3).

use super::AmountUnit;
use crate::model::*;
use crate::text::{cell_text, norm};
use crate::vocab::{ValueField, parse_budget_kind, parse_fund, parse_spend_kind};
use calamine::Data;
use rust_decimal::Decimal;
use std::str::FromStr;

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
