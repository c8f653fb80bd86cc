//! `init`'s draft of `jixiao.toml` from the exports themselves (issue 8): the year, the
//! department, one unit per unit found with its code and projects, and the uncoded short
//! names offered — commented out — as aliases of the unit they abbreviate.
//!
//! Input: the files as normalised with no unit configured ([`FileResult`], whose sheets list
//! every distinct unit name and code their rows carry, `units_seen`). Output: a [`Draft`],
//! written as TOML text by [`Draft::to_toml`]. Nothing is merged on a guess: names are one
//! unit when they are equal after normalising (width, spacing, a code prefix) or share a code;
//! an abbreviation is only ever a suggestion.

use crate::model::{Cents, SpendKind, yuan};
use crate::stages::normalise::{
    FileResult, Kind, ValueField, kind_from_project, norm, project_key, split_code,
};
use std::collections::{BTreeMap, HashMap};

pub use crate::config::DEPARTMENT_PLACEHOLDER;

/// One unit of the draft.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftUnit {
    pub name: String,
    pub code: Option<String>,
    /// Other spellings proven to be this unit (same code), with their rows: merged, written as
    /// active aliases with a comment saying so.
    pub aliases: Vec<(String, u32)>,
    /// Short names that may be this unit: (name, rows, money), for the user to confirm.
    pub suggested: Vec<(String, u32, Cents)>,
    pub projects: Vec<String>,
    /// Project names of the payment ledger that the budget ledger writes with another suffix
    /// (payment spelling, budget spelling): offered as commented `project_aliases`.
    pub project_aliases: Vec<(String, String)>,
    /// Why this unit stands alone (no code; or an abbreviation of several units).
    pub comment: Option<String>,
}

/// What `init` found.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub department: Option<String>,
    pub year: Option<i32>,
    /// Payment rows per year.
    pub years: BTreeMap<i32, u32>,
    pub units: Vec<DraftUnit>,
    pub files: usize,
    /// Sheets per kind: payment, budget, indicators, unrecognised.
    pub sheets: [usize; 4],
    /// The unrecognised sheets, `file › sheet`.
    pub unrecognised: Vec<String>,
    pub rows: u32,
    /// Words of fund, spend-kind and budget-kind cells that no vocabulary knows: (field, word,
    /// rows, cents), offered as commented `[values]` lines.
    pub words: Vec<(ValueField, String, u32, Cents)>,
}

/// A name as seen: its key (normalised, code prefix removed), display form, code, whether a
/// budget row carries it, rows and money, projects, order of first appearance.
#[derive(Debug, Clone, Default)]
struct Seen {
    display: String,
    /// Each spelling (whitespace removed) with its rows: the display is the most frequent.
    spellings: Vec<(String, u32)>,
    codes: Vec<String>,
    in_budget: u32,
    rows: u32,
    cents: Cents,
    projects: Vec<String>,
    /// Projects of its payment rows and of its budget rows.
    payment_projects: Vec<String>,
    budget_projects: Vec<String>,
    first: usize,
}

/// True when every character of `short` appears in `full`, in order (a Chinese 简称 keeps
/// the full name's characters in order: 市质安站 ← 岳阳市建设工程质量安全监督站).
pub fn abbreviates(short: &str, full: &str) -> bool {
    if short.chars().count() >= full.chars().count() {
        return false;
    }
    let mut rest = full.chars();
    short.chars().all(|c| rest.any(|f| f == c))
}

/// Among `names`, the one `short` abbreviates: the shortest that it does; `Err` with the tied
/// candidates when two are equally short; `Ok(None)` when none.
pub fn abbreviation_of<'a>(
    short: &str,
    names: &[&'a str],
) -> Result<Option<&'a str>, Vec<&'a str>> {
    let mut found: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| abbreviates(short, n))
        .collect();
    found.sort_by_key(|n| n.chars().count());
    match found.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one)),
        [a, b, ..] if a.chars().count() < b.chars().count() => Ok(Some(a)),
        _ => {
            let len = found[0].chars().count();
            Err(found
                .into_iter()
                .filter(|n| n.chars().count() == len)
                .collect())
        }
    }
}

