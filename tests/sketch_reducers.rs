//! Passage fingerprints and chrome template statistics sketched in shards and reduced in any
//! order give the same value, byte for byte, as one run; the reduced values decide like the
//! library's one-process searches and the real binary.

mod common;

use chaff::chrome::{self, Model};
use chaff::corpus::{Corpus, ReadOptions};
use chaff::passages::{self, NearExact};
use chaff::sketch::{
    ChromeSketcher, ChromeSketches, HashConfig, PassageSketcher, PassageSketches, TextDoc,
};
use common::generated::{every_nth, generated_corpus};
use common::*;
use proptest::prelude::*;

/// A permutation of `0..shards` drawn from `seed`.
fn order(shards: usize, seed: prop::sample::Index) -> Vec<usize> {
    let mut order: Vec<usize> = (0..shards).collect();
    order.rotate_left(seed.index(shards));
    if seed.index(2) == 1 {
        order.reverse();
    }
    order
}

/// The documents of one shard, in reverse corpus order (a shard's order is not the corpus's).
fn shard_docs<'a>(
    texts: &'a [String],
    ids: &'a [String],
    shard_of: &[usize],
    shards: usize,
    shard: usize,
) -> Vec<TextDoc<'a>> {
    (0..texts.len())
        .rev()
        .filter(|&n| shard_of[n % shard_of.len()] % shards == shard)
        .map(|n| TextDoc {
            number: n as u32,
            id: &ids[n],
            source: None,
            text: &texts[n],
        })
        .collect()
}

