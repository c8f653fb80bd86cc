//! Stage 5 — score: execution rates, indicator scores, unit and department scores (SPEC §6).
//!
//! Input: the [`Aggregates`] (budget and actual per unit) and the used [`Indicator`] rows.
//! Output: [`Scores`] — per unit its budget, actual, 预算执行 and the three indicator groups
//! (exact decimals), per indicator its score, and the 部门加权平均分 row with its grade.
//! Scores are exact here; they are rounded once, for display, by [`Scores::unit_display`]
//! and in the department row.

use crate::config::{Config, NegativeRule, Weighting};
use crate::diag::Problem;
use crate::model::*;
use crate::stages::aggregate::Aggregates;
use rust_decimal::Decimal;

/// One unit's scores.
#[derive(Debug, Clone)]
pub struct UnitScore {
    pub unit: usize,
    /// Adjusted budget over all funds and kinds.
    pub budget: Cents,
    pub actual: Cents,
    /// actual ÷ budget, exact; None when the budget is zero.
    pub rate: Option<Decimal>,
    pub execution: Decimal,
    /// 产出, 效益, 满意度 — None when no indicator sheet was given (未评).
    pub groups: Option<[Decimal; 3]>,
    pub total: Decimal,
}

/// One indicator's score.
#[derive(Debug, Clone)]
pub struct IndicatorScore {
    pub score: Decimal,
    /// A given score replaced the formula of a quantitative indicator.
    pub overridden: bool,
}

/// The 部门加权平均分 row, rounded to 1 decimal.
#[derive(Debug, Clone)]
pub struct DeptScore {
    pub execution: Decimal,
    pub groups: Option<[Decimal; 3]>,
    pub total: Decimal,
    pub grade: String,
}

#[derive(Debug, Clone)]
pub struct Scores {
    pub units: Vec<UnitScore>,
    /// Parallel to the indicator rows.
    pub indicators: Vec<IndicatorScore>,
    pub dept: DeptScore,
    pub problems: Vec<Problem>,
}

impl Scores {
    /// A unit score as displayed: 2 decimals, half away from zero.
    pub fn unit_display(x: Decimal) -> Decimal {
        round(x, 2).normalize()
    }
}

