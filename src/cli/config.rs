//! The shared flags turned into library configurations (and `--explain`, which prints what a
//! configuration detects).

use super::args::*;
use anyhow::Result;
use chaff::cluster::Keep;
use chaff::corpus::{Corpus, Fields, ReadOptions, SourceFrom};
use chaff::dups::{self, Verify};
use chaff::lsh::{detection_probability, Params};
use chaff::minhash::Scheme;
use chaff::shingle::Shingling;
use chaff::sketch::HashConfig;
use chaff::text::Folds;

impl InputArgs {
    /// The corpus named by these arguments; records without an id are named `FILE:LINE`.
    pub(crate) fn open(&self) -> Result<Corpus> {
        Ok(Corpus::open(&self.inputs, self.read_options())?)
    }

    /// The corpus named by these arguments as `index add` and `check` read it: records without
    /// an id are named by the hash of their text, which stays the same from day to day.
    pub(crate) fn open_for_index(&self) -> Result<Corpus> {
        let options = ReadOptions {
            content_ids: true,
            ..self.read_options()
        };
        Ok(Corpus::open(&self.inputs, options)?)
    }

    fn read_options(&self) -> ReadOptions {
        ReadOptions {
            fields: Fields {
                id: self.id_field.clone(),
                text: self.text_field.clone(),
                source: self.source_field.clone(),
            },
            source_from: match self.source_from {
                Some(SourceFromArg::Dir) => SourceFrom::Dir,
                _ => SourceFrom::Field,
            },
            lossy: self.lossy,
            content_ids: false,
            max_doc_bytes: self.max_doc_bytes,
        }
    }
}

impl HashArgs {
    pub(crate) fn folds(&self) -> Result<Folds> {
        Ok(Folds::with_disabled(&self.no_fold)?)
    }

    pub(crate) fn shingling(&self) -> Shingling {
        match self.char_ngram {
            Some(n) => Shingling::Chars(n as usize),
            None => Shingling::Words(self.ngram as usize),
        }
    }
}

/// The near-duplicate configuration of a command; `verify` and `keep` come from the flags of
/// commands that take them and are the defaults for the others.
pub(crate) fn dup_config(
    hash: &HashArgs,
    opts: &DupOptions,
    verify: Verify,
    keep: Keep,
) -> Result<dups::Config> {
    let bands = match (opts.bands, opts.rows) {
        (Some(b), Some(r)) => Some(Params {
            bands: b as usize,
            rows: r as usize,
        }),
        _ => None,
    };
    let config = dups::Config {
        hash: HashConfig {
            shingling: hash.shingling(),
            seed: hash.seed,
            folds: hash.folds()?,
            num_perm: hash.num_perm as usize,
            scheme: match hash.minhash {
                SchemeArg::Oph => Scheme::OnePermutation,
                SchemeArg::Classic => Scheme::Classic,
            },
            ..HashConfig::default()
        },
        threshold: opts.threshold,
        bands,
        verify,
        // 0 is the flag's way to say off; anything else, NaN and negatives included, is for
        // the library to accept or refuse.
        containment: (opts.containment != 0.0).then_some(opts.containment),
        keep,
        memory: chaff::spill::DEFAULT_MEMORY,
    };
    config.validate()?;
    Ok(config)
}

impl DupSearchArgs {
    /// The near-duplicate configuration these flags ask for.
    pub(crate) fn config(&self, hash: &HashArgs) -> Result<dups::Config> {
        dup_config(
            hash,
            &self.matching,
            self.confirm.verify.get(),
            self.confirm.keep.get(),
        )
    }
}

/// Prints the banding of `config` and what it detects (`--explain`), on stderr.
pub(crate) fn explain(config: &dups::Config) {
    let describe = |name: &str, p: Params| {
        note!(
            "{name}: {} bands x {} rows (of {} MinHash slots)",
            p.bands,
            p.rows,
            config.hash.num_perm
        );
        let row: Vec<String> = [0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95]
            .iter()
            .map(|&j| format!("J={j:.2}: {:.3}", detection_probability(j, p)))
            .collect();
        note!("  probability of becoming a candidate: {}", row.join("  "));
    };
    describe(
        &format!("near-duplicates (threshold {})", config.threshold),
        config.params(),
    );
    if let (Some(p), Some(jc), Some(c)) = (
        config.containment_params(),
        config.containment_jaccard(),
        config.containment,
    ) {
        describe(
            &format!("containment {c} (a copy half as long, contained at {c}, has J={jc:.2})"),
            p,
        );
    }
    note!(
        "  candidates are then confirmed ({:?} verification)",
        config.verify
    );
}