/// The department named in a title: `编制单位：X` (or 单位名称 / 预算单位), else the text
/// before the year in a title like `X2023年01月国库集中支付明细表`.
fn department_in(title: &str, year: Option<i32>) -> Option<String> {
    let t = norm(title);
    for label in [
        "编制单位:",
        "填报单位:",
        "单位名称:",
        "预算单位:",
        "部门名称:",
    ] {
        if let Some(at) = t.find(label) {
            let rest = &t[at + label.len()..];
            let name: String = rest
                .chars()
                .take_while(|c| !matches!(c, ':' | '单'))
                .collect();
            let name = name.trim_end_matches("金额").to_string();
            if name.chars().count() >= 3 {
                return Some(name);
            }
        }
    }
    let year = year?.to_string();
    let at = t.find(&year)?;
    let name = &t[..at];
    (name.chars().count() >= 3 && !name.chars().any(|c| c.is_ascii_digit()))
        .then(|| name.to_string())
}

/// Drafts the config from the files (see the module docs).
pub fn draft(files: &[FileResult]) -> Draft {
    let mut seen: HashMap<String, Seen> = HashMap::new();
    let mut years: BTreeMap<i32, u32> = BTreeMap::new();
    let mut sheets = [0usize; 4];
    let mut unrecognised = Vec::new();
    let mut rows = 0;
    let mut titles: Vec<String> = Vec::new();
    let mut words: Vec<(ValueField, String, u32, Cents)> = Vec::new();
    for f in files {
        for s in &f.sheets {
            for (field, word, n, cents) in &s.words_seen {
                match words.iter_mut().find(|w| w.0 == *field && w.1 == *word) {
                    Some(w) => {
                        w.2 += n;
                        w.3 += cents;
                    }
                    None => words.push((*field, word.clone(), *n, *cents)),
                }
            }
            sheets[match s.kind {
                Some(Kind::Payment) => 0,
                Some(Kind::Budget) => 1,
                Some(Kind::Indicators) => 2,
                None => 3,
            }] += 1;
            if s.kind.is_some() {
                rows += s.rows_read;
            } else {
                unrecognised.push(format!("{} › {}", s.file, s.sheet));
            }
            if matches!(s.kind, Some(Kind::Payment | Kind::Budget)) {
                titles.extend(s.titles.iter().cloned());
            }
            for (y, n) in &s.years {
                *years.entry(*y).or_default() += n;
            }
            for u in &s.units_seen {
                let (prefix, key) = split_code(&u.name);
                if key.is_empty() {
                    continue;
                }
                let order = seen.len();
                // Shown as most often typed (a stray space, even an ideographic one, never
                // goes into the report's titles), without a code prefix.
                let spelling = if prefix.is_none() {
                    u.name.chars().filter(|c| !c.is_whitespace()).collect()
                } else {
                    key.clone()
                };
                let e = seen.entry(key.clone()).or_insert_with(|| Seen {
                    first: order,
                    ..Seen::default()
                });
                match e.spellings.iter_mut().find(|(s, _)| *s == spelling) {
                    Some(s) => s.1 += u.rows,
                    None => e.spellings.push((spelling, u.rows)),
                }
                let code = if u.code.is_empty() {
                    prefix
                } else {
                    Some(norm(&u.code))
                };
                if let Some(c) = code
                    && !e.codes.contains(&c)
                {
                    e.codes.push(c);
                }
                if u.kind == Kind::Budget {
                    e.in_budget += u.rows;
                }
                e.rows += u.rows;
                e.cents += u.cents;
                // Basic spending under a project name (基本支出, 人员类…) is not a project row.
                for p in &u.projects {
                    let basic = kind_from_project(&project_key(p)) == SpendKind::Basic;
                    if !basic && !e.projects.contains(p) {
                        e.projects.push(p.clone());
                    }
                    let by_kind = match u.kind {
                        Kind::Budget => &mut e.budget_projects,
                        _ => &mut e.payment_projects,
                    };
                    if !basic && !by_kind.contains(p) {
                        by_kind.push(p.clone());
                    }
                }
            }
        }
    }
    for s in seen.values_mut() {
        // The most rows; among equals, the first seen.
        let mut best: Option<&(String, u32)> = None;
        for sp in &s.spellings {
            if best.is_none_or(|b| sp.1 > b.1) {
                best = Some(sp);
            }
        }
        s.display = best.map(|b| b.0.clone()).unwrap_or_default();
    }
    let year = years
        .iter()
        .max_by_key(|(y, n)| (**n, std::cmp::Reverse(**y)))
        .map(|(y, _)| *y);

    // Units by code: the names carrying one code are one unit; its name is the one the budget
    // ledger uses most (the authority), else the one with the most rows.
    let mut names: Vec<(&String, &Seen)> = seen.iter().collect();
    names.sort_by_key(|(_, s)| s.first);
    let mut by_code: BTreeMap<String, Vec<(&String, &Seen)>> = BTreeMap::new();
    for &(k, s) in &names {
        if let Some(c) = s.codes.first() {
            by_code.entry(c.clone()).or_default().push((k, s));
        }
    }
    let mut units: Vec<DraftUnit> = Vec::new();
    for (code, members) in &by_code {
        let best = members
            .iter()
            .max_by_key(|(_, s)| (s.in_budget, s.rows, std::cmp::Reverse(s.first)))
            .map(|(_, s)| s.display.as_str())
            .unwrap_or_default();
        let mut projects: Vec<String> = Vec::new();
        for (_, s) in members {
            for p in &s.projects {
                if !projects.contains(p) {
                    projects.push(p.clone());
                }
            }
        }
        let of = |f: fn(&Seen) -> &Vec<String>| -> Vec<String> {
            members
                .iter()
                .flat_map(|(_, s)| f(s).iter().cloned())
                .collect()
        };
        let project_aliases =
            suggest_project_aliases(&of(|s| &s.payment_projects), &of(|s| &s.budget_projects));
        units.push(DraftUnit {
            name: best.to_string(),
            code: Some(code.clone()),
            project_aliases,
            aliases: members
                .iter()
                .filter(|(_, s)| s.display != best)
                .map(|(_, s)| (s.display.clone(), s.rows))
                .collect(),
            suggested: Vec::new(),
            projects,
            comment: None,
        });
    }
    // Names without a code: their own unit, or (when they abbreviate a unit's name) a
    // suggestion under it.
    let uncoded: Vec<(&String, &Seen)> = names
        .iter()
        .copied()
        .filter(|(_, s)| s.codes.is_empty())
        .collect();
    let full: Vec<String> = units
        .iter()
        .map(|u| u.name.clone())
        .chain(uncoded.iter().map(|(_, s)| s.display.clone()))
        .collect();
    for (_, s) in &uncoded {
        let k = &s.display;
        let others: Vec<&str> = full
            .iter()
            .map(|n| n.as_str())
            .filter(|n| n != &k.as_str())
            .collect();
        match abbreviation_of(k, &others) {
            Ok(Some(target)) if units.iter().any(|u| u.name == target) => {
                if let Some(u) = units.iter_mut().find(|u| u.name == target) {
                    u.suggested.push((k.to_string(), s.rows, s.cents));
                }
            }
            Ok(Some(target)) => {
                // It abbreviates another uncoded name: offer it there once that unit exists.
                pending_suggestion(&mut units, target, k, s);
            }
            Ok(None) => units.push(uncoded_unit(k, s, None)),
            Err(candidates) => units.push(uncoded_unit(
                k,
                s,
                Some(format!(
                    "可能是以下单位之一的简称：{}；请确认后改为其别名或保留为单独的单位",
                    candidates.join("、")
                )),
            )),
        }
    }
    let department = {
        let mut count: HashMap<String, usize> = HashMap::new();
        for t in &titles {
            if let Some(d) = department_in(t, year) {
                *count.entry(d).or_default() += 1;
            }
        }
        count
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
            .map(|(d, _)| d)
    };
    Draft {
        department,
        year,
        years,
        units,
        files: files.len(),
        sheets,
        unrecognised,
        rows,
        words,
    }
}

