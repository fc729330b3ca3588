//! Sketch, reduce, decide: documents sketched in shards and merged in any order give the same
//! sketches, byte for byte, and the same duplicate records as one `dups` run over the same texts
//! (in memory, from a file, and from the real `chaff dups` binary).

mod common;

use chaff::cluster::Keep;
use chaff::corpus::Texts;
use chaff::dups::{self, Verify};
use chaff::generate::Config as GenConfig;
use chaff::report;
use chaff::shingle::Shingling;
use chaff::sketch::{Sketcher, Sketches, TextDoc};
use common::generated::{every_nth, generated_corpus};
use common::*;
use proptest::prelude::*;

/// Everything a search decides, serialized: records, pairs (with their similarities), clusters,
/// counts and per-document data.
fn everything(outcome: &dups::Outcome) -> String {
    serde_json::json!({
        "records": report::duplicate_records(outcome),
        "pairs": outcome.pairs,
        "clusters": outcome.clusters,
        "duplicates": outcome.duplicates,
        "stats": outcome.stats,
        "docs": outcome.docs,
    })
    .to_string()
}

fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("doc{i}")).collect()
}

/// Sketches of `texts` cut into the shards `shard_of` names, merged in `order` (a permutation
/// of the shard numbers) one after the other.
fn sharded(
    sketcher: &Sketcher,
    texts: &[String],
    ids: &[String],
    shard_of: &[usize],
    order: &[usize],
) -> chaff::Result<Sketches> {
    let shards = order.len();
    let mut merged = Sketches::empty(sketcher);
    for &shard in order {
        // Inside a shard, documents come in reverse: a shard's order is not the corpus order.
        let docs: Vec<TextDoc> = (0..texts.len())
            .rev()
            .filter(|&n| shard_of[n] % shards == shard)
            .map(|n| TextDoc {
                number: n as u32,
                id: &ids[n],
                source: None,
                text: &texts[n],
            })
            .collect();
        merged = merged.merge(sketcher.shard(&docs)?)?;
    }
    Ok(merged)
}

