//! The 项目支出绩效自评表 (SPEC §10) as data: one form per project with money — its money
//! block from the aggregates, its 年度总体目标 and indicators from the indicator sheet, its
//! scores — and the `汇总` table. Read by the renderer (`render::forms`), the audit (the
//! `项目资金` proof) and the report draft.
//!
//! Input: the [`Aggregates`]' project sums (payments by unit × project × fund, budget rows by
//! unit × project × fund × budget kind, both 支出类型 项目支出), the run's [`Projects`] (order
//! and display names) and the project indicator rows. Nothing here groups rows: the sums come
//! from `aggregate`; [`from_rows`] is the audit's independent plain loop over the rows.
//!
//! ```text
//! per (unit, project)   ProjectSums { budget[fiscal|other][年初|追加|调减|结转], actual[fiscal|other] }
//!   → MoneyBlock        年度资金总额 = 本年财政拨款 + 上年结转资金 + 其他资金, each (年初, A, B)
//!   → ProjectForm       + 预算执行得分, indicators and their scores, 总分, 评价等级, 待补充
//! ```

use crate::config::Config;
use crate::diag::Problem;
use crate::model::*;
use crate::stages::aggregate::Aggregates;
use crate::stages::score::indicator_score;
use crate::stages::validate::Projects;
use crate::tables::{Cell, RowStyle, Table};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};

/// The name shown for project spending whose rows name no project.
pub const NO_PROJECT_NAME: &str = "（未填写项目名称的项目支出）";

/// The sums a project's money block is made of (cents, exact).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProjectSums {
    /// Budget rows by fund class (0 fiscal: 一般公共预算 and 政府性基金; 1 其他资金) and
    /// budget kind (`BudgetKind::code`); a 调减 is negative.
    pub budget: [[Cents; 4]; 2],
    /// Payments by fund class.
    pub actual: [Cents; 2],
    /// The fiscal payments by the budget their ledger says they drew (`Drawn::code`:
    /// not said, this year's, carry-over); they add up to `actual[0]`.
    pub fiscal_drawn: [Cents; 3],
    pub has_budget: bool,
    pub has_payments: bool,
}

impl ProjectSums {
    fn add_budget(&mut self, fund: Fund, kind: BudgetKind, amount: Cents) {
        self.budget[fund_class(fund)][kind.code() as usize] += amount;
        self.has_budget = true;
    }
    fn add_actual(&mut self, fund: Fund, drawn: Drawn, amount: Cents) {
        self.actual[fund_class(fund)] += amount;
        if fund_class(fund) == 0 {
            self.fiscal_drawn[drawn.code() as usize] += amount;
        }
        self.has_payments = true;
    }
}

/// 0 for the fiscal funds (本年财政拨款 and 上年结转资金 draw on them), 1 for 其他资金.
fn fund_class(fund: Fund) -> usize {
    match fund {
        Fund::General | Fund::GovFund => 0,
        Fund::Other => 1,
    }
}

/// One row of the money block: 年初预算数, 全年预算数（A）, 全年执行数（B）.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MoneyRow {
    pub initial: Cents,
    pub budget: Cents,
    pub actual: Cents,
}

/// The money block of a form (SPEC §10): the three rows add up to the total in every column.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MoneyBlock {
    /// 年度资金总额.
    pub total: MoneyRow,
    /// 其中：本年财政拨款.
    pub current: MoneyRow,
    /// 上年结转资金.
    pub carryover: MoneyRow,
    /// 其他资金.
    pub other: MoneyRow,
    /// Some fiscal payments were split between 上年结转资金 and 本年财政拨款 by 结转资金优先使用
    /// (their ledger does not say which budget they drew).
    pub by_rule: bool,
}