/// Suffixes by which a payment ledger and a budget ledger name one project differently.
const PROJECT_SUFFIXES: [&str; 6] = ["专项资金", "补助资金", "资金", "经费", "补助", "项目"];

/// Pairs (payment spelling, budget spelling) of projects that only one ledger names, equal
/// once a suffix of [`PROJECT_SUFFIXES`] is dropped from either: other spellings of one
/// project to confirm (SPEC §10).
pub fn suggest_project_aliases(payment: &[String], budget: &[String]) -> Vec<(String, String)> {
    let stem = |p: &str| -> String {
        let k = project_key(p);
        PROJECT_SUFFIXES
            .iter()
            .find_map(|s| {
                k.strip_suffix(s)
                    .filter(|x| !x.is_empty())
                    .map(str::to_string)
            })
            .unwrap_or(k)
    };
    let keys = |v: &[String]| v.iter().map(|p| project_key(p)).collect::<Vec<_>>();
    let (pk, bk) = (keys(payment), keys(budget));
    let mut out = Vec::new();
    for (p, k) in payment.iter().zip(&pk) {
        if bk.contains(k) {
            continue;
        }
        let candidates: Vec<&String> = budget
            .iter()
            .zip(&bk)
            .filter(|(_, b)| !pk.contains(b))
            .filter(|(b, _)| stem(b) == stem(p))
            .map(|(b, _)| b)
            .collect();
        if let [b] = candidates.as_slice() {
            out.push((p.trim().to_string(), b.trim().to_string()));
        }
    }
    out
}

