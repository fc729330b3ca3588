//! Chrome-aware near-duplicates: one article under several site templates is found when pages
//! are compared without their chrome (issue 4). Truth comes from the generator's line labels.

mod common;

use chaff::generate::{Config, Generator};
use chaff::shingle::{jaccard, Shingler, Shingling};
use chaff::text::Normalizer;
use common::*;
use std::collections::{HashMap, HashSet};

fn find(parent: &mut HashMap<String, String>, x: &str) -> String {
    let mut x = x.to_string();
    while let Some(p) = parent.get(&x).cloned() {
        if p == x {
            break;
        }
        x = p;
    }
    x
}

#[test]
fn syndicated_articles_under_different_templates_are_paired() {
    let config = Config {
        docs: 400,
        sites: 8,
        doc_bytes: 2500,
        ..Config::default()
    };
    let generator = Generator::new(&config, 5).unwrap();
    let (mut corpus, mut truth) = (Vec::new(), Vec::new());
    generator.write_jsonl(&mut corpus, &mut truth).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sites.jsonl");
    std::fs::write(&path, &corpus).unwrap();

    // Bodies: each page minus the lines the generator marks as chrome.
    let mut chrome: HashMap<String, HashSet<u64>> = HashMap::new();
    for r in records(&truth) {
        if r["kind"] == "line" && r["chrome"] == true {
            let id = r["id"].as_str().unwrap().to_string();
            chrome
                .entry(id)
                .or_default()
                .insert(r["line"].as_u64().unwrap());
        }
    }
    let shingler = Shingler::new(Shingling::Words(5), 0, Normalizer::default());
    let docs: Vec<(String, Vec<u64>)> = records(&corpus)
        .iter()
        .map(|d| {
            let id = d["id"].as_str().unwrap().to_string();
            let skip = chrome.get(&id).cloned().unwrap_or_default();
            let body: Vec<&str> = d["text"]
                .as_str()
                .unwrap()
                .split('\n')
                .enumerate()
                .filter(|(i, _)| !skip.contains(&(*i as u64 + 1)))
                .map(|(_, l)| l)
                .collect();
            (id, shingler.shingle_set(&body.join("\n")))
        })
        .collect();
    let set_of: HashMap<&str, &Vec<u64>> = docs.iter().map(|(i, s)| (i.as_str(), s)).collect();
    let mut truth_pairs = Vec::new();
    for i in 0..docs.len() {
        for j in i + 1..docs.len() {
            if jaccard(&docs[i].1, &docs[j].1) >= 0.8 {
                truth_pairs.push((docs[i].0.clone(), docs[j].0.clone()));
            }
        }
    }
    assert!(
        truth_pairs.len() >= 10,
        "the corpus plants syndicated copies"
    );

    let reported = json_records(&[
        "dups",
        path.to_str().unwrap(),
        "--chrome",
        "--containment",
        "0",
    ]);
    let mut parent: HashMap<String, String> = HashMap::new();
    for r in &reported {
        let (a, b) = (r["id"].as_str().unwrap(), r["of"].as_str().unwrap());
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        parent.insert(ra, rb);
    }
    let found = truth_pairs
        .iter()
        .filter(|(a, b)| find(&mut parent, a) == find(&mut parent, b))
        .count();
    let recall = found as f64 / truth_pairs.len() as f64;
    let correct = reported
        .iter()
        .filter(|r| {
            let (a, b) = (r["id"].as_str().unwrap(), r["of"].as_str().unwrap());
            jaccard(set_of[a], set_of[b]) >= 0.8
        })
        .count();
    let precision = correct as f64 / reported.len().max(1) as f64;
    assert!(
        recall >= 0.9,
        "recall {recall:.3} of {} body pairs",
        truth_pairs.len()
    );
    assert!(
        precision >= 0.95,
        "precision {precision:.3} of {} reported",
        reported.len()
    );

    // `scan` compares as `dups --chrome` does (lines left out at the comparison threshold),
    // but reports and removes only the lines that reach the removal threshold.
    let pairs = |records: &[serde_json::Value]| -> HashSet<(String, String)> {
        records
            .iter()
            .filter(|r| r["kind"] == "duplicate")
            .map(|r| (r["id"].to_string(), r["of"].to_string()))
            .collect()
    };
    let lines = |records: &[serde_json::Value]| -> HashSet<(String, u64)> {
        records
            .iter()
            .filter(|r| r["kind"] == "chrome")
            .map(|r| (r["id"].to_string(), r["line"].as_u64().unwrap()))
            .collect()
    };
    let input = path.to_str().unwrap();
    let scan = json_records(&[
        "scan",
        input,
        "--no-passages",
        "--no-syndication",
        "--containment",
        "0",
    ]);
    assert_eq!(pairs(&scan), pairs(&reported));
    let removed = json_records(&["chrome", input, "--no-syndication"]);
    assert_eq!(lines(&scan), lines(&removed));
    let model: serde_json::Value =
        serde_json::from_str(include_str!("../src/chrome/data/line_model.json")).unwrap();
    let compare = model["compare_threshold"].as_f64().unwrap().to_string();
    let compared = json_records(&[
        "chrome",
        input,
        "--no-syndication",
        "--chrome-threshold",
        &compare,
    ]);
    assert!(
        lines(&compared).len() > lines(&removed).len()
            && lines(&compared).is_superset(&lines(&removed)),
        "{} lines compared without, {} removed",
        lines(&compared).len(),
        lines(&removed).len()
    );
}
