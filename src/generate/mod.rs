//! Deterministic synthetic corpora with planted truth, for testing and benchmarking chaff.
//!
//! [`Generator`] writes Persian, Arabic and English news-like documents as JSONL (or one `.txt`
//! per document) and a truth JSONL file saying what was planted: near-duplicate copies (edited,
//! normalization variants, truncated, syndicated to other sites), repeated passages (teasers,
//! cross-document quotes, site boilerplate; with `near_passages` also quotes pasted with a few
//! words edited) with byte offsets, and which line of each document is site chrome. The record
//! formats are the variants of [`Truth`].
//!
//! Guarantees: the same [`Config`] and seed give byte-identical output on every machine and any
//! thread count (every document is drawn from its own ChaCha8 stream seeded by xxh3 of the
//! corpus seed and its index; the only sequential state is the small plan and a table of open
//! quotes); truth offsets are UTF-8 byte offsets into the final text, on `char` boundaries, end
//! exclusive; memory is bounded by one batch of documents plus the plan (tens of bytes per
//! document), never the corpus.

mod article;
mod plan;
mod pools;
mod render;
mod site;
mod truth;
mod vocab;
mod words;

pub use render::Document;
pub use truth::{Edits, Truth, Variant, Via};
pub use vocab::Lang;

use plan::{Plan, QuotePlan};
use serde::{Deserialize, Serialize};
use site::Site;
use std::fmt;
use std::str::FromStr;

/// Relative weights of the languages of a corpus, as in `fa=0.7,ar=0.2,en=0.1`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LangMix {
    /// Weight of Persian.
    pub fa: f64,
    /// Weight of Arabic.
    pub ar: f64,
    /// Weight of English.
    pub en: f64,
}

impl Default for LangMix {
    fn default() -> Self {
        LangMix {
            fa: 0.7,
            ar: 0.2,
            en: 0.1,
        }
    }
}

impl LangMix {
    /// Integer weights in millionths, in [`Lang::ALL`] order; integers keep draws portable.
    pub(crate) fn weights(&self) -> [u64; 3] {
        let w = |x: f64| (x.max(0.0) * 1e6).round() as u64;
        [w(self.fa), w(self.ar), w(self.en)]
    }

    /// Checks that the weights are finite, non-negative and not all zero.
    pub fn validate(&self) -> crate::Result<()> {
        let all = [self.fa, self.ar, self.en];
        if all.iter().any(|x| !x.is_finite() || *x < 0.0) || self.weights().iter().sum::<u64>() == 0
        {
            return Err(crate::Error::Usage(format!(
                "language mix `{self}` needs non-negative weights with a positive sum"
            )));
        }
        Ok(())
    }
}

impl fmt::Display for LangMix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "fa={},ar={},en={}", self.fa, self.ar, self.en)
    }
}

impl FromStr for LangMix {
    type Err = crate::Error;

    /// Parses `fa=0.7,ar=0.2,en=0.1`; languages not named get weight 0.
    fn from_str(s: &str) -> crate::Result<LangMix> {
        let mut mix = LangMix {
            fa: 0.0,
            ar: 0.0,
            en: 0.0,
        };
        for part in s.split(',').filter(|p| !p.trim().is_empty()) {
            let bad = || {
                crate::Error::Usage(format!(
                    "bad language weight `{part}` in `{s}`; expected e.g. fa=0.7,ar=0.2,en=0.1"
                ))
            };
            let (code, weight) = part.split_once('=').ok_or_else(bad)?;
            let weight: f64 = weight.trim().parse().map_err(|_| bad())?;
            match Lang::from_code(code).ok_or_else(bad)? {
                Lang::Fa => mix.fa = weight,
                Lang::Ar => mix.ar = weight,
                Lang::En => mix.en = weight,
            }
        }
        mix.validate()?;
        Ok(mix)
    }
}

