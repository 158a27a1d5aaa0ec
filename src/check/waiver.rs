//! Waivers: which approved, time-limited decision decides about a gap.

use chrono::NaiveDate;

use crate::model::{GapKey, Waiver};

/// The waiver that decides about `key`: among those that match, an unexpired one if any
/// (most specific first), else the most specific expired one.
pub fn deciding_waiver<'w>(
    waivers: &'w [Waiver],
    key: &GapKey,
    today: NaiveDate,
) -> Option<&'w Waiver> {
    let best = |expired: bool| {
        waivers
            .iter()
            .filter(|w| w.is_expired(today) == expired && w.gap.matches(key))
            .max_by(|a, b| {
                a.gap
                    .specificity()
                    .cmp(&b.gap.specificity())
                    .then_with(|| b.place.cmp(&a.place))
            })
    };
    best(false).or_else(|| best(true))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{GapPattern, OwnerId, Place};

    fn key(text: &str) -> GapKey {
        text.parse().unwrap()
    }

    fn waiver(gap: &str, expires: &str, line: usize) -> Waiver {
        Waiver {
            gap: GapPattern::parse(gap).unwrap(),
            reason: "r".into(),
            approved_by: OwnerId::new("board"),
            expires: NaiveDate::parse_from_str(expires, "%Y-%m-%d").unwrap(),
            place: Place {
                path: "waivers.yaml".into(),
                line,
                column: 7,
            },
        }
    }

    #[test]
    fn an_unexpired_waiver_beats_a_more_specific_expired_one() {
        let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let waivers = [
            waiver("uncovered:demo@2.0:DSO-2-01", "2026-01-31", 1),
            waiver("uncovered:demo@2.0:DSO-*", "2026-12-31", 5),
        ];
        let chosen = deciding_waiver(&waivers, &key("uncovered:demo@2.0:DSO-2-01"), today).unwrap();
        assert_eq!(chosen.place.line, 5);
        let expired_only = &waivers[..1];
        let chosen =
            deciding_waiver(expired_only, &key("uncovered:demo@2.0:DSO-2-01"), today).unwrap();
        assert!(chosen.is_expired(today));
        assert!(deciding_waiver(&waivers, &key("partial:demo@2.0:DSO-2-01"), today).is_none());
    }
}