fn uncoded_unit(key: &str, s: &Seen, why: Option<String>) -> DraftUnit {
    DraftUnit {
        name: key.to_string(),
        code: None,
        project_aliases: suggest_project_aliases(&s.payment_projects, &s.budget_projects),
        aliases: Vec::new(),
        suggested: Vec::new(),
        projects: s.projects.clone(),
        comment: Some(why.unwrap_or_else(|| {
            format!(
                "导出表中未带编码（{} 行、{} 元），也不是其他单位的简称：作为单独的单位列出",
                s.rows,
                yuan(s.cents)
            )
        })),
    }
}

/// A suggestion for an uncoded unit that may come later in the list: the unit is created
/// here if it is not yet.
fn pending_suggestion(units: &mut Vec<DraftUnit>, target: &str, key: &str, s: &Seen) {
    if !units.iter().any(|u| u.name == target) {
        units.push(DraftUnit {
            name: target.to_string(),
            code: None,
            project_aliases: Vec::new(),
            aliases: Vec::new(),
            suggested: Vec::new(),
            projects: Vec::new(),
            comment: Some("导出表中未带编码：作为单独的单位列出".to_string()),
        });
    }
    if let Some(u) = units.iter_mut().find(|u| u.name == target) {
        u.suggested.push((key.to_string(), s.rows, s.cents));
        for p in &s.projects {
            if !u.projects.contains(p) {
                u.projects.push(p.clone());
            }
        }
    }
}

