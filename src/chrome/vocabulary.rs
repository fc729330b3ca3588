//! Words whose presence in a line is evidence of chrome or of content, learned from the labeled
//! pages (`scripts/chrome_dev/train.py`) and shipped inside the line model.
//!
//! The hand-made lists of [`super::lexicon`] know a few dozen interface words in three
//! languages. What the labeled pages show is broader: "newsletter", "privacy", "advertise",
//! "trending" sit in chrome on site after site, "although", "described", "eventually" in
//! articles. A word is weighed only when it occurs on the labeled lines of many sites (train.py
//! asks 20), so that no site's own menu or topic becomes a rule, and its weight is the log-odds
//! of the sites that carry it in chrome against those that carry it in content. Tokens with a
//! digit or of fewer than three characters are never weighed ([`is_word`]).
//!
//! The line model's weights of these inputs are fitted after its other weights, as a
//! correction with those held fixed (train.py, `vocabulary_corrections`): a page none of whose
//! words the vocabulary knows (a language the labeled pages lack) scores exactly as it would
//! without it.

use nohash_hasher::IntMap;
use serde::{Deserialize, Serialize};

/// Weights are stored in this fraction of a unit of log-odds: an `i8` then spans ±3.97, the
/// range train.py clips weights to, and a line's inputs computed in Rust and in Python from the
/// same integers agree exactly.
pub const VOCABULARY_SCALE: f64 = 32.0;

/// The weighed words of a line model, by token hash (tokens folded by the default
/// [`crate::text::Normalizer`], as the line features read them).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "VocabularyFile", into = "VocabularyFile")]
pub struct Vocabulary {
    weights: IntMap<u64, i8>,
}

/// How a vocabulary is written in a model file: two arrays of equal length.
#[derive(Serialize, Deserialize)]
struct VocabularyFile {
    /// Token hashes.
    hashes: Vec<u64>,
    /// Their weights, in units of 1/[`VOCABULARY_SCALE`] of log-odds.
    weights: Vec<i8>,
}

impl TryFrom<VocabularyFile> for Vocabulary {
    type Error = String;

    fn try_from(file: VocabularyFile) -> Result<Self, String> {
        if file.hashes.len() != file.weights.len() {
            return Err(format!(
                "the vocabulary has {} hashes and {} weights",
                file.hashes.len(),
                file.weights.len()
            ));
        }
        Ok(Vocabulary {
            weights: file.hashes.into_iter().zip(file.weights).collect(),
        })
    }
}

impl From<Vocabulary> for VocabularyFile {
    fn from(v: Vocabulary) -> Self {
        // Sorted, so that a model written twice is the same file.
        let mut pairs: Vec<(u64, i8)> = v.weights.into_iter().collect();
        pairs.sort_unstable();
        let (hashes, weights) = pairs.into_iter().unzip();
        VocabularyFile { hashes, weights }
    }
}

impl Vocabulary {
    /// The weight of the token with hash `hash`, if the vocabulary weighs it.
    #[inline]
    pub(crate) fn weight(&self, hash: u64) -> Option<i8> {
        if self.weights.is_empty() {
            return None;
        }
        self.weights.get(&hash).copied()
    }

    /// How many words it weighs.
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    /// Whether it weighs no word (models fitted before it existed): every line's vocabulary
    /// inputs are then zero.
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }
}

/// Whether the token `t` of `line` is a word the vocabulary may weigh: no digit (years and
/// clock times date the pages the vocabulary was learned on) and three characters or more.
/// Shorter tokens are shared by languages by accident (Turkish "ve" and the "ve" of English
/// "I've", "de", "la", "no"), and a weight learned on English pages would reach the others
/// through them.
#[inline]
pub(crate) fn is_word(line: &str, t: &crate::text::Token, digits: crate::text::Digits) -> bool {
    let bytes = t.end - t.start;
    !digits.any() && bytes >= 3 && (bytes >= 12 || line[t.start..t.end].chars().count() >= 3)
}

