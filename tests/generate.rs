//! The corpus generator: determinism, truth that matches the text, and planted structure at the
//! configured rates.

use chaff::generate::{Config, Document, Generator, LangMix, Truth};
use chaff::text::Normalizer;
use std::collections::{HashMap, HashSet};

/// Generates a corpus in memory: the corpus JSONL and truth JSONL bytes.
fn corpus(config: &Config, seed: u64) -> (Vec<u8>, Vec<u8>) {
    let g = Generator::new(config, seed).expect("valid config");
    let (mut docs, mut truth) = (Vec::new(), Vec::new());
    g.write_jsonl(&mut docs, &mut truth)
        .expect("in-memory write");
    (docs, truth)
}

fn parse(docs: &[u8], truth: &[u8]) -> (Vec<Document>, Vec<Truth>) {
    let docs = std::str::from_utf8(docs)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("document line parses"))
        .collect();
    let truth = std::str::from_utf8(truth)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("truth line parses"))
        .collect();
    (docs, truth)
}

/// Sites, passages and a high quote rate, small documents: every mechanism on, quickly.
fn full(docs: u64) -> Config {
    Config {
        docs,
        sites: 8,
        passages: true,
        quote_rate: 0.1,
        doc_bytes: 1500,
        ..Config::default()
    }
}

#[test]
fn same_seed_gives_identical_bytes_and_another_seed_differs() {
    let config = full(150);
    let a = corpus(&config, 7);
    let b = corpus(&config, 7);
    assert!(a == b, "same config and seed must give the same bytes");
    let c = corpus(&config, 8);
    assert_ne!(a.0, c.0);
    assert_ne!(a.1, c.1);
}

#[test]
fn thread_count_does_not_change_output() {
    let config = full(120);
    let run = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| corpus(&config, 3))
    };
    assert!(run(1) == run(4));
}

#[test]
fn document_alone_equals_document_in_corpus() {
    let config = full(60);
    let (docs, truth) = corpus(&config, 11);
    let (docs, _) = parse(&docs, &truth);
    let g = Generator::new(&config, 11).unwrap();
    for i in [0, 17, 59] {
        assert_eq!(g.document(i), docs[i as usize]);
    }
}

#[test]
fn passage_offsets_slice_to_equal_normalized_text() {
    let config = full(400);
    let (docs, truth) = corpus(&config, 5);
    let (docs, truth) = parse(&docs, &truth);
    let text: HashMap<&str, &str> = docs
        .iter()
        .map(|d| (d.id.as_str(), d.text.as_str()))
        .collect();
    let norm = Normalizer::default();
    let mut seen = HashSet::new();
    for t in &truth {
        if let Truth::Passage {
            id,
            start,
            end,
            of,
            of_start,
            of_end,
            via,
            ..
        } = t
        {
            let (a, b) = (text[id.as_str()], text[of.as_str()]);
            assert!(start < end && of_start < of_end, "{t:?}");
            assert!(
                a.is_char_boundary(*start) && a.is_char_boundary(*end),
                "{t:?}"
            );
            assert!(
                b.is_char_boundary(*of_start) && b.is_char_boundary(*of_end),
                "{t:?}"
            );
            assert_eq!(
                norm.normalize(&a[*start..*end]),
                norm.normalize(&b[*of_start..*of_end]),
                "{t:?}"
            );
            if id == of {
                assert!(
                    end <= of_start || of_end <= start,
                    "a repeat never overlaps its source"
                );
            }
            seen.insert(*via);
        }
    }
    assert_eq!(
        seen.len(),
        3,
        "teaser, quote and boilerplate all planted: {seen:?}"
    );
}

#[test]
fn quotes_are_pasted_into_two_to_five_other_documents() {
    let config = full(400);
    let (docs, truth) = corpus(&config, 6);
    let (_, truth) = parse(&docs, &truth);
    let mut copies: HashMap<(String, usize), usize> = HashMap::new();
    for t in &truth {
        if let Truth::Passage {
            of,
            of_start,
            via: chaff::generate::Via::Quote,
            ..
        } = t
        {
            *copies.entry((of.clone(), *of_start)).or_default() += 1;
        }
    }
    assert!(!copies.is_empty());
    assert!(copies.values().all(|&n| (1..=5).contains(&n)), "{copies:?}");
}