/// What to generate. Every field has a default; a serialized `Config` plus the seed reproduces a
/// corpus exactly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Number of documents.
    pub docs: u64,
    /// Language weights (ignored per document when sites are on: a page has its site's language).
    pub langs: LangMix,
    /// Fraction of documents that are copies of an earlier original.
    pub dup_rate: f64,
    /// Fraction of a copy's words replaced, inserted or deleted.
    pub edit_rate: f64,
    /// Fraction of (non-syndicated) copies cut to the first half of the body.
    pub truncate_rate: f64,
    /// With sites, fraction of copies that are the same body republished on another site.
    pub syndication_rate: f64,
    /// Plant repeated passages: teasers, cross-document quotes, site boilerplate.
    pub passages: bool,
    /// With `passages`, fraction of documents whose quote is pasted into 2–5 later documents.
    pub quote_rate: f64,
    /// With `passages`, paste about half the later copies of quotes of 36 words or more with
    /// 1–3 words replaced, inserted or dropped (variant `edited`), for measuring near-exact
    /// passage search. Off by default, and drawn from its own random stream, so corpora without
    /// it are byte-identical to those of earlier versions.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub near_passages: bool,
    /// Number of synthetic sites with chrome; 0 writes plain articles.
    pub sites: u32,
    /// Seed of the site templates; `None` uses the corpus seed, so another seed means unseen
    /// sites. Fix it to keep the sites while changing the documents.
    pub site_seed: Option<u64>,
    /// Mean size of an article body in bytes (chrome comes on top).
    pub doc_bytes: usize,
    /// Write a line record (chrome or content) for every line of every document.
    pub line_truth: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            docs: 1000,
            langs: LangMix::default(),
            dup_rate: 0.1,
            edit_rate: 0.03,
            truncate_rate: 0.2,
            syndication_rate: 0.4,
            passages: false,
            quote_rate: 0.03,
            near_passages: false,
            sites: 0,
            site_seed: None,
            doc_bytes: 4000,
            line_truth: true,
        }
    }
}

impl Config {
    /// Checks that rates are probabilities and sizes are sensible.
    pub fn validate(&self) -> crate::Result<()> {
        self.langs.validate()?;
        for (name, rate) in [
            ("dup_rate", self.dup_rate),
            ("edit_rate", self.edit_rate),
            ("truncate_rate", self.truncate_rate),
            ("syndication_rate", self.syndication_rate),
            ("quote_rate", self.quote_rate),
        ] {
            if !(0.0..=1.0).contains(&rate) {
                return Err(crate::Error::Usage(format!(
                    "{name} must be between 0 and 1, got {rate}"
                )));
            }
        }
        if self.doc_bytes < 100 {
            return Err(crate::Error::Usage(format!(
                "doc_bytes must be at least 100, got {}",
                self.doc_bytes
            )));
        }
        Ok(())
    }
}

/// Counts of what a run wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Documents written.
    pub docs: u64,
    /// Bytes of document text (not counting JSON framing).
    pub text_bytes: u64,
    /// Near-duplicate copies planted (syndicated ones included).
    pub duplicates: u64,
    /// Of those, syndicated to another site.
    pub syndicated: u64,
    /// Passage records written.
    pub passages: u64,
    /// Sites in the corpus.
    pub sites: u32,
}

/// A site of a corpus, as listed by [`Generator::sites`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteInfo {
    /// The `source` of its documents.
    pub source: String,
    /// Its display name, as printed in its chrome.
    pub name: String,
    /// Its language.
    pub lang: Lang,
}

/// A planned corpus, ready to be written or sampled document by document.
pub struct Generator {
    config: Config,
    seed: u64,
    sites: Vec<Site>,
    plan: Plan,
}

impl Generator {
    /// Plans a corpus for `config` and `seed` (fast: no text is generated yet).
    pub fn new(config: &Config, seed: u64) -> crate::Result<Generator> {
        config.validate()?;
        let sites = plan::sites(config, config.site_seed.unwrap_or(seed));
        let plan = plan::plan(config, seed, &sites);
        Ok(Generator {
            config: config.clone(),
            seed,
            sites,
            plan,
        })
    }

    /// The sites of the corpus, in index order.
    pub fn sites(&self) -> Vec<SiteInfo> {
        self.sites
            .iter()
            .map(|s| SiteInfo {
                source: s.source.clone(),
                name: s.name.clone(),
                lang: s.lang,
            })
            .collect()
    }

    /// Number of documents.
    pub fn len(&self) -> u64 {
        self.plan.docs.len() as u64
    }

    /// Whether the corpus has no documents.
    pub fn is_empty(&self) -> bool {
        self.plan.docs.is_empty()
    }

    /// The id of document `index` (`d0000042`).
    pub fn id(index: u64) -> String {
        format!("d{index:07}")
    }

    fn quote(&self, q: u32) -> &QuotePlan {
        &self.plan.quotes[q as usize]
    }
}
