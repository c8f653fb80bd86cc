//! The period a run covers (issue 9): its as-of date, whether that is the whole year, how much
//! of the year has passed (序时进度), and what is left of it.
//!
//! The as-of date is `[report] as_of` when the config gives one; else the last day of the month
//! of the last payment (exports are monthly: a year whose last payment is on 28 December is a
//! whole year, one whose last payment is on 28 June runs to 30 June).

use crate::config::ProgressBasis;
use crate::model::Date;
use rust_decimal::Decimal;

/// The days of each month of `year`.
pub fn days_in_months(year: i32) -> [u32; 12] {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ]
}

/// The period of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub as_of: Date,
    pub basis: ProgressBasis,
}

impl Period {
    /// The period for `year`: `configured`, else the end of the last payment's month, else the
    /// whole year.
    pub fn new(
        year: i32,
        basis: ProgressBasis,
        configured: Option<Date>,
        payment_dates: impl Iterator<Item = Date>,
    ) -> Period {
        let as_of = configured.unwrap_or_else(|| {
            let last = payment_dates.filter(|d| d.year == year).max();
            match last {
                Some(d) => Date {
                    year,
                    month: d.month,
                    day: days_in_months(year)[d.month as usize - 1],
                },
                None => Date {
                    year,
                    month: 12,
                    day: 31,
                },
            }
        });
        Period { as_of, basis }
    }

    /// Before the last day of the year.
    pub fn partial(&self) -> bool {
        (self.as_of.month, self.as_of.day) < (12, 31)
    }

    /// `（截至2023年6月30日）` for a partial year, empty for a whole one.
    pub fn title_suffix(&self) -> String {
        if self.partial() {
            format!("（截至{}）", self.date_text())
        } else {
            String::new()
        }
    }

    /// `2023年6月30日`.
    pub fn date_text(&self) -> String {
        format!(
            "{}年{}月{}日",
            self.as_of.year, self.as_of.month, self.as_of.day
        )
    }

    /// `6月30日`.
    pub fn short_date_text(&self) -> String {
        format!("{}月{}日", self.as_of.month, self.as_of.day)
    }

    /// The fraction of the year passed at the as-of date (序时进度 then): by days, or by
    /// months with the as-of month counted by its days (30 June → 6/12 either way by month).
    pub fn elapsed(&self) -> Decimal {
        let dim = days_in_months(self.as_of.year);
        let (m, d) = (self.as_of.month as usize, self.as_of.day);
        match self.basis {
            ProgressBasis::Month => {
                (Decimal::from(m as u32 - 1) + Decimal::from(d) / Decimal::from(dim[m - 1]))
                    / Decimal::from(12)
            }
            ProgressBasis::Day => {
                let before: u32 = dim[..m - 1].iter().sum();
                let total: u32 = dim.iter().sum();
                Decimal::from(before + d) / Decimal::from(total)
            }
        }
    }

    /// The months left in the year after the as-of date (fractional: 12 × (1 − elapsed)).
    pub fn months_left(&self) -> Decimal {
        Decimal::from(12) * (Decimal::ONE - self.elapsed())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period(m: u32, d: u32, basis: ProgressBasis) -> Period {
        Period {
            as_of: Date {
                year: 2023,
                month: m,
                day: d,
            },
            basis,
        }
    }

    #[test]
    fn elapsed_and_months_left() {
        let june = period(6, 30, ProgressBasis::Month);
        assert_eq!(june.elapsed(), Decimal::new(5, 1));
        assert_eq!(june.months_left(), Decimal::from(6));
        assert!(june.partial());
        assert_eq!(june.title_suffix(), "（截至2023年6月30日）");
        let year = period(12, 31, ProgressBasis::Month);
        assert_eq!(year.elapsed(), Decimal::ONE);
        assert!(!year.partial());
        assert_eq!(year.title_suffix(), "");
        // By days: 181 of 365 days at 30 June 2023.
        assert_eq!(
            period(6, 30, ProgressBasis::Day).elapsed(),
            Decimal::from(181) / Decimal::from(365)
        );
    }
}
