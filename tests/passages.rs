//! `chaff passages` on the seeds and on small corpora with planted repeats, and the library's
//! removal ranges applied as `clean` will apply them.

mod common;

use chaff::corpus::{apply_cuts, Corpus, ReadOptions};
use chaff::passages::{self, Config};
use common::*;
use std::fs;

fn line_range(text: &str, line: usize) -> std::ops::Range<usize> {
    let mut at = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return at..at + l.trim_end_matches('\n').len();
        }
        at += l.len();
    }
    panic!("no line {line}");
}

#[test]
fn seed_001_lead_repeated_at_the_start_of_line_14_is_the_only_repeat_in_the_seeds() {
    let recs = json_records(&["passages", fixture("").to_str().unwrap()]);
    assert_eq!(recs.len(), 1, "expected only the seed 001 repeat: {recs:?}");
    let r = &recs[0];
    let (name, text) = seed("001");
    assert_eq!(r["kind"], "passage");
    assert_eq!(r["id"], name.as_str());
    assert_eq!(r["of"], name.as_str());
    assert_eq!(
        (r["line"].as_u64(), r["of_line"].as_u64()),
        (Some(14), Some(2))
    );
    let bytes = text.as_bytes();
    let at = |k: &str| r[k].as_u64().unwrap() as usize;
    let copy = &bytes[at("start")..at("end")];
    let first = &bytes[at("of_start")..at("of_end")];
    assert_eq!(copy, first, "the two places slice to different text");
    // All of line 2, repeated from the very start of line 14.
    let line2 = line_range(&text, 2);
    assert_eq!(at("of_start")..at("of_end"), line2);
    assert_eq!(at("start"), line_range(&text, 14).start);
    assert!(at("tokens") >= 20);
}

#[test]
fn cleaning_seed_001_removes_exactly_the_later_copy() {
    let (name, text) = seed("001");
    let corpus = Corpus::open(&[fixture(&name)], ReadOptions::default()).unwrap();
    let found = passages::find(&corpus, &Config::default()).unwrap();
    assert_eq!(found.passages.len(), 1);
    let cuts = passages::removals(&found.passages);
    assert_eq!(cuts.len(), 1);
    let cleaned = apply_cuts(&text, &cuts[&0]);
    let line2 = &text[line_range(&text, 2)];
    assert_eq!(
        cleaned.matches(line2).count(),
        1,
        "the first copy must stay"
    );
    // Everything except the copy (and the space after it) is untouched, line by line.
    let before: Vec<&str> = text.lines().collect();
    let after: Vec<&str> = cleaned.lines().collect();
    assert_eq!(before.len(), after.len());
    for (i, (b, a)) in before.iter().zip(&after).enumerate() {
        if i + 1 == 14 {
            assert!(b.ends_with(a) && b.starts_with(line2) && !a.is_empty());
            assert!(!a.starts_with(char::is_whitespace) && !a.starts_with('.'));
        } else {
            assert_eq!(b, a, "line {} changed", i + 1);
        }
    }
}

/// A made-up sentence of `n` words (no seed text), different for every `seed`.
fn sentence(seed: u64, n: usize) -> String {
    let words = [
        "گزارش",
        "نشست",
        "وزیر",
        "امروز",
        "اقتصاد",
        "بازار",
        "قیمت",
        "مردم",
        "دولت",
        "شهر",
        "market",
        "report",
        "council",
        "river",
        "budget",
        "آینده",
        "برنامه",
        "جلسه",
    ];
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let w: Vec<&str> = (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            words[(x % words.len() as u64) as usize]
        })
        .collect();
    format!("{} {seed}.", w.join(" "))
}

#[test]
fn a_quote_pasted_into_later_documents_names_its_first_host() {
    let dir = tempfile::tempdir().unwrap();
    let quote = format!("{} {}", sentence(1, 14), sentence(2, 12));
    let docs = [
        format!("{}\n{}\n", sentence(3, 20), sentence(4, 25)),
        format!("{}\n{quote}\n{}\n", sentence(5, 9), sentence(6, 30)),
        format!("{} «{quote}» {}\n", sentence(7, 11), sentence(8, 17)),
        format!("{}\n\n{quote}\n", sentence(9, 22)),
    ];
    for (i, d) in docs.iter().enumerate() {
        fs::write(dir.path().join(format!("doc{i}.txt")), d).unwrap();
    }
    let recs = json_records(&["passages", dir.path().to_str().unwrap()]);
    assert_eq!(recs.len(), 2, "{recs:?}");
    for (r, id) in recs.iter().zip(["doc2.txt", "doc3.txt"]) {
        assert_eq!(r["id"], id);
        assert_eq!(r["of"], "doc1.txt");
        let text = &docs[id[3..4].parse::<usize>().unwrap()];
        let s = r["start"].as_u64().unwrap() as usize;
        let e = r["end"].as_u64().unwrap() as usize;
        assert_eq!(&text[s..e], quote);
    }
    // --exit-code turns "found something" into status 1; the text report shows both places.
    let out = chaff()
        .args([
            "passages",
            dir.path().to_str().unwrap(),
            "--exit-code",
            "-q",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("doc2.txt:1") && shown.contains("repeats doc1.txt:2"));
    assert!(shown.contains("copy") && shown.contains("first"));
}

#[test]
fn repeated_short_labels_of_a_related_list_are_not_passages() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = format!("{}\n", sentence(11, 30));
    for i in 0..12 {
        text.push_str(&format!(
            "خبرگزاری ما\n«خبرنگار ویژه» {}\n",
            sentence(20 + i, 9)
        ));
    }
    fs::write(dir.path().join("page.txt"), &text).unwrap();
    let recs = json_records(&["passages", dir.path().to_str().unwrap()]);
    assert!(recs.is_empty(), "{recs:?}");
    // Lowered far enough, the label lines do repeat.
    let recs = json_records(&[
        "passages",
        dir.path().to_str().unwrap(),
        "--min-tokens",
        "4",
    ]);
    assert!(!recs.is_empty());
}

