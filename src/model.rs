//! Shared vocabulary: money in cents, the coded dimensions of a ledger row, and provenance.
//!
//! Every amount in the pipeline is an `i64` number of cents (分). Rounding to 万元 happens
//! exactly once, in [`wan_display`], when a figure is laid out in a table.

use rust_decimal::{Decimal, RoundingStrategy};
use std::fmt;
use std::sync::Arc;

/// An exact amount in cents (分).
pub type Cents = i64;

/// 资金性质.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Fund {
    /// 一般公共预算
    General,
    /// 政府性基金
    GovFund,
    /// 其他资金
    Other,
}

impl Fund {
    pub fn label(self) -> &'static str {
        match self {
            Fund::General => "一般公共预算",
            Fund::GovFund => "政府性基金",
            Fund::Other => "其他资金",
        }
    }
    pub fn code(self) -> i32 {
        self as i32
    }
    pub fn from_code(c: i32) -> Fund {
        match c {
            0 => Fund::General,
            1 => Fund::GovFund,
            _ => Fund::Other,
        }
    }
}

/// 支出类型.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SpendKind {
    /// 基本支出
    Basic,
    /// 项目支出
    Project,
}

impl SpendKind {
    pub fn label(self) -> &'static str {
        match self {
            SpendKind::Basic => "基本支出",
            SpendKind::Project => "项目支出",
        }
    }
    pub fn code(self) -> i32 {
        self as i32
    }
    pub fn from_code(c: i32) -> SpendKind {
        if c == 0 {
            SpendKind::Basic
        } else {
            SpendKind::Project
        }
    }
}

/// 指标类型 of a budget row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BudgetKind {
    /// 年初预算
    Initial,
    /// 追加/调增
    Increase,
    /// 调减
    Decrease,
    /// 上年结转
    Carryover,
}

impl BudgetKind {
    pub fn label(self) -> &'static str {
        match self {
            BudgetKind::Initial => "年初预算",
            BudgetKind::Increase => "追加",
            BudgetKind::Decrease => "调减",
            BudgetKind::Carryover => "上年结转",
        }
    }
    pub fn code(self) -> i32 {
        self as i32
    }
    pub fn from_code(c: i32) -> BudgetKind {
        match c {
            0 => BudgetKind::Initial,
            1 => BudgetKind::Increase,
            2 => BudgetKind::Decrease,
            _ => BudgetKind::Carryover,
        }
    }
}

/// Which budget a payment drew, as its ledger says (a 指标来源 column on the payment ledger,
/// SPEC §10): the project forms attribute it to 本年财政拨款 or 上年结转资金 by this, and by
/// 结转资金优先使用 when the ledger does not say.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Drawn {
    /// The ledger does not say.
    #[default]
    Unknown,
    /// This year's budget (年初预算, 追加, 调减).
    Current,
    /// Last year's carry-over (上年结转).
    Carryover,
}

impl Drawn {
    pub fn code(self) -> i32 {
        self as i32
    }
    pub fn from_code(c: i32) -> Drawn {
        match c {
            1 => Drawn::Current,
            2 => Drawn::Carryover,
            _ => Drawn::Unknown,
        }
    }
}

/// Where a value came from: file (path relative to the input folder), sheet, Excel row (1-based).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Prov {
    pub file: Arc<str>,
    pub sheet: Arc<str>,
    pub row: u32,
}

/// A calendar date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// One used budget row (预算指标). `amount` is the signed effect on the adjusted budget
/// (a 调减 row is negative whatever the sign typed).
#[derive(Clone, Debug)]
pub struct Budget {
    pub prov: Prov,
    pub unit: usize,
    pub project: Arc<str>,
    pub kind: SpendKind,
    pub econ: Arc<str>,
    pub fund: Fund,
    pub budget_kind: BudgetKind,
    pub doc_no: String,
    pub amount: Cents,
    /// The amount as typed in the ledger (for the sheet's sums and its 合计 check).
    pub typed_amount: Cents,
}

/// 指标方向.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Positive,
    Negative,
    Equal,
    Qualitative,
}

impl Direction {
    pub fn label(self) -> &'static str {
        match self {
            Direction::Positive => "正向",
            Direction::Negative => "反向",
            Direction::Equal => "等于",
            Direction::Qualitative => "定性",
        }
    }
}

/// 一级指标 groups that are scored from indicators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level1 {
    Output,
    Benefit,
    Satisfaction,
}

impl Level1 {
    pub const ALL: [Level1; 3] = [Level1::Output, Level1::Benefit, Level1::Satisfaction];
    pub fn label(self) -> &'static str {
        match self {
            Level1::Output => "产出指标",
            Level1::Benefit => "效益指标",
            Level1::Satisfaction => "满意度指标",
        }
    }
}

/// 完成等级 of a qualitative indicator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grade {
    Achieved,
    Partial,
    NotAchieved,
}

impl Grade {
    pub fn label(self) -> &'static str {
        match self {
            Grade::Achieved => "达成",
            Grade::Partial => "部分达成",
            Grade::NotAchieved => "未达成",
        }
    }
}

/// One performance indicator row (绩效指标) with its parsed values.
#[derive(Clone, Debug)]
pub struct Indicator {
    pub prov: Prov,
    pub unit: usize,
    pub level1: Level1,
    pub level2: String,
    pub name: String,
    pub points: Decimal,
    pub direction: Direction,
    /// Target and actual as typed (shown in the indicator sheet) and as read.
    pub target_text: String,
    pub actual_text: String,
    pub target: Option<Decimal>,
    pub actual: Option<Decimal>,
    pub grade: Option<Grade>,
    pub given_score: Option<Decimal>,
    pub reason: String,
    /// The project key (`normalise::project_key`) of a project's indicator (SPEC §10);
    /// empty for the unit's 部门整体 indicators.
    pub project: String,
    /// The project's name as typed (empty for the unit's indicators).
    pub project_name: String,
    /// 年度总体目标: the 预期目标 and 实际完成情况 cells, as typed (SPEC §10).
    pub goal: String,
    pub achieved: String,
}

/// Cents to 万元, rounded half away from zero (四舍五入) to 2 decimals. The one place money
/// is rounded.
pub fn wan_display(cents: Cents) -> Decimal {
    Decimal::new(cents, 6).round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// Cents to 元 as an exact decimal (for the detail CSV and the audit).
pub fn yuan(cents: Cents) -> Decimal {
    Decimal::new(cents, 2)
}

/// Round half away from zero to `dp` decimals.
pub fn round(d: Decimal, dp: u32) -> Decimal {
    d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// Excel column letters for a 0-based column index (0 → A, 26 → AA).
pub fn col_letter(mut col: u32) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wan_rounds_half_away_from_zero_once() {
        assert_eq!(wan_display(419_770_000).to_string(), "419.77");
        assert_eq!(wan_display(50_00).to_string(), "0.01"); // 50 元 = 0.005 万元 → 0.01
        assert_eq!(wan_display(49_99).to_string(), "0.00");
        assert_eq!(wan_display(-50_00).to_string(), "-0.01");
    }

    #[test]
    fn column_letters() {
        assert_eq!(col_letter(0), "A");
        assert_eq!(col_letter(8), "I");
        assert_eq!(col_letter(25), "Z");
        assert_eq!(col_letter(26), "AA");
        assert_eq!(col_letter(701), "ZZ");
        assert_eq!(col_letter(702), "AAA");
    }
}