/// Computes every score (see the module docs). `indicators_complete` is false when some
/// indicator row was rejected, in which case the group totals are not checked (the rejected
/// row is the error to fix).
pub fn score(
    agg: &Aggregates,
    indicators: &[Indicator],
    cfg: &Config,
    indicators_complete: bool,
) -> Scores {
    let n = cfg.units.len();
    let mut problems = Vec::new();
    let (mut budget, mut actual) = (agg.unit_budget.clone(), agg.unit_actual.clone());
    budget.resize(n, 0);
    actual.resize(n, 0);
    let exec_points = cfg.scoring.points_execution();

    let ind_scores: Vec<IndicatorScore> = indicators
        .iter()
        .map(|i| match indicator_score(i, cfg.scoring.negative_rule) {
            Ok(s) => {
                if s.score < i.points && i.reason.trim().is_empty() {
                    problems.push(
                        Problem::error(format!(
                            "指标“{}”得分 {} 低于分值 {}，须填写偏差原因",
                            i.name,
                            Scores::unit_display(s.score),
                            i.points.normalize()
                        ))
                        .at(&i.prov.file, &i.prov.sheet, i.prov.row, None),
                    );
                }
                s
            }
            Err(msg) => invalid(i, msg, &mut problems),
        })
        .collect();

    // Rejected indicator rows mean there was an indicator sheet: no "未评" warning then.
    let evaluated = !indicators.is_empty() || !indicators_complete;
    let mut units = Vec::with_capacity(n);
    for u in 0..n {
        let (b, a) = (budget[u], actual[u]);
        let (rate, execution) = if b <= 0 {
            if a != 0 {
                problems.push(Problem::error(format!(
                    "单位“{}”有实际支出 {} 元，但调整后预算为 {} 元：无法计算预算执行率（缺少预算指标？）",
                    cfg.units[u].name,
                    yuan(a),
                    yuan(b)
                )));
            }
            (None, exec_points)
        } else {
            let r = Decimal::from(a) / Decimal::from(b);
            (
                Some(r),
                exec_points * r.min(Decimal::ONE).max(Decimal::ZERO),
            )
        };
        let groups = if evaluated {
            let mut g = [Decimal::ZERO; 3];
            for (k, level) in Level1::ALL.iter().enumerate() {
                let rows: Vec<usize> = (0..indicators.len())
                    .filter(|&i| indicators[i].unit == u && indicators[i].level1 == *level)
                    .collect();
                let want = cfg.scoring.points_group(*level);
                let points: Decimal = rows.iter().map(|&i| indicators[i].points).sum();
                if indicators_complete {
                    if rows.is_empty() {
                        problems.push(Problem::error(format!(
                            "单位“{}”没有{}：每个单位都须有产出、效益、满意度三类指标",
                            cfg.units[u].name,
                            level.label()
                        )));
                    } else if points != want {
                        let first = &indicators[rows[0]].prov;
                        problems.push(
                            Problem::error(format!(
                                "单位“{}”的{}分值合计为 {}，应为 {}",
                                cfg.units[u].name,
                                level.label(),
                                points.normalize(),
                                want.normalize()
                            ))
                            .at(
                                &first.file,
                                &first.sheet,
                                first.row,
                                None,
                            ),
                        );
                    }
                }
                g[k] = rows
                    .iter()
                    .map(|&i| ind_scores[i].score)
                    .sum::<Decimal>()
                    .min(want);
            }
            Some(g)
        } else {
            None
        };
        let total = execution
            + groups
                .map(|g| g.iter().copied().sum())
                .unwrap_or(Decimal::ZERO);
        units.push(UnitScore {
            unit: u,
            budget: b,
            actual: a,
            rate,
            execution,
            groups,
            total,
        });
    }
    if !evaluated {
        problems.push(Problem::warning(
            "没有绩效指标表：评分表只计算预算执行，产出、效益、满意度标为“未评”",
        ));
    }
    let dept = dept_score(&units, cfg);
    Scores {
        units,
        indicators: ind_scores,
        dept,
        problems,
    }
}

fn weighted_mean(units: &[UnitScore], w: &[Decimal], f: impl Fn(&UnitScore) -> Decimal) -> Decimal {
    let sw: Decimal = w.iter().copied().sum();
    if sw.is_zero() {
        return Decimal::ZERO;
    }
    units.iter().zip(w).map(|(u, w)| f(u) * *w).sum::<Decimal>() / sw
}

fn dept_score(units: &[UnitScore], cfg: &Config) -> DeptScore {
    let mut w: Vec<Decimal> = match cfg.report.weighting {
        Weighting::Equal => vec![Decimal::ONE; units.len()],
        Weighting::Budget => units
            .iter()
            .map(|u| Decimal::from(u.budget.max(0)))
            .collect(),
    };
    if w.iter().all(|x| x.is_zero()) {
        w = vec![Decimal::ONE; units.len()];
    }
    let one = |x: Decimal| round(x, 1).normalize();
    let execution = one(weighted_mean(units, &w, |u| u.execution));
    let groups = units.first().and_then(|u| u.groups).map(|_| {
        let mut g = [Decimal::ZERO; 3];
        for (k, v) in g.iter_mut().enumerate() {
            *v = one(weighted_mean(units, &w, |u| {
                u.groups.map(|g| g[k]).unwrap_or_default()
            }));
        }
        g
    });
    let total = one(weighted_mean(units, &w, |u| u.total));
    DeptScore {
        execution,
        groups,
        total,
        grade: cfg.scoring.grade_for(total),
    }
}

