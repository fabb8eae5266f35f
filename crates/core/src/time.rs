//! Time as people read it: a Unix instant in milliseconds as the date and time on the clock of
//! a zone. China Standard Time (UTC+8) is the default for everything Wenshu shows, counts by day
//! or dates; a setting may name another fixed offset. Offsets are fixed because China keeps no
//! daylight saving time, and the zones a setting names are written as offsets too.

use std::fmt;
use std::str::FromStr;

use crate::document::Date;

const MS_PER_MINUTE: i64 = 60_000;
const MS_PER_DAY: i64 = 86_400_000;
/// Offsets are kept below a day, as ±HH:MM can write them.
const MAX_OFFSET_MINUTES: i32 = 24 * 60 - 1;

/// A zone as a fixed offset east of UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Zone {
    offset_minutes: i32,
}

impl Zone {
    pub const UTC: Zone = Zone { offset_minutes: 0 };
    /// China Standard Time, UTC+8: the default zone.
    pub const CHINA: Zone = Zone {
        offset_minutes: 8 * 60,
    };

    /// The zone `offset_minutes` east of UTC (negative: west), or `None` past ±23:59.
    pub fn from_offset_minutes(offset_minutes: i32) -> Option<Zone> {
        (offset_minutes.abs() <= MAX_OFFSET_MINUTES).then_some(Zone { offset_minutes })
    }

    /// Reads an offset written `±HH:MM`, e.g. `+08:00` or `-05:30`.
    pub fn parse(text: &str) -> Result<Zone, ZoneError> {
        let bad = || ZoneError {
            text: text.to_string(),
        };
        let (sign, rest) = match text.as_bytes().first() {
            Some(b'+') => (1, &text[1..]),
            Some(b'-') => (-1, &text[1..]),
            _ => return Err(bad()),
        };
        let two_digits = |s: &str| -> Option<i32> {
            (s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        };
        let (hours, minutes) = rest.split_once(':').ok_or_else(bad)?;
        let (hours, minutes) = (
            two_digits(hours).ok_or_else(bad)?,
            two_digits(minutes).ok_or_else(bad)?,
        );
        if hours > 23 || minutes > 59 {
            return Err(bad());
        }
        Ok(Zone {
            offset_minutes: sign * (hours * 60 + minutes),
        })
    }

    /// Minutes east of UTC.
    pub fn offset_minutes(self) -> i32 {
        self.offset_minutes
    }

    /// The date and time on this zone's clock at `unix_ms`.
    pub fn local(self, unix_ms: i64) -> LocalTime {
        LocalTime::at(unix_ms, i64::from(self.offset_minutes))
    }

    /// The calendar date in this zone at `unix_ms`, or `None` outside the years 1000–9999.
    pub fn date(self, unix_ms: i64) -> Option<Date> {
        self.local(unix_ms).date()
    }

    /// `unix_ms` as `YYYY-MM-DD HH:MM:SS` in this zone: how every front end shows a time.
    pub fn format(self, unix_ms: i64) -> String {
        self.local(unix_ms).to_string()
    }

    /// The local day of `unix_ms` as `YYYY-MM-DD`: the key usage is counted by.
    pub fn day(self, unix_ms: i64) -> String {
        self.local(unix_ms).iso_date()
    }

    /// The instant the local day `year-month-day` begins in this zone.
    pub fn date_start_ms(self, year: i32, month: u32, day: u32) -> i64 {
        // Howard Hinnant's days-from-civil algorithm.
        let y = i64::from(year) - i64::from(month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        let days = era * 146_097 + doe - 719_468;
        days * MS_PER_DAY - i64::from(self.offset_minutes) * MS_PER_MINUTE
    }

    /// The instant the local day of `unix_ms` began.
    pub fn day_start_ms(self, unix_ms: i64) -> i64 {
        let offset_ms = i64::from(self.offset_minutes) * MS_PER_MINUTE;
        (unix_ms + offset_ms).div_euclid(MS_PER_DAY) * MS_PER_DAY - offset_ms
    }
}

impl Default for Zone {
    fn default() -> Self {
        Zone::CHINA
    }
}

impl fmt::Display for Zone {
    /// `+08:00`, as [`Zone::parse`] reads it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.offset_minutes < 0 { '-' } else { '+' };
        let minutes = self.offset_minutes.abs();
        write!(f, "{sign}{:02}:{:02}", minutes / 60, minutes % 60)
    }
}

impl FromStr for Zone {
    type Err = ZoneError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Zone::parse(s)
    }
}

/// A zone that is not written `±HH:MM`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneError {
    pub text: String,
}

impl fmt::Display for ZoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "“{}” is not a time zone: write the offset from UTC as ±HH:MM, e.g. +08:00",
            self.text
        )
    }
}

impl std::error::Error for ZoneError {}

/// A date and time on a zone's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalTime {
    pub year: i64,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

