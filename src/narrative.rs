//! The report draft's text (issue 6): a template with named values, filled from the figures,
//! tables, scores and findings the workbook shows — no figure is computed a second time.
//!
//! Template (`templates/report.tpl`, built in; `[report] template` may name another), one
//! block a line:
//!
//! | line | block |
//! |---|---|
//! | `# 文字` | the title |
//! | `## 文字` / `### 文字` / `#### 文字` | 一级 / 二级 / 三级标题 |
//! | `@table 三公经费` | the workbook table of that sheet |
//! | `@narrative 职能职责` | the `[narrative]` text of that key, or a highlighted placeholder |
//! | `@each findings` … `@end` | the lines between, once per item of a list |
//! | `>> 文字` | a right-aligned line (the signature) |
//! | `// …` | a comment; blank lines are ignored |
//! | anything else | a body paragraph |
//!
//! Inside a line: `{name}` is a value; `{?flag}…{/flag}` is shown when the flag is true and
//! `{!flag}…{/flag}` when it is false.

use crate::config::Config;
use crate::figures::FigureValue;
use crate::model::{Cents, round, wan_display};
use crate::pipeline::Outcome;
use crate::tables::{Cell, Table};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// A named value set: values, flags and lists of items.
#[derive(Debug, Clone, Default)]
pub struct Values {
    pub text: HashMap<String, String>,
    pub flags: HashMap<String, bool>,
    pub lists: HashMap<String, Vec<HashMap<String, String>>>,
}

impl Values {
    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        self.text.insert(name.to_string(), value.into());
    }
    pub fn flag(&mut self, name: &str, on: bool) {
        self.flags.insert(name.to_string(), on);
    }
}

/// One block of the draft.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Title(String),
    Heading(u8, String),
    Para(String),
    /// The workbook table of this sheet.
    Table(String),
    /// A right-aligned line (the signature).
    Right(String),
}

/// The text of a placeholder for a section the data cannot know.
pub fn placeholder(key: &str) -> String {
    format!("【待填写：{key}】")
}

/// Fills the template.
///
/// # Errors
/// A template line that names an unknown value, flag, list or section: the message names the
/// line (a user's own template must fail loudly, not print `{F1}`).
pub fn fill(
    template: &str,
    values: &Values,
    narrative: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<Block>, String> {
    let lines: Vec<(usize, &str)> = template
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end()))
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let (n, line) = lines[i];
        i += 1;
        if let Some(list) = line.strip_prefix("@each ") {
            let end = lines[i..]
                .iter()
                .position(|(_, l)| l.trim() == "@end")
                .ok_or_else(|| format!("模板第{n}行：@each 没有对应的 @end"))?;
            let body = &lines[i..i + end];
            i += end + 1;
            let items = values
                .lists
                .get(list.trim())
                .ok_or_else(|| format!("模板第{n}行：未知的列表“{}”", list.trim()))?;
            for (k, item) in items.iter().enumerate() {
                let mut v = values.clone();
                for (key, val) in item {
                    match key.strip_prefix('?') {
                        Some(flag) => v.flag(flag, !val.is_empty()),
                        None => v.set(key, val.clone()),
                    }
                }
                v.set("序号", (k + 1).to_string());
                for &(bn, bl) in body {
                    line_block(bn, bl, &v, narrative, &mut out)?;
                }
            }
            continue;
        }
        line_block(n, line, values, narrative, &mut out)?;
    }
    Ok(out)
}

