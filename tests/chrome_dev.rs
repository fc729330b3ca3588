//! A quality floor on real pages: `chaff chrome` on the labeled development set
//! (`data/chrome-dev/`, 297 pages of 208 sites in 19 languages). The shipped line model was
//! fitted on these pages, so these are in-sample numbers and only a floor against regressions;
//! the held-out numbers (sites left out) come from `scripts/chrome_dev/heldout.sh`.

mod common;

use common::*;
use std::collections::HashMap;
use std::path::PathBuf;

struct Page {
    lang: String,
    labels: Vec<i64>,
}

fn dev_set() -> (PathBuf, HashMap<String, Page>) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/chrome-dev/pages.jsonl.zst");
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

#[test]
fn real_pages_lose_little_article_text_and_most_removals_are_chrome() {
    let (path, pages) = dev_set();
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
    for (english, t) in &tally {
        let removed = t.removed_chrome + t.removed_content;
        let precision = t.removed_chrome as f64 / removed as f64;
        let content_lost = t.removed_content as f64 / t.content as f64;
        let recall = t.removed_chrome as f64 / t.chrome as f64;
        // The default threshold keeps held-out content loss within 5% (English) and 10%
        // (other languages): on these, its training pages, it must do at least as well.
        let (min_precision, max_lost, min_recall) = if *english {
            (0.97, 0.05, 0.78)
        } else {
            (0.95, 0.10, 0.60)
        };
        assert!(
            precision >= min_precision && content_lost <= max_lost && recall >= min_recall,
            "english {english}: precision {precision:.4}, content lines removed {content_lost:.4}, \
             chrome recall {recall:.4} ({t:?})"
        );
    }
}
