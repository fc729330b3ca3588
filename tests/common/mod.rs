//! Helpers shared by the integration tests: run the real binary, read fixtures.
#![allow(dead_code)]

/// The README's table of record fields.
pub mod contract;
#[cfg(feature = "generate")]
pub mod generated;

use std::path::{Path, PathBuf};

/// The `chaff` binary under test.
pub fn chaff() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("chaff").expect("the chaff binary is built by cargo test")
}

/// Path of a file under `fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

/// The text of seed `NNN_...txt` by its three-digit prefix.
pub fn seed(prefix: &str) -> (String, String) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with(prefix) && name.ends_with(".txt") {
            return (name, std::fs::read_to_string(entry.path()).unwrap());
        }
    }
    panic!("no seed {prefix} in fixtures/");
}

/// Parses JSON Lines output.
pub fn records(stdout: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad record {l}: {e}")))
        .collect()
}

/// Runs `command` expecting success (its stderr is the failure message), returning its stdout.
pub fn stdout_of(command: &mut assert_cmd::Command) -> Vec<u8> {
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "{command:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Runs `chaff ARGS` expecting success, returning its JSON records.
pub fn json_records(args: &[&str]) -> Vec<serde_json::Value> {
    records(&stdout_of(
        chaff().args(args).args(["--format", "json", "--quiet"]),
    ))
}

/// Starts `chaff index add CORPUS --index INDEX` paused (the test hook
/// `CHAFF_TEST_PAUSE_AFTER`) after `after` documents, holding the index's writer lock, and
/// returns it once it says so.
pub fn paused_add(index: &Path, corpus: &Path, after: u64) -> std::process::Child {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("chaff"))
        .args(["index", "add"])
        .arg(corpus)
        .arg("--index")
        .arg(index)
        .arg("--quiet")
        .env("CHAFF_TEST_PAUSE_AFTER", after.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    for l in BufReader::new(stderr).lines() {
        if l.unwrap().contains("paused after") {
            return child;
        }
    }
    let status = child.wait();
    panic!("chaff index add ended without pausing: {status:?}");
}

/// The message of a [`chaff::Error::Sketches`] (any other error fails the test).
pub fn sketches_message(e: chaff::Error) -> String {
    match e {
        chaff::Error::Sketches(m) => m,
        other => panic!("expected a sketches error, got {other:?}"),
    }
}

/// Merging `first` with sketches made with another seed (`other_seed`, which the message names
/// as `difference`) or with sketches of a document `first` holds (`same_doc`) is refused by
/// name.
pub fn assert_merges_refused<S: Clone>(
    first: &S,
    other_seed: S,
    same_doc: S,
    merge: impl Fn(S, S) -> chaff::Result<S>,
    difference: &str,
) {
    let e = merge(first.clone(), other_seed)
        .err()
        .expect("settings differ");
    assert!(sketches_message(e).contains(difference));
    let e = merge(first.clone(), same_doc)
        .err()
        .expect("a number in both");
    assert!(sketches_message(e).contains("document number 0 is in both"));
}

/// `texts` with their `ids` written as a JSONL corpus in a temporary directory (kept alive by
/// the returned handle) and opened.
pub fn jsonl_corpus(
    ids: &[String],
    texts: &[String],
) -> (tempfile::TempDir, chaff::corpus::Corpus) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corpus.jsonl");
    let lines: Vec<String> = ids
        .iter()
        .zip(texts)
        .map(|(id, text)| serde_json::json!({"id": id, "text": text}).to_string() + "\n")
        .collect();
    std::fs::write(&path, lines.concat()).unwrap();
    let corpus =
        chaff::corpus::Corpus::open(&[path], chaff::corpus::ReadOptions::default()).unwrap();
    (dir, corpus)
}
