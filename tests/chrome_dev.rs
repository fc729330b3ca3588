//! A quality floor on real pages: `chaff chrome` on the labeled development set
//! (`data/chrome-dev/pages.jsonl.zst`, 297 pages of 208 sites in 19 languages) and on the fundus
//! test pages (`fundus.jsonl.zst`, 256 news pages of ~180 sites in 24 languages). The shipped
//! line model was fitted on the first, so those are in-sample numbers and only a floor against
//! regressions; it never saw the second, whose numbers are held out. The held-out numbers of
//! the development set (sites left out) come from `scripts/chrome_dev/heldout.sh`.

mod common;

use common::*;
use std::collections::HashMap;
use std::path::PathBuf;

struct Page {
    lang: String,
    labels: Vec<i64>,
}

fn labeled_set(name: &str) -> (PathBuf, HashMap<String, Page>) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("data/chrome-dev")
        .join(name);
    let raw = zstd::decode_all(std::fs::File::open(&path).unwrap()).unwrap();
    let mut pages = HashMap::new();
    for line in String::from_utf8(raw).unwrap().lines() {
        let r: serde_json::Value = serde_json::from_str(line).unwrap();
        let labels = r["labels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_i64().unwrap())
            .collect();
        let lang = r["lang"].as_str().unwrap_or("").to_string();
        pages.insert(r["id"].as_str().unwrap().to_string(), Page { lang, labels });
    }
    (path, pages)
}

#[derive(Default, Debug)]
struct Tally {
    removed_chrome: u64,
    removed_content: u64,
    content: u64,
    chrome: u64,
}

/// Lines removed by the default threshold on a labeled set, English pages and the others apart.
fn tally(name: &str) -> HashMap<bool, Tally> {
    let (path, pages) = labeled_set(name);
    let records = json_records(&["chrome", path.to_str().unwrap()]);
    let mut tally: HashMap<bool, Tally> = HashMap::new();
    for page in pages.values() {
        let t = tally.entry(page.lang == "en").or_default();
        t.chrome += page.labels.iter().filter(|&&l| l == 1).count() as u64;
        t.content += page.labels.iter().filter(|&&l| l == 0).count() as u64;
    }
    for r in &records {
        let page = &pages[r["id"].as_str().unwrap()];
        let label = page.labels[r["line"].as_u64().unwrap() as usize - 1];
        let t = tally.get_mut(&(page.lang == "en")).unwrap();
        match label {
            1 => t.removed_chrome += 1,
            0 => t.removed_content += 1,
            _ => {}
        }
        let score = r["score"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&score), "{r}");
    }
    tally
}

/// Asserts each group's floors: `(min precision, max share of content lines removed, min
/// chrome recall)` for English pages and for the others.
fn holds(tally: &HashMap<bool, Tally>, english: (f64, f64, f64), others: (f64, f64, f64)) {
    for (is_english, t) in tally {
        let removed = t.removed_chrome + t.removed_content;
        let precision = t.removed_chrome as f64 / removed as f64;
        let content_lost = t.removed_content as f64 / t.content as f64;
        let recall = t.removed_chrome as f64 / t.chrome as f64;
        let (min_precision, max_lost, min_recall) = if *is_english { english } else { others };
        assert!(
            precision >= min_precision && content_lost <= max_lost && recall >= min_recall,
            "english {is_english}: precision {precision:.4}, content lines removed {content_lost:.4}, \
             chrome recall {recall:.4} ({t:?})"
        );
    }
}

#[test]
fn real_pages_lose_little_article_text_and_most_removals_are_chrome() {
    // The default threshold keeps held-out content loss within 5% (English) and 10% (other
    // languages): on these, its training pages, it must do at least as well.
    holds(
        &tally("pages.jsonl.zst"),
        (0.97, 0.05, 0.78),
        (0.95, 0.10, 0.60),
    );
}

#[test]
fn news_pages_no_fit_saw_lose_little_article_text() {
    // Measured with the shipped model: English 99.8% precise, 1.0% of content lines removed,
    // 78% of chrome lines found; other languages 99.8%, 1.5%, 84%. The floors leave room for
    // a refit, not for a rule that deletes articles in a language without a word list.
    holds(
        &tally("fundus.jsonl.zst"),
        (0.98, 0.02, 0.72),
        (0.98, 0.03, 0.78),
    );
}