/// What the vocabulary says of one line: how many of its words (tokens without a digit) there
/// are, how many of them it weighs, and the sum, least and greatest of their weights.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Weighed {
    pub(crate) words: u32,
    pub(crate) known: u32,
    pub(crate) sum: i32,
    pub(crate) min: i8,
    pub(crate) max: i8,
}

impl Weighed {
    /// Counts one more word, weighed `w` or not weighed (`None`).
    #[inline]
    pub(crate) fn push(&mut self, w: Option<i8>) {
        self.words += 1;
        if let Some(w) = w {
            self.add(w);
        }
    }

    /// Counts one more weighed word.
    #[inline]
    fn add(&mut self, w: i8) {
        if self.known == 0 {
            self.min = w;
            self.max = w;
        } else {
            self.min = self.min.min(w);
            self.max = self.max.max(w);
        }
        self.known += 1;
        self.sum += w as i32;
    }

    /// The line model's four inputs: the mean, least and greatest weight in log-odds (zero
    /// when no word is weighed), and the share of the words weighed. The share tells a line of
    /// words the vocabulary does not know (a language the labeled pages lack) from one whose
    /// known words weigh nothing either way, so that the weights fitted where words are known
    /// do not carry over to where none is.
    pub(crate) fn inputs(&self) -> [f64; 4] {
        if self.known == 0 {
            return [0.0; 4];
        }
        [
            self.sum as f64 / self.known as f64 / VOCABULARY_SCALE,
            self.min as f64 / VOCABULARY_SCALE,
            self.max as f64 / VOCABULARY_SCALE,
            self.known as f64 / self.words as f64,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Normalizer;

    #[test]
    fn the_shipped_vocabulary_weighs_site_words_as_chrome_and_discourse_words_as_content() {
        let model = crate::chrome::LineModel::builtin();
        let v = &model.vocabulary;
        assert!(v.len() > 300, "{} words", v.len());
        let n = Normalizer::default();
        let weight = |word: &str| {
            let mut hash = 0;
            n.for_each_token(word, |t| hash = t.hash);
            v.weight(hash)
        };
        for word in ["Newsletter", "privacy", "subscribe", "advertisement"] {
            assert!(
                weight(word).is_some_and(|w| w >= 32),
                "{word}: {:?}",
                weight(word)
            );
        }
        for word in ["although", "eventually", "described"] {
            assert!(
                weight(word).is_some_and(|w| w <= -32),
                "{word}: {:?}",
                weight(word)
            );
        }
        // A token holding a digit is never weighed: years and times date the labeled pages.
        let line = |text: &str| super::super::features::features(text, &n, v).vocab;
        let plain = line("Subscribe to our newsletter");
        assert!(plain.known > 0 && plain.sum > 0);
        assert_eq!(line("Subscribe to our newsletter 2019 10:30"), plain);
    }

    #[test]
    fn a_model_file_round_trips_and_a_ragged_one_is_refused() {
        let v: Vocabulary =
            serde_json::from_str(r#"{"hashes": [7, 3], "weights": [-40, 90]}"#).unwrap();
        assert_eq!(v.weight(3), Some(90));
        assert_eq!(v.weight(7), Some(-40));
        assert_eq!(v.weight(8), None);
        let text = serde_json::to_string(&v).unwrap();
        assert_eq!(text, r#"{"hashes":[3,7],"weights":[90,-40]}"#);
        assert!(serde_json::from_str::<Vocabulary>(r#"{"hashes": [7], "weights": []}"#).is_err());
        assert!(
            serde_json::from_str::<Vocabulary>(r#"{"hashes": [7], "weights": [200]}"#).is_err()
        );
    }

    #[test]
    fn a_line_weighs_the_mean_and_extremes_of_its_known_words() {
        let mut w = Weighed::default();
        w.push(None);
        assert_eq!(w.inputs(), [0.0; 4]);
        for x in [64, -32, 32] {
            w.push(Some(x));
        }
        assert_eq!((w.words, w.known), (4, 3));
        assert_eq!(w.inputs(), [64.0 / 3.0 / 32.0, -1.0, 2.0, 0.75]);
    }
}
