//! `jixiao.toml`: the department, its units and the rules (SPEC §2.6).
//!
//! Unknown keys are rejected so that a typo never passes silently. Every problem here is a
//! usage error (exit 2).

use crate::text::{norm, project_key, unit_key, value_key};
use crate::vocab::ValueField;
use anyhow::{Context, Result, bail};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::path::Path;
use std::str::FromStr;

/// The placeholder a drafted config carries when no title names the department; `run`
/// refuses it until it is replaced.
pub const DEPARTMENT_PLACEHOLDER: &str = "【请填写部门名称】";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub report: Report,
    #[serde(default, rename = "unit")]
    pub units: Vec<UnitConfig>,
    #[serde(default)]
    pub classification: Classification,
    #[serde(default)]
    pub scoring: Scoring,
    /// The 项目支出绩效自评表 (SPEC §10).
    #[serde(default)]
    pub project_forms: ProjectForms,
    /// This system's words for funds, spend kinds and budget kinds (SPEC §2.3, §2.6).
    #[serde(default)]
    pub values: Values,
    /// What the data cannot know, for the report draft (issue 6).
    #[serde(default)]
    pub narrative: Narrative,
}

/// The `[narrative]` sections of the report draft: one multi-line text each, fixed keys.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Narrative {
    #[serde(rename = "职能职责")]
    pub duties: Option<String>,
    #[serde(rename = "内设机构")]
    pub departments: Option<String>,
    #[serde(rename = "项目支出用途")]
    pub project_use: Option<String>,
    #[serde(rename = "年度绩效目标")]
    pub goals: Option<String>,
    #[serde(rename = "完成情况和取得效益")]
    pub results: Option<String>,
    #[serde(rename = "评价工作实施情况")]
    pub evaluation: Option<String>,
    #[serde(rename = "主要绩效")]
    pub achievements: Option<String>,
    #[serde(rename = "改进措施")]
    pub improvements: Option<String>,
    #[serde(rename = "结果应用")]
    pub use_of_results: Option<String>,
}

impl Narrative {
    /// Every key, in the order of the report.
    pub const KEYS: [&'static str; 9] = [
        "职能职责",
        "内设机构",
        "项目支出用途",
        "年度绩效目标",
        "完成情况和取得效益",
        "评价工作实施情况",
        "主要绩效",
        "改进措施",
        "结果应用",
    ];

    /// The text of a key, when given and not blank.
    pub fn get(&self, key: &str) -> Option<String> {
        let v = match key {
            "职能职责" => &self.duties,
            "内设机构" => &self.departments,
            "项目支出用途" => &self.project_use,
            "年度绩效目标" => &self.goals,
            "完成情况和取得效益" => &self.results,
            "评价工作实施情况" => &self.evaluation,
            "主要绩效" => &self.achievements,
            "改进措施" => &self.improvements,
            "结果应用" => &self.use_of_results,
            _ => return None,
        };
        v.as_ref()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    pub department: String,
    pub year: i32,
    #[serde(default = "default_unit")]
    pub ledger_amount_unit: String,
    #[serde(default)]
    pub weighting: Weighting,
    #[serde(default)]
    pub progress_basis: ProgressBasis,
    /// `"2023-06-30"`: the date the figures are as of (issue 9); default: the end of the month
    /// of the last payment.
    #[serde(default)]
    pub as_of: Option<String>,
    /// The report draft's template, instead of the built-in one (a path, relative to the
    /// config file's folder).
    #[serde(default)]
    pub template: Option<String>,
}

impl Report {
    /// The configured as-of date, parsed (checked at load).
    pub fn as_of_date(&self) -> Option<crate::model::Date> {
        let text = self.as_of.as_deref()?;
        crate::text::parse_date(&calamine::Data::String(text.to_string())).ok()
    }
}

fn default_unit() -> String {
    "元".to_string()
}

/// How the 部门加权平均分 weighs units.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Weighting {
    #[default]
    Equal,
    Budget,
}

