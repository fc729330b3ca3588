//! `--memory`: a budget far below what a corpus needs spills to temporary files and gives
//! output byte-identical to a run with the default budget, for `scan`, `clean`, `chrome`,
//! `dups` and `passages`.

mod common;
use common::*;
use std::path::Path;

/// A generated multi-site corpus whose passage fingerprints (~200 000 of 16 bytes), template
/// line keys, chrome lines, band keys and passage tokens kept for comparison each overflow
/// their share of a 1M budget.
fn corpus(dir: &Path) -> std::path::PathBuf {
    let corpus = dir.join("c.jsonl");
    assert_cmd::Command::cargo_bin("chaff-gen")
        .unwrap()
        .args(["--docs", "1500", "--sites", "6", "--seed", "9", "--quiet"])
        .arg("--out")
        .arg(&corpus)
        .arg("--truth")
        .arg(dir.join("t.jsonl"))
        .assert()
        .success();
    corpus
}

/// `scan --format json` output without its closing summary (which carries the run's seconds).
fn scan_records(corpus: &Path, memory: Option<&str>) -> String {
    records("scan", &[], corpus, memory)
}

/// The `--format json` records of `command` (with `flags`) without a closing summary.
fn records(command_name: &str, flags: &[&str], corpus: &Path, memory: Option<&str>) -> String {
    let mut command = chaff();
    command
        .arg(command_name)
        .args(flags)
        .arg(corpus)
        .args(["--format", "json", "-q"]);
    if let Some(m) = memory {
        command.args(["--memory", m]);
    }
    let out = String::from_utf8(stdout_of(&mut command)).unwrap();
    out.lines()
        .filter(|l| !l.contains("\"kind\":\"summary\""))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn scan_with_a_tiny_memory_budget_gives_the_same_records() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = corpus(dir.path());
    let unbounded = scan_records(&corpus, None);
    assert!(
        unbounded.contains("\"kind\":\"passage\""),
        "the corpus must have passages for the budget to matter"
    );
    assert_eq!(scan_records(&corpus, Some("1M")), unbounded);
}

#[test]
fn chrome_dups_and_passages_with_a_tiny_memory_budget_give_the_same_records() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = corpus(dir.path());
    for (command, flags, kind) in [
        ("chrome", &[][..], "chrome"),
        ("chrome", &["--no-syndication"][..], "chrome"),
        ("dups", &[][..], "duplicate"),
        ("dups", &["--chrome"][..], "duplicate"),
        ("passages", &[][..], "passage"),
    ] {
        let unbounded = records(command, flags, &corpus, None);
        assert!(
            unbounded.contains(&format!("\"kind\":\"{kind}\"")),
            "{command} {flags:?} must find something for the budget to matter"
        );
        assert_eq!(
            records(command, flags, &corpus, Some("1M")),
            unbounded,
            "{command} {flags:?} differs under --memory 1M"
        );
    }
}

#[test]
fn clean_with_a_tiny_memory_budget_writes_the_same_corpus_and_log() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = corpus(dir.path());
    let run = |name: &str, memory: Option<&str>| {
        let out = dir.path().join(name);
        let log = dir.path().join(format!("{name}.log"));
        let mut command = chaff();
        command
            .arg("clean")
            .arg(&corpus)
            .arg("--out")
            .arg(&out)
            .arg("--log")
            .arg(&log)
            .arg("-q");
        if let Some(m) = memory {
            command.args(["--memory", m]);
        }
        stdout_of(&mut command);
        (
            std::fs::read(out.join("c.jsonl")).unwrap(),
            std::fs::read(&log).unwrap(),
        )
    };
    let (text, log) = run("unbounded", None);
    let (tiny_text, tiny_log) = run("tiny", Some("1M"));
    assert!(!log.is_empty(), "the corpus must give removals");
    assert!(
        tiny_text == text,
        "the cleaned corpus differs under --memory 1M"
    );
    assert!(tiny_log == log, "the removal log differs under --memory 1M");
}

#[test]
fn a_memory_budget_below_one_megabyte_is_refused_by_its_flag() {
    for command in ["scan", "chrome", "dups", "passages"] {
        let out = chaff()
            .args([command, "--memory", "64K"])
            .arg(fixture("."))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{command}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("--memory"),
            "{command}"
        );
    }
}
