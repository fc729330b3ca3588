//! The languages chaff knows by name: those with hand-made word lists for chrome line features
//! ([`crate::chrome`]) and those the corpus generator writes ([`crate::generate`]), one type
//! for both so a generated document's language is the one its lines are judged in.

use serde::{Deserialize, Serialize};

/// A language chaff has hand-made word lists for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Persian.
    Fa,
    /// Arabic.
    Ar,
    /// English.
    En,
}

impl Lang {
    /// The languages in a fixed order: the index of a language in per-language arrays and the
    /// order of generator mixes.
    pub const ALL: [Lang; 3] = [Lang::Fa, Lang::Ar, Lang::En];

    /// Position in [`Lang::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The ISO 639-1 code (`fa`, `ar`, `en`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fa => "fa",
            Lang::Ar => "ar",
            Lang::En => "en",
        }
    }

    /// Parses an ISO 639-1 code (surrounding white space ignored).
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code.trim())
    }

    /// Whether the language is written right to left in Arabic script.
    pub fn is_rtl(self) -> bool {
        !matches!(self, Lang::En)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_index_is_the_position_in_all() {
        for (i, lang) in Lang::ALL.into_iter().enumerate() {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
            assert_eq!(lang.index(), i);
        }
        assert_eq!(Lang::from_code(" fa "), Some(Lang::Fa));
        assert_eq!(Lang::from_code("de"), None);
    }
}