fn line_block(
    n: usize,
    line: &str,
    values: &Values,
    narrative: &dyn Fn(&str) -> Option<String>,
    out: &mut Vec<Block>,
) -> Result<(), String> {
    let t = line.trim();
    if t.is_empty() || t.starts_with("//") {
        return Ok(());
    }
    if let Some(sheet) = t.strip_prefix("@table ") {
        out.push(Block::Table(sheet.trim().to_string()));
        return Ok(());
    }
    if let Some(key) = t.strip_prefix("@narrative ") {
        let key = key.trim();
        match narrative(key) {
            Some(text) => out.extend(
                text.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(|l| Block::Para(l.to_string())),
            ),
            None => out.push(Block::Para(placeholder(key))),
        }
        return Ok(());
    }
    if let Some(r) = t.strip_prefix(">> ") {
        let text = expand(r, values).map_err(|e| format!("模板第{n}行：{e}"))?;
        out.push(Block::Right(text));
        return Ok(());
    }
    let (level, rest) = if let Some(r) = t.strip_prefix("#### ") {
        (Some(3), r)
    } else if let Some(r) = t.strip_prefix("### ") {
        (Some(2), r)
    } else if let Some(r) = t.strip_prefix("## ") {
        (Some(1), r)
    } else if let Some(r) = t.strip_prefix("# ") {
        (Some(0), r)
    } else {
        (None, t)
    };
    let text = expand(rest, values).map_err(|e| format!("模板第{n}行：{e}"))?;
    if text.is_empty() {
        return Ok(());
    }
    out.push(match level {
        Some(0) => Block::Title(text),
        Some(l) => Block::Heading(l, text),
        None => Block::Para(text),
    });
    Ok(())
}

/// Expands `{name}`, `{?flag}…{/flag}` and `{!flag}…{/flag}` in one line.
fn expand(s: &str, values: &Values) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = s;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| format!("“{{”没有对应的“}}”：{s}"))?;
        let name = &after[..close];
        rest = &after[close + 1..];
        if let Some(flag) = name.strip_prefix('?').or_else(|| name.strip_prefix('!')) {
            let want = name.starts_with('?');
            let on = *values
                .flags
                .get(flag)
                .ok_or_else(|| format!("未知的条件“{flag}”"))?;
            let end_tag = format!("{{/{flag}}}");
            let end = rest
                .find(&end_tag)
                .ok_or_else(|| format!("条件“{flag}”没有结束标记 {end_tag}"))?;
            if on == want {
                out.push_str(&expand(&rest[..end], values)?);
            }
            rest = &rest[end + end_tag.len()..];
        } else {
            let v = values
                .text
                .get(name)
                .ok_or_else(|| format!("未知的值“{name}”"))?;
            out.push_str(v);
        }
    }
    out.push_str(rest);
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// The values of the built-in template, from what the workbook shows.

/// Money in 万元 as the draft writes it: two decimals, and a zero as `0` (the seed's tables
/// and sentences write `0万元`, not `0.00万元`).
pub fn money(cents: Cents) -> String {
    if cents == 0 {
        "0".to_string()
    } else {
        format!("{:.2}", wan_display(cents))
    }
}

/// A rate as the workbook shows it: `70.53%`.
pub fn percent(rate: Option<Decimal>) -> String {
    rate.map(|r| format!("{:.2}%", round(r * Decimal::ONE_HUNDRED, 2)))
        .unwrap_or_default()
}

/// A cell of a workbook table as text, formatted as the workbook shows it.
pub fn cell_text(c: &Cell) -> String {
    match c {
        Cell::Text(s) => s.clone(),
        // In a table every amount shows its two decimals, zeros too (issue 20); `money` keeps
        // the seed's `0万元` in sentences.
        Cell::Money(x) => format!("{:.2}", wan_display(*x)),
        Cell::Rate(r) => percent(*r),
        Cell::Number(x) => x.normalize().to_string(),
        Cell::Fixed(x, dp) => format!("{:.*}", *dp as usize, round(*x, *dp)),
        Cell::Empty => String::new(),
    }
}

fn table<'a>(o: &'a Outcome, sheet: &str) -> Option<&'a Table> {
    o.report.as_ref()?.tables.iter().find(|t| t.sheet == sheet)
}