/// 序时进度 basis.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProgressBasis {
    #[default]
    Month,
    Day,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitConfig {
    pub name: String,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub staff_quota: Option<u32>,
    #[serde(default)]
    pub staff_actual: Option<u32>,
    #[serde(default)]
    pub projects: Vec<String>,
    /// Other spellings of a project → the project's name (SPEC §2.6, §10).
    #[serde(default)]
    pub project_aliases: std::collections::BTreeMap<String, String>,
}

/// `[values]` (SPEC §2.6): a system's own word → one of the built-in words.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Values {
    pub fund: std::collections::BTreeMap<String, String>,
    pub spend_kind: std::collections::BTreeMap<String, String>,
    pub budget_kind: std::collections::BTreeMap<String, String>,
}

impl Values {
    fn table(&self, field: ValueField) -> &std::collections::BTreeMap<String, String> {
        match field {
            ValueField::Fund => &self.fund,
            ValueField::SpendKind => &self.spend_kind,
            ValueField::BudgetKind => &self.budget_kind,
        }
    }

    /// The built-in word a cell's text is mapped to, if the config maps it (compared as
    /// [`value_key`]s: spacing, width and a leading code do not matter).
    pub fn lookup(&self, field: ValueField, text: &str) -> Option<&str> {
        let table = self.table(field);
        if table.is_empty() {
            return None;
        }
        let key = value_key(text);
        table
            .iter()
            .find(|(k, _)| value_key(k) == key)
            .map(|(_, v)| v.as_str())
    }

    /// Every mapping's target must be a built-in word of its field.
    fn check(&self) -> Result<()> {
        use crate::vocab::{parse_budget_kind, parse_fund, parse_spend_kind};
        for field in ValueField::ALL {
            for (word, target) in self.table(field) {
                let ok = match field {
                    ValueField::Fund => parse_fund(target).is_ok(),
                    ValueField::SpendKind => matches!(parse_spend_kind(target), Ok(Some(_))),
                    ValueField::BudgetKind => parse_budget_kind(target).is_ok(),
                };
                if !ok {
                    bail!(
                        "[values.{}] 中“{word}”对应的“{target}”无法识别：应为 {}",
                        field.section(),
                        field.targets()
                    );
                }
            }
        }
        Ok(())
    }
}

/// `[project_forms]` (SPEC §10): which projects get a form, and the 一级 points of a form.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ProjectForms {
    /// 万元: projects whose 全年预算数 and 全年执行数 are both below get no form.
    pub min_budget: f64,
    pub output: f64,
    pub benefit: f64,
    pub satisfaction: f64,
}

impl Default for ProjectForms {
    fn default() -> Self {
        ProjectForms {
            min_budget: 0.0,
            output: 50.0,
            benefit: 30.0,
            satisfaction: 10.0,
        }
    }
}

impl ProjectForms {
    /// The points of a 一级 group on a project form.
    pub fn points_group(&self, level1: crate::model::Level1) -> Decimal {
        use crate::model::Level1::*;
        dec(match level1 {
            Output => self.output,
            Benefit => self.benefit,
            Satisfaction => self.satisfaction,
        })
    }