/// The money block of a project from its sums. A fiscal payment whose ledger says which budget
/// it drew (指标来源) goes to that row; the others are attributed to 上年结转资金 first, up to
/// what is left of its 全年预算数, the rest to 本年财政拨款 (结转资金优先使用).
pub fn money_block(s: &ProjectSums) -> MoneyBlock {
    let [fiscal, other] = s.budget;
    let k = |b: BudgetKind| b.code() as usize;
    let carry_budget = fiscal[k(BudgetKind::Carryover)];
    let fiscal_actual = s.actual[0];
    let [unsaid, _, said_carry] = s.fiscal_drawn;
    let carry_left = (carry_budget - said_carry).max(0);
    let carry_actual = said_carry + unsaid.clamp(0, carry_left);
    let current = MoneyRow {
        initial: fiscal[k(BudgetKind::Initial)],
        budget: fiscal[k(BudgetKind::Initial)]
            + fiscal[k(BudgetKind::Increase)]
            + fiscal[k(BudgetKind::Decrease)],
        actual: fiscal_actual - carry_actual,
    };
    let carryover = MoneyRow {
        initial: 0,
        budget: carry_budget,
        actual: carry_actual,
    };
    let other = MoneyRow {
        initial: other[k(BudgetKind::Initial)],
        budget: other.iter().sum(),
        actual: s.actual[1],
    };
    let total = MoneyRow {
        initial: current.initial + carryover.initial + other.initial,
        budget: current.budget + carryover.budget + other.budget,
        actual: current.actual + carryover.actual + other.actual,
    };
    MoneyBlock {
        total,
        current,
        carryover,
        other,
        by_rule: carry_budget != 0 && unsaid != 0,
    }
}

/// B ÷ A, exact; None when A ≤ 0.
pub fn rate(row: &MoneyRow) -> Option<Decimal> {
    (row.budget > 0).then(|| Decimal::from(row.actual) / Decimal::from(row.budget))
}

/// 预算执行得分 = points × min(B ÷ A, 1); A = 0: full points when B = 0, else 0.
pub fn execution_score(points: Decimal, row: &MoneyRow) -> Decimal {
    match rate(row) {
        Some(r) => points * r.min(Decimal::ONE).max(Decimal::ZERO),
        None if row.actual <= 0 => points,
        None => Decimal::ZERO,
    }
}

/// One indicator of a form with its score.
#[derive(Debug, Clone)]
pub struct FormIndicator {
    pub indicator: Indicator,
    pub score: Decimal,
    /// A given score replaced the formula.
    pub overridden: bool,
}

/// One project's 项目支出绩效自评表.
#[derive(Debug, Clone)]
pub struct ProjectForm {
    /// 序号, from 1.
    pub no: usize,
    pub unit: usize,
    pub key: String,
    pub name: String,
    pub sums: ProjectSums,
    pub money: MoneyBlock,
    pub exec_points: Decimal,
    /// Exact; shown with 2 decimals.
    pub exec_score: Decimal,
    /// 预期目标 and 实际完成情况; None: 【待填写】.
    pub goal: Option<String>,
    pub achieved: Option<String>,
    /// In 一级 order (产出, 效益, 满意度), then input order.
    pub indicators: Vec<FormIndicator>,
    /// 产出, 效益, 满意度 (each capped at its points); None without indicators.
    pub groups: Option<[Decimal; 3]>,
    /// 总分, exact (shown with 2 decimals); None without indicators.
    pub total: Option<Decimal>,
    pub grade: Option<String>,
    /// What the user must still add: 年度目标, 指标, N条偏差原因.
    pub todo: Vec<String>,
}

impl ProjectForm {
    /// The sheet name: 序号 and project name, without `[]:*?/\`, within Excel's 31 characters.
    fn base_sheet_name(&self) -> String {
        let clean: String = self
            .name
            .chars()
            .filter(|c| !"[]:*?/\\'".contains(*c))
            .collect();
        format!("{}.{}", self.no, clean).chars().take(31).collect()
    }

    /// 总分 as displayed (2 decimals).
    pub fn total_display(&self) -> Option<Decimal> {
        self.total.map(|t| round(t, 2))
    }
}

