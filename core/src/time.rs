//! Real dates and times: RFC 3339 instants, IANA zones, local calendar days.
//!
//! "Local date" (docs/format.md) is the date in the case's `timezone` when given, otherwise in
//! the offset written in `opened_at`. Day boundaries are computed in that zone, so a day that
//! springs forward is 23 hours long and one that falls back is 25.

use chrono::{
    DateTime, Duration, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, TimeZone, Utc,
};
use chrono_tz::Tz;

/// An instant with the offset it was written in.
pub type Timestamp = DateTime<FixedOffset>;

/// Parse an RFC 3339 timestamp; an offset (or `Z`) is required.
pub(crate) fn parse_timestamp(text: &str) -> Result<Timestamp, String> {
    // As for dates: the plain form every export writes is read directly (chrono's parser was
    // the largest part of reading a record after JSON itself); anything else goes to chrono.
    if let Some(t) = plain_timestamp(text.as_bytes()) {
        return Ok(t);
    }
    // A year past 9999 (or before 0) is written with a sign and five digits or more, as
    // `format_timestamp` writes it ("+10000-01-01T00:00:00Z"): what the engine writes, it reads.
    let signed_year =
        text.strip_prefix(['+', '-']).is_some_and(|rest| rest.bytes().take_while(u8::is_ascii_digit).count() > 4);
    if signed_year {
        let utc = text.strip_suffix('Z').and_then(|t| NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f").ok());
        if let Some(t) = utc
            .map(|t| t.and_utc().fixed_offset())
            .or_else(|| DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f%:z").ok())
        {
            return Ok(t);
        }
    }
    DateTime::parse_from_rfc3339(text.trim()).map_err(|e| {
        format!(
            "\"{text}\" is not an RFC 3339 timestamp with an offset ({e}); expected e.g. \"2026-11-20T09:15:00-05:00\""
        )
    })
}

/// A `now` argument that is not an RFC 3339 timestamp with an offset.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("now: {0}")]
pub struct NowError(pub String);

/// Parse a `now` argument.
pub fn parse_now(text: &str) -> Result<Timestamp, NowError> {
    parse_timestamp(text).map_err(NowError)
}

/// Parse a calendar date `YYYY-MM-DD`.
pub(crate) fn parse_date(text: &str) -> Result<NaiveDate, String> {
    // Nearly every date is written exactly so: read it without chrono's general format parser
    // (a quarter of the time spent reading a record went there). Anything else, valid or not,
    // takes chrono's path below, which also words the error.
    if let Some(date) = plain_date(text.as_bytes()) {
        return Ok(date);
    }
    text.trim()
        .parse::<NaiveDate>()
        .ok()
        .filter(|_| text.trim().len() == 10)
        .ok_or("expected YYYY-MM-DD")
        .map_err(|e| format!("\"{text}\" is not a date YYYY-MM-DD ({e}); expected e.g. \"2026-11-21\""))
}

/// `YYYY-MM-DD` with no sign, space or other decoration, as a valid calendar date.
fn plain_date(text: &[u8]) -> Option<NaiveDate> {
    let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = *text else { return None };
    let year = decimal(&[y0, y1, y2, y3])?;
    NaiveDate::from_ymd_opt(year as i32, decimal(&[m0, m1])?, decimal(&[d0, d1])?)
}

/// ASCII digits as a number; None if any byte is not a digit.
fn decimal(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0u32, |n, &d| d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0')))
}

/// `YYYY-MM-DDTHH:MM:SS` then `Z` or `±HH:MM`: no fraction, no leap second, no lower-case or
/// space separator (chrono reads those).
fn plain_timestamp(text: &[u8]) -> Option<Timestamp> {
    let [date @ .., b'T', h0, h1, b':', m0, m1, b':', s0, s1] = text.get(..19)? else { return None };
    let time = NaiveTime::from_hms_opt(decimal(&[*h0, *h1])?, decimal(&[*m0, *m1])?, decimal(&[*s0, *s1])?)?;
    let offset_seconds = match text[19..] {
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), h0, h1, b':', m0, m1] => {
            let minutes = decimal(&[m0, m1]).filter(|m| *m < 60)?;
            let seconds = (decimal(&[h0, h1])? * 60 + minutes) as i32 * 60;
            if sign == b'-' {
                -seconds
            } else {
                seconds
            }
        }
        _ => return None,
    };
    let offset = FixedOffset::east_opt(offset_seconds)?;
    // What `offset.from_local_datetime(..).single()` does, without its general result type.
    let utc = plain_date(date)?.and_time(time).checked_sub_offset(offset)?;
    Some(DateTime::from_naive_utc_and_offset(utc, offset))
}

/// Format an instant as RFC 3339 (seconds precision unless the instant has fractions).
pub fn format_timestamp(t: &Timestamp) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

