//! The figures F1–F15 of SPEC §5 as named definitions, and their two computations:
//! from the polars aggregates (the report's path) and from the detail rows by a plain loop
//! (the audit's independent path, which reads SPEC §5's filters a second time in
//! [`by_spec_text`] rather than sharing the definitions' own). The two must agree to the cent.

use crate::config::{Classification, econ_in};
use crate::model::*;
use crate::stages::aggregate::Aggregates;
use rust_decimal::Decimal;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Actual,
    Budget,
    BudgetInitial,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FundSel {
    All,
    General,
    Other,
    GovFund,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KindSel {
    Any,
    Basic,
    Project,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EconSel {
    Any,
    Personnel,
    Public,
    SanGong,
}

/// One money figure: a filtered sum.
#[derive(Clone, Copy, Debug)]
pub struct FigureDef {
    pub id: &'static str,
    pub label: &'static str,
    pub source: Source,
    pub fund: FundSel,
    pub kind: KindSel,
    pub econ: EconSel,
}

const fn def(
    id: &'static str,
    label: &'static str,
    source: Source,
    fund: FundSel,
    kind: KindSel,
    econ: EconSel,
) -> FigureDef {
    FigureDef {
        id,
        label,
        source,
        fund,
        kind,
        econ,
    }
}

use EconSel as E;
use FundSel as Fs;
use KindSel as K;
use Source as S;

/// F1–F14 (F15 is the rate F10 / F9), and the extra rows of SPEC §5.
pub const FIGURES: [FigureDef; 14] = [
    def(
        "F1",
        "一般公共预算基本支出",
        S::Actual,
        Fs::General,
        K::Basic,
        E::Any,
    ),
    def(
        "F2",
        "其中：人员经费",
        S::Actual,
        Fs::General,
        K::Basic,
        E::Personnel,
    ),
    def(
        "F3",
        "其中：公用经费",
        S::Actual,
        Fs::General,
        K::Basic,
        E::Public,
    ),
    def(
        "F4",
        "“三公”经费预算",
        S::Budget,
        Fs::General,
        K::Any,
        E::SanGong,
    ),
    def(
        "F5",
        "“三公”经费支出",
        S::Actual,
        Fs::General,
        K::Any,
        E::SanGong,
    ),
    def(
        "F6",
        "项目支出年初预算",
        S::BudgetInitial,
        Fs::General,
        K::Project,
        E::Any,
    ),
    def(
        "F7",
        "项目支出调整后预算",
        S::Budget,
        Fs::General,
        K::Project,
        E::Any,
    ),
    def(
        "F8",
        "一般公共预算项目支出",
        S::Actual,
        Fs::General,
        K::Project,
        E::Any,
    ),
    def("F9", "部门预算支出总额", S::Budget, Fs::All, K::Any, E::Any),
    def(
        "F10",
        "部门实际支出总额",
        S::Actual,
        Fs::All,
        K::Any,
        E::Any,
    ),
    def(
        "F11",
        "基本支出（含其他资金）",
        S::Actual,
        Fs::All,
        K::Basic,
        E::Any,
    ),
    def(
        "F12",
        "其中：其他资金基本支出",
        S::Actual,
        Fs::Other,
        K::Basic,
        E::Any,
    ),
    def(
        "F13",
        "项目支出（含其他资金）",
        S::Actual,
        Fs::All,
        K::Project,
        E::Any,
    ),
    def(
        "F14",
        "其中：其他资金项目支出",
        S::Actual,
        Fs::Other,
        K::Project,
        E::Any,
    ),
];

/// 政府性基金 rows, shown when there is such spending.
pub const GOVFUND_BASIC: FigureDef = def(
    "G1",
    "其中：政府性基金基本支出",
    S::Actual,
    Fs::GovFund,
    K::Basic,
    E::Any,
);
/// The adjusted 项目支出 budget of all funds: what the project forms' 全年预算数 add up to
/// (SPEC §10 proof; not a line of 支出概况).
pub const PROJECT_BUDGET_ALL: FigureDef = def(
    "P1",
    "项目支出调整后预算（含其他资金）",
    S::Budget,
    Fs::All,
    K::Project,
    E::Any,
);
pub const GOVFUND_PROJECT: FigureDef = def(
    "G2",
    "其中：政府性基金项目支出",
    S::Actual,
    Fs::GovFund,
    K::Project,
    E::Any,
);

pub const F15_LABEL: &str = "预算执行率";
pub const OTHER_BASIC_LABEL: &str = "其中：其他基本支出";

/// The economic-class prefixes a figure filters on, gathered once per computation.
pub struct EconSets<'a> {
    personnel: &'a [String],
    public: &'a [String],
    sangong: Vec<String>,
}

impl<'a> EconSets<'a> {
    pub fn new(cls: &'a Classification) -> EconSets<'a> {
        EconSets {
            personnel: &cls.personnel,
            public: &cls.public,
            sangong: cls.sangong(),
        }
    }
}

impl FigureDef {
    /// True when a row with these attributes counts in this figure.
    pub fn matches(
        &self,
        cls: &EconSets,
        is_budget: bool,
        initial: bool,
        fund: Fund,
        kind: SpendKind,
        econ: &str,
    ) -> bool {
        let source_ok = match self.source {
            S::Actual => !is_budget,
            S::Budget => is_budget,
            S::BudgetInitial => is_budget && initial,
        };
        let fund_ok = match self.fund {
            Fs::All => true,
            Fs::General => fund == Fund::General,
            Fs::Other => fund == Fund::Other,
            Fs::GovFund => fund == Fund::GovFund,
        };
        let kind_ok = match self.kind {
            K::Any => true,
            K::Basic => kind == SpendKind::Basic,
            K::Project => kind == SpendKind::Project,
        };
        let econ_ok = match self.econ {
            E::Any => true,
            E::Personnel => econ_in(econ, cls.personnel),
            E::Public => econ_in(econ, cls.public),
            E::SanGong => econ_in(econ, &cls.sangong),
        };
        source_ok && fund_ok && kind_ok && econ_ok
    }

    /// The figure from the aggregates (the report's path).
    pub fn from_aggregates(&self, cls: &Classification, agg: &Aggregates) -> Cents {
        let cls = &EconSets::new(cls);
        let pay: Cents = agg
            .payments
            .iter()
            .filter(|g| self.matches(cls, false, false, g.fund, g.kind, &g.econ))
            .map(|g| g.amount)
            .sum();
        let bud: Cents = agg
            .budgets
            .iter()
            .filter(|g| {
                self.matches(
                    cls,
                    true,
                    g.budget_kind == BudgetKind::Initial,
                    g.fund,
                    g.kind,
                    &g.econ,
                )
            })
            .map(|g| g.amount)
            .sum();
        pay + bud
    }
}

/// SPEC §5's table read a second time, written out figure by figure as its text says, so
/// that the audit's path does not share [`FigureDef::matches`] (and the [`FIGURES`] filters)
/// with the report's: a wrong filter in either makes the two disagree. `None` for an id the
/// SPEC does not define.
#[allow(clippy::too_many_arguments)]
fn by_spec_text(
    id: &str,
    cls: &EconSets,
    budget: bool,
    initial: bool,
    fund: Fund,
    kind: SpendKind,
    econ: &str,
) -> Option<bool> {
    let actual = !budget;
    let general = fund == Fund::General;
    let other = fund == Fund::Other;
    let gov = fund == Fund::GovFund;
    let basic = kind == SpendKind::Basic;
    let project = kind == SpendKind::Project;
    let personnel = || econ_in(econ, cls.personnel);
    let public = || econ_in(econ, cls.public);
    let sangong = || econ_in(econ, &cls.sangong);
    Some(match id {
        // actual, general, basic (∧ personnel / public)
        "F1" => actual && general && basic,
        "F2" => actual && general && basic && personnel(),
        "F3" => actual && general && basic && public(),
        // budget / actual, general, econ ∈ any 三公 class
        "F4" => budget && general && sangong(),
        "F5" => actual && general && sangong(),
        // budget_kind = initial, general, project; budget, general, project; actual, …
        "F6" => budget && initial && general && project,
        "F7" => budget && general && project,
        "F8" => actual && general && project,
        // budget, all funds; actual, all funds
        "F9" => budget,
        "F10" => actual,
        "F11" => actual && basic,
        "F12" => actual && other && basic,
        "F13" => actual && project,
        "F14" => actual && other && project,
        // the extra rows: 政府性基金 basic / project spending
        "G1" => actual && gov && basic,
        "G2" => actual && gov && project,
        _ => return None,
    })
}

/// Figures `defs` by one plain loop over the detail rows (the audit's independent path):
/// the payments' amounts summed by (class, fund, kind) in one pass over the columns, then
/// each figure adds the (class, fund, kind) cells it counts; the budget rows one by one.
/// Which rows count is [`by_spec_text`]'s reading, not the definitions' own filter (that
/// only for an id the SPEC does not name).
pub fn from_rows(
    defs: &[&FigureDef],
    cls: &Classification,
    payments: &crate::ledger::Ledger,
    budgets: &[Budget],
) -> Vec<Cents> {
    let cls = &EconSets::new(cls);
    let cell = |fund: Fund, kind: SpendKind| (fund.code() * 2 + kind.code()) as usize;
    let mut sums: Vec<[Cents; 6]> = vec![[0; 6]; payments.econs.values().len()];
    for i in 0..payments.len() {
        let (fund, kind) = (payments.fund[i], payments.kind[i]);
        sums[payments.econ[i] as usize][cell(fund, kind)] += payments.amount[i];
    }
    defs.iter()
        .map(|def| {
            let counts = |budget: bool, initial: bool, fund: Fund, kind: SpendKind, econ: &str| {
                by_spec_text(def.id, cls, budget, initial, fund, kind, econ)
                    .unwrap_or_else(|| def.matches(cls, budget, initial, fund, kind, econ))
            };
            let mut total: Cents = 0;
            for (econ, by) in payments.econs.values().iter().zip(&sums) {
                for fund in [Fund::General, Fund::GovFund, Fund::Other] {
                    for kind in [SpendKind::Basic, SpendKind::Project] {
                        if counts(false, false, fund, kind, econ) {
                            total += by[cell(fund, kind)];
                        }
                    }
                }
            }
            for b in budgets {
                let initial = b.budget_kind == BudgetKind::Initial;
                if counts(true, initial, b.fund, b.kind, &b.econ) {
                    total += b.amount;
                }
            }
            total
        })
        .collect()
}

/// F10 / F9 as an exact fraction (None when F9 is zero).
pub fn rate(actual: Cents, budget: Cents) -> Option<Decimal> {
    (budget != 0).then(|| Decimal::from(actual) / Decimal::from(budget))
}

/// One line of the 支出概况 table.
#[derive(Debug, Clone, PartialEq)]
pub enum FigureValue {
    Money(Cents),
    Rate(Option<Decimal>),
}

/// The 支出概况 lines, in order, with the extra rows where they apply. Also returns the
/// warnings for them (F2 + F3 ≠ F1).
pub fn overview(
    cls: &Classification,
    agg: &Aggregates,
) -> (Vec<(String, String, FigureValue)>, Vec<String>) {
    let mut lines = Vec::new();
    let mut warnings = Vec::new();
    let v: Vec<Cents> = FIGURES
        .iter()
        .map(|f| f.from_aggregates(cls, agg))
        .collect();
    let gov_basic = GOVFUND_BASIC.from_aggregates(cls, agg);
    let gov_project = GOVFUND_PROJECT.from_aggregates(cls, agg);
    for (f, value) in FIGURES.iter().zip(&v) {
        lines.push((
            f.id.to_string(),
            f.label.to_string(),
            FigureValue::Money(*value),
        ));
        if f.id == "F3" && v[1] + v[2] != v[0] {
            let other = v[0] - v[1] - v[2];
            lines.push((
                "F3b".into(),
                OTHER_BASIC_LABEL.into(),
                FigureValue::Money(other),
            ));
            warnings.push(format!(
                "一般公共预算基本支出中有 {} 元既不属于人员经费也不属于公用经费，已列为“{OTHER_BASIC_LABEL}”",
                yuan(other)
            ));
        }
        if f.id == "F12" && gov_basic != 0 {
            lines.push((
                GOVFUND_BASIC.id.into(),
                GOVFUND_BASIC.label.into(),
                FigureValue::Money(gov_basic),
            ));
        }
        if f.id == "F14" && gov_project != 0 {
            lines.push((
                GOVFUND_PROJECT.id.into(),
                GOVFUND_PROJECT.label.into(),
                FigureValue::Money(gov_project),
            ));
        }
    }
    lines.push((
        "F15".into(),
        F15_LABEL.into(),
        FigureValue::Rate(rate(v[9], v[8])),
    ));
    (lines, warnings)
}

#[cfg(test)]
mod spec_reading_tests {
    use super::*;

    #[test]
    fn every_figure_has_a_second_reading_and_it_agrees_with_the_definition() {
        // Both readings over every combination of attributes: they are written apart, so this
        // fails when either filter is changed (try: F11's kind to Any).
        let cls = Classification::default();
        let sets = EconSets::new(&cls);
        let econs = [
            "30101 基本工资",
            "30201 办公费",
            "30217 公务接待费",
            "31002 办公设备购置",
        ];
        for def in FIGURES.iter().chain([&GOVFUND_BASIC, &GOVFUND_PROJECT]) {
            for budget in [false, true] {
                for initial in [false, true] {
                    for fund in [Fund::General, Fund::GovFund, Fund::Other] {
                        for kind in [SpendKind::Basic, SpendKind::Project] {
                            for econ in econs {
                                let initial = initial && budget;
                                let spec =
                                    by_spec_text(def.id, &sets, budget, initial, fund, kind, econ);
                                let own = def.matches(&sets, budget, initial, fund, kind, econ);
                                assert_eq!(
                                    spec,
                                    Some(own),
                                    "{} on budget={budget} initial={initial} {fund:?} {kind:?} {econ}",
                                    def.id
                                );
                            }
                        }
                    }
                }
            }
        }
    }
}