/// Every form, the 汇总 table, and what the forms found.
#[derive(Debug, Clone, Default)]
pub struct Forms {
    pub forms: Vec<ProjectForm>,
    /// Unique sheet names, parallel to `forms`.
    pub sheet_names: Vec<String>,
    /// Projects with money that get no form (below `min_budget`): (unit, key, sums).
    pub skipped: Vec<(usize, String, ProjectSums)>,
    pub summary: Option<Table>,
    pub problems: Vec<Problem>,
}

impl Forms {
    /// The forms whose 总分 is below `floor` (displayed, 2 decimals).
    pub fn below(&self, floor: Decimal) -> impl Iterator<Item = &ProjectForm> {
        self.forms
            .iter()
            .filter(move |f| f.total_display().is_some_and(|t| t < floor))
    }
}

/// The sums of every project with money, from the aggregates (the report's path).
pub fn from_aggregates(agg: &Aggregates) -> BTreeMap<(usize, String), ProjectSums> {
    let mut out: BTreeMap<(usize, String), ProjectSums> = BTreeMap::new();
    for b in &agg.project_budgets {
        out.entry((b.unit, b.project.clone()))
            .or_default()
            .add_budget(b.fund, b.budget_kind, b.amount);
    }
    for p in &agg.projects {
        out.entry((p.unit, p.project.clone()))
            .or_default()
            .add_actual(p.fund, p.drawn, p.amount);
    }
    out
}

/// The same sums by a plain loop over the used rows (the audit's independent path).
pub fn from_rows(
    payments: &crate::ledger::Ledger,
    budgets: &[Budget],
) -> BTreeMap<(usize, String), ProjectSums> {
    let mut out: BTreeMap<(usize, String), ProjectSums> = BTreeMap::new();
    for b in budgets.iter().filter(|b| b.kind == SpendKind::Project) {
        out.entry((b.unit, b.project.to_string()))
            .or_default()
            .add_budget(b.fund, b.budget_kind, b.amount);
    }
    // Summed by (unit, project id, fund, drawn) first: one map entry per project, not per row.
    let l = payments;
    let mut by_id: hashbrown::HashMap<(u32, u32, Fund, Drawn), Cents> = Default::default();
    for i in 0..l.len() {
        if l.kind[i] == SpendKind::Project {
            *by_id
                .entry((l.unit[i], l.project[i], l.fund[i], l.drawn[i]))
                .or_default() += l.amount[i];
        }
    }
    let mut by_id: Vec<_> = by_id.into_iter().collect();
    by_id.sort_by_key(|(k, _)| *k);
    for ((unit, project, fund, drawn), amount) in by_id {
        out.entry((unit as usize, l.projects.get(project).to_string()))
            .or_default()
            .add_actual(fund, drawn, amount);
    }
    out
}

