//! The three kinds of sheet, their columns and synonyms (SPEC §2.2), header names and the
//! amount unit of a sheet (SPEC §2.1).

use super::norm;
use rust_decimal::Decimal;

// ---------------------------------------------------------------------------------------
// Sheet kinds and their columns (SPEC §2.2)

/// The three kinds of sheet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Payment,
    Budget,
    Indicators,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Payment => "支出明细",
            Kind::Budget => "预算指标",
            Kind::Indicators => "绩效指标",
        }
    }
}

/// A logical column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Date,
    Unit,
    UnitCode,
    Project,
    SpendKind,
    Econ,
    EconCode,
    Fund,
    Voucher,
    Memo,
    Amount,
    BudgetKind,
    DocNo,
    Level1,
    Level2,
    Name,
    Points,
    Direction,
    Target,
    Actual,
    Grade,
    Score,
    Reason,
    Goal,
    Achieved,
}

/// How many [`Field`]s there are (a field's `as usize` is below this).
pub const FIELD_COUNT: usize = Field::Achieved as usize + 1;

// The synonym tables of SPEC §2.2, in priority order (the earlier name wins when a sheet has
// two). Every header name the tool knows is here and nowhere else.
const DATE: &[&str] = &[
    "支付日期",
    "实际支付日期",
    "日期",
    "记账日期",
    "凭证日期",
    "付款日期",
    "支付时间",
];
const UNIT: &[&str] = &["单位名称", "预算单位", "预算单位名称", "单位"];
const UNIT_CODE: &[&str] = &["单位编码", "预算单位编码", "单位代码", "预算单位代码"];
const PROJECT: &[&str] = &["项目名称", "项目", "支出项目", "预算项目"];
const SPEND_KIND: &[&str] = &["支出类型", "预算类型", "支出类别", "项目类别"];
const ECON: &[&str] = &[
    "经济分类",
    "部门经济分类",
    "部门支出经济分类",
    "部门预算经济分类",
    "经济科目",
    "部门经济分类科目",
    "部门支出经济分类科目",
    "部门经济分类名称",
    "部门支出经济分类名称",
    "部门预算经济分类名称",
    "支出经济分类",
];
/// A separate code column of the economic class, joined to the name (the code decides).
const ECON_CODE: &[&str] = &[
    "部门经济分类编码",
    "部门经济分类代码",
    "部门支出经济分类代码",
    "部门支出经济分类编码",
    "部门预算经济分类代码",
    "部门预算经济分类编码",
    "经济分类编码",
    "经济分类代码",
    "经济科目编码",
    "经济科目代码",
];
const FUND: &[&str] = &["资金性质", "资金性质名称", "资金来源", "资金类型"];
const VOUCHER: &[&str] = &[
    "支付凭证号",
    "凭证号",
    "支付申请号",
    "支付申请编号",
    "流水号",
];
const MEMO: &[&str] = &["摘要", "用途", "资金用途"];
const PAY_AMOUNT: &[&str] = &[
    "实际支付金额",
    "支付金额",
    "本次支付金额",
    "支出金额",
    "金额",
    "发生额",
    "实际支出",
];
/// The amount names that only a payment ledger has: a sheet with one of these and a unit is a
/// payment ledger, whatever else it carries (real exports add 指标文号 and 指标类型).
const PAYMENT_EVIDENCE: &[&str] = &["支付金额", "实际支付金额", "本次支付金额", "支出金额"];
const BUDGET_KIND: &[&str] = &[
    "指标来源",
    "指标来源名称",
    "指标类型",
    "调整类型",
    "预算调整类型",
];
const DOC_NO: &[&str] = &["指标文号", "文号"];
const BUDGET_AMOUNT: &[&str] = &["指标金额", "预算金额", "金额"];
const LEVEL1: &[&str] = &["一级指标"];
const LEVEL2: &[&str] = &["二级指标"];
const NAME: &[&str] = &["三级指标", "指标名称"];
const POINTS: &[&str] = &["分值", "权重"];
const DIRECTION: &[&str] = &["指标性质", "指标方向", "方向"];
const TARGET: &[&str] = &["年度指标值", "目标值", "指标值"];
const ACTUAL: &[&str] = &["实际完成值", "完成值", "实际值"];
const GRADE: &[&str] = &["完成等级", "等级"];
const SCORE: &[&str] = &["得分", "自评得分"];
const REASON: &[&str] = &[
    "偏差原因",
    "扣分原因",
    "偏差原因分析",
    "偏差原因分析及改进措施",
    "未完成原因分析",
];
/// The project of an indicator row (SPEC §2.2, §10).
const INDICATOR_PROJECT: &[&str] = &["项目名称", "项目", "预算项目"];
const GOAL: &[&str] = &["年度目标", "年度总体目标", "预期目标", "年度绩效目标"];
const ACHIEVED: &[&str] = &["实际完成情况", "目标完成情况", "年度总体目标完成情况"];

/// Words that mark a column the tool may be missing: an unmapped column of a recognised
/// sheet whose name contains one is reported (SPEC §2.2).
pub const SUSPICIOUS_WORDS: [&str; 7] = [
    "经济分类",
    "资金性质",
    "资金来源",
    "项目",
    "类别",
    "日期",
    "金额",
];

