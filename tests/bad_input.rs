//! Bad input gives a clear error naming the place, exit status 2, and never a panic.

mod common;

use common::*;
use std::fs;

fn run_err(args: &[&str]) -> String {
    let out = chaff().args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "expected exit 2 for {args:?}");
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[test]
fn malformed_json_line_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("c.jsonl");
    fs::write(
        &p,
        "{\"id\":\"a\",\"text\":\"x\"}\n{\"id\": \"b\", \"text\": \n",
    )
    .unwrap();
    let err = run_err(&["dups", p.to_str().unwrap()]);
    assert!(err.contains("c.jsonl:2"), "{err}");
}

#[test]
fn missing_text_field_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("c.jsonl");
    fs::write(&p, "{\"id\":\"a\",\"body\":\"x\"}\n").unwrap();
    let err = run_err(&["dups", p.to_str().unwrap()]);
    assert!(
        err.contains("c.jsonl:1") && err.contains("--text-field"),
        "{err}"
    );
    // The library names the setting by its field, never by a flag.
    let corpus = chaff::corpus::Corpus::open(std::slice::from_ref(&p), Default::default()).unwrap();
    let e = corpus.read(false, |_| Ok(())).unwrap_err();
    assert_eq!(e.advice().map(|a| a.field), Some("corpus.fields.text"));
    assert!(!e.to_string().contains("--"), "{e}");
    // ... and --text-field fixes it.
    chaff()
        .args(["dups", p.to_str().unwrap(), "--text-field", "body"])
        .assert()
        .success();
}

#[test]
fn invalid_utf8_names_byte_offset_unless_lossy() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.txt");
    fs::write(&p, b"abc \xff\xfe def").unwrap();
    let err = run_err(&["dups", p.to_str().unwrap()]);
    assert!(err.contains("bad.txt") && err.contains("byte 4"), "{err}");
    chaff()
        .args(["dups", "--lossy", p.to_str().unwrap()])
        .assert()
        .success();
}

#[test]
fn binary_files_are_skipped_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("img.txt"), b"\x89PNG\x00\x00\x01binary").unwrap();
    fs::write(dir.path().join("ok.txt"), "hello world").unwrap();
    let out = chaff()
        .args(["dups", dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("img.txt: skipped"));
}

#[test]
fn unreadable_path_is_an_error() {
    let err = run_err(&["dups", "/definitely/not/here.jsonl"]);
    assert!(err.contains("/definitely/not/here.jsonl"), "{err}");
}

#[test]
fn bad_options_exit_2() {
    run_err(&["dups", "x", "--threshold", "1.5"]);
    run_err(&["dups", "x", "--no-fold", "bogus"]);
    run_err(&["dups"]);
}

#[test]
fn non_object_json_and_non_string_text_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("c.jsonl");
    fs::write(&p, "[1,2]\n").unwrap();
    assert!(run_err(&["dups", p.to_str().unwrap()]).contains("object"));
    fs::write(&p, "{\"text\": 5}\n").unwrap();
    assert!(run_err(&["dups", p.to_str().unwrap()]).contains("string"));
}