/// Builds every form (see the module docs).
pub fn build(
    cfg: &Config,
    agg: &Aggregates,
    projects: &Projects,
    indicators: &[Indicator],
) -> Forms {
    let sums = from_aggregates(agg);
    let mut problems = Vec::new();
    let mut out = Forms::default();
    let min = cfg.project_forms.min_budget_cents();
    let exec_points = cfg.scoring.points_execution();
    // Projects in report order: per unit, its listed and seen projects, then spending that
    // names no project.
    let mut order: Vec<(usize, String, String)> = Vec::new();
    for (u, _) in cfg.units.iter().enumerate() {
        for (key, display) in projects.per_unit.get(u).into_iter().flatten() {
            if sums.contains_key(&(u, key.clone())) {
                order.push((u, key.clone(), display.clone()));
            }
        }
        if sums.contains_key(&(u, String::new())) {
            order.push((u, String::new(), NO_PROJECT_NAME.to_string()));
        }
    }
    // Indicators by project, in input order.
    let mut by_project: HashMap<(usize, &str), Vec<&Indicator>> = HashMap::new();
    for i in indicators {
        by_project
            .entry((i.unit, i.project.as_str()))
            .or_default()
            .push(i);
    }
    unmatched_indicators(cfg, &sums, &by_project, &mut problems);
    payments_without_budget(cfg, &sums, &order, &mut problems);

    let (mut no_goal, mut no_indicators) = (Vec::new(), Vec::new());
    for (unit, key, name) in order {
        let s = sums[&(unit, key.clone())];
        let money = money_block(&s);
        if money.total.budget < min && money.total.actual < min {
            if by_project.contains_key(&(unit, key.as_str())) {
                problems.push(Problem::warning(format!(
                    "项目“{name}”（{}）全年预算数和全年执行数均低于 project_forms.min_budget（{} 万元），不出自评表，其绩效指标未使用",
                    cfg.units[unit].name,
                    crate::config::dec(cfg.project_forms.min_budget).normalize()
                )));
            }
            out.skipped.push((unit, key, s));
            continue;
        }
        let rows = by_project
            .get(&(unit, key.as_str()))
            .cloned()
            .unwrap_or_default();
        let form = form(
            cfg,
            out.forms.len() + 1,
            (unit, key, name),
            s,
            exec_points,
            &rows,
            &mut problems,
        );
        if form.goal.is_none() {
            no_goal.push(form_label(cfg, &form));
        }
        if form.indicators.is_empty() {
            no_indicators.push(form_label(cfg, &form));
        }
        out.forms.push(form);
    }
    if !no_indicators.is_empty() {
        problems.push(Problem::warning(format!(
            "以下 {} 个项目没有项目绩效指标（绩效指标表中无此项目的行），自评表的绩效指标、总分和评价等级待填写：{}",
            no_indicators.len(),
            listed(&no_indicators)
        )));
    }
    if !no_goal.is_empty() {
        problems.push(Problem::warning(format!(
            "以下 {} 个项目没有年度总体目标（绩效指标表的“年度目标”“实际完成情况”列），自评表中标为【待填写】：{}",
            no_goal.len(),
            listed(&no_goal)
        )));
    }
    out.sheet_names = sheet_names(&out.forms);
    out.summary = Some(summary_table(cfg, &out.forms));
    out.problems = problems;
    out
}

/// The names of a message's list: the first [`LISTED`], then how many more (the 汇总 sheet
/// lists them all).
pub fn listed(names: &[String]) -> String {
    if names.len() <= LISTED {
        return names.join("、");
    }
    format!(
        "{} 等 {} 个（全部见项目支出绩效自评表的“汇总”）",
        names[..LISTED].join("、"),
        names.len()
    )
}

/// How many names a message lists.
pub const LISTED: usize = 30;

/// `项目名称（单位）` for a message.
fn form_label(cfg: &Config, f: &ProjectForm) -> String {
    format!("{}（{}）", f.name, cfg.units[f.unit].name)
}