/// `t + d`, saturating at the last (or first) instant chrono represents instead of panicking.
/// Every deadline is computed so: policy thresholds are bounded (see `policy`), yet an instant
/// near the end of the calendar plus any interval must still give an answer, never a panic.
pub(crate) fn add_saturating(t: Timestamp, d: Duration) -> Timestamp {
    t.checked_add_signed(d).unwrap_or_else(|| {
        // The edge, moved in by the offset so that the local time is representable too.
        let offset = Duration::seconds(i64::from(t.offset().local_minus_utc()));
        let edge = if d < Duration::zero() {
            NaiveDateTime::MIN - offset.min(Duration::zero())
        } else {
            NaiveDateTime::MAX - offset.max(Duration::zero())
        };
        Utc.from_utc_datetime(&edge).with_timezone(t.offset())
    })
}

/// A timestamp written without an offset (`2026-04-11 08:00`, `2026-04-11T08:00:00.5`): its
/// local date and time, to say what to write instead.
pub(crate) fn parse_naive(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim();
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
}

/// What to write in `field` for a local time in `zone`: the timestamp; where the clocks go back
/// (the time happens twice) both; where they go forward (it never happens) why none.
pub(crate) fn offset_hint(zone: &Zone, local: NaiveDateTime, field: &str) -> String {
    let (found, name) = match zone {
        Zone::Iana(tz) => (tz.from_local_datetime(&local).map(|t| t.fixed_offset()), tz.name().to_string()),
        Zone::Fixed(off) => (off.from_local_datetime(&local), off.to_string()),
    };
    let clock = local.format("%H:%M on %Y-%m-%d");
    match found {
        LocalResult::Single(t) => format!("{field}: {}", format_timestamp(&t)),
        LocalResult::Ambiguous(first, second) => format!(
            "{field}: {} or {} ({clock} happens twice in {name}: the clocks go back)",
            format_timestamp(&first),
            format_timestamp(&second)
        ),
        LocalResult::None => {
            format!("{clock} does not exist in {name} (the clocks go forward): write {field} with the offset meant")
        }
    }
}

/// The current time, as a UTC-offset timestamp.
pub(crate) fn now_utc() -> Timestamp {
    Utc::now().fixed_offset()
}

/// The zone in which a case's local dates are counted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Zone {
    /// An IANA time zone (the record's `timezone`): offsets change with daylight saving.
    Iana(Tz),
    /// A fixed offset (that of `opened_at`, when the record names no zone).
    Fixed(FixedOffset),
}

impl Zone {
    /// Express an instant in this zone.
    pub fn localize(&self, t: &Timestamp) -> Timestamp {
        match self {
            Zone::Iana(tz) => t.with_timezone(tz).fixed_offset(),
            Zone::Fixed(off) => t.with_timezone(off),
        }
    }

    /// The local calendar date of an instant.
    pub fn local_date(&self, t: &Timestamp) -> NaiveDate {
        self.localize(t).date_naive()
    }

    /// The first instant of a local calendar day. Where midnight falls in a DST gap, the day
    /// starts at the first local time that exists.
    pub(crate) fn start_of_day(&self, date: NaiveDate) -> Timestamp {
        let midnight = NaiveDateTime::new(date, NaiveTime::MIN);
        match self {
            Zone::Fixed(off) => off.from_local_datetime(&midnight).single().expect("fixed offsets are unambiguous"),
            Zone::Iana(tz) => {
                let mut local = midnight;
                // A gap is at most a few hours; step in quarter hours until the clock exists.
                for _ in 0..=4 * 24 {
                    match tz.from_local_datetime(&local) {
                        LocalResult::Single(t) => return t.fixed_offset(),
                        LocalResult::Ambiguous(earliest, _) => return earliest.fixed_offset(),
                        LocalResult::None => local += Duration::minutes(15),
                    }
                }
                self.localize(&Utc.from_utc_datetime(&midnight).fixed_offset())
            }
        }
    }