/// Every value the built-in template names (documented in `docs/report-draft.md`).
pub fn values(cfg: &Config, o: &Outcome) -> Values {
    let mut v = Values::default();
    v.set("year", cfg.report.year.to_string());
    v.set("department", cfg.report.department.clone());
    v.set("period", o.period.title_suffix());
    v.set("草稿", "（初稿）");
    let mut fig: std::collections::HashMap<String, Cents> = Default::default();
    if let Some(r) = &o.report {
        for (id, label, value) in &r.overview {
            let text = match value {
                FigureValue::Money(c) => {
                    fig.insert(id.clone(), *c);
                    fig.insert(label.clone(), *c);
                    money(*c)
                }
                FigureValue::Rate(x) => percent(*x),
            };
            v.set(id, text);
        }
    }
    let f = |id: &str| fig.get(id).copied().unwrap_or(0);

    // Units: 局属单位 are the units but the department's own body (…本级).
    let subunits: Vec<&str> = cfg
        .units
        .iter()
        .map(|u| u.name.as_str())
        .filter(|n| !n.ends_with("本级"))
        .collect();
    v.flag("subunits", !subunits.is_empty());
    v.set("subunit_names", subunits.join("、"));
    v.set("subunit_count", subunits.len().to_string());
    let staff: Option<(u32, u32)> = cfg.units.iter().try_fold((0, 0), |acc, u| {
        Some((acc.0 + u.staff_quota?, acc.1 + u.staff_actual?))
    });
    v.flag("staff", staff.is_some());
    let (quota, actual) = staff.unwrap_or_default();
    v.set("staff_quota", quota.to_string());
    v.set("staff_actual", actual.to_string());

    // 三公, from the table's total row: 公车运行维护, 公车购置, 公务接待, 出国经费 (预算, 决算).
    let sangong: Vec<Cents> = table(o, "三公经费")
        .and_then(|t| t.rows.last())
        .map(|(_, cells)| {
            cells
                .iter()
                .skip(1)
                .map(|c| match c {
                    Cell::Money(x) => *x,
                    _ => 0,
                })
                .collect()
        })
        .unwrap_or_default();
    let s = |i: usize| sangong.get(i).copied().unwrap_or(0);
    v.set("vehicle_budget", money(s(0) + s(2)));
    v.set("vehicle_actual", money(s(1) + s(3)));
    v.set("purchase_budget", money(s(2)));
    v.set("purchase_actual", money(s(3)));
    v.set("reception_budget", money(s(4)));
    v.set("reception_actual", money(s(5)));
    v.set("overseas_budget", money(s(6)));
    v.set("overseas_actual", money(s(7)));
    v.flag("overseas_zero", s(6) == 0 && s(7) == 0);
    v.flag("sangong_within", f("F5") <= f("F4"));
    v.set("sangong_over", money(f("F5") - f("F4")));
    v.flag("project_adjusted", f("F7") != f("F6"));
    let govfund_basic = f("其中：政府性基金基本支出");
    let govfund_project = f("其中：政府性基金项目支出");
    v.flag("no_govfund", govfund_basic == 0 && govfund_project == 0);
    v.set("govfund_basic", money(govfund_basic));
    v.set("govfund_project", money(govfund_project));
    v.set("govfund_total", money(govfund_basic + govfund_project));
    v.set(
        "项目支出用途",
        cfg.narrative
            .get("项目支出用途")
            .unwrap_or_else(|| placeholder("项目支出用途")),
    );

    // The project forms (SPEC §10): how many, which scored below 90, which lack indicators.
    let forms = o.forms.as_ref().map(|f| f.forms.as_slice()).unwrap_or(&[]);
    let ninety = Decimal::from(90);
    let below: Vec<String> = o
        .forms
        .iter()
        .flat_map(|f| f.below(ninety))
        .map(|f| {
            let total = f.total_display().unwrap_or_default().normalize();
            format!("{}（{}分）", f.name, total)
        })
        .collect();
    let unscored = forms.iter().filter(|f| f.total.is_none()).count();
    v.flag("forms", !forms.is_empty());
    v.set("forms_count", forms.len().to_string());
    v.flag("forms_below", !below.is_empty());
    v.set("forms_below_count", below.len().to_string());
    v.set("forms_below_names", crate::forms::listed(&below));
    v.flag("forms_scored", unscored < forms.len());
    v.flag("forms_unscored", unscored > 0);
    v.set("forms_unscored_count", unscored.to_string());

    // Scores, from the scoring table's department row.
    let s = &cfg.scoring;
    let points = |p: f64| crate::config::dec(p).normalize().to_string();
    v.set("exec_points", points(s.budget_execution));
    v.set("output_points", points(s.output));
    v.set("benefit_points", points(s.benefit));
    v.set("satisfaction_points", points(s.satisfaction));
    let dept = table(o, "绩效评分").and_then(|t| t.rows.iter().rev().nth(1));
    let dept_cell = |i: usize| {
        dept.and_then(|(_, c)| c.get(i))
            .map(cell_text)
            .unwrap_or_default()
    };
    v.set("exec_score", dept_cell(2));
    v.set("output_score", dept_cell(3));
    v.set("benefit_score", dept_cell(4));
    v.set("satisfaction_score", dept_cell(5));
    v.set("score_total", dept_cell(6));
    v.set(
        "grade",
        o.scores
            .as_ref()
            .map(|s| s.dept.grade.clone())
            .unwrap_or_default(),
    );
    // The judgements follow the figures (issue 20): cost control only when the 三公 and the
    // total spending are within budget, else what went over; the grade as computed.
    let mut over = Vec::new();
    if f("F5") > f("F4") {
        over.push(format!(
            "“三公”经费支出{}万元，超出预算{}万元",
            money(f("F5")),
            money(f("F4"))
        ));
    }
    if f("F10") > f("F9") {
        over.push(format!(
            "实际支出{}万元，超出预算{}万元",
            money(f("F10")),
            money(f("F9"))
        ));
    }
    v.flag("cost_within", over.is_empty());
    v.set("cost_over", over.join("，"));
    let graded = o.scores.as_ref().and_then(|s| s.dept.groups).is_some();
    let grade = o
        .scores
        .as_ref()
        .map(|s| s.dept.grade.clone())
        .unwrap_or_default();
    let mut bands: Vec<(rust_decimal::Decimal, &str)> = s
        .grades
        .iter()
        .map(|(floor, label)| (crate::config::dec(*floor), label.as_str()))
        .collect();
    bands.sort_by_key(|b| std::cmp::Reverse(b.0));
    v.flag("graded", graded);
    v.flag(
        "grade_met",
        graded && bands.iter().take(2).any(|(_, label)| *label == grade),
    );
    let full = |shown: &str, p: f64| shown == points(p);
    v.flag("exec_full", full(&dept_cell(2), s.budget_execution));
    // The reasons of the indicators that lost points, per group (偏差原因, as typed).
    for (i, (key, p)) in [
        ("output", s.output),
        ("benefit", s.benefit),
        ("satisfaction", s.satisfaction),
    ]
    .into_iter()
    .enumerate()
    {
        v.flag(&format!("{key}_full"), full(&dept_cell(3 + i), p));
        let level = [
            crate::model::Level1::Output,
            crate::model::Level1::Benefit,
            crate::model::Level1::Satisfaction,
        ][i];
        let mut reasons: Vec<String> = Vec::new();
        if let Some(scores) = &o.scores {
            for (ind, sc) in o.validated.indicators.iter().zip(&scores.indicators) {
                let reason = ind.reason.trim().trim_end_matches(['。', '；', ';']);
                if ind.level1 == level
                    && sc.score < ind.points
                    && !reason.is_empty()
                    && !reasons.iter().any(|r| r == reason)
                {
                    reasons.push(reason.to_string());
                }
            }
        }
        let text = if reasons.is_empty() {
            placeholder("扣分原因")
        } else {
            reasons.join("；")
        };
        v.set(&format!("{key}_reasons"), text);
    }

    // 存在的问题: staff above quota, units below the threshold, 三公 over budget.
    let mut problems: Vec<HashMap<String, String>> = Vec::new();
    for u in &cfg.units {
        if let (Some(q), Some(a)) = (u.staff_quota, u.staff_actual)
            && a > q
        {
            problems.push(HashMap::from([
                ("?超编".into(), "1".into()),
                ("单位".into(), u.name.clone()),
                ("编制".into(), q.to_string()),
                ("实有".into(), a.to_string()),
                ("超编".into(), (a - q).to_string()),
            ]));
        }
    }
    let threshold = cfg.scoring.threshold();
    if let Some(t) = table(o, "单位执行") {
        let low: Vec<String> = t.rows[..t.rows.len().saturating_sub(1)]
            .iter()
            .filter_map(|(_, c)| match (c.first(), c.get(3)) {
                (Some(Cell::Text(name)), Some(Cell::Rate(Some(r)))) if *r < threshold => {
                    Some(format!("{name}{}", percent(Some(*r))))
                }
                _ => None,
            })
            .collect();
        if !low.is_empty() {
            problems.push(HashMap::from([
                ("?执行率低".into(), "1".into()),
                ("单位执行率".into(), low.join("、")),
                (
                    "阈值".into(),
                    round(threshold * Decimal::ONE_HUNDRED, 2)
                        .normalize()
                        .to_string(),
                ),
            ]));
        }
    }
    for fd in o
        .findings
        .iter()
        .filter(|f| f.category == "“三公”经费超预算")
    {
        problems.push(HashMap::from([
            ("?三公超支".into(), "1".into()),
            ("单位".into(), fd.unit.clone()),
            ("类别".into(), fd.detail.clone()),
            ("预算".into(), String::new()),
            ("决算".into(), String::new()),
        ]));
    }
    for p in &mut problems {
        for k in ["?超编", "?执行率低", "?三公超支"] {
            p.entry(k.into()).or_default();
        }
        for k in [
            "单位",
            "编制",
            "实有",
            "超编",
            "单位执行率",
            "阈值",
            "类别",
            "预算",
            "决算",
        ] {
            p.entry(k.into()).or_default();
        }
    }
    v.flag("no_problems", problems.is_empty());
    v.lists.insert("problems".into(), problems);
    v
}