/// One form: money, scores, goal, indicators.
fn form(
    cfg: &Config,
    no: usize,
    (unit, key, name): (usize, String, String),
    sums: ProjectSums,
    exec_points: Decimal,
    rows: &[&Indicator],
    problems: &mut Vec<Problem>,
) -> ProjectForm {
    let money = money_block(&sums);
    let exec_score = execution_score(exec_points, &money.total);
    let first_text = |f: fn(&Indicator) -> &str| {
        rows.iter()
            .map(|i| f(i).trim())
            .find(|t| !t.is_empty())
            .map(str::to_string)
    };
    let goal = first_text(|i| &i.goal);
    let achieved = first_text(|i| &i.achieved);
    let mut indicators: Vec<FormIndicator> = Vec::new();
    for level in Level1::ALL {
        for i in rows.iter().filter(|i| i.level1 == level) {
            let s = indicator_score(i, cfg.scoring.negative_rule)
                .unwrap_or_else(|msg| crate::stages::score::invalid(i, msg, problems));
            indicators.push(FormIndicator {
                indicator: (*i).clone(),
                score: s.score,
                overridden: s.overridden,
            });
        }
    }
    let mut missing_reasons = 0;
    for fi in &indicators {
        let i = &fi.indicator;
        if fi.score < i.points && i.reason.trim().is_empty() {
            missing_reasons += 1;
            problems.push(
                Problem::warning(format!(
                    "项目“{name}”的指标“{}”得分 {} 低于分值 {}，未填写偏差原因（审核时会被退回）",
                    i.name,
                    round(fi.score, 2).normalize(),
                    i.points.normalize()
                ))
                .at(&i.prov.file, &i.prov.sheet, i.prov.row, None),
            );
        }
    }
    let groups = (!indicators.is_empty()).then(|| {
        let mut g = [Decimal::ZERO; 3];
        for (k, level) in Level1::ALL.iter().enumerate() {
            let want = cfg.project_forms.points_group(*level);
            let of_level: Vec<&FormIndicator> = indicators
                .iter()
                .filter(|fi| fi.indicator.level1 == *level)
                .collect();
            let points: Decimal = of_level.iter().map(|fi| fi.indicator.points).sum();
            if points != want {
                let at = of_level
                    .first()
                    .map(|fi| &fi.indicator.prov)
                    .or(rows.first().map(|i| &i.prov));
                let p = Problem::warning(format!(
                    "项目“{name}”的{}分值合计为 {}，应为 {}（自评表按表中的指标列示）",
                    level.label(),
                    points.normalize(),
                    want.normalize()
                ));
                problems.push(match at {
                    Some(at) => p.at(&at.file, &at.sheet, at.row, None),
                    None => p,
                });
            }
            g[k] = of_level
                .iter()
                .map(|fi| fi.score)
                .sum::<Decimal>()
                .min(want);
        }
        g
    });
    let total = groups.map(|g| exec_score + g.iter().copied().sum::<Decimal>());
    let grade = total.map(|t| cfg.scoring.grade_for(round(t, 2)));
    let mut todo = Vec::new();
    if goal.is_none() || achieved.is_none() {
        todo.push("年度目标".to_string());
    }
    if indicators.is_empty() {
        todo.push("指标".to_string());
    }
    if missing_reasons > 0 {
        todo.push(format!("{missing_reasons}条偏差原因"));
    }
    ProjectForm {
        no,
        unit,
        key,
        name,
        sums,
        money,
        exec_points,
        exec_score,
        goal,
        achieved,
        indicators,
        groups,
        total,
        grade,
        todo,
    }
}

/// Project indicators of a (unit, project) with no money: one error per project, naming its
/// rows and the closest project of that unit with money.
fn unmatched_indicators(
    cfg: &Config,
    sums: &BTreeMap<(usize, String), ProjectSums>,
    by_project: &HashMap<(usize, &str), Vec<&Indicator>>,
    problems: &mut Vec<Problem>,
) {
    let mut unmatched: Vec<(&(usize, &str), &Vec<&Indicator>)> = by_project
        .iter()
        .filter(|((u, k), _)| !sums.contains_key(&(*u, k.to_string())))
        .collect();
    unmatched.sort_by_key(|(_, rows)| (rows[0].prov.file.clone(), rows[0].prov.row));
    for ((unit, key), rows) in unmatched {
        let candidates: Vec<&str> = sums
            .keys()
            .filter(|(u, k)| u == unit && !k.is_empty())
            .map(|(_, k)| k.as_str())
            .collect();
        let hint = match closest(key, &candidates) {
            Some(c) => format!(
                "；该单位最接近的项目是“{c}”，如是同一项目，请改为此名称或在 jixiao.toml 该单位的 project_aliases 中加入 \"{}\" = \"{c}\"",
                rows[0].project_name
            ),
            None => "；该单位没有任何有预算或支出的项目".to_string(),
        };
        let first = &rows[0].prov;
        let listed: Vec<String> = rows.iter().map(|i| format!("第{}行", i.prov.row)).collect();
        problems.push(
            Problem::error(format!(
                "绩效指标表中的项目“{}”（{}）在预算指标和支出明细中都没有：共 {} 行（{}）{hint}",
                rows[0].project_name,
                cfg.units[*unit].name,
                rows.len(),
                listed.join("、")
            ))
            .at(&first.file, &first.sheet, first.row, None),
        );
    }
}