/// An indicator whose score cannot be computed: the error at its row, and a zero score.
pub fn invalid(i: &Indicator, msg: String, problems: &mut Vec<Problem>) -> IndicatorScore {
    problems.push(Problem::error(msg).at(&i.prov.file, &i.prov.sheet, i.prov.row, None));
    IndicatorScore {
        score: Decimal::ZERO,
        overridden: false,
    }
}

/// The score of one indicator by its direction (SPEC §6).
///
/// # Errors
/// A message when the target is invalid for the direction, or a given score is out of range
/// or outside its grade's band.
pub fn indicator_score(i: &Indicator, rule: NegativeRule) -> Result<IndicatorScore, String> {
    let p = i.points;
    if i.direction == Direction::Qualitative {
        let s = i
            .given_score
            .ok_or_else(|| format!("定性指标“{}”缺少得分", i.name))?;
        let grade = i
            .grade
            .ok_or_else(|| format!("定性指标“{}”缺少完成等级", i.name))?;
        let pct = |x: i64| p * Decimal::from(x) / Decimal::ONE_HUNDRED;
        let ok = match grade {
            Grade::Achieved => s >= pct(80) && s <= p,
            Grade::Partial => s >= pct(60) && s < pct(80),
            Grade::NotAchieved => s >= Decimal::ZERO && s < pct(60),
        };
        if !ok {
            let band = match grade {
                Grade::Achieved => format!("[{}, {}]", pct(80).normalize(), p.normalize()),
                Grade::Partial => format!("[{}, {})", pct(60).normalize(), pct(80).normalize()),
                Grade::NotAchieved => format!("[0, {})", pct(60).normalize()),
            };
            return Err(format!(
                "定性指标“{}”得分 {} 不在完成等级“{}”的得分区间 {band} 内",
                i.name,
                s.normalize(),
                grade.label()
            ));
        }
        return Ok(IndicatorScore {
            score: s,
            overridden: false,
        });
    }
    let (t, a) = match (i.target, i.actual) {
        (Some(t), Some(a)) => (t, a),
        _ => return Err(format!("定量指标“{}”缺少目标值或完成值", i.name)),
    };
    let invalid = match i.direction {
        Direction::Equal => t < Decimal::ZERO,
        _ => t <= Decimal::ZERO,
    };
    if invalid {
        return Err(format!(
            "指标“{}”的目标值“{}”无效：{}指标的目标值须大于0",
            i.name,
            i.target_text,
            i.direction.label()
        ) + if i.direction == Direction::Equal {
            "（等于指标可为0）"
        } else {
            ""
        });
    }
    if let Some(s) = i.given_score {
        if s < Decimal::ZERO || s > p {
            return Err(format!(
                "指标“{}”的自评得分 {} 超出 [0, {}]",
                i.name,
                s.normalize(),
                p.normalize()
            ));
        }
        return Ok(IndicatorScore {
            score: s,
            overridden: true,
        });
    }
    let positive = |a: Decimal, t: Decimal| {
        if a >= t {
            p
        } else {
            (p * a / t).max(Decimal::ZERO)
        }
    };
    let s = match i.direction {
        Direction::Positive => positive(a, t),
        Direction::Negative => {
            if a <= t {
                p
            } else {
                match rule {
                    NegativeRule::Linear => p * (Decimal::ONE - (a - t) / t).max(Decimal::ZERO),
                    NegativeRule::Ratio => p * t / a,
                }
            }
        }
        Direction::Equal => {
            if t.is_zero() {
                if a <= Decimal::ZERO { p } else { Decimal::ZERO }
            } else {
                positive(a, t)
            }
        }
        Direction::Qualitative => p,
    };
    Ok(IndicatorScore {
        score: s,
        overridden: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;
    use std::sync::Arc;

    fn d(x: &str) -> Decimal {
        Decimal::from_str(x).unwrap()
    }

    fn ind(dir: Direction, points: &str, target: &str, actual: &str) -> Indicator {
        Indicator {
            prov: Prov {
                file: Arc::from("f"),
                sheet: Arc::from("s"),
                row: 2,
            },
            unit: 0,
            level1: Level1::Output,
            level2: String::new(),
            name: "测试指标".into(),
            points: d(points),
            direction: dir,
            target_text: target.into(),
            actual_text: actual.into(),
            target: crate::stages::normalise::parse_indicator_number(target),
            actual: crate::stages::normalise::parse_indicator_number(actual),
            grade: None,
            given_score: None,
            reason: String::new(),
            project: String::new(),
            project_name: String::new(),
            goal: String::new(),
            achieved: String::new(),
        }
    }

    fn s(i: &Indicator, rule: NegativeRule) -> Decimal {
        indicator_score(i, rule).unwrap().score
    }

    #[test]
    fn positive_indicators() {
        let l = NegativeRule::Linear;
        assert_eq!(
            s(&ind(Direction::Positive, "10", "≥100%", "100%"), l),
            d("10")
        );
        assert_eq!(
            s(&ind(Direction::Positive, "10", "≥100%", "120%"), l),
            d("10")
        );
        assert_eq!(
            s(&ind(Direction::Positive, "10", "≥100%", "75.5%"), l),
            d("7.55")
        );
        assert_eq!(s(&ind(Direction::Positive, "10", "≥100", "-5"), l), d("0"));
        assert!(indicator_score(&ind(Direction::Positive, "10", "0", "5"), l).is_err());
    }

    #[test]
    fn negative_indicators_both_rules() {
        let i = ind(Direction::Negative, "10", "≤10天", "14天");
        assert_eq!(s(&i, NegativeRule::Linear), d("6"));
        assert_eq!(s(&i, NegativeRule::Ratio).round_dp(6), d("7.142857"));
        assert_eq!(
            s(
                &ind(Direction::Negative, "10", "≤10天", "9天"),
                NegativeRule::Linear
            ),
            d("10")
        );
        assert_eq!(
            s(
                &ind(Direction::Negative, "10", "≤10", "25"),
                NegativeRule::Linear
            ),
            d("0")
        );
        assert!(
            indicator_score(
                &ind(Direction::Negative, "10", "≤0", "1"),
                NegativeRule::Linear
            )
            .is_err()
        );
    }

    #[test]
    fn equal_indicators() {
        let l = NegativeRule::Linear;
        assert_eq!(s(&ind(Direction::Equal, "5", "=0起", "0起"), l), d("5"));
        assert_eq!(s(&ind(Direction::Equal, "5", "=0起", "1起"), l), d("0"));
        assert_eq!(s(&ind(Direction::Equal, "5", "=100%", "90%"), l), d("4.5"));
        assert!(indicator_score(&ind(Direction::Equal, "5", "-1", "1"), l).is_err());
    }

    #[test]
    fn qualitative_bands() {
        let mut i = ind(Direction::Qualitative, "10", "", "");
        i.grade = Some(Grade::Achieved);
        for (score, grade, ok) in [
            ("8", Grade::Achieved, true),
            ("10", Grade::Achieved, true),
            ("7.9", Grade::Achieved, false),
            ("6", Grade::Partial, true),
            ("8", Grade::Partial, false),
            ("5.99", Grade::NotAchieved, true),
            ("6", Grade::NotAchieved, false),
            ("11", Grade::Achieved, false),
        ] {
            i.grade = Some(grade);
            i.given_score = Some(d(score));
            assert_eq!(
                indicator_score(&i, NegativeRule::Linear).is_ok(),
                ok,
                "{score} {grade:?}"
            );
        }
    }

    #[test]
    fn a_given_score_overrides_and_is_flagged() {
        let mut i = ind(Direction::Positive, "10", "≥2201套", "1981套");
        i.given_score = Some(d("9.5"));
        let r = indicator_score(&i, NegativeRule::Linear).unwrap();
        assert_eq!((r.score, r.overridden), (d("9.5"), true));
        i.given_score = Some(d("10.5"));
        assert!(indicator_score(&i, NegativeRule::Linear).is_err());
    }
}
