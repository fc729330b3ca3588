//! Near-duplicate search split into sketch, reduce and decide, for callers that sign documents
//! in batches, in several processes or on several machines, and decide later.
//!
//! * **Sketch.** [`Sketcher::sketch`] turns one text into a [`DocSketch`]: its MinHash
//!   signature, its LSH band keys and its distinct-shingle count, plus (for exact verification,
//!   the default) the sorted set of its shingle fingerprints. A sketch depends on the text and
//!   the [`HashConfig`] only, never on the other documents; [`Sketcher::sketch_batch`] sketches
//!   many in parallel.
//! * **Reduce.** [`Sketches`] holds sketched documents by their corpus number;
//!   [`Sketches::merge`] unites two of them. Merging is commutative and associative (the
//!   documents are kept in number order, a number given twice is refused), so shards sketched
//!   anywhere and merged in any order give the same value, byte for byte once serialized.
//! * **Decide.** [`Sketches::decide`] bands the sketches, confirms the candidate pairs with the
//!   rule of [`crate::dups::accept`] and clusters them: the same [`crate::dups::Outcome`], and
//!   so the same records, as [`crate::dups::find`] over the same texts in the same order.
//!
//! The other analyses split the same way: passages ([`PassageSketcher`], [`PassageSketches`]:
//! winnowed fingerprints reduced to the groups that repeat, decided into the passages of
//! [`crate::passages::find_in_texts`]) and chrome ([`ChromeSketcher`], [`ChromeSketches`]: page
//! line keys reduced to per-source template counts, the model chrome detection judges with).
//! All three hash under one [`HashConfig`] (chrome lines with every fold on).
//!
//! Corpus numbering is explicit: every sketched document carries its `number`, the position in
//! the corpus that decides which copy is kept, and a decision needs every number `0..n` once.
//! Sketches record the hash configuration and banding that made them, with the normalization
//! version ([`crate::text::NORMALIZATION_VERSION`]); sketches made otherwise are refused by name
//! instead of silently matching nothing.
//!
//! ```
//! use chaff::corpus::{Corpus, ReadOptions};
//! use chaff::sketch::{Sketcher, TextDoc};
//! use chaff::{dups, report};
//!
//! // Four texts: 0 and 2 are near-duplicates (one word changed), 1 and 3 are unrelated.
//! let words = |tag: &str| (0..80).map(|i| format!("{tag}{i}")).collect::<Vec<_>>().join(" ");
//! let texts = [words("w"), words("x"), words("w").replace("w40 ", "changed "), words("y")];
//! let ids = ["a", "b", "c", "d"];
//! let doc = |n: usize| TextDoc { number: n as u32, id: ids[n], source: None, text: &texts[n] };
//!
//! // Two shards, sketched apart (in two processes, say), then merged in either order.
//! let config = dups::Config::default();
//! let sketcher = Sketcher::new(&config)?;
//! let first = sketcher.shard(&[doc(0), doc(1)])?;
//! let second = sketcher.shard(&[doc(2), doc(3)])?;
//! let merged = second.clone().merge(first.clone())?;
//! assert_eq!(merged, first.merge(second)?);
//! let decided = report::duplicate_records(&merged.decide(&config)?);
//!
//! // `chaff dups` on the same texts written to a file finds the same records.
//! let dir = tempfile::tempdir()?;
//! let path = dir.path().join("corpus.jsonl");
//! let lines: Vec<String> = (0..4)
//!     .map(|n| serde_json::json!({"id": ids[n], "text": texts[n]}).to_string())
//!     .collect();
//! std::fs::write(&path, lines.join("\n"))?;
//! let corpus = Corpus::open(&[path], ReadOptions::default())?;
//! let found = report::duplicate_records(&dups::find(&corpus, &config)?);
//! assert_eq!(decided, found);
//! assert_eq!((decided[0].id.as_str(), decided[0].of.as_str()), ("c", "a"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::{Error, Result};

mod chrome;
mod distinct;
mod dups;
mod hash;
mod passages;

pub use chrome::{ChromeSketch, ChromeSketcher, ChromeSketches, SourceCounts};
pub(crate) use dups::Scratch;
pub use dups::{DocSketch, Similarity, SketchedDoc, Sketcher, Sketches};
pub use hash::HashConfig;
pub use passages::{
    FingerprintGroup, PassageDoc, PassageHashing, PassageSketch, PassageSketcher, PassageSketches,
    SketchedPassages,
};

/// One text to sketch, with its corpus number and what it is reported as.
#[derive(Debug, Clone, Copy)]
pub struct TextDoc<'a> {
    /// Position in the corpus (0-based): decides which copy of a cluster is kept.
    pub number: u32,
    /// The id reported.
    pub id: &'a str,
    /// The source (site), when known.
    pub source: Option<&'a str>,
    /// The text.
    pub text: &'a str,
}

/// The union of two lists sorted by `key`, sorted by `key`: the same list whichever comes
/// first. Refuses an item whose key is in both (`clash` says which).
pub(crate) fn merge_sorted<T, K: Ord>(
    a: Vec<T>,
    b: Vec<T>,
    key: impl Fn(&T) -> K,
    clash: impl Fn(&T, &T) -> Error,
) -> Result<Vec<T>> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => match key(x).cmp(&key(y)) {
                std::cmp::Ordering::Equal => return Err(clash(x, y)),
                std::cmp::Ordering::Less => a.next(),
                std::cmp::Ordering::Greater => b.next(),
            },
            (Some(_), None) => a.next(),
            (None, Some(_)) => b.next(),
            (None, None) => return Ok(out),
        };
        out.extend(next);
    }
}

/// The union of two lists of documents sorted by number, refusing a number in both (naming
/// the two ids and `what` was merged).
pub(crate) fn merge_numbered<T>(
    a: Vec<T>,
    b: Vec<T>,
    what: &str,
    number_and_id: impl Fn(&T) -> (u32, &str),
) -> Result<Vec<T>> {
    merge_sorted(
        a,
        b,
        |d| number_and_id(d).0,
        |x, y| {
            let ((number, x), (_, y)) = (number_and_id(x), number_and_id(y));
            Error::Sketches(format!(
                "document number {number} is in both {what} (ids {x:?} and {y:?})"
            ))
        },
    )
}

/// Refuses document numbers (ascending) that are not `0..n`, each once: a decision needs
/// every document of the corpus.
pub(crate) fn check_numbering(numbers: impl Iterator<Item = u32>) -> Result<()> {
    for (i, number) in numbers.enumerate() {
        if number as usize != i {
            return Err(Error::Sketches(format!(
                "document number {i} is missing (the next one is {number}): a decision needs \
                 every document of the corpus, numbered from 0"
            )));
        }
    }
    Ok(())
}