/// The built-in template (`templates/report.tpl`).
pub const TEMPLATE: &str = include_str!("../templates/report.tpl");

/// The draft's blocks, and the narrative sections left as placeholders.
///
/// # Errors
/// A custom template that cannot be read, or a template line naming an unknown value.
pub fn draft(
    cfg: &Config,
    o: &Outcome,
    config_dir: &std::path::Path,
) -> anyhow::Result<(Vec<Block>, Vec<String>)> {
    let custom;
    let template = match &cfg.report.template {
        Some(path) => {
            let p = config_dir.join(path);
            custom = std::fs::read_to_string(&p).map_err(|e| {
                anyhow::anyhow!("无法读取报告模板 {}（report.template）：{e}", p.display())
            })?;
            custom.as_str()
        }
        None => TEMPLATE,
    };
    let values = values(cfg, o);
    let unfilled = std::cell::RefCell::new(Vec::new());
    let narrative = |key: &str| {
        let text = cfg.narrative.get(key);
        if text.is_none() && !unfilled.borrow().iter().any(|k| k == key) {
            unfilled.borrow_mut().push(key.to_string());
        }
        text
    };
    let blocks =
        fill(template, &values, &narrative).map_err(|e| anyhow::anyhow!("报告模板有误：{e}"))?;
    let mut unfilled = unfilled.into_inner();
    if cfg.narrative.get("项目支出用途").is_none() && template.contains("{项目支出用途}")
    {
        unfilled.insert(0, "项目支出用途".into());
    }
    Ok((blocks, unfilled))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_conditions_lists_and_sections() {
        let mut v = Values::default();
        v.set("F5", "13.05");
        v.set("F4", "29.00");
        v.flag("within", true);
        v.lists.insert(
            "findings".into(),
            vec![HashMap::from([("内容".to_string(), "超编".to_string())])],
        );
        let t = "# 报告\n## 一、情况\n支出{F5}万元{?within}，控制在{F4}万元之内{/within}{!within}，超出预算{/within}。\n@table 三公经费\n@each findings\n（{序号}）{内容}\n@end\n@narrative 职能职责\n";
        let blocks = fill(t, &v, &|k| (k == "x").then(|| "y".into())).unwrap();
        assert_eq!(
            blocks,
            vec![
                Block::Title("报告".into()),
                Block::Heading(1, "一、情况".into()),
                Block::Para("支出13.05万元，控制在29.00万元之内。".into()),
                Block::Table("三公经费".into()),
                Block::Para("（1）超编".into()),
                Block::Para("【待填写：职能职责】".into()),
            ]
        );
        assert!(
            fill("{F9}", &v, &|_| None)
                .unwrap_err()
                .contains("未知的值“F9”")
        );
    }
}
