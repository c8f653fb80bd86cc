//! The vocabularies of SPEC §2.3 that the config checks its `[values]` against: funds, spend
//! kinds and budget kinds, each word compared as a [`value_key`] (a leaf: `model` and `text`).

use crate::model::*;
use crate::text::value_key;

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