    /// `min_budget` in cents.
    pub fn min_budget_cents(&self) -> crate::model::Cents {
        use rust_decimal::prelude::ToPrimitive;
        (dec(self.min_budget) * Decimal::from(1_000_000))
            .round()
            .to_i64()
            .unwrap_or(0)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Classification {
    pub personnel: Vec<String>,
    pub public: Vec<String>,
    pub vehicle_operation: Vec<String>,
    pub vehicle_purchase: Vec<String>,
    pub reception: Vec<String>,
    pub overseas: Vec<String>,
}

impl Default for Classification {
    fn default() -> Self {
        let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect();
        Classification {
            personnel: v(&["301", "303"]),
            public: v(&["302", "310"]),
            vehicle_operation: v(&["30231"]),
            vehicle_purchase: v(&["31013", "30913"]),
            reception: v(&["30217"]),
            overseas: v(&["30212"]),
        }
    }
}

/// Negative-indicator rule (SPEC §6).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NegativeRule {
    #[default]
    Linear,
    Ratio,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Scoring {
    pub budget_execution: f64,
    pub output: f64,
    pub benefit: f64,
    pub satisfaction: f64,
    pub negative_rule: NegativeRule,
    pub grades: Vec<(f64, String)>,
    /// The execution rate (percent) below which a unit is a finding; mid-year, the rate a
    /// unit's pace must reach by year end.
    pub execution_threshold: f64,
}

impl Default for Scoring {
    fn default() -> Self {
        Scoring {
            budget_execution: 10.0,
            output: 50.0,
            benefit: 30.0,
            satisfaction: 10.0,
            negative_rule: NegativeRule::Linear,
            grades: vec![
                (90.0, "优秀".into()),
                (80.0, "良好".into()),
                (60.0, "中".into()),
                (0.0, "差".into()),
            ],
            execution_threshold: 80.0,
        }
    }
}

/// Exact decimal of a config number (written as `10` or `7.5` in the TOML).
pub fn dec(x: f64) -> Decimal {
    Decimal::from_str(&x.to_string()).unwrap_or_default()
}

impl Scoring {
    /// The execution threshold as a fraction (80 → 0.8).
    pub fn threshold(&self) -> Decimal {
        dec(self.execution_threshold) / Decimal::ONE_HUNDRED
    }
    pub fn points_execution(&self) -> Decimal {
        dec(self.budget_execution)
    }
    pub fn points_group(&self, level1: crate::model::Level1) -> Decimal {
        use crate::model::Level1::*;
        dec(match level1 {
            Output => self.output,
            Benefit => self.benefit,
            Satisfaction => self.satisfaction,
        })
    }
    /// The grade for a displayed department score: the first band whose floor it reaches.
    pub fn grade_for(&self, score: Decimal) -> String {
        let mut bands: Vec<(Decimal, &str)> = self
            .grades
            .iter()
            .map(|(f, l)| (dec(*f), l.as_str()))
            .collect();
        bands.sort_by_key(|b| std::cmp::Reverse(b.0));
        bands
            .iter()
            .find(|(floor, _)| score >= *floor)
            .map(|(_, l)| l.to_string())
            .unwrap_or_default()
    }
}

impl Classification {
    pub fn sangong(&self) -> Vec<String> {
        let mut all = self.vehicle_operation.clone();
        all.extend(self.vehicle_purchase.iter().cloned());
        all.extend(self.reception.iter().cloned());
        all.extend(self.overseas.iter().cloned());
        all
    }
}

/// True when `econ` starts with one of `prefixes`.
pub fn econ_in(econ: &str, prefixes: &[String]) -> bool {
    prefixes.iter().any(|p| econ.starts_with(p.as_str()))
}

/// The four “三公” classes, in the order of the 三公经费 table's columns.
pub const SANGONG_CLASSES: [&str; 4] = ["公车运行维护", "公车购置", "公务接待", "出国经费"];

impl Classification {
    /// The prefixes of the four “三公” classes, in [`SANGONG_CLASSES`] order.
    pub fn sangong_classes(&self) -> [&[String]; 4] {
        [
            &self.vehicle_operation,
            &self.vehicle_purchase,
            &self.reception,
            &self.overseas,
        ]
    }

    /// The “三公” class of an economic class code: the first whose prefixes it matches.
    pub fn sangong_class(&self, econ: &str) -> Option<usize> {
        self.sangong_classes()
            .iter()
            .position(|prefixes| econ_in(econ, prefixes))
    }
}

impl Config {
    /// The files a run writes, by name: the report workbook, the audit workbook, the detail
    /// CSV, the report draft and the project forms (SPEC §10).
    pub fn output_names(&self) -> [String; 5] {
        let (y, d) = (self.report.year, &self.report.department);
        [
            format!("{y}年度{d}部门整体支出绩效自评表.xlsx"),
            format!("{y}年度核对底稿.xlsx"),
            format!("{y}年度支出明细.csv"),
            format!("{y}年度{d}部门整体支出绩效自评报告（初稿）.docx"),
            format!("{y}年度项目支出绩效自评表.xlsx"),
        ]
    }

    /// Reads and checks the config file.
    ///
    /// # Errors
    /// A missing or unreadable file, a TOML error, an unknown key, no `[[unit]]`, or a value
    /// out of range: all usage errors, with the message in Chinese.
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            let why = match e.kind() {
                std::io::ErrorKind::NotFound => {
                    "文件不存在（请在输入文件夹中放置 jixiao.toml，或用 --config 指定）".to_string()
                }
                std::io::ErrorKind::PermissionDenied => "没有读取权限".to_string(),
                std::io::ErrorKind::InvalidData => "不是 UTF-8 编码的文本".to_string(),
                _ => e.to_string(),
            };
            anyhow::anyhow!("无法读取配置文件 {}：{why}", path.display())
        })?;
        Config::parse(&text).with_context(|| format!("配置文件 {} 有误", path.display()))
    }

    /// Parses config text (see [`Config::load`]).
    pub fn parse(text: &str) -> Result<Config> {
        let cfg: Config = toml::from_str(text).map_err(|e| {
            let msg = e
                .message()
                .replace("unknown field", "未知的配置项")
                .replace("missing field", "缺少配置项")
                .replace(", expected one of", "，应为以下之一：")
                .replace(", expected", "，应为")
                .replace("unknown variant", "未知的取值")
                .replace("invalid type", "类型不对")
                .replace("duplicate key", "重复的配置项");
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            match line {
                Some(l) => anyhow::anyhow!("第{l}行：{msg}"),
                None => anyhow::anyhow!("{msg}"),
            }
        })?;
        cfg.check()?;
        Ok(cfg)
    }

    fn check(&self) -> Result<()> {
        if self.units.is_empty() {
            bail!("没有配置任何单位（[[unit]]）");
        }
        if self.report.department.contains(DEPARTMENT_PLACEHOLDER)
            || self.report.department.trim().is_empty()
        {
            bail!(
                "report.department 尚未填写：请把“{}”改为部门全称（如“岳阳市住房和城乡建设局”）",
                self.report.department
            );
        }
        if self.report.ledger_amount_unit != "元" && self.report.ledger_amount_unit != "万元" {
            bail!(
                "report.ledger_amount_unit 应为“元”或“万元”，实际为“{}”",
                self.report.ledger_amount_unit
            );
        }
        if !(1900..=2200).contains(&self.report.year) {
            bail!("report.year “{}” 不是有效年度", self.report.year);
        }
        // Every name, alias and code points to one unit only.
        let mut names: std::collections::HashMap<String, &str> = std::collections::HashMap::new();
        let mut codes: std::collections::HashMap<String, &str> = std::collections::HashMap::new();
        for u in &self.units {
            let key = unit_key(&u.name);
            if key.is_empty() {
                bail!("单位名称不能为空");
            }
            if names.contains_key(&key) && names[&key] == u.name {
                bail!("单位“{}”重复配置", u.name);
            }
            for (label, raw) in
                std::iter::once(("名称", &u.name)).chain(u.aliases.iter().map(|a| ("别名", a)))
            {
                let k = unit_key(raw);
                if let Some(other) = names.insert(k, &u.name)
                    && other != u.name
                {
                    bail!("{label}“{raw}”同时指向单位“{other}”和“{}”", u.name);
                }
            }
            if let Some(c) = &u.code
                && let Some(other) = codes.insert(norm(c), &u.name)
            {
                bail!("单位编码“{c}”同时配置给了“{other}”和“{}”", u.name);
            }
        }
        let s = &self.scoring;
        for (name, v) in [
            ("budget_execution", s.budget_execution),
            ("output", s.output),
            ("benefit", s.benefit),
            ("satisfaction", s.satisfaction),
        ] {
            if !(0.0..=1000.0).contains(&v) {
                bail!("scoring.{name} “{v}” 超出范围");
            }
        }
        self.values.check()?;
        let pf = &self.project_forms;
        for (name, v) in [
            ("output", pf.output),
            ("benefit", pf.benefit),
            ("satisfaction", pf.satisfaction),
            ("min_budget", pf.min_budget),
        ] {
            if !(0.0..=1_000_000.0).contains(&v) {
                bail!("project_forms.{name} “{v}” 超出范围");
            }
        }
        for u in &self.units {
            for (alias, target) in &u.project_aliases {
                let (a, t) = (project_key(alias), project_key(target));
                if a.is_empty() || t.is_empty() {
                    bail!("单位“{}”的 project_aliases 中有空的项目名称", u.name);
                }
                if u.project_aliases.keys().any(|k| project_key(k) == t) {
                    bail!(
                        "单位“{}”的 project_aliases：“{target}”本身又是别名，请直接写最终的项目名称",
                        u.name
                    );
                }
            }
        }
        if s.grades.is_empty() {
            bail!("scoring.grades 不能为空");
        }
        if !(0.0..=100.0).contains(&s.execution_threshold) {
            bail!(
                "scoring.execution_threshold “{}” 应在 0 到 100 之间（百分数）",
                s.execution_threshold
            );
        }
        if let Some(text) = &self.report.as_of {
            match self.report.as_of_date() {
                Some(d) if d.year == self.report.year => {}
                Some(_) => bail!(
                    "report.as_of “{text}” 不在报告年度 {} 年内",
                    self.report.year
                ),
                None => bail!("report.as_of “{text}” 不是有效日期（应写作 2023-06-30）"),
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: &str =
        "[report]\ndepartment = \"某局\"\nyear = 2023\n[[unit]]\nname = \"某局本级\"\n";

    #[test]
    fn defaults_apply() {
        let c = Config::parse(MIN).unwrap();
        assert_eq!(c.report.ledger_amount_unit, "元");
        assert_eq!(c.report.weighting, Weighting::Equal);
        assert_eq!(c.scoring.negative_rule, NegativeRule::Linear);
        assert_eq!(c.classification.reception, vec!["30217".to_string()]);
    }

    #[test]
    fn unknown_key_is_rejected() {
        let err = Config::parse(&format!("{MIN}staf_quota = 3\n")).unwrap_err();
        assert!(format!("{err:#}").contains("未知的配置项"), "{err:#}");
        let err = Config::parse(&MIN.replace("year", "yaer")).unwrap_err();
        assert!(format!("{err:#}").contains("未知的配置项"), "{err:#}");
    }

    #[test]
    fn no_unit_is_an_error() {
        let err = Config::parse("[report]\ndepartment = \"某局\"\nyear = 2023\n").unwrap_err();
        assert!(err.to_string().contains("没有配置任何单位"));
    }

    #[test]
    fn a_name_or_code_for_two_units_is_rejected() {
        let two = "[[unit]]\nname = \"某局档案馆\"\n";
        let err = Config::parse(&format!(
            "{MIN}aliases = [\"档案馆\"]\n{two}aliases = [\"档案馆\"]\n"
        ))
        .unwrap_err();
        assert!(err.to_string().contains("别名“档案馆”同时指向"), "{err}");
        let err = Config::parse(&format!("{MIN}code = \"1\"\n{two}code = \"1\"\n")).unwrap_err();
        assert!(err.to_string().contains("单位编码“1”同时配置给了"), "{err}");
        let err = Config::parse(&format!(
            "{MIN}{}",
            MIN.split("[[unit]]")
                .nth(1)
                .map(|u| format!("[[unit]]{u}"))
                .unwrap()
        ))
        .unwrap_err();
        assert!(err.to_string().contains("重复配置"), "{err}");
    }

    #[test]
    fn grades_pick_the_first_band_reached() {
        let s = Scoring::default();
        assert_eq!(s.grade_for(dec(96.3)), "优秀");
        assert_eq!(s.grade_for(dec(90.0)), "优秀");
        assert_eq!(s.grade_for(dec(89.9)), "良好");
        assert_eq!(s.grade_for(dec(12.0)), "差");
    }
}
