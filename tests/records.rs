//! Every record the binary writes, by every command that writes records, keeps the README's
//! record contract: a kind the README lists, only fields the README lists for it, in the listed
//! order, the required ones all present.

mod common;

use common::{chaff, fixture, json_records, stdout_of};
use std::collections::BTreeMap;
use std::path::Path;

/// The README's table of record fields: kind → [(field, optional)], in order.
fn contract() -> BTreeMap<String, Vec<(String, bool)>> {
    let out = common::contract::readme_fields(include_str!("../README.md"));
    assert!(out.len() >= 5, "the README lists the record kinds: {out:?}");
    out
}

/// Asserts that every record keeps the contract; returns how many of each kind there were.
fn assert_contract(records: &[serde_json::Value]) -> BTreeMap<String, usize> {
    let contract = contract();
    let mut seen = BTreeMap::new();
    for r in records {
        let map = r.as_object().expect("a record is an object");
        let keys: Vec<&String> = map.keys().collect();
        assert_eq!(keys[0], "kind", "{r}");
        let kind = map["kind"].as_str().expect("kind is a string");
        let fields = contract
            .get(kind)
            .unwrap_or_else(|| panic!("kind {kind} is not in the README: {r}"));
        // The record's fields are the listed ones, in the listed order.
        let mut listed = fields.iter();
        for k in &keys[1..] {
            assert!(
                listed.any(|(f, _)| f == *k),
                "{kind}: field {k} not listed, or out of the README's order: {r}"
            );
        }
        for (f, optional) in fields {
            assert!(*optional || map.contains_key(f), "{kind}: {f} missing: {r}");
        }
        *seen.entry(kind.to_string()).or_insert(0) += 1;
    }
    seen
}

/// The fixtures plus an edited copy of one of them, in `dir`.
fn corpus_with_a_copy(dir: &Path) {
    let fixtures = fixture("");
    for entry in std::fs::read_dir(&fixtures).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
    }
    let (_, text) = common::seed("000");
    let edited = text.replacen(' ', " edited ", 1);
    std::fs::write(dir.join("zz_copy.txt"), edited).unwrap();
}

#[test]
fn every_command_writes_records_the_readme_lists() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    corpus_with_a_copy(&corpus);
    let input = corpus.to_str().unwrap();

    let mut all = Vec::new();
    for args in [
        vec!["dups", input],
        vec!["dups", input, "--chrome"],
        vec!["passages", input],
        vec!["passages", input, "--near-exact"],
        vec!["chrome", input],
        vec!["scan", input],
    ] {
        all.extend(json_records(&args));
    }
    let log = tmp.path().join("removed.jsonl");
    stdout_of(
        chaff()
            .args(["clean", input, "--quiet", "--out"])
            .arg(tmp.path().join("out"))
            .arg("--log")
            .arg(&log),
    );
    all.extend(common::records(&std::fs::read(&log).unwrap()));
    let seen = assert_contract(&all);
    for kind in ["duplicate", "passage", "chrome", "summary"] {
        assert!(
            seen.get(kind).is_some_and(|&n| n > 0),
            "no {kind} record: {seen:?}"
        );
    }
}

#[test]
fn check_records_keep_the_contract_and_say_where_they_were_found() {
    let tmp = tempfile::tempdir().unwrap();
    let index = tmp.path().join("kept.chaff");
    stdout_of(
        chaff()
            .args(["index", "add", "--quiet", "--index"])
            .arg(&index)
            .arg(fixture("")),
    );
    let corpus = tmp.path().join("today");
    std::fs::create_dir(&corpus).unwrap();
    corpus_with_a_copy(&corpus);
    let out = stdout_of(
        chaff()
            .args(["check", "--quiet", "--format", "json", "--index"])
            .arg(&index)
            .arg(&corpus),
    );
    let records = common::records(&out);
    let seen = assert_contract(&records);
    for kind in ["duplicate", "passage", "chrome", "check"] {
        assert!(
            seen.get(kind).is_some_and(|&n| n > 0),
            "no {kind} record: {seen:?}"
        );
    }
    let (summary, findings) = records.split_last().unwrap();
    assert_eq!(summary["kind"], "check");
    for r in findings {
        assert!(
            r["in_index"].is_boolean(),
            "a check finding says where: {r}"
        );
        // An indexed passage is placed in tokens (the index keeps no text), a new one in bytes.
        if r["kind"] == "passage" {
            let indexed = r["in_index"] == true;
            assert_eq!(r.get("of_token_start").is_some(), indexed, "{r}");
            assert_eq!(r.get("of_start").is_some(), !indexed, "{r}");
        }
    }
}
