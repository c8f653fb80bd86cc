//! `jixiao check [--input DIR] [--config FILE]`: validate only, write nothing; print a
//! one-screen summary. Exit 0 clean (warnings allowed), 1 input errors, 2 usage error.

use crate::cmd::{Paths, print_problems};
use crate::figures::FIGURES;
use crate::model::wan_display;
use crate::pipeline;
use crate::stages::normalise::Kind;
use anyhow::Result;
use std::io::Write;

pub fn run(paths: &Paths) -> Result<i32> {
    if let Some(departments) = crate::cmd::batch::departments(paths) {
        return crate::cmd::batch::check(paths, &departments);
    }
    let config = paths.config();
    let cfg = crate::cmd::load_config(paths)?;
    let o = pipeline::run_skipping(
        &paths.input(),
        &config,
        &cfg,
        Some(&paths.output()),
        &crate::cmd::progress,
    )?;
    // What the draft will lack, said as a run says it (nothing is written).
    let config_dir = config.parent().unwrap_or(std::path::Path::new("."));
    let (_, unfilled) = crate::narrative::draft(&cfg, &o, config_dir)?;
    print_problems(&o, &unfilled);
    let mut out = std::io::stdout().lock();
    let v = &o.validated;
    let count = |k: Option<Kind>| v.sheets.iter().filter(|s| s.kind == k).count();
    let rows = |f: &dyn Fn(&crate::stages::validate::SheetSummary) -> u32| {
        v.sheets.iter().map(f).sum::<u32>()
    };
    writeln!(out, "{}年度 {}", cfg.report.year, cfg.report.department)?;
    writeln!(
        out,
        "文件 {} 个；工作表：支出明细 {}、预算指标 {}、绩效指标 {}、未识别 {}",
        o.files_read,
        count(Some(Kind::Payment)),
        count(Some(Kind::Budget)),
        count(Some(Kind::Indicators)),
        count(None)
    )?;
    writeln!(
        out,
        "数据行：使用 {}（支出 {}、预算 {}、指标 {}，其中项目指标 {}），拒绝 {}，空行 {}，说明行 {}，合计行 {}",
        rows(&|s| s.used),
        v.payments.len(),
        v.budgets.len(),
        v.indicators.len() + v.project_indicators.len(),
        v.project_indicators.len(),
        rows(&|s| s.rejected),
        rows(&|s| s.blank),
        rows(&|s| s.notes),
        rows(&|s| s.totals.len() as u32)
    )?;
    let used_units: std::collections::BTreeSet<usize> = v.payments.iter().map(|p| p.unit).collect();
    writeln!(
        out,
        "单位：配置 {} 个，有支出 {} 个",
        cfg.units.len(),
        used_units.len()
    )?;
    if let Some(agg) = &o.agg {
        for id in ["F9", "F10", "F1", "F8"] {
            if let Some(f) = FIGURES.iter().find(|f| f.id == id) {
                writeln!(
                    out,
                    "  {}：{} 万元",
                    f.label,
                    wan_display(f.from_aggregates(&cfg.classification, agg))
                )?;
            }
        }
    }
    if let Some(agg) = &o.agg {
        let f = |id: &str| {
            FIGURES
                .iter()
                .find(|f| f.id == id)
                .map(|f| f.from_aggregates(&cfg.classification, agg))
                .unwrap_or(0)
        };
        if let Some(r) = crate::figures::rate(f("F10"), f("F9")) {
            let pct = crate::model::round(r * rust_decimal::Decimal::ONE_HUNDRED, 2);
            writeln!(out, "  预算执行率：{pct}%")?;
        }
    }
    if let Some(s) = &o.scores {
        writeln!(
            out,
            "  部门整体自评得分：{}（{}）",
            s.dept.total, s.dept.grade
        )?;
    }
    if let Some(forms) = &o.forms {
        let unscored = forms.forms.iter().filter(|f| f.total.is_none()).count();
        writeln!(
            out,
            "  项目支出绩效自评表：{} 张（其中 {} 张尚无绩效指标）",
            forms.forms.len(),
            unscored
        )?;
    }
    let e = o.errors().count();
    let w = o.warnings().count() + usize::from(crate::cmd::draft_warns(&o, &unfilled));
    writeln!(
        out,
        "检查结果：{e} 个错误，{w} 个警告{}",
        if e == 0 { "，可以生成报表" } else { "" }
    )?;
    Ok(if e == 0 { 0 } else { 1 })
}