#[test]
fn impossible_settings_are_usage_errors() {
    chaff()
        .args([
            "passages",
            fixture("").to_str().unwrap(),
            "--min-tokens",
            "1",
        ])
        .assert()
        .code(2);
    chaff()
        .args(["passages", fixture("").to_str().unwrap(), "--shingle", "0"])
        .assert()
        .code(2);
    let out = chaff()
        .args([
            "passages",
            fixture("").to_str().unwrap(),
            "--exit-code",
            "-q",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    // --near-seed follows a --min-tokens below its default; given above it, it is refused.
    let near = |extra: &[&str]| {
        chaff()
            .args([
                "passages",
                fixture("").to_str().unwrap(),
                "--near-exact",
                "-q",
            ])
            .args(extra)
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(near(&["--min-tokens", "8"]), Some(0));
    assert_eq!(near(&["--min-tokens", "8", "--near-seed", "9"]), Some(2));
}

#[test]
fn a_paragraph_repeated_with_two_words_changed_is_one_near_exact_record() {
    let dir = tempfile::tempdir().unwrap();
    let original = "وزیر اقتصاد امروز در نشست خبری گفت که دولت برنامه تازه‌ای برای مهار تورم و \
                    کاهش قیمت کالاهای اساسی دارد. او افزود این برنامه از ماه آینده در همه \
                    استان‌ها اجرا می‌شود و نتیجه آن تا پایان سال روشن خواهد شد. به گفته وی \
                    بازار ارز نیز با سیاست‌های جدید آرام‌تر خواهد شد.";
    // One word replaced (کالاهای → مواد) and one dropped (تا): no stretch of 20 words is left
    // unchanged.
    let copy = original
        .replace("کالاهای اساسی", "مواد اساسی")
        .replace("آن تا پایان", "آن پایان");
    let first = format!("خبر اقتصادی\n{original}\nپایان خبر.\n");
    let later = format!(
        "گزارش روز\nدر بخش دیگری از این گزارش آمده است که بارش باران ادامه دارد.\n{copy}\n"
    );
    fs::write(dir.path().join("a.txt"), &first).unwrap();
    fs::write(dir.path().join("b.txt"), &later).unwrap();
    let path = dir.path().to_str().unwrap();
    let recs = json_records(&["passages", path, "--near-exact"]);
    assert_eq!(recs.len(), 1, "{recs:?}");
    let r = &recs[0];
    let at = |k: &str| r[k].as_u64().unwrap() as usize;
    assert_eq!(
        (r["id"].as_str(), r["of"].as_str()),
        (Some("b.txt"), Some("a.txt"))
    );
    assert_eq!(&later[at("start")..at("end")], copy);
    assert_eq!(&first[at("of_start")..at("of_end")], original);
    assert_eq!(
        (r["edits"].as_u64(), r["line"].as_u64()),
        (Some(2), Some(3))
    );
    // Without the flag nothing is reported, and records carry no "edits" field.
    let recs = json_records(&["passages", path]);
    assert!(recs.is_empty(), "{recs:?}");
    let recs = json_records(&["passages", path, "--min-tokens", "15"]);
    assert!(!recs.is_empty() && recs.iter().all(|r| r.get("edits").is_none()));
}

/// Pages of four sites: each repeats its site's footer and some repeat an earlier article's
/// paragraph, so a filter has passages of both kinds to keep and to drop.
fn pages() -> (Vec<String>, Vec<String>) {
    let sentence = |seed: usize| {
        (0..24)
            .map(|k| format!("w{}", (seed * 31 + k * 7) % 997))
            .collect::<Vec<_>>()
            .join(" ")
            + "."
    };
    let mut ids = Vec::new();
    let mut texts = Vec::new();
    for n in 0..60usize {
        let footer = format!("Site {} footer: {}", n % 4, sentence(1000 + n % 4));
        let quoted = if n % 5 == 4 {
            sentence(n - 4)
        } else {
            String::new()
        };
        texts.push(format!(
            "{}\n{} {}\n{}",
            sentence(n),
            sentence(5000 + n),
            quoted,
            footer
        ));
        ids.push(format!("page-{n}"));
    }
    (ids, texts)
}

#[test]
fn passages_filtered_as_found_are_those_found_then_filtered() {
    let (ids, texts) = pages();
    let (_dir, corpus) = jsonl_corpus(&ids, &texts);
    let config = Config {
        memory: 1 << 20,
        ..Config::default()
    };
    let all = passages::find(&corpus, &config).unwrap();
    // The footers are on line 3, the repeated paragraphs on line 2.
    let in_footer = |p: &passages::Passage| p.line >= 3;
    let filtered = passages::find_where(&corpus, &config, |p| !in_footer(p)).unwrap();
    let expected: Vec<_> = all
        .passages
        .iter()
        .filter(|p| !in_footer(p))
        .cloned()
        .collect();
    assert!(!expected.is_empty() && expected.len() < all.passages.len());
    assert_eq!(filtered.passages, expected);
    assert_eq!(filtered.records(), {
        let kept = passages::Outcome {
            passages: expected.clone(),
            ..all.clone()
        };
        kept.records()
    });
    // Only the documents a kept passage names have their id held.
    for n in filtered.ids.keys() {
        assert!(expected.iter().any(|p| p.doc == *n || p.of_doc == *n));
    }
    assert_eq!(filtered.stats, all.stats);
}