/// Texts that repeat each other: sentences drawn from a small pool of word runs, so that long
/// runs recur across documents and inside one.
fn any_texts() -> impl Strategy<Value = Vec<String>> {
    let run = prop::collection::vec(0u32..300, 3..30);
    (
        prop::collection::vec(run, 1..8),
        prop::collection::vec(
            prop::collection::vec(any::<prop::sample::Index>(), 0..8),
            1..14,
        ),
    )
        .prop_map(|(runs, docs)| {
            docs.iter()
                .map(|picks| {
                    picks
                        .iter()
                        .map(|p| {
                            runs[p.index(runs.len())]
                                .iter()
                                .map(|w| format!("w{w}"))
                                .collect::<Vec<_>>()
                                .join(" ")
                                + "."
                        })
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect()
        })
}

fn any_passage_config() -> impl Strategy<Value = passages::Config> {
    (
        4usize..24,
        1usize..6,
        any::<u64>(),
        prop::option::of(2usize..5),
    )
        .prop_map(|(min_tokens, shingle, seed, near)| passages::Config {
            min_tokens,
            shingle,
            hash: HashConfig {
                seed,
                ..HashConfig::default()
            },
            near: near.map(|seed_tokens| NearExact {
                seed_tokens,
                ..NearExact::default()
            }),
            ..passages::Config::default()
        })
}

/// Pages of a few sources built from shared template lines and page-own lines.
fn any_pages() -> impl Strategy<Value = Vec<(String, Option<String>)>> {
    let line = prop_oneof![
        (0u32..12).prop_map(|t| format!("Home | News | Sport | Contact {t}")),
        (0u32..12).prop_map(|t| format!("Copyright 2024 site number {t}. All rights reserved.")),
        (0u32..500, 0u32..500).prop_map(|(a, b)| format!(
            "The council met on day {a} and spoke about item {b} for a long while."
        )),
    ];
    let page = (
        prop::option::of(0u32..3),
        prop::collection::vec(line, 0..12),
    );
    prop::collection::vec(page, 0..20).prop_map(|pages| {
        pages
            .into_iter()
            .map(|(source, lines)| (lines.join("\n"), source.map(|s| format!("site{s}"))))
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn passage_shards_merged_in_any_order_decide_like_one_run(
        texts in any_texts(),
        config in any_passage_config(),
        shard_of in prop::collection::vec(0usize..8, 16),
        shards in 1usize..5,
        order_seed in any::<prop::sample::Index>(),
    ) {
        let ids: Vec<String> = (0..texts.len()).map(|i| format!("doc{i}")).collect();
        let sketcher = PassageSketcher::new(&config).unwrap();
        let mut merged = PassageSketches::empty(&sketcher);
        for shard in order(shards, order_seed) {
            let docs = shard_docs(&texts, &ids, &shard_of, shards, shard);
            merged = merged.merge(sketcher.shard(&docs).unwrap()).unwrap();
        }
        let whole = sketcher
            .shard(&shard_docs(&texts, &ids, &[0], 1, 0))
            .unwrap();
        prop_assert_eq!(
            serde_json::to_string(&merged).unwrap(),
            serde_json::to_string(&whole).unwrap()
        );
        // Every group names one hash selected more than once, in corpus order.
        for g in merged.groups() {
            prop_assert!(g.occurrences.len() >= 2);
            prop_assert!(g.occurrences.windows(2).all(|w| w[0] < w[1]));
        }

        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let decided = merged.decide(&config, &refs).unwrap();
        let one_run = passages::find_in_texts(&refs, &config).unwrap();
        prop_assert_eq!(&decided.passages, &one_run.passages);
        prop_assert_eq!(decided.stats, one_run.stats);
        for (n, id) in &decided.ids {
            prop_assert_eq!(id, &ids[*n as usize]);
        }
        let (_dir, corpus) = jsonl_corpus(&ids, &texts);
        let streamed = passages::find(&corpus, &config).unwrap();
        prop_assert_eq!(&decided.passages, &streamed.passages);
    }

    #[test]
    fn chrome_shards_merged_in_any_order_count_like_one_run(
        pages in any_pages(),
        shard_of in prop::collection::vec(0usize..8, 16),
        shards in 1usize..5,
        order_seed in any::<prop::sample::Index>(),
    ) {
        let sketcher = ChromeSketcher;
        let refs: Vec<(&str, Option<&str>)> =
            pages.iter().map(|(t, s)| (t.as_str(), s.as_deref())).collect();
        let mut merged = ChromeSketches::default();
        for shard in order(shards, order_seed) {
            let part: Vec<(&str, Option<&str>)> = refs
                .iter()
                .enumerate()
                .rev()
                .filter(|(n, _)| shard_of[n % shard_of.len()] % shards == shard)
                .map(|(_, p)| *p)
                .collect();
            merged = merged.merge(sketcher.shard(&part)).unwrap();
        }
        let whole = sketcher.shard(&refs);
        prop_assert_eq!(
            serde_json::to_string(&merged).unwrap(),
            serde_json::to_string(&whole).unwrap()
        );
        // The model the reduced counts make is the one the library learns page by page.
        let mut learned = Model::default();
        for (text, source) in &refs {
            learned.add_page(*source, chrome::template_keys(text));
        }
        prop_assert_eq!(merged.model().unwrap(), learned.clone());
        prop_assert_eq!(ChromeSketches::from_model(&learned), merged);
    }
}

#[test]
fn passage_sketches_decide_like_the_passages_command_on_a_generated_corpus() {
    let (_dir, path, docs) = generated_corpus(400, 6, 5);
    let config = passages::Config::default();
    let sketcher = PassageSketcher::new(&config).unwrap();
    // Three workers sketch every third document; the shards travel as JSON.
    let merged = (0..3)
        .rev()
        .map(|shard| {
            let part = every_nth(&docs, 3, shard);
            let json = serde_json::to_string(&sketcher.shard(&part).unwrap()).unwrap();
            serde_json::from_str::<PassageSketches>(&json).unwrap()
        })
        .try_fold(PassageSketches::empty(&sketcher), PassageSketches::merge)
        .unwrap();
    let texts: Vec<&str> = docs.iter().map(|d| d.text.as_str()).collect();
    let outcome = merged.decide(&config, &texts).unwrap();
    assert!(!outcome.passages.is_empty(), "the sites repeat their lines");
    let corpus = Corpus::open(std::slice::from_ref(&path), ReadOptions::default()).unwrap();
    let found = passages::find(&corpus, &config).unwrap();
    assert_eq!(outcome.passages, found.passages);
    // The binary reports the same later copies, naming the same documents.
    let records = records(&stdout_of(
        chaff()
            .args(["passages", "--format", "json", "-q"])
            .arg(&path),
    ));
    assert_eq!(records.len(), outcome.passages.len());
    for (r, p) in records.iter().zip(&outcome.passages) {
        assert_eq!(r["id"], outcome.ids[&p.doc].as_str());
        assert_eq!(r["of"], outcome.ids[&p.of_doc].as_str());
        assert_eq!(r["start"], p.start);
        assert_eq!(r["end"], p.end);
    }
}

#[test]
fn chrome_sketches_save_the_model_chrome_learn_writes() {
    let (dir, path, docs) = generated_corpus(300, 4, 5);
    let learned = dir.path().join("learned.json");
    stdout_of(
        chaff()
            .args(["chrome", "--no-syndication", "-q", "--learn"])
            .arg(&learned)
            .arg(&path),
    );
    let merged = (0..4)
        .map(|shard| {
            let part: Vec<(&str, Option<&str>)> = docs
                .iter()
                .enumerate()
                .filter(|(n, _)| n % 4 == shard)
                .map(|(_, d)| (d.text.as_str(), Some(d.source.as_str())))
                .collect();
            ChromeSketcher.shard(&part)
        })
        .try_fold(ChromeSketches::default(), ChromeSketches::merge)
        .unwrap();
    let from_sketches = dir.path().join("sketched.json");
    merged.model().unwrap().save(&from_sketches).unwrap();
    assert_eq!(
        std::fs::read(&from_sketches).unwrap(),
        std::fs::read(&learned).unwrap()
    );
}

#[test]
fn passage_sketches_of_other_settings_or_texts_are_refused_by_name() {
    let texts = ["one two three four five six seven", "eight nine ten eleven"];
    let doc = |n: usize| TextDoc {
        number: n as u32,
        id: "x",
        source: None,
        text: texts[n],
    };
    let config = passages::Config {
        min_tokens: 4,
        ..passages::Config::default()
    };
    let sketcher = PassageSketcher::new(&config).unwrap();
    let other = PassageSketcher::new(&passages::Config {
        hash: HashConfig {
            seed: 3,
            ..config.hash
        },
        ..config.clone()
    })
    .unwrap();
    let message = sketches_message;
    let first = sketcher.shard(&[doc(0)]).unwrap();
    assert_merges_refused(
        &first,
        other.shard(&[doc(1)]).unwrap(),
        sketcher.shard(&[doc(0)]).unwrap(),
        PassageSketches::merge,
        "seed: 0 here, 3 there",
    );
    let both = first.merge(sketcher.shard(&[doc(1)]).unwrap()).unwrap();
    let e = both.decide(&config, &[texts[0], "eight"]).unwrap_err();
    assert!(message(e).contains("document number 1"));
    // Another MinHash slot count does not change passage fingerprints.
    let slots = passages::Config {
        hash: HashConfig {
            num_perm: 64,
            ..config.hash
        },
        ..config.clone()
    };
    assert!(both.decide(&slots, &texts).is_ok());
}
