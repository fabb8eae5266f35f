//! Versions as packs and Wenshu write them: up to three numbers, `1.2.3` (`1.2` is `1.2.0`).

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
}

impl Version {
    /// Reads `1`, `1.2` or `1.2.3`; anything else (a letter, four numbers, an empty part) is
    /// not a version.
    pub fn parse(text: &str) -> Option<Version> {
        let parts: Vec<&str> = text.trim().split('.').collect();
        if parts.is_empty() || parts.len() > 3 {
            return None;
        }
        let mut numbers = [0u32; 3];
        for (slot, part) in numbers.iter_mut().zip(&parts) {
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) || part.len() > 9 {
                return None;
            }
            *slot = part.parse().ok()?;
        }
        Some(Version {
            major: numbers[0],
            minor: numbers[1],
            patch: numbers[2],
        })
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_read_and_order_by_number() {
        let v = |t: &str| Version::parse(t).unwrap_or_else(|| panic!("{t}"));
        assert_eq!(v("1.2").to_string(), "1.2.0");
        assert!(v("1.10.0") > v("1.9.9"), "numbers, not text");
        assert!(v("2") > v("1.99.99"));
        assert_eq!(v(" 0.9.0 "), v("0.9"));
        for bad in ["", "1.", "1.2.3.4", "v1.0", "1.-2", "1.2a", "9999999999"] {
            assert_eq!(Version::parse(bad), None, "{bad}");
        }
    }
}