#[test]
fn line_truth_covers_every_line_in_order() {
    let config = full(100);
    let (docs, truth) = corpus(&config, 9);
    let (docs, truth) = parse(&docs, &truth);
    let mut lines: HashMap<&str, Vec<(usize, usize, usize, bool)>> = HashMap::new();
    for t in &truth {
        if let Truth::Line {
            id,
            line,
            start,
            end,
            chrome,
        } = t
        {
            lines
                .entry(id)
                .or_default()
                .push((*line, *start, *end, *chrome));
        }
    }
    let mut chrome_lines = 0;
    for d in &docs {
        let mut at = 0;
        let expected: Vec<(usize, usize)> = d
            .text
            .split('\n')
            .map(|l| {
                let range = (at, at + l.len());
                at += l.len() + 1;
                range
            })
            .collect();
        let got = &lines[d.id.as_str()];
        assert_eq!(got.len(), expected.len(), "{}", d.id);
        for (k, (&(n, s, e, chrome), &(es, ee))) in got.iter().zip(&expected).enumerate() {
            assert_eq!((n, s, e), (k + 1, es, ee), "{}", d.id);
            chrome_lines += chrome as usize;
        }
    }
    assert!(
        chrome_lines > docs.len() * 3,
        "sites put chrome on every page"
    );
}

#[test]
fn duplicates_are_planted_at_the_configured_rate() {
    let config = Config {
        docs: 2000,
        dup_rate: 0.1,
        doc_bytes: 300,
        line_truth: false,
        ..Config::default()
    };
    let (docs, truth) = corpus(&config, 1);
    let (docs, truth) = parse(&docs, &truth);
    let ids: HashSet<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    let mut dups = 0;
    let mut truncated = 0;
    for t in &truth {
        if let Truth::Duplicate {
            id,
            of,
            truncated: cut,
            ..
        } = t
        {
            assert!(
                of < id && ids.contains(of.as_str()),
                "original precedes copy"
            );
            dups += 1;
            truncated += *cut as usize;
        }
    }
    assert!(
        (150..=250).contains(&dups),
        "{dups} copies of 2000 at rate 0.1"
    );
    assert!(truncated > 0);
}

fn shingles(text: &str) -> HashSet<Vec<&str>> {
    let words: Vec<&str> = text.split_whitespace().collect();
    words.windows(5).map(|w| w.to_vec()).collect()
}

fn jaccard(a: &HashSet<Vec<&str>>, b: &HashSet<Vec<&str>>) -> f64 {
    let inter = a.intersection(b).count();
    inter as f64 / (a.len() + b.len() - inter).max(1) as f64
}

#[test]
fn unrelated_documents_share_few_five_grams_and_copies_share_many() {
    let config = Config {
        docs: 300,
        ..Config::default()
    };
    let (docs, truth) = corpus(&config, 21);
    let (docs, truth) = parse(&docs, &truth);
    let index: HashMap<&str, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    // Documents are related when they share an original (a copy counts as its own original).
    let mut root: Vec<usize> = (0..docs.len()).collect();
    let mut copies = Vec::new();
    for t in &truth {
        if let Truth::Duplicate {
            id, of, truncated, ..
        } = t
        {
            let (c, o) = (index[id.as_str()], index[of.as_str()]);
            root[c] = o;
            if !truncated {
                copies.push((o, c));
            }
        }
    }
    let sets: Vec<_> = docs.iter().map(|d| shingles(&d.text)).collect();
    let mut worst: f64 = 0.0;
    for i in 0..100 {
        for j in i + 1..100 {
            if root[i] != root[j] {
                worst = worst.max(jaccard(&sets[i], &sets[j]));
            }
        }
    }
    assert!(worst < 0.1, "unrelated 5-gram Jaccard up to {worst}");
    assert!(!copies.is_empty());
    let mean = copies
        .iter()
        .map(|&(a, b)| jaccard(&sets[a], &sets[b]))
        .sum::<f64>()
        / copies.len() as f64;
    assert!(
        mean > 0.3,
        "copies keep most 5-grams on average, got {mean}"
    );
}

#[test]
fn another_seed_gives_unseen_sites_unless_site_seed_is_fixed() {
    let config = Config {
        docs: 10,
        sites: 6,
        ..Config::default()
    };
    let a = Generator::new(&config, 1).unwrap().sites();
    let b = Generator::new(&config, 2).unwrap().sites();
    assert_eq!(a.iter().filter(|s| b.contains(s)).count(), 0);
    let fixed = Config {
        site_seed: Some(99),
        ..config
    };
    assert_eq!(
        Generator::new(&fixed, 1).unwrap().sites(),
        Generator::new(&fixed, 2).unwrap().sites()
    );
}