/// Fields whose column, when two synonyms are present, is chosen by its values rather than by
/// the synonym order: the one whose cells parse as that field (ties: the synonym order).
pub fn chosen_by_values(field: Field) -> bool {
    matches!(field, Field::BudgetKind | Field::Direction)
}

/// The fields of a kind, with their synonyms (in priority order) and whether required.
pub fn fields(kind: Kind) -> Vec<(Field, &'static [&'static str], bool)> {
    use Field::*;
    match kind {
        Kind::Payment => vec![
            (Date, DATE, true),
            (Unit, UNIT, true),
            (UnitCode, UNIT_CODE, false),
            (Project, PROJECT, false),
            (SpendKind, SPEND_KIND, false),
            (Econ, ECON, true),
            (EconCode, ECON_CODE, false),
            (Fund, FUND, false),
            (Voucher, VOUCHER, false),
            (Memo, MEMO, false),
            // Which budget a payment drew (SPEC §10): read when its values are budget kinds.
            (BudgetKind, BUDGET_KIND, false),
            (Amount, PAY_AMOUNT, true),
        ],
        Kind::Budget => vec![
            (Unit, UNIT, true),
            (UnitCode, UNIT_CODE, false),
            (Project, PROJECT, false),
            (SpendKind, SPEND_KIND, false),
            (Econ, ECON, true),
            (EconCode, ECON_CODE, false),
            (Fund, FUND, false),
            (BudgetKind, BUDGET_KIND, true),
            (DocNo, DOC_NO, false),
            (Date, DATE, false),
            (Amount, BUDGET_AMOUNT, true),
        ],
        Kind::Indicators => vec![
            (Unit, UNIT, true),
            (Level1, LEVEL1, true),
            (Level2, LEVEL2, false),
            (Name, NAME, true),
            (Points, POINTS, true),
            (Direction, DIRECTION, true),
            (Target, TARGET, false),
            (Actual, ACTUAL, false),
            (Grade, GRADE, false),
            (Score, SCORE, false),
            (Reason, REASON, false),
            (Project, INDICATOR_PROJECT, false),
            (Goal, GOAL, false),
            (Achieved, ACHIEVED, false),
        ],
    }
}

fn all_synonyms() -> impl Iterator<Item = &'static str> {
    [
        DATE,
        UNIT,
        UNIT_CODE,
        PROJECT,
        SPEND_KIND,
        ECON,
        ECON_CODE,
        FUND,
        VOUCHER,
        MEMO,
        PAY_AMOUNT,
        BUDGET_KIND,
        DOC_NO,
        BUDGET_AMOUNT,
        LEVEL1,
        LEVEL2,
        NAME,
        POINTS,
        DIRECTION,
        TARGET,
        ACTUAL,
        GRADE,
        SCORE,
        REASON,
        GOAL,
        ACHIEVED,
    ]
    .into_iter()
    .flatten()
    .copied()
}

pub(super) fn is_column_name(name: &str) -> bool {
    !name.is_empty() && all_synonyms().any(|s| s == name)
}

/// A header cell normalised: NFKC, no whitespace, and a trailing `(元)`/`(万元)` removed and
/// returned as the column's amount unit.
pub fn header_name(raw: &str) -> (String, Option<AmountUnit>) {
    let n = norm(raw);
    for (suffix, unit) in [
        ("(元)", AmountUnit::Yuan),
        ("(万元)", AmountUnit::Wan),
        ("(单位:元)", AmountUnit::Yuan),
        ("(单位:万元)", AmountUnit::Wan),
    ] {
        if let Some(stem) = n.strip_suffix(suffix) {
            return (stem.to_string(), Some(unit));
        }
    }
    (n, None)
}

/// 元 or 万元.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AmountUnit {
    Yuan,
    Wan,
}

impl AmountUnit {
    pub fn label(self) -> &'static str {
        match self {
            AmountUnit::Yuan => "元",
            AmountUnit::Wan => "万元",
        }
    }
    pub(super) fn factor(self) -> Decimal {
        match self {
            AmountUnit::Yuan => Decimal::ONE,
            AmountUnit::Wan => Decimal::from(10_000),
        }
    }
}

/// `单位：元` / `单位：万元` in a title cell (any colon, any spacing).
pub fn title_unit(raw: &str) -> Option<AmountUnit> {
    let n = norm(raw);
    n.match_indices("单位:").find_map(|(idx, m)| {
        let rest = &n[idx + m.len()..];
        if rest.starts_with("万元") {
            Some(AmountUnit::Wan)
        } else if rest.starts_with('元') {
            Some(AmountUnit::Yuan)
        } else {
            None
        }
    })
}

/// The kind of a sheet from the evidence of its header names (SPEC §2.2): indicators, else a
/// payment ledger when it has a unit and a payment amount, else a budget ledger when it has a
/// budget kind and an amount, else a payment ledger when it has a unit and any amount.
pub(super) fn classify(names: &[String]) -> Option<Kind> {
    let has = |syn: &[&str]| names.iter().any(|n| syn.contains(&n.as_str()));
    if has(LEVEL1) && has(POINTS) {
        Some(Kind::Indicators)
    } else if has(UNIT) && has(PAYMENT_EVIDENCE) {
        Some(Kind::Payment)
    } else if has(BUDGET_KIND) && has(BUDGET_AMOUNT) {
        Some(Kind::Budget)
    } else if has(UNIT) && has(PAY_AMOUNT) {
        Some(Kind::Payment)
    } else {
        None
    }
}
