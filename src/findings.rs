//! Findings for the report's 存在的问题 section (SPEC §8 `问题提示`): units below 80%
//! execution, “三公” spending over budget, indicators below full points with their reasons,
//! staff above quota. Computed here from the scores and tables; the audit only lays them out.

use crate::config::{Config, SANGONG_CLASSES};
use crate::model::*;
use crate::period::Period;
use crate::stages::aggregate::Aggregates;
use crate::stages::score::Scores;
use rust_decimal::Decimal;

/// One finding: its category, the unit, and what to say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub category: &'static str,
    pub unit: String,
    pub detail: String,
}

/// Every finding, in the order: execution, 三公, indicators, staff.
pub fn findings(
    cfg: &Config,
    agg: &Aggregates,
    scores: &Scores,
    indicators: &[Indicator],
    period: &Period,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let threshold = cfg.scoring.threshold();
    let pct = round(threshold * Decimal::ONE_HUNDRED, 2).normalize();
    for u in &scores.units {
        // Mid-year, a rate below the threshold is the calendar's doing: the finding is the
        // year-end rate the pace so far leads to.
        if period.partial() {
            let elapsed = period.elapsed();
            let Some(projected) = u
                .rate
                .filter(|_| elapsed > Decimal::ZERO)
                .map(|r| r / elapsed)
            else {
                continue;
            };
            if projected < threshold {
                let left = period.months_left();
                let short = Decimal::from(u.budget) * threshold - Decimal::from(u.actual);
                let per_month = if left > Decimal::ZERO {
                    short.max(Decimal::ZERO) / left / Decimal::from(1_000_000)
                } else {
                    Decimal::ZERO
                };
                out.push(Finding {
                    category: "预计全年执行率低于阈值",
                    unit: cfg.units[u.unit].name.clone(),
                    detail: format!(
                        "截至{}执行率 {}%，按目前进度预计全年 {}%，低于 {pct}%；剩余 {} 个月每月需支出 {} 万元才能达到 {pct}%",
                        period.date_text(),
                        round(u.rate.unwrap_or_default() * Decimal::ONE_HUNDRED, 2),
                        round(projected * Decimal::ONE_HUNDRED, 2),
                        round(left, 2).normalize(),
                        round(per_month, 2)
                    ),
                });
            }
            continue;
        }
        if let Some(r) = u.rate
            && r < threshold
        {
            out.push(Finding {
                category: if threshold == Decimal::new(8, 1) {
                    "预算执行率低于80%"
                } else {
                    "预算执行率低于阈值"
                },
                unit: cfg.units[u.unit].name.clone(),
                detail: format!(
                    "预算 {} 万元，实际支出 {} 万元，执行率 {}%",
                    wan_display(u.budget),
                    wan_display(u.actual),
                    round(r * Decimal::ONE_HUNDRED, 2)
                ),
            });
        }
    }
    // The general-fund groups by unit × class (aggregate), in unit then class order.
    let mut sangong: Vec<&crate::stages::aggregate::ClassSum> = agg.sangong.iter().collect();
    sangong.sort_by_key(|g| (g.unit, g.class));
    for g in sangong.into_iter().filter(|g| g.actual > g.budget) {
        out.push(Finding {
            category: "“三公”经费超预算",
            unit: cfg.units[g.unit].name.clone(),
            detail: format!(
                "{}预算 {} 万元，决算 {} 万元",
                SANGONG_CLASSES[g.class],
                wan_display(g.budget),
                wan_display(g.actual)
            ),
        });
    }
    for (ind, s) in indicators.iter().zip(&scores.indicators) {
        if s.score < ind.points {
            out.push(Finding {
                category: "指标未得满分",
                unit: cfg.units[ind.unit].name.clone(),
                detail: format!(
                    "{}（{}）：分值 {}，得分 {}；原因：{}",
                    ind.name,
                    ind.level1.label(),
                    ind.points.normalize(),
                    Scores::unit_display(s.score),
                    ind.reason
                ),
            });
        }
    }
    for u in &cfg.units {
        if let (Some(q), Some(a)) = (u.staff_quota, u.staff_actual)
            && a > q
        {
            out.push(Finding {
                category: "实有人数超编制",
                unit: u.name.clone(),
                detail: format!("编制 {q} 人，实有 {a} 人，超编 {} 人", a - q),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::aggregate::ClassSum;

    #[test]
    fn sangong_over_budget_and_staff_over_quota() {
        let cfg = Config::parse(
            "[report]\ndepartment='某局'\nyear=2023\n[[unit]]\nname='某局本级'\nstaff_quota=5\nstaff_actual=7\n",
        )
        .unwrap();
        let agg = Aggregates {
            sangong: vec![ClassSum {
                unit: 0,
                class: 2,          // 公务接待
                budget: 1_000_000, // 10,000.00 元
                actual: 1_200_000, // 12,000.00 元
            }],
            unit_actual: vec![1_200_000],
            unit_budget: vec![1_000_000],
            ..Aggregates::default()
        };
        let scores = crate::stages::score::score(&agg, &[], &cfg, true);
        let year = crate::period::Period {
            as_of: Date {
                year: 2023,
                month: 12,
                day: 31,
            },
            basis: crate::config::ProgressBasis::Month,
        };
        let f = findings(&cfg, &agg, &scores, &[], &year);
        let cats: Vec<&str> = f.iter().map(|x| x.category).collect();
        assert_eq!(cats, vec!["“三公”经费超预算", "实有人数超编制"]);
        assert_eq!(f[0].detail, "公务接待预算 1.00 万元，决算 1.20 万元");
        assert_eq!(f[1].detail, "编制 5 人，实有 7 人，超编 2 人");
    }
}