#[test]
fn syndicated_copies_move_to_another_site_of_the_same_language() {
    let config = Config {
        docs: 600,
        sites: 6,
        langs: "fa=1".parse().unwrap(),
        dup_rate: 0.3,
        doc_bytes: 300,
        line_truth: false,
        ..Config::default()
    };
    let (docs, truth) = corpus(&config, 4);
    let (docs, truth) = parse(&docs, &truth);
    let source: HashMap<&str, &str> = docs
        .iter()
        .map(|d| (d.id.as_str(), d.source.as_str()))
        .collect();
    let mut syndicated = 0;
    for t in &truth {
        if let Truth::Duplicate {
            id,
            of,
            syndicated: true,
            edits,
            ..
        } = t
        {
            assert_ne!(source[id.as_str()], source[of.as_str()]);
            assert_eq!(edits.words, 0);
            syndicated += 1;
        }
    }
    assert!(syndicated > 10, "{syndicated}");
}

#[test]
fn persian_text_has_zwnj_persian_digits_and_rtl_punctuation() {
    let config = Config {
        docs: 50,
        langs: "fa=1".parse().unwrap(),
        ..Config::default()
    };
    let (docs, truth) = corpus(&config, 2);
    let (docs, _) = parse(&docs, &truth);
    let all: String = docs.iter().map(|d| d.text.as_str()).collect();
    assert!(all.contains('\u{200C}'));
    assert!(all.contains('۱') || all.contains('۲'));
    assert!(all.contains('،'));
    assert!(all.contains("\n\n"), "paragraphs separated by blank lines");
}

#[test]
fn bad_configuration_is_refused() {
    assert!("fa=0,ar=0".parse::<LangMix>().is_err());
    assert!("xx=1".parse::<LangMix>().is_err());
    let bad = Config {
        dup_rate: 2.0,
        ..Config::default()
    };
    assert!(Generator::new(&bad, 0).is_err());
}

#[test]
fn cli_writes_one_txt_per_document_and_the_truth() {
    let dir = tempfile::tempdir().unwrap();
    let txt = dir.path().join("docs");
    let truth = dir.path().join("truth.jsonl");
    assert_cmd::Command::cargo_bin("chaff-gen")
        .unwrap()
        .args([
            "--docs",
            "25",
            "--seed",
            "3",
            "--sites",
            "2",
            "--passages",
            "--quiet",
        ])
        .arg("--txt-dir")
        .arg(&txt)
        .arg("--truth")
        .arg(&truth)
        .assert()
        .success();
    assert_eq!(std::fs::read_dir(&txt).unwrap().count(), 25);
    let first = std::fs::read_to_string(txt.join("d0000000.txt")).unwrap();
    let truth = std::fs::read_to_string(&truth).unwrap();
    let lines = truth
        .lines()
        .filter(|l| l.contains("\"kind\":\"line\"") && l.contains("\"d0000000\""))
        .count();
    assert_eq!(lines, first.split('\n').count());
}

#[test]
fn near_passages_edit_a_few_words_of_some_quote_copies_and_change_nothing_else() {
    let plain = full(400);
    let near = Config {
        near_passages: true,
        ..plain.clone()
    };
    let (docs, truth) = corpus(&near, 5);
    let (docs, truth) = parse(&docs, &truth);
    let (plain_docs, _) = corpus(&plain, 5);
    let (plain_docs, _) = parse(&plain_docs, &[]);
    let text: HashMap<&str, &str> = docs
        .iter()
        .map(|d| (d.id.as_str(), d.text.as_str()))
        .collect();
    let words = |s: &str| -> Vec<u64> { chaff::text::tokens(s).iter().map(|t| t.hash).collect() };
    let mut edited = HashSet::new();
    for t in &truth {
        if let Truth::Passage {
            id,
            start,
            end,
            of,
            of_start,
            of_end,
            variant: chaff::generate::Variant::Edited,
            ..
        } = t
        {
            let (a, b) = (
                words(&text[id.as_str()][*start..*end]),
                words(&text[of.as_str()][*of_start..*of_end]),
            );
            // 1-3 single-word edits, none in the first or last 10 words.
            assert!(a != b && a.len().abs_diff(b.len()) <= 3, "{t:?}");
            assert_eq!(a[..10], b[..10], "{t:?}");
            assert_eq!(a[a.len() - 10..], b[b.len() - 10..], "{t:?}");
            edited.insert(id.clone());
        }
    }
    assert!(
        edited.len() >= 5,
        "{} documents with edited quotes",
        edited.len()
    );
    // Documents without an edited quote are the same bytes as without the option.
    for (d, p) in docs.iter().zip(&plain_docs) {
        assert_eq!(d.id, p.id);
        if !edited.contains(&d.id) {
            assert_eq!(d, p);
        }
    }
}
