//! The indicator sheet's row parser (SPEC §2.2 绩效指标): a note, the 财政部 template's
//! 预算执行 row (computed from the ledgers), or an indicator with its parsed values — a unit's
//! 部门整体 indicator, or a project's (SPEC §10).

use super::*;

impl<'a> RowCtx<'a> {
    /// A row of an indicator sheet that is not a total or the header again.
    pub(super) fn indicator_row(
        &mut self,
        r: u32,
        first_text: &str,
        is_note_text: bool,
        out: &mut SheetResult,
    ) {
        if is_note_text || self.unit_text(r).is_empty() && self.text(r, Field::Name).is_empty() {
            out.notes.push((r + 1, first_text.to_string()));
            return;
        }
        // The 财政部 template's 预算执行 row: that part is computed from the ledgers.
        if norm(&self.text(r, Field::Level1)).starts_with("预算执行") {
            out.notes.push((r + 1, first_text.to_string()));
            out.problems.push(
                Problem::warning("预算执行得分由支出明细和预算指标计算，表中此行已忽略").at(
                    &self.file,
                    &self.sheet_name,
                    r + 1,
                    self.col(Field::Level1),
                ),
            );
            return;
        }
        self.indicator(r, self.prov(r), out);
    }

    fn indicator(&mut self, r: u32, prov: Prov, out: &mut SheetResult) {
        let mut errs: Vec<(Option<u32>, String)> = Vec::new();
        let unit = self.indicator_unit(r, &mut errs);
        let project_name = match (&self.title_project_name, self.col(Field::Project)) {
            (Some(name), None) => name.clone(),
            _ => self.text(r, Field::Project).trim().to_string(),
        };
        let level1 = parse_level1(&self.text(r, Field::Level1))
            .map_err(|e| errs.push((self.col(Field::Level1), e)))
            .ok();
        let name = self.text(r, Field::Name);
        if name.is_empty() {
            errs.push((self.col(Field::Name), "指标名称为空".into()));
        }
        let points = self.points(r, &mut errs);
        let direction = parse_direction(&self.text(r, Field::Direction))
            .map_err(|e| errs.push((self.col(Field::Direction), e)))
            .ok();
        let target_text = self.text(r, Field::Target);
        let actual_text = self.text(r, Field::Actual);
        let quantitative = direction.is_some_and(|d| d != Direction::Qualitative);
        let number = |text: &str, f: Field, label: &str, errs: &mut Vec<(Option<u32>, String)>| {
            if !quantitative {
                return parse_indicator_number(text);
            }
            if self.col(f).is_none() || text.is_empty() {
                errs.push((self.col(f), format!("定量指标的{label}为空")));
                return None;
            }
            let v = parse_indicator_number(text);
            if v.is_none() {
                errs.push((self.col(f), format!("{label}“{text}”无法读出数字")));
            }
            v
        };
        let target = number(&target_text, Field::Target, "目标值", &mut errs);
        let actual = number(&actual_text, Field::Actual, "完成值", &mut errs);
        let grade = parse_grade(&self.text(r, Field::Grade))
            .map_err(|e| errs.push((self.col(Field::Grade), e)))
            .ok()
            .flatten();
        let given_score = self.given_score(r, direction, grade, &mut errs);
        if !errs.is_empty() {
            self.reject(out, prov, Kind::Indicators, errs, None, None, r);
            return;
        }
        if let (Some(unit), Some(level1), Some(points), Some(direction)) =
            (unit, level1, points, direction)
        {
            out.indicators.push(Indicator {
                prov,
                unit,
                level1,
                level2: self.text(r, Field::Level2),
                name,
                points,
                direction,
                target_text,
                actual_text,
                target,
                actual,
                grade,
                given_score,
                reason: self.text(r, Field::Reason),
                project: project_key(&project_name),
                project_name,
                goal: self.text(r, Field::Goal),
                achieved: self.text(r, Field::Achieved),
            });
        }
    }

    /// An indicator row's unit: its 单位名称 cell, or the sheet's `单位名称：…` title line.
    fn indicator_unit(&self, r: u32, errs: &mut Vec<(Option<u32>, String)>) -> Option<usize> {
        let unit_text = self.unit_text(r);
        if unit_text.is_empty() {
            errs.push((self.col(Field::Unit), "单位名称为空".into()));
            return None;
        }
        match self.units.find(&unit_text, "") {
            Ok(u) => Some(u),
            Err(_) => {
                errs.push((
                    self.col(Field::Unit),
                    format!("单位名称“{unit_text}”未在配置中"),
                ));
                None
            }
        }
    }

    /// An indicator's 分值: a number (or text that reads as one), not negative.
    fn points(&self, r: u32, errs: &mut Vec<(Option<u32>, String)>) -> Option<Decimal> {
        let cell = self.get(r, Field::Points);
        match parse_plain_number(cell).or_else(|| parse_indicator_number(&cell_text(cell))) {
            Some(p) if p >= Decimal::ZERO => Some(p),
            _ => {
                errs.push((
                    self.col(Field::Points),
                    format!("分值“{}”不是有效数字", cell_text(cell)),
                ));
                None
            }
        }
    }

    /// A given 自评得分 (optional, but required with its 完成等级 on a 定性 indicator).
    fn given_score(
        &self,
        r: u32,
        direction: Option<Direction>,
        grade: Option<Grade>,
        errs: &mut Vec<(Option<u32>, String)>,
    ) -> Option<Decimal> {
        let score_cell = self.get(r, Field::Score);
        let given_score = if is_blank(score_cell) {
            None
        } else {
            let v = parse_plain_number(score_cell);
            if v.is_none() {
                errs.push((
                    self.col(Field::Score),
                    format!("得分“{}”不是数字", cell_text(score_cell)),
                ));
            }
            v
        };
        if direction == Some(Direction::Qualitative) {
            if grade.is_none() && errs.iter().all(|e| e.0 != self.col(Field::Grade)) {
                errs.push((self.col(Field::Grade), "定性指标缺少完成等级".into()));
            }
            if given_score.is_none() && is_blank(score_cell) {
                errs.push((self.col(Field::Score), "定性指标缺少得分".into()));
            }
        }
        given_score
    }
}