/// Projects with payments but no budget rows: a warning naming the closest budget-only
/// project of the unit (a spelling to alias).
fn payments_without_budget(
    cfg: &Config,
    sums: &BTreeMap<(usize, String), ProjectSums>,
    order: &[(usize, String, String)],
    problems: &mut Vec<Problem>,
) {
    for (unit, key, name) in order {
        let s = &sums[&(*unit, key.clone())];
        if s.has_budget || !s.has_payments {
            continue;
        }
        let budget_only: Vec<&str> = sums
            .iter()
            .filter(|((u, k), x)| u == unit && !k.is_empty() && x.has_budget && !x.has_payments)
            .map(|((_, k), _)| k.as_str())
            .collect();
        let hint = match closest(key, &budget_only) {
            Some(c) => format!(
                "；该单位只有预算、没有支出的项目中最接近的是“{c}”，如是同一项目，请在 jixiao.toml 该单位的 project_aliases 中加入 \"{name}\" = \"{c}\""
            ),
            None => String::new(),
        };
        problems.push(Problem::warning(format!(
            "项目“{name}”（{}）有支出 {} 元，但预算指标中没有此项目：自评表的全年预算数为0、预算执行得分为0{hint}",
            cfg.units[*unit].name,
            yuan(s.actual[0] + s.actual[1])
        )));
    }
}

/// The candidate closest to `key` by edit distance, if any is reasonably close (at most
/// half of the longer name differs).
fn closest<'a>(key: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let k: Vec<char> = key.chars().collect();
    candidates
        .iter()
        .map(|c| {
            let cs: Vec<char> = c.chars().collect();
            let d = crate::stages::normalise::edit_distance(&k, &cs);
            (d, cs.len().max(k.len()), *c)
        })
        .filter(|(d, len, _)| *d * 2 <= *len)
        .min_by_key(|(d, _, c)| (*d, *c))
        .map(|(_, _, c)| c)
}

/// Unique sheet names (a repeated name gets `~2`, `~3`).
fn sheet_names(forms: &[ProjectForm]) -> Vec<String> {
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    seen.insert("汇总".to_string());
    forms
        .iter()
        .map(|f| {
            let base = f.base_sheet_name();
            let mut name = base.clone();
            let mut n = 2;
            while !seen.insert(name.to_lowercase()) {
                let suffix = format!("~{n}");
                let keep = 31 - suffix.chars().count();
                name = format!("{}{suffix}", base.chars().take(keep).collect::<String>());
                n += 1;
            }
            name
        })
        .collect()
}

/// The `汇总` sheet (SPEC §10 layout).
/// The columns of the forms' 汇总 sheet (also the batch summary's 项目汇总, behind 部门).
pub const SUMMARY_COLUMNS: [&str; 14] = [
    "序号",
    "单位名称",
    "项目名称",
    "年初预算数",
    "全年预算数",
    "全年执行数",
    "执行率",
    "预算执行得分",
    "产出指标",
    "效益指标",
    "满意度指标",
    "总分",
    "评价等级",
    "待补充",
];