/// A TOML basic string.
fn q(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl Draft {
    /// The config text: every key with a one-line Chinese comment; suggestions commented out.
    pub fn to_toml(&self) -> String {
        let mut t = String::new();
        // Comments aligned by display width (a CJK character is two columns).
        let line = |t: &mut String, key: &str, comment: &str| {
            let width: usize = key
                .chars()
                .map(|c| if c >= '\u{2E80}' { 2 } else { 1 })
                .sum();
            let pad = " ".repeat(40usize.saturating_sub(width).max(1));
            t.push_str(&format!("{key}{pad}# {comment}\n"));
        };
        t.push_str("# jixiao.toml：由 jixiao init 根据本文件夹中的导出表起草，请逐项核对。\n");
        t.push_str("# 各配置项的说明见 docs/config.md。\n\n[report]\n");
        let department = self.department.as_deref().unwrap_or(DEPARTMENT_PLACEHOLDER);
        line(
            &mut t,
            &format!("department = {}", q(department)),
            if self.department.is_some() {
                "部门名称（取自导出表的标题，请核对）"
            } else {
                "部门名称：导出表标题中没有找到，请填写"
            },
        );
        line(
            &mut t,
            &format!("year = {}", self.year.unwrap_or(0)),
            "年度（支出明细中最多的年份）",
        );
        line(
            &mut t,
            "ledger_amount_unit = \"元\"",
            "表中未注明“单位：元/万元”时的金额单位",
        );
        line(
            &mut t,
            "weighting = \"equal\"",
            "部门加权平均分：equal 各单位平均，budget 按预算加权",
        );
        line(
            &mut t,
            "progress_basis = \"month\"",
            "序时进度：month 按月，day 按天",
        );
        line(
            &mut t,
            &format!("# as_of = \"{}-06-30\"", self.year.unwrap_or(2023)),
            "截至日期（默认为最后一笔支付所在月的月末）",
        );
        for u in &self.units {
            t.push_str("\n[[unit]]\n");
            if let Some(c) = &u.comment {
                t.push_str(&format!("# {c}\n"));
            }
            line(
                &mut t,
                &format!("name = {}", q(&u.name)),
                "单位名称（报表中的写法）",
            );
            match &u.code {
                Some(c) => line(&mut t, &format!("code = {}", q(c)), "单位编码"),
                None => line(&mut t, "# code = \"\"", "单位编码（导出表中没有）"),
            }
            if u.aliases.is_empty() && u.suggested.is_empty() {
                line(&mut t, "aliases = []", "导出表中的其他写法");
            } else {
                t.push_str("aliases = [                             # 导出表中的其他写法\n");
                for (a, rows) in &u.aliases {
                    t.push_str(&format!(
                        "  {},  # 出现 {rows} 行，与本单位编码相同，已合并\n",
                        q(a)
                    ));
                }
                for (a, rows, cents) in &u.suggested {
                    t.push_str(&format!(
                        "  # {},  # 在导出表中出现 {rows} 行、{} 元，未带编码；如是本单位的简称，去掉行首的 #\n",
                        q(a),
                        yuan(*cents)
                    ));
                }
                t.push_str("]\n");
            }
            line(&mut t, "# staff_quota = 0", "编制人数（填写后检查超编）");
            line(&mut t, "# staff_actual = 0", "实有人数");
            if u.projects.is_empty() {
                line(&mut t, "projects = []", "项目在报表中的顺序");
            } else {
                t.push_str(
                    "projects = [                            # 项目在报表中的顺序（按首次出现）\n",
                );
                for p in &u.projects {
                    t.push_str(&format!("  {},\n", q(p.trim())));
                }
                t.push_str("]\n");
            }
            if !u.project_aliases.is_empty() {
                let pairs: Vec<String> = u
                    .project_aliases
                    .iter()
                    .map(|(p, b)| format!("{} = {}", q(p), q(b)))
                    .collect();
                t.push_str(&format!(
                    "# 以下项目在支出明细和预算指标中的写法只差后缀（资金、经费、补助等）；如是同一项目，去掉行首的 #，项目自评表即合为一张：\n# project_aliases = {{ {} }}\n",
                    pairs.join(", ")
                ));
            }
        }
        if !self.words.is_empty() {
            t.push_str(
                "\n# 导出表中有以下写法本工具不认识：在等号右边填写它对应的取值，再去掉行首的 #（否则这些行不能使用）\n",
            );
            for field in ValueField::ALL {
                let of: Vec<_> = self.words.iter().filter(|w| w.0 == field).collect();
                if of.is_empty() {
                    continue;
                }
                t.push_str(&format!(
                    "# [values.{}]                      # {}：{}\n",
                    field.section(),
                    field.label(),
                    field.targets()
                ));
                for (_, word, n, cents) in of {
                    t.push_str(&format!(
                        "# {} = \"\"  # 出现 {n} 行、{} 元\n",
                        q(word),
                        yuan(*cents)
                    ));
                }
            }
        }
        t.push_str(concat!(
            "\n# 报告初稿中数据无法给出的文字（写好后每年自动填入；键名须加引号）：\n",
            "# [narrative]\n",
            "# \"职能职责\" = \"\"\"\n",
            "# 1、……\n",
            "# \"\"\"\n",
            "# 其他键：\"内设机构\"、\"项目支出用途\"、\"年度绩效目标\"、\"完成情况和取得效益\"、\"评价工作实施情况\"、\"主要绩效\"、\"改进措施\"、\"结果应用\"\n",
        ));
        t.push_str(
            "\n[classification]                        # 部门经济分类科目的前缀（默认值）\n",
        );
        for (k, v, c) in [
            ("personnel", "[\"301\", \"303\"]", "人员经费"),
            ("public", "[\"302\", \"310\"]", "公用经费"),
            ("vehicle_operation", "[\"30231\"]", "公务用车运行维护费"),
            ("vehicle_purchase", "[\"31013\", \"30913\"]", "公务用车购置"),
            ("reception", "[\"30217\"]", "公务接待费"),
            ("overseas", "[\"30212\"]", "因公出国（境）费用"),
        ] {
            line(&mut t, &format!("{k} = {v}"), c);
        }
        t.push_str("\n[scoring]                               # 评分规则（默认值）\n");
        for (k, c) in [
            ("budget_execution = 10", "预算执行分值"),
            ("output = 50", "产出指标分值"),
            ("benefit = 30", "效益指标分值"),
            ("satisfaction = 10", "满意度指标分值"),
            (
                "negative_rule = \"linear\"",
                "反向指标：linear 按超出比例扣分，ratio 按目标÷实际",
            ),
            ("execution_threshold = 80", "执行率低于此百分数列入问题提示"),
        ] {
            line(&mut t, k, c);
        }
        t.push_str(
            "grades = [[90, \"优秀\"], [80, \"良好\"], [60, \"中\"], [0, \"差\"]]  # 评价等级：[最低分, 等级]\n",
        );
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_spellings_that_differ_by_a_suffix_are_offered() {
        let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let got = suggest_project_aliases(
            &v(&["城市管网及污水处理补助", "施工图审查", "共同项目", "无对应"]),
            &v(&[
                "城市管网及污水处理补助资金",
                "施工图审查经费",
                "共同项目",
                "别的名字",
            ]),
        );
        assert_eq!(
            got,
            vec![
                (
                    "城市管网及污水处理补助".to_string(),
                    "城市管网及污水处理补助资金".to_string()
                ),
                ("施工图审查".to_string(), "施工图审查经费".to_string()),
            ]
        );
        // Two budget names that both fit: no guess.
        let got = suggest_project_aliases(&v(&["河道整治"]), &v(&["河道整治经费", "河道整治资金"]));
        assert!(got.is_empty());
    }

    #[test]
    fn abbreviations_keep_the_full_names_characters_in_order() {
        assert!(abbreviates("市质安站", "岳阳市建设工程质量安全监督站"));
        assert!(abbreviates("水保站", "江南县水土保持监测站"));
        assert!(!abbreviates("水保站", "江南县水利局机关"));
        assert!(!abbreviates("站安质市", "岳阳市建设工程质量安全监督站"));
        let names = ["江南县水利局机关", "江南县水土保持监测站"];
        assert_eq!(
            abbreviation_of("水保站", &names),
            Ok(Some("江南县水土保持监测站"))
        );
        // The shortest full name wins; a tie is left to the user.
        let names = ["岳阳市房地产交易中心", "岳阳市房地产市场服务中心"];
        assert_eq!(
            abbreviation_of("市房地产交易中心", &names),
            Ok(Some("岳阳市房地产交易中心"))
        );
        assert_eq!(
            abbreviation_of("房中心", &["甲房乙中心", "丙房丁中心"]),
            Err(vec!["甲房乙中心", "丙房丁中心"])
        );
        assert_eq!(abbreviation_of("档案室", &names), Ok(None));
    }

    #[test]
    fn the_department_from_the_titles() {
        assert_eq!(
            department_in(
                "岳阳市住房和城乡建设局2023年01月国库集中支付明细表",
                Some(2023)
            ),
            Some("岳阳市住房和城乡建设局".into())
        );
        assert_eq!(
            department_in("编制单位：某市文化和旅游局      单位：元", Some(2024)),
            Some("某市文化和旅游局".into())
        );
        assert_eq!(department_in("2023年支付明细", Some(2023)), None);
    }

    #[test]
    fn toml_strings_are_escaped() {
        assert_eq!(q("a\"b\\c"), "\"a\\\"b\\\\c\"");
    }
}
