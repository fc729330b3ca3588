//! Times and numeric dates in a line (`11:04`, `23/10/2024`, `2026 - 01 - 31`, `۱۴۰۴/۰۷/۲۹`), in
//! any digit script, found one character at a time so that the walk over a line's characters
//! in [`super::features`] finds them with everything else it reads.

/// Exactly [`char::is_numeric`], with the Arabic block (Persian and Arabic letters, the bulk of
/// many corpora) answered from its two digit ranges instead of a search of the Unicode tables,
/// which was a tenth of a whole `scan`'s time. The test below checks every character.
#[inline(always)]
pub(super) fn is_numeric(c: char) -> bool {
    match c {
        '0'..='9' => true,
        '\0'..='\u{7f}' => false,
        '\u{0600}'..='\u{06ff}' => {
            matches!(c, '\u{0660}'..='\u{0669}' | '\u{06f0}'..='\u{06f9}')
        }
        _ => c.is_numeric(),
    }
}

/// Finds a time (`11:04`) or a numeric date (`23/10/2024`, `2026-01-31`, `2026 - 01 - 31`), in
/// any digit script, one character at a time: groups of digits and the separator after each,
/// of which only the last three matter.
#[derive(Default)]
pub(super) struct ClockOrDate {
    /// The last three groups (digits in group, separator after it), oldest first.
    groups: [(usize, char); 3],
    /// Groups since the last reset (only whether it reaches 2 and 3 matters).
    count: usize,
    digits: usize,
    pending: Option<char>,
    found: bool,
}

impl ClockOrDate {
    fn push_group(&mut self, group: (usize, char)) {
        self.groups = [self.groups[1], self.groups[2], group];
        self.count += 1;
    }

    /// The group `back` places from the newest (0 = newest).
    fn group(&self, back: usize) -> (usize, char) {
        self.groups[2 - back]
    }

    /// A visible character that is not a digit nor a separator of digits: it breaks any date.
    #[inline(always)]
    pub(super) fn plain(&mut self) {
        self.digits = 0;
        self.pending = None;
        self.count = 0;
    }

    #[inline(always)]
    pub(super) fn push(&mut self, c: char, space: bool) {
        if self.found {
            return;
        }
        if is_numeric(c) {
            if self.digits == 0 {
                if let Some(sep) = self.pending.take() {
                    if self.count > 0 {
                        self.groups[2].1 = sep;
                    }
                } else {
                    self.count = 0;
                }
            }
            self.digits += 1;
        } else {
            if self.digits > 0 {
                self.push_group((self.digits, ' '));
                self.digits = 0;
                self.pending = None;
            }
            if matches!(c, ':' | '/' | '-' | '.' | '٫') {
                self.pending = Some(c);
            } else if !space {
                self.pending = None;
                self.count = 0;
            }
        }
        if self.count >= 2 {
            let (a, sep) = self.group(1);
            let (b, _) = self.group(0);
            if sep == ':' && a <= 2 && b == 2 {
                self.found = true;
                return;
            }
            if self.count >= 3 {
                let (x, s1) = self.group(2);
                if s1 == sep
                    && s1 != ':'
                    && s1 != '.'
                    && x.max(b) >= 2
                    && (x == 4 || b == 4)
                    && a <= 2
                {
                    self.found = true;
                }
            }
        }
    }

    pub(super) fn finish(mut self) -> bool {
        if self.found {
            return true;
        }
        if self.digits > 0 {
            self.push_group((self.digits, ' '));
            if self.count >= 2 {
                let (a, sep) = self.group(1);
                if sep == ':' && a <= 2 && self.group(0).0 == 2 {
                    return true;
                }
            }
            if self.count >= 3 {
                let (x, s1) = self.group(2);
                let (a, s2) = self.group(1);
                let b = self.group(0).0;
                if s1 == s2 && s1 != ':' && s1 != '.' && (x == 4 || b == 4) && a <= 2 {
                    return true;
                }
            }
        }
        false
    }
}

/// Whether `line` holds a time or a numeric date (see [`ClockOrDate`]).
#[cfg(test)]
pub(super) fn has_clock_or_date(line: &str) -> bool {
    let mut clock = ClockOrDate::default();
    for c in line.chars() {
        clock.push(c, c.is_whitespace());
    }
    clock.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_numeric_test_agrees_with_unicode_on_every_character() {
        for c in (0..=0x10ffffu32).filter_map(char::from_u32) {
            assert_eq!(super::is_numeric(c), c.is_numeric(), "{c:?}");
        }
    }

    #[test]
    fn times_and_numeric_dates_are_found_in_any_script() {
        assert!(has_clock_or_date("بینالملل 11:04 - 29 مهر 1404"));
        assert!(has_clock_or_date("قسم العلاقات الدولية 23/10/2024"));
        assert!(has_clock_or_date("2026 - 01 - 31"));
        assert!(has_clock_or_date("۱۴۰۴/۰۷/۲۹"));
        assert!(!has_clock_or_date("تجارت دوجانبه در سال ۲۰۲۵ رشد"));
        assert!(!has_clock_or_date("version 1.2.3 and 3.14"));
    }
}
