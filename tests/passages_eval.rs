//! Recall and precision of `chaff passages` on a deterministic corpus with planted repeats and
//! their truth: leads repeated at the start of a later paragraph (teasers), quotes pasted into
//! 2-5 later documents with normalization variants (Arabic yeh/kaf, ZWNJ dropped, tashkeel,
//! Arabic-Indic digits), a long site footer repeated on every page of a site, and short stock
//! phrases (bylines, list labels) that must not be reported.
//!
//! A reported span and a truth span match when their overlap covers at least 90% of the
//! characters of each. The fast test runs a few hundred documents through the library; the
//! ignored one writes a large corpus for measuring the binary (see its doc comment).

use chaff::passages::{self, Config};
use std::io::Write;

/// The default `--min-tokens`, which the evaluation runs at.
const MIN_TOKENS: usize = 20;

/// Deterministic xorshift stream.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Made-up vocabulary of `n` words with a Zipf-like draw, so that short word runs recur by
/// chance as they do in real prose.
struct Vocab(Vec<String>);

impl Vocab {
    fn new(n: usize) -> Vocab {
        const SYL: [&str; 16] = [
            "با", "رن", "کو", "سا", "می", "دا", "نو", "تر", "پی", "لا", "گش", "زو", "یک", "شه",
            "ور", "خا",
        ];
        let mut rng = Rng(0x5EED);
        let mut words: Vec<String> = ["و", "در", "به", "از", "که", "این", "را", "با", "است"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        while words.len() < n {
            let len = 2 + rng.below(3);
            words.push((0..len).map(|_| SYL[rng.below(SYL.len())]).collect());
        }
        Vocab(words)
    }

    fn word(&self, rng: &mut Rng) -> &str {
        // Squaring a uniform draw favours low ranks: a rough Zipf curve.
        let u = (rng.next() % 1_000_000) as f64 / 1e6;
        &self.0[((u * u * u) * self.0.len() as f64) as usize]
    }

    fn sentence(&self, rng: &mut Rng) -> String {
        let n = 8 + rng.below(22);
        let mut s: Vec<&str> = (0..n).map(|_| self.word(rng)).collect();
        if rng.below(4) == 0 {
            s.insert(rng.below(n), ["۱۴۰۴", "۲۳", "۱۲۰"][rng.below(3)]);
        }
        let end = [".", ".", ".", "؟", "!"][rng.below(5)];
        let comma = rng.below(n);
        let mut out = String::new();
        for (i, w) in s.iter().enumerate() {
            if i > 0 {
                out.push_str(if i == comma { "، " } else { " " });
            }
            out.push_str(w);
        }
        out + end
    }

    fn sentences(&self, rng: &mut Rng, n: usize) -> String {
        (0..n)
            .map(|_| self.sentence(rng))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The same text as another site would print it.
fn variant(text: &str, rng: &mut Rng) -> String {
    match rng.below(4) {
        0 => text.replace('ی', "ي").replace('ک', "ك"),
        1 => text.replace('۱', "١").replace('۴', "٤").replace('۲', "٢"),
        2 => text.replace("می", "مِی").replace("با", "بـا"),
        _ => text.to_string(),
    }
}

/// A planted later copy: document, byte range, and the document of its first occurrence.
#[derive(Debug, Clone)]
struct Truth {
    doc: usize,
    range: std::ops::Range<usize>,
}

/// Builds `n` documents over `sites` sites and the truth of every planted later copy.
fn corpus(n: usize, sites: usize, seed: u64) -> (Vec<String>, Vec<Truth>) {
    let vocab = Vocab::new(3000);
    let mut rng = Rng(seed | 1);
    let footers: Vec<String> = (0..sites).map(|_| vocab.sentences(&mut rng, 2)).collect();
    let bylines = [
        "به گزارش خبرنگار ما،",
        "به نقل از منابع خبری،",
        "Reporting by staff",
    ];
    let mut docs: Vec<String> = Vec::new();
    let mut truth = Vec::new();
    // Quotes waiting to be pasted: (text, remaining hosts).
    let mut open_quotes: Vec<(String, usize)> = Vec::new();
    let mut seen_site = vec![false; sites];
    for d in 0..n {
        let site = d % sites;
        let mut text = String::new();
        let mut mark = |text: &mut String, piece: &str, planted: bool| {
            let start = text.len();
            text.push_str(piece);
            if planted {
                truth.push(Truth {
                    doc: d,
                    range: start..text.len(),
                });
            }
        };
        mark(&mut text, &vocab.sentence(&mut rng), false);
        text.push('\n');
        let count = 2 + rng.below(2);
        let lead = vocab.sentences(&mut rng, count);
        mark(&mut text, &lead, false);
        text.push('\n');
        let teaser_at = if rng.below(3) == 0 {
            1 + rng.below(3)
        } else {
            99
        };
        for p in 0..4 {
            text.push_str(bylines[rng.below(bylines.len())]);
            text.push(' ');
            if p == teaser_at {
                mark(&mut text, &lead, true);
                text.push(' ');
            }
            if p == 2 && !open_quotes.is_empty() && rng.below(2) == 0 {
                let q = rng.below(open_quotes.len());
                let copy = variant(&open_quotes[q].0, &mut rng);
                text.push_str(&vocab.sentence(&mut rng));
                text.push_str(" گفت: «");
                mark(&mut text, &copy, true);
                text.push_str("» ");
                open_quotes[q].1 -= 1;
                if open_quotes[q].1 == 0 {
                    open_quotes.swap_remove(q);
                }
            }
            let count = 2 + rng.below(3);
            text.push_str(&vocab.sentences(&mut rng, count));
            text.push('\n');
            if p == 1 && rng.below(12) == 0 {
                let count = 2 + rng.below(2);
                let quote = vocab.sentences(&mut rng, count);
                text.push_str(&quote);
                text.push('\n');
                open_quotes.push((quote, 2 + rng.below(4)));
            }
        }
        // The list labels are short stock phrases repeated on every page.
        for _ in 0..3 {
            text.push_str("خبر مرتبط: ");
            text.push_str(&vocab.sentence(&mut rng));
            text.push('\n');
        }
        mark(&mut text, &footers[site], seen_site[site]);
        text.push('\n');
        seen_site[site] = true;
        docs.push(text);
    }
    (docs, truth)
}

fn chars(text: &str, r: &std::ops::Range<usize>) -> usize {
    text.get(r.clone()).map_or(0, |s| s.chars().count())
}

/// (precision, recall, reported, planted) of `found` against `truth`.
fn score(
    docs: &[String],
    truth: &[Truth],
    found: &[(usize, std::ops::Range<usize>)],
) -> (f64, f64, usize, usize) {
    let matches = |doc: usize, a: &std::ops::Range<usize>, t: &Truth| {
        if doc != t.doc {
            return false;
        }
        let text = &docs[doc];
        let overlap = a.start.max(t.range.start)..a.end.min(t.range.end);
        if overlap.start >= overlap.end {
            return false;
        }
        let o = chars(text, &overlap) as f64;
        o >= 0.9 * chars(text, a) as f64 && o >= 0.9 * chars(text, &t.range) as f64
    };
    // The first few misses, to see what went wrong when the numbers drop.
    for (d, r) in found
        .iter()
        .filter(|(d, r)| !truth.iter().any(|t| matches(*d, r, t)))
        .take(5)
    {
        eprintln!(
            "unmatched report: doc {d} {r:?}: {:?}",
            &docs[*d][r.clone()]
        );
    }
    let good = found
        .iter()
        .filter(|(d, r)| truth.iter().any(|t| matches(*d, r, t)))
        .count();
    // A planted copy shorter than the minimum is not a passage by definition; it is left out
    // of recall (and a report matching it still counts as correct).
    let long = |t: &&Truth| chaff::text::tokens(&docs[t.doc][t.range.clone()]).len() >= MIN_TOKENS;
    let truth_long: Vec<&Truth> = truth.iter().filter(long).collect();
    eprintln!(
        "{} planted copies, {} of at least {MIN_TOKENS} tokens",
        truth.len(),
        truth_long.len()
    );
    let truth = truth_long;
    let hit = truth
        .iter()
        .filter(|t| found.iter().any(|(d, r)| matches(*d, r, t)))
        .count();
    let p = if found.is_empty() {
        1.0
    } else {
        good as f64 / found.len() as f64
    };
    let r = if truth.is_empty() {
        1.0
    } else {
        hit as f64 / truth.len() as f64
    };
    (p, r, found.len(), truth.len())
}

#[test]
fn planted_passages_are_found_with_high_recall_and_precision() {
    assert_eq!(Config::default().min_tokens, MIN_TOKENS);
    let (docs, truth) = corpus(400, 7, 42);
    assert!(
        truth.len() > 400,
        "too few planted repeats: {}",
        truth.len()
    );
    let refs: Vec<&str> = docs.iter().map(String::as_str).collect();
    let outcome = passages::find_in_texts(&refs, &Config::default()).unwrap();
    let found: Vec<(usize, std::ops::Range<usize>)> = outcome
        .passages
        .iter()
        .map(|p| (p.doc as usize, p.start..p.end))
        .collect();
    let (p, r, n, t) = score(&docs, &truth, &found);
    eprintln!("precision {p:.4} recall {r:.4} ({n} reported, {t} planted)");
    assert!(p >= 0.98 && r >= 0.98, "precision {p:.4} recall {r:.4}");
    // Every reported copy comes after what it repeats and slices to the same tokens.
    for q in &outcome.passages {
        assert!((q.of_doc, q.of_start) < (q.doc, q.start));
        let a = chaff::text::tokens(&docs[q.of_doc as usize][q.of_start..q.of_end]);
        let b = chaff::text::tokens(&docs[q.doc as usize][q.start..q.end]);
        let hashes = |t: &[chaff::text::Token]| t.iter().map(|x| x.hash).collect::<Vec<_>>();
        assert_eq!(hashes(&a), hashes(&b));
    }
}

/// Writes a large planted corpus for measuring the binary: set `CHAFF_EVAL_DIR`, optionally
/// `CHAFF_EVAL_DOCS` (default 100000), then run
/// `cargo test --release --test passages_eval -- --ignored`, which writes `corpus.jsonl` and
/// `truth.jsonl` there; then time `chaff passages DIR/corpus.jsonl --format json > found.jsonl`
/// and score it with `CHAFF_EVAL_SCORE=1` on a second run of the same command.
#[test]
#[ignore]
fn write_or_score_a_large_planted_corpus() {
    let Ok(dir) = std::env::var("CHAFF_EVAL_DIR") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let n: usize = std::env::var("CHAFF_EVAL_DOCS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let (docs, truth) = corpus(n, 50, 7);
    if std::env::var("CHAFF_EVAL_SCORE").is_ok() {
        let found: Vec<(usize, std::ops::Range<usize>)> =
            std::fs::read_to_string(dir.join("found.jsonl"))
                .unwrap()
                .lines()
                .map(|l| {
                    let v: serde_json::Value = serde_json::from_str(l).unwrap();
                    let id: usize = v["id"].as_str().unwrap().parse().unwrap();
                    let at = |k: &str| v[k].as_u64().unwrap() as usize;
                    (id, at("start")..at("end"))
                })
                .collect();
        let (p, r, n, t) = score(&docs, &truth, &found);
        eprintln!("precision {p:.4} recall {r:.4} ({n} reported, {t} planted)");
        return;
    }
    std::fs::create_dir_all(&dir).unwrap();
    let mut out = std::io::BufWriter::new(std::fs::File::create(dir.join("corpus.jsonl")).unwrap());
    for (i, d) in docs.iter().enumerate() {
        serde_json::to_writer(
            &mut out,
            &serde_json::json!({"id": i.to_string(), "text": d}),
        )
        .unwrap();
        out.write_all(b"\n").unwrap();
    }
    let mut t = std::io::BufWriter::new(std::fs::File::create(dir.join("truth.jsonl")).unwrap());
    for x in &truth {
        writeln!(
            t,
            "{{\"doc\":{},\"start\":{},\"end\":{}}}",
            x.doc, x.range.start, x.range.end
        )
        .unwrap();
    }
}