    /// The first instant after a local calendar day (the start of the next one).
    pub(crate) fn end_of_day(&self, date: NaiveDate) -> Timestamp {
        match date.succ_opt() {
            Some(next) => self.start_of_day(next),
            None => add_saturating(self.start_of_day(date), Duration::days(1)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain-date shortcut gives what chrono's parser gives, for dates and near misses.
    #[test]
    fn plain_dates_read_as_chrono_reads_them() {
        let chrono_only = |t: &str| t.trim().parse::<NaiveDate>().ok().filter(|_| t.trim().len() == 10);
        for text in [
            "2026-11-21",
            "2024-02-29",
            "2026-02-29",
            "2026-13-01",
            "2026-00-10",
            "0000-01-01",
            "9999-12-31",
            "2026-1-021",
            "+026-11-21",
            " 2026-11-2",
            "2026/11/21",
            "2026-11-2x",
        ] {
            assert_eq!(parse_date(text).ok(), chrono_only(text), "{text}");
        }
        proptest::proptest!(|(text in "[0-9+ -]{10}|[0-9]{4}-[01][0-9]-[0-3][0-9]")| {
            proptest::prop_assert_eq!(parse_date(&text).ok(), chrono_only(&text));
        });
    }

    /// The plain-timestamp shortcut gives what chrono's RFC 3339 parser gives (the instant
    /// and the offset), for timestamps and near misses.
    #[test]
    fn plain_timestamps_read_as_chrono_reads_them() {
        let chrono_only = |t: &str| DateTime::parse_from_rfc3339(t.trim()).ok();
        let both = |t: &str| {
            let ours = parse_timestamp(t).ok();
            assert_eq!(ours, chrono_only(t), "{t}");
            assert_eq!(
                ours.map(|t| t.offset().local_minus_utc()),
                chrono_only(t).map(|t| t.offset().local_minus_utc()),
                "{t}"
            );
        };
        for text in [
            "2026-11-20T09:15:00-05:00",
            "2026-11-20T09:15:00Z",
            "2026-11-20T23:59:59+14:00",
            "2026-11-20T00:00:00-00:00",
            "2026-11-20T24:00:00Z",
            "2026-11-20T09:60:00Z",
            "2026-11-20T09:15:60Z",
            "2026-02-30T09:15:00Z",
            "2026-11-20T09:15:00+24:00",
            "2026-11-20T09:15:00+05:60",
            "2026-11-20t09:15:00z",
            "2026-11-20 09:15:00Z",
            "2026-11-20T09:15:00.250Z",
            "2026-11-20T09:15:00",
            "2026-11-20T09:15:00+0500",
            " 2026-11-20T09:15:00Z",
            "2026-11-20T9:15:00Z",
        ] {
            both(text);
        }
        proptest::proptest!(|(text in "[0-9]{4}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-6][0-9]:[0-6][0-9](Z|[+-][0-2][0-9]:[0-6][0-9])|[0-9TZ:+-]{20,25}")| {
            both(&text);
        });
    }

    #[test]
    fn local_date_uses_iana_zone() {
        let t = parse_timestamp("2026-11-21T03:30:00Z").unwrap();
        let ny = Zone::Iana(chrono_tz::America::New_York);
        assert_eq!(ny.local_date(&t), NaiveDate::from_ymd_opt(2026, 11, 20).unwrap());
        let utc = Zone::Fixed(FixedOffset::east_opt(0).unwrap());
        assert_eq!(utc.local_date(&t), NaiveDate::from_ymd_opt(2026, 11, 21).unwrap());
    }

    #[test]
    fn dst_days_have_real_lengths() {
        let ny = Zone::Iana(chrono_tz::America::New_York);
        let spring = NaiveDate::from_ymd_opt(2026, 3, 8).unwrap();
        let fall = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        assert_eq!((ny.end_of_day(spring) - ny.start_of_day(spring)).num_hours(), 23);
        // The calendar's last day ends at chrono's last instant, not in a panic.
        assert!(ny.end_of_day(NaiveDate::MAX) > ny.start_of_day(NaiveDate::MAX));
        assert_eq!((ny.end_of_day(fall) - ny.start_of_day(fall)).num_hours(), 25);
    }

    #[test]
    fn day_boundaries_are_in_the_zones_offset_at_that_instant() {
        // Deadlines are shown as they come (no second localize): the end of the day before a
        // change is already in the new offset, as localizing the instant would give.
        let ny = Zone::Iana(chrono_tz::America::New_York);
        for (day, shown) in [
            ((2026, 3, 7), "2026-03-08T00:00:00-05:00"),
            ((2026, 3, 8), "2026-03-09T00:00:00-04:00"),
            ((2026, 10, 31), "2026-11-01T00:00:00-04:00"),
            ((2026, 11, 1), "2026-11-02T00:00:00-05:00"),
        ] {
            let end = ny.end_of_day(NaiveDate::from_ymd_opt(day.0, day.1, day.2).unwrap());
            assert_eq!(format_timestamp(&end), shown);
            assert_eq!(format_timestamp(&ny.localize(&end)), shown);
        }
        let fixed = Zone::Fixed(FixedOffset::east_opt(5 * 3600 + 30 * 60).unwrap());
        let end = fixed.end_of_day(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
        assert_eq!(format_timestamp(&end), "2027-01-01T00:00:00+05:30");
    }

    #[test]
    fn midnight_in_a_gap_starts_the_day_at_the_first_existing_time() {
        // Chile springs forward at midnight: 2026-09-06 00:00 does not exist in Santiago.
        let santiago = Zone::Iana(chrono_tz::America::Santiago);
        let day = NaiveDate::from_ymd_opt(2026, 9, 6).unwrap();
        let start = santiago.start_of_day(day);
        assert_eq!(start.date_naive(), day);
        assert!(santiago.end_of_day(day) > start);
    }

    #[test]
    fn timestamps_need_an_offset() {
        assert!(parse_timestamp("2026-11-20T09:15:00").is_err());
        assert!(parse_timestamp("2026-11-20T09:15:00-05:00").is_ok());
        assert!(parse_date("2026-02-30").is_err());
    }
}
