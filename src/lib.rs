//! chaff separates the wheat from the chaff in scraped text.
//!
//! It finds near-duplicate documents (shingling, MinHash, LSH, union-find), passages repeated
//! within and across documents, and the site "chrome" (headers, breadcrumbs, related lists,
//! footers) that scrapers carry along with every article. Each stage is a module named after what
//! it does, and each takes plain data in and gives plain data out:
//!
//! `corpus` (read/write) → `text` (normalize, tokenize with offsets) → `shingle` → `minhash` →
//! `lsh` → `cluster`, with `dups` driving that pipeline over a corpus; beside them `passages`,
//! `chrome` and `report`. `scan` runs all three analyses in the order that lets each use the
//! others (and plans what `clean` removes); `index` keeps a persistent, crash-safe index for
//! checking new scrapes in CI; `generate` writes deterministic test corpora with their truth.
//! The `chaff` binary is a thin command-line layer over this library.

#![warn(missing_docs)]

pub mod chrome;
pub mod cluster;
pub mod corpus;
pub mod dups;
mod error;
pub mod generate;
pub mod index;
pub mod lsh;
pub mod minhash;
pub mod passages;
pub mod report;
pub mod scan;
pub mod shingle;
pub mod text;

pub use error::{ConfigError, Error, Result};