fn summary_table(cfg: &Config, forms: &[ProjectForm]) -> Table {
    let mut t = Table::new(
        "汇总",
        format!("{}年度项目支出绩效自评汇总表", cfg.report.year),
        true,
        &SUMMARY_COLUMNS,
    );
    let mut total = MoneyRow::default();
    for f in forms {
        let m = &f.money.total;
        total.initial += m.initial;
        total.budget += m.budget;
        total.actual += m.actual;
        let score = |x: Option<Decimal>| x.map_or(Cell::Empty, |v| Cell::Fixed(v, 2));
        let group = |k: usize| score(f.groups.map(|g| g[k]));
        t.rows.push((
            RowStyle::Normal,
            vec![
                Cell::Number(Decimal::from(f.no as i64)),
                Cell::text(&cfg.units[f.unit].name),
                Cell::text(&f.name),
                Cell::Money(m.initial),
                Cell::Money(m.budget),
                Cell::Money(m.actual),
                Cell::Rate(rate(m)),
                Cell::Fixed(f.exec_score, 2),
                group(0),
                group(1),
                group(2),
                score(f.total),
                Cell::text(f.grade.clone().unwrap_or_default()),
                Cell::text(f.todo.join("、")),
            ],
        ));
    }
    t.rows.push((
        RowStyle::Total,
        vec![
            Cell::text("合  计"),
            Cell::Empty,
            Cell::text(format!("{} 个项目", forms.len())),
            Cell::Money(total.initial),
            Cell::Money(total.budget),
            Cell::Money(total.actual),
            Cell::Rate(rate(&total)),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
        ],
    ));
    t.note = Some(
        "注：金额单位为万元；执行率 = 全年执行数 ÷ 全年预算数；总分 = 预算执行得分 + 产出、效益、满意度指标得分；“待补充”列出自评表中须由单位填写的内容。"
            .to_string(),
    );
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sums(fiscal: [Cents; 4], other: [Cents; 4], actual: [Cents; 2]) -> ProjectSums {
        ProjectSums {
            budget: [fiscal, other],
            actual,
            fiscal_drawn: [actual[0], 0, 0],
            has_budget: true,
            has_payments: true,
        }
    }

    #[test]
    fn carryover_is_used_first_and_rows_add_up() {
        // 年初 100, 追加 50, 调减 −20, 结转 30; other 年初 10; fiscal paid 140, other 8.
        let b = money_block(&sums([100, 50, -20, 30], [10, 0, 0, 0], [140, 8]));
        assert_eq!(
            b.current,
            MoneyRow {
                initial: 100,
                budget: 130,
                actual: 110
            }
        );
        assert_eq!(
            b.carryover,
            MoneyRow {
                initial: 0,
                budget: 30,
                actual: 30
            }
        );
        assert_eq!(
            b.other,
            MoneyRow {
                initial: 10,
                budget: 10,
                actual: 8
            }
        );
        assert_eq!(
            b.total,
            MoneyRow {
                initial: 110,
                budget: 170,
                actual: 148
            }
        );
        assert!(b.by_rule);
        // Less spent than carried over: all of it is the carry-over's.
        let b = money_block(&sums([0, 0, 0, 30], [0; 4], [20, 0]));
        assert_eq!((b.carryover.actual, b.current.actual), (20, 0));
        // No carry-over: no rule applied.
        assert!(!money_block(&sums([5, 0, 0, 0], [0; 4], [5, 0])).by_rule);
    }

    #[test]
    fn what_the_ledger_says_decides_and_the_rule_takes_the_rest() {
        // Carry-over 30; paid 140: 20 said 上年结转, 100 said this year's, 20 not said.
        let mut s = sums([100, 50, -20, 30], [0; 4], [140, 0]);
        s.fiscal_drawn = [20, 100, 20];
        let b = money_block(&s);
        // The unsaid 20 fill what is left of the carry-over (10), the rest is this year's.
        assert_eq!((b.carryover.actual, b.current.actual), (30, 110));
        assert!(b.by_rule);
        // All said: no rule, even beyond the carry-over's budget.
        s.fiscal_drawn = [0, 100, 40];
        let b = money_block(&s);
        assert_eq!((b.carryover.actual, b.current.actual), (40, 100));
        assert!(!b.by_rule);
        assert_eq!(b.total.actual, b.current.actual + b.carryover.actual);
    }

    #[test]
    fn execution_score_caps_and_handles_zero_budgets() {
        let p = Decimal::from(10);
        let row = |budget, actual| MoneyRow {
            initial: 0,
            budget,
            actual,
        };
        assert_eq!(execution_score(p, &row(200, 150)), Decimal::new(75, 1));
        assert_eq!(execution_score(p, &row(200, 300)), p);
        assert_eq!(execution_score(p, &row(0, 0)), p);
        assert_eq!(execution_score(p, &row(0, 1)), Decimal::ZERO);
        assert_eq!(rate(&row(0, 1)), None);
    }

    #[test]
    fn closest_name_only_when_reasonably_close() {
        let c = ["城市管网及污水处理补助资金", "施工图审查经费"];
        assert_eq!(
            closest("城市管网及污水处理补助", &c),
            Some("城市管网及污水处理补助资金")
        );
        assert_eq!(closest("完全不同的名字", &c), None);
    }
}
