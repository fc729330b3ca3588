//! chaff separates the wheat from the chaff in scraped text.
//!
//! It finds near-duplicate documents (shingling, MinHash, LSH, union-find), passages repeated
//! within and across documents, and the site "chrome" (headers, breadcrumbs, related lists,
//! footers) that scrapers carry along with every article. Each stage is a module named after what
//! it does, and each takes plain data in and gives plain data out:
//!
//! `corpus` (read/write) → `text` (normalize, tokenize with offsets) → `shingle` → `minhash` →
//! `lsh` → `cluster`, with `dups` driving that pipeline over a corpus (any
//! [`corpus::DocumentSource`]: files, or texts in memory) and `sketch` splitting it into
//! per-document sketches, an order-independent merge and a decision, for batches signed apart
//! (bindings, distributed runs); beside them `passages`,
//! `chrome` and `report`. `scan` runs all three analyses in the order that lets each use the
//! others (and plans what `clean` removes); `index` keeps a persistent, crash-safe index for
//! checking new scrapes in CI; `generate` (feature `generate`, on by default) writes
//! deterministic test corpora with their truth; the feature `parquet` (on by default) reads
//! Parquet corpora, writes them back cleaned and writes records as a Parquet table
//! (`report::parquet`). The `chaff` binary is a thin command-line layer over this library.
//!
//! Every configuration is checked by the stage before any work (`validate()` on each `Config`):
//! a value no stage can work with is refused as [`Error::Config`], naming the field, the value
//! and what the field accepts, never with a panic.
//!
//! # Example
//!
//! Near-duplicate documents of a small corpus (here three `.txt` files; JSON Lines, compressed
//! or not, and directories are read the same way), then repeated passages among texts held in
//! memory:
//!
//! ```
//! use chaff::corpus::{Corpus, ReadOptions};
//! use chaff::{dups, passages};
//!
//! // One article, a copy with one word changed, and an unrelated article.
//! let article: Vec<String> = (0..120).map(|i| format!("word{i}")).collect();
//! let mut edited = article.clone();
//! edited[60] = "changed".into();
//! let other: Vec<String> = (0..120).map(|i| format!("other{i}")).collect();
//! let dir = tempfile::tempdir()?;
//! std::fs::write(dir.path().join("a.txt"), article.join(" "))?;
//! std::fs::write(dir.path().join("b.txt"), edited.join(" "))?;
//! std::fs::write(dir.path().join("c.txt"), other.join(" "))?;
//!
//! let corpus = Corpus::open(&[dir.path().to_path_buf()], ReadOptions::default())?;
//! let found = dups::find(&corpus, &dups::Config::default())?;
//! let id = |doc: u32| found.docs.id(doc);
//! let pairs: Vec<(&str, &str)> = found.duplicates.iter().map(|d| (id(d.doc), id(d.of))).collect();
//! assert_eq!(pairs, [("b.txt", "a.txt")]);
//! assert!(found.duplicates[0].similarity > 0.9);
//!
//! // A setting no search can work with is refused by name before anything is read.
//! let absurd = dups::Config { containment: Some(7.0), ..dups::Config::default() };
//! match dups::find(&corpus, &absurd) {
//!     Err(chaff::Error::Config(e)) => assert_eq!(e.field, "dups.containment"),
//!     other => panic!("expected a configuration error, got {other:?}"),
//! }
//!
//! // Passages of at least 20 tokens repeated among in-memory texts.
//! let lead = article[..30].join(" ");
//! let texts = [lead.as_str(), &format!("{} and then {lead}", other[..40].join(" "))];
//! let repeats = passages::find_in_texts(&texts, &passages::Config::default())?;
//! assert_eq!(repeats.passages.len(), 1);
//! assert_eq!((repeats.passages[0].doc, repeats.passages[0].of_doc), (1, 0));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]

pub mod chrome;
pub mod cluster;
pub mod corpus;
pub mod dups;
mod error;
#[cfg(feature = "generate")]
pub mod generate;
pub mod index;
pub mod lsh;
pub mod minhash;
pub mod passages;
pub mod report;
pub mod scan;
pub mod shingle;
pub mod sketch;
pub mod spill;
pub mod text;

pub use error::{Advice, ConfigError, Error, Result};