/// Texts with near-duplicates: originals drawn from a small vocabulary, then copies of earlier
/// texts with a few words replaced or the tail cut off (containment), and some empty texts.
fn any_corpus() -> impl Strategy<Value = Vec<String>> {
    let original = prop::collection::vec(0u32..400, 0..120);
    let copy = (
        any::<prop::sample::Index>(),
        prop::collection::vec((any::<prop::sample::Index>(), 0u32..400), 0..6),
        prop::option::of(0.4f64..1.0),
    );
    (
        prop::collection::vec(original, 1..12),
        prop::collection::vec(copy, 0..14),
    )
        .prop_map(|(originals, copies)| {
            let mut docs: Vec<Vec<u32>> = originals;
            for (from, edits, cut) in copies {
                let mut doc = docs[from.index(docs.len())].clone();
                for (at, word) in edits {
                    if !doc.is_empty() {
                        let i = at.index(doc.len());
                        doc[i] = word;
                    }
                }
                if let Some(keep) = cut {
                    doc.truncate((doc.len() as f64 * keep) as usize);
                }
                docs.push(doc);
            }
            docs.iter()
                .map(|d| {
                    d.iter()
                        .map(|w| format!("w{w}"))
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect()
        })
}

fn any_config() -> impl Strategy<Value = dups::Config> {
    (
        prop_oneof![
            (1usize..6).prop_map(Shingling::Words),
            (2usize..8).prop_map(Shingling::Chars)
        ],
        prop_oneof![Just(16usize), Just(64), Just(128)],
        0.5f64..0.95,
        prop::option::of(0.5f64..0.95),
        prop_oneof![Just(Verify::Exact), Just(Verify::Estimate)],
        prop_oneof![Just(Keep::First), Just(Keep::Longest)],
        any::<u64>(),
    )
        .prop_map(
            |(shingling, num_perm, threshold, containment, verify, keep, seed)| dups::Config {
                hash: chaff::sketch::HashConfig {
                    shingling,
                    seed,
                    num_perm,
                    ..Default::default()
                },
                threshold,
                containment,
                verify,
                keep,
                ..dups::Config::default()
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn shards_merged_in_any_order_decide_like_one_run(
        texts in any_corpus(),
        config in any_config(),
        shard_of in prop::collection::vec(0usize..8, 40),
        shards in 1usize..5,
        order_seed in any::<prop::sample::Index>(),
    ) {
        let ids = ids(texts.len());
        let sketcher = Sketcher::new(&config).unwrap();
        // Every permutation of the shards is as good as any other: take one.
        let mut order: Vec<usize> = (0..shards).collect();
        order.rotate_left(order_seed.index(shards));
        if order_seed.index(2) == 1 {
            order.reverse();
        }
        let merged = sharded(&sketcher, &texts, &ids, &shard_of, &order).unwrap();
        let whole = sharded(&sketcher, &texts, &ids, &[0; 40], &[0]).unwrap();
        prop_assert_eq!(
            serde_json::to_string(&merged).unwrap(),
            serde_json::to_string(&whole).unwrap()
        );

        let decided = everything(&merged.decide(&config).unwrap());
        let mut in_memory = Texts::new();
        for (id, text) in ids.iter().zip(&texts) {
            in_memory.push(id.clone(), None, text.clone());
        }
        prop_assert_eq!(&decided, &everything(&dups::find(&in_memory, &config).unwrap()));

        let (_dir, corpus) = jsonl_corpus(&ids, &texts);
        prop_assert_eq!(&decided, &everything(&dups::find(&corpus, &config).unwrap()));
    }
}

#[test]
fn sketches_decide_like_the_dups_command_on_a_generated_corpus() {
    let (_dir, path, docs) = generated_corpus(600, GenConfig::default().sites, 3);
    let from_binary = stdout_of(chaff().args(["dups", "--format", "json", "-q"]).arg(&path));

    let config = dups::Config::default();
    let sketcher = Sketcher::new(&config).unwrap();
    // Three shards of every third document, as three workers would sketch them.
    let shards: Vec<Sketches> = (0..3)
        .map(|shard| {
            let texts = every_nth(&docs, 3, shard);
            sketcher.shard(&texts).unwrap()
        })
        .collect();
    // Shards travel as JSON.
    let shards: Vec<Sketches> = shards
        .iter()
        .map(|s| serde_json::from_str(&serde_json::to_string(s).unwrap()).unwrap())
        .collect();
    let merged = shards
        .into_iter()
        .rev()
        .try_fold(Sketches::empty(&sketcher), Sketches::merge)
        .unwrap();
    let outcome = merged.decide(&config).unwrap();
    assert!(
        !outcome.duplicates.is_empty(),
        "the generated corpus plants copies"
    );
    let mut from_sketches = Vec::new();
    report::write_json(&mut from_sketches, &report::duplicate_records(&outcome)).unwrap();
    assert_eq!(
        String::from_utf8(from_sketches).unwrap(),
        String::from_utf8(from_binary).unwrap()
    );
}

#[test]
fn sketches_of_other_settings_or_numbering_are_refused_by_name() {
    let texts = ["one two three four five six", "seven eight nine ten eleven"];
    let doc = |n: usize| TextDoc {
        number: n as u32,
        id: "x",
        source: None,
        text: texts[n],
    };
    let config = dups::Config::default();
    let sketcher = Sketcher::new(&config).unwrap();
    let other = Sketcher::new(&dups::Config {
        hash: chaff::sketch::HashConfig {
            seed: 9,
            ..config.hash
        },
        ..config.clone()
    })
    .unwrap();
    let first = sketcher.shard(&[doc(0)]).unwrap();
    assert_merges_refused(
        &first,
        other.shard(&[doc(1)]).unwrap(),
        sketcher.shard(&[doc(0)]).unwrap(),
        Sketches::merge,
        "seed: 0 here, 9 there",
    );
    let message = sketches_message;
    let gap = sketcher
        .shard(&[TextDoc {
            number: 1,
            ..doc(1)
        }])
        .unwrap();
    let e = gap.decide(&config).unwrap_err();
    assert!(message(e).contains("document number 0 is missing"));
    let estimated = Sketcher::new(&dups::Config {
        verify: Verify::Estimate,
        ..config.clone()
    })
    .unwrap();
    let e = estimated
        .shard(&[doc(0)])
        .unwrap()
        .decide(&config)
        .unwrap_err();
    assert!(message(e).contains("shingle sets"));
    // A sketch deserialized with another version of the fold tables is refused by name.
    let json = serde_json::to_string(&first)
        .unwrap()
        .replace("\"normalization\":1", "\"normalization\":2");
    let foreign: Sketches = serde_json::from_str(&json).unwrap();
    let e = foreign.decide(&config).unwrap_err();
    assert!(message(e).contains("normalization version: 2 here, 1 there"));
}