impl LocalTime {
    /// The clock `offset_minutes` east of UTC at `unix_ms` (any offset, for
    /// [`Date::from_unix_ms`]).
    pub(crate) fn at(unix_ms: i64, offset_minutes: i64) -> LocalTime {
        let local_ms = unix_ms + offset_minutes * MS_PER_MINUTE;
        let days = local_ms.div_euclid(MS_PER_DAY);
        let seconds = local_ms.rem_euclid(MS_PER_DAY) / 1000;
        // Howard Hinnant's days-to-civil algorithm.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        // Each value is in range by the arithmetic above (month 1-12, day 1-31, a second of a day).
        let small = |v: i64| u8::try_from(v).unwrap_or(0);
        LocalTime {
            year,
            month: small(month),
            day: small(day),
            hour: small(seconds / 3600),
            minute: small(seconds % 3600 / 60),
            second: small(seconds % 60),
        }
    }

    /// The calendar date, or `None` outside the years 1000–9999.
    pub fn date(&self) -> Option<Date> {
        Date::new(u16::try_from(self.year).ok()?, self.month, self.day)
    }

    /// `YYYY-MM-DD`.
    pub fn iso_date(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl fmt::Display for LocalTime {
    /// `YYYY-MM-DD HH:MM:SS`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {:02}:{:02}:{:02}",
            self.iso_date(),
            self.hour,
            self.minute,
            self.second
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_begins_at_the_zones_midnight() {
        // 2024-03-20 10:00 China time.
        let at = 1_710_900_000_000;
        assert_eq!(
            Zone::CHINA.date_start_ms(2024, 3, 20),
            Zone::CHINA.day_start_ms(at)
        );
        assert_eq!(Zone::UTC.date_start_ms(1970, 1, 1), 0);
        assert_eq!(Zone::UTC.date_start_ms(2000, 3, 1), 951_868_800_000);
        assert_eq!(
            Zone::CHINA.day(Zone::CHINA.date_start_ms(2024, 2, 29)),
            "2024-02-29"
        );
    }

    /// The start of an audit row both front ends show: 2023-11-14 22:13:20 UTC.
    const AUDIT_ROW_MS: i64 = 1_700_000_000_000;

    #[test]
    fn instants_are_formatted_on_the_zone_clock() {
        for (case, zone, ms, expected) in [
            (
                "China, the default",
                Zone::CHINA,
                AUDIT_ROW_MS,
                "2023-11-15 06:13:20",
            ),
            ("UTC", Zone::UTC, AUDIT_ROW_MS, "2023-11-14 22:13:20"),
            ("the epoch in China", Zone::CHINA, 0, "1970-01-01 08:00:00"),
            ("before the epoch", Zone::UTC, -1, "1969-12-31 23:59:59"),
            (
                "leap day",
                Zone::UTC,
                1_709_224_200_000,
                "2024-02-29 16:30:00",
            ),
            (
                "leap day is 1 March in China",
                Zone::CHINA,
                1_709_224_200_000,
                "2024-03-01 00:30:00",
            ),
            (
                "a zone west of UTC",
                Zone::parse("-05:30").expect("zone"),
                AUDIT_ROW_MS,
                "2023-11-14 16:43:20",
            ),
        ] {
            assert_eq!(zone.format(ms), expected, "{case}: {ms} in {zone}");
        }
        assert_eq!(
            Zone::default(),
            Zone::CHINA,
            "China time is the default zone"
        );
    }

    #[test]
    fn local_days_and_their_start() {
        let zone = Zone::CHINA;
        assert_eq!(zone.day(AUDIT_ROW_MS), "2023-11-15", "the day in China");
        assert_eq!(Zone::UTC.day(AUDIT_ROW_MS), "2023-11-14", "the day in UTC");
        let start = zone.day_start_ms(AUDIT_ROW_MS);
        assert_eq!(
            zone.format(start),
            "2023-11-15 00:00:00",
            "the day starts at local midnight"
        );
        assert_eq!(
            zone.day_start_ms(start),
            start,
            "midnight starts its own day"
        );
        assert_eq!(
            zone.date(AUDIT_ROW_MS),
            Date::new(2023, 11, 15),
            "the calendar date"
        );
        assert_eq!(
            Zone::UTC.date(-1),
            Date::new(1969, 12, 31),
            "dates before the epoch"
        );
    }

    #[test]
    fn zones_are_read_as_offsets() {
        for (case, text, minutes) in [
            ("China", "+08:00", Some(480)),
            ("UTC", "+00:00", Some(0)),
            ("negative with minutes", "-09:30", Some(-570)),
            ("the largest", "+23:59", Some(1439)),
            ("no sign", "08:00", None),
            ("no minutes", "+08", None),
            ("one digit", "+8:00", None),
            ("hour out of range", "+24:00", None),
            ("minutes out of range", "+08:60", None),
            ("a name", "Asia/Shanghai", None),
            ("empty", "", None),
            ("spaces", " +08:00", None),
        ] {
            let got = Zone::parse(text).ok().map(Zone::offset_minutes);
            assert_eq!(got, minutes, "{case}: {text:?}");
        }
        for text in ["+08:00", "-09:30", "+00:00"] {
            let zone: Zone = text.parse().expect("zone");
            assert_eq!(zone.to_string(), text, "{text} is written back as read");
        }
        let err = Zone::parse("UTC+8").expect_err("not an offset");
        assert!(
            err.to_string().contains("UTC+8") && err.to_string().contains("±HH:MM"),
            "the error names the value and the form: {err}"
        );
        assert_eq!(Zone::from_offset_minutes(480), Some(Zone::CHINA));
        assert_eq!(Zone::from_offset_minutes(1440), None, "a day is too far");
    }
}
