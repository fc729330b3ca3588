//! Hostile or odd input costs time and memory bounded by its size, and gets a clear message:
//! runs of one token, masses of one-word documents, endless and huge files, byte-order marks,
//! lone surrogates, stdin, corrupt compressed files, dangling symlinks (issue 15).
//!
//! No test asserts a duration: the cases that used to take minutes (or run until the OOM killer)
//! run under a generous cap that only guards against a hang.

mod common;

use common::*;
use std::fs;
use std::io::Write;
use std::path::Path;
use std::time::Duration;

/// Hang guard: each of these commands takes well under a few seconds now.
const HANG_GUARD: Duration = Duration::from_secs(60);

/// Runs chaff under the hang guard, returning (exit code, stdout, stderr).
fn run(args: &[&str]) -> (Option<i32>, Vec<u8>, String) {
    let out = chaff().args(args).timeout(HANG_GUARD).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(!err.contains("panicked"), "{err}");
    (out.status.code(), out.stdout, err)
}

/// Runs chaff with its address space capped at 2 GB (`ulimit -v`, through `sh`), so a test of
/// bounded memory fails cleanly ("out of memory") instead of pushing the machine into the OOM
/// killer when the bound is broken.
#[cfg(unix)]
fn run_capped(args: &[&str]) -> (Option<i32>, String) {
    let out = assert_cmd::Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 2000000 && exec \"$0\" \"$@\"")
        .arg(assert_cmd::cargo::cargo_bin("chaff"))
        .args(args)
        .timeout(HANG_GUARD)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(!err.contains("panicked"), "{err}");
    (out.status.code(), err)
}

fn run_err(args: &[&str]) -> String {
    let (code, _, err) = run(args);
    assert_eq!(code, Some(2), "expected exit 2 for {args:?}: {err}");
    err
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Bytes covered by the passage records of `chaff CMD FILE --format json`.
fn passage_bytes(cmd: &str, file: &Path) -> u64 {
    let (code, out, err) = run(&[cmd, path(file), "--format", "json", "--quiet"]);
    assert_eq!(code, Some(0), "{err}");
    records(&out)
        .iter()
        .filter(|r| r["kind"] == "passage")
        .map(|r| r["end"].as_u64().unwrap() - r["start"].as_u64().unwrap())
        .sum()
}

#[test]
fn a_run_of_one_token_is_searched_in_linear_time_and_reported() {
    // 200,000 tokens: about four minutes of quadratic extension before, a fraction of a second now.
    let dir = tempfile::tempdir().unwrap();
    let run_file = dir.path().join("run.txt");
    let text = "a ".repeat(200_000);
    fs::write(&run_file, &text).unwrap();
    for cmd in ["passages", "scan"] {
        // The second half repeats the first: later copies must cover a good part of it.
        let covered = passage_bytes(cmd, &run_file);
        assert!(
            covered >= text.len() as u64 / 3,
            "{cmd}: only {covered} of {} bytes reported",
            text.len()
        );
    }
}

#[test]
fn a_table_of_zeros_is_searched_in_linear_time_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("zeros.txt");
    let text = "0\t0\t0\t0\t0\n".repeat(40_000);
    fs::write(&table, &text).unwrap();
    let covered = passage_bytes("passages", &table);
    assert!(covered >= text.len() as u64 / 3, "only {covered} bytes");
}

#[test]
fn half_a_million_one_word_documents_are_grouped_in_seconds() {
    // 100,000 of these took 15 s before (k² hashed probes per document to fill empty slots),
    // 1,000,000 did not finish in three minutes.
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("words.jsonl");
    let mut w = std::io::BufWriter::new(fs::File::create(&corpus).unwrap());
    for i in 0..500_000u32 {
        // Every 1000th document repeats the first one's word: 499 planted duplicates.
        let word = if i % 1000 == 0 { 0 } else { i };
        writeln!(w, "{{\"id\":\"d{i}\",\"text\":\"w{word}\"}}").unwrap();
    }
    drop(w);
    let (code, out, err) = run(&["dups", path(&corpus), "--format", "json", "--quiet"]);
    assert_eq!(code, Some(0), "{err}");
    let planted = records(&out)
        .iter()
        .filter(|r| r["kind"] == "duplicate" && r["of"] == "d0")
        .count();
    assert_eq!(planted, 499);
}

#[cfg(unix)]
#[test]
fn an_endless_file_is_skipped_as_binary_after_reading_a_prefix() {
    if !Path::new("/dev/zero").exists() {
        return;
    }
    // Before, this read /dev/zero whole: memory grew at 1.7 GB/s until the OOM killer.
    let (code, err) = run_capped(&["dups", "/dev/zero"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("/dev/zero") && err.contains("binary"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_big_binary_file_in_a_directory_is_skipped_without_being_read() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("ok.txt"), "hello world").unwrap();
    // A sparse 6 GB file: reading it whole, as before, runs out of the 2 GB allowed.
    let big = fs::File::create(dir.path().join("disk.txt")).unwrap();
    big.set_len(6 << 30).unwrap();
    let (code, err) = run_capped(&["dups", path(dir.path())]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("disk.txt") && err.contains("binary"), "{err}");
}

#[cfg(unix)]
#[test]
fn clean_copies_a_big_binary_file_unchanged_without_holding_it() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir_all(&input).unwrap();
    fs::write(input.join("ok.txt"), "hello world").unwrap();
    // Sparse, 2.2 GB: read whole into memory, as before, it does not fit in the 2 GB allowed.
    let big = fs::File::create(input.join("disk.txt")).unwrap();
    big.set_len(2200 << 20).unwrap();
    let out = dir.path().join("out");
    let (code, err) = run_capped(&["clean", path(&input), "--quiet", "--out", path(&out)]);
    assert_eq!(code, Some(0), "{err}");
    let copied = fs::metadata(out.join("in").join("disk.txt")).unwrap();
    assert_eq!(copied.len(), 2200 << 20);
}

#[test]
fn a_document_over_the_size_limit_is_refused_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let txt = dir.path().join("book.txt");
    fs::write(&txt, "word ".repeat(400_000)).unwrap();
    let err = run_err(&["dups", "--max-doc-bytes", "1M", path(&txt)]);
    assert!(
        err.contains("book.txt") && err.contains("--max-doc-bytes"),
        "{err}"
    );
    // At or under the limit it is read.
    let (code, _, err) = run(&["dups", "--max-doc-bytes", "2M", path(&txt)]);
    assert_eq!(code, Some(0), "{err}");

    let jsonl = dir.path().join("c.jsonl");
    let long = format!(
        "{{\"id\":\"a\",\"text\":\"x\"}}\n{{\"id\":\"b\",\"text\":\"{}\"}}\n",
        "word ".repeat(400_000)
    );
    fs::write(&jsonl, long).unwrap();
    let err = run_err(&["passages", "--max-doc-bytes", "1M", path(&jsonl)]);
    assert!(
        err.contains("c.jsonl:2") && err.contains("--max-doc-bytes"),
        "{err}"
    );
    let err = run_err(&["dups", "--max-doc-bytes", "0", path(&jsonl)]);
    assert!(err.contains("--max-doc-bytes"), "{err}");
}

#[test]
fn the_default_limit_refuses_a_huge_one_line_document() {
    // Text up front, then a sparse tail of 80 MB (zeros after the binary probe): over the 64 MB
    // default, refused after reading 64 MB rather than read whole.
    let dir = tempfile::tempdir().unwrap();
    let txt = dir.path().join("huge.txt");
    fs::write(&txt, "word ".repeat(4000)).unwrap();
    fs::OpenOptions::new()
        .write(true)
        .open(&txt)
        .unwrap()
        .set_len(80 << 20)
        .unwrap();
    let err = run_err(&["dups", path(&txt)]);
    assert!(
        err.contains("huge.txt") && err.contains("--max-doc-bytes"),
        "{err}"
    );
    #[cfg(unix)]
    {
        let (code, err) = run_capped(&["dups", path(&txt)]);
        assert!(code == Some(2) && err.contains("--max-doc-bytes"), "{err}");
    }
}

#[test]
fn a_byte_order_mark_opening_a_jsonl_file_is_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bom.jsonl");
    let text = "the same twenty words of text repeated in two records so that they are \
                near duplicates of one another here";
    let body = format!(
        "\u{feff}{{\"id\":\"a\",\"text\":\"{text}\"}}\n{{\"id\":\"b\",\"text\":\"{text}\"}}\n"
    );
    fs::write(&p, body).unwrap();
    let recs = json_records(&["dups", path(&p)]);
    assert!(
        recs.iter().any(|r| r["id"] == "b" && r["of"] == "a"),
        "{recs:?}"
    );
}

#[test]
fn a_lone_surrogate_escape_is_named_with_its_place_or_replaced_when_lossy() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("s.jsonl");
    fs::write(
        &p,
        "{\"id\":\"a\",\"text\":\"fine\"}\n{\"id\":\"b\",\"text\":\"x \\ud800 y\"}\n",
    )
    .unwrap();
    let err = run_err(&["dups", path(&p)]);
    assert!(
        err.contains("s.jsonl:2") && err.contains("surrogate") && err.contains("--lossy"),
        "{err}"
    );
    let (code, _, err) = run(&["dups", "--lossy", path(&p)]);
    assert_eq!(code, Some(0), "{err}");
    // A proper pair and an escaped backslash before `u` are not lone surrogates.
    fs::write(
        &p,
        "{\"id\":\"a\",\"text\":\"\\ud83d\\ude00 and \\\\ud800\"}\n",
    )
    .unwrap();
    let (code, _, err) = run(&["dups", path(&p)]);
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn errors_on_stdin_name_stdin() {
    let out = chaff()
        .args(["dups", "-"])
        .write_stdin("{\"id\":\"a\",\"text\":\"fine\"}\n{\"id\":\"b\",\"text\":7}\n")
        .timeout(HANG_GUARD)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("<stdin>:2"), "{err}");
    assert!(!err.contains("/tmp"), "{err}");
}

#[test]
fn stdin_given_twice_is_a_clear_error() {
    let out = chaff()
        .args(["dups", "-", "-"])
        .write_stdin("{\"id\":\"a\",\"text\":\"fine\"}\n")
        .timeout(HANG_GUARD)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("more than once"), "{err}");
}

fn jsonl_body(lines: usize) -> Vec<u8> {
    (0..lines)
        .map(|i| format!("{{\"id\":\"{i}\",\"text\":\"some words of record {i}\"}}\n"))
        .collect::<String>()
        .into_bytes()
}

#[test]
fn corrupt_gzip_and_zstd_are_reported_with_file_and_offset() {
    let dir = tempfile::tempdir().unwrap();
    let body = jsonl_body(20_000);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&body).unwrap();
    let gz = gz.finish().unwrap();
    let truncated = dir.path().join("cut.jsonl.gz");
    fs::write(&truncated, &gz[..gz.len() / 2]).unwrap();
    let err = run_err(&["dups", path(&truncated)]);
    assert!(
        err.contains("cut.jsonl.gz") && err.contains("corrupt gzip") && err.contains("byte"),
        "{err}"
    );

    // With a checksum, damage is always detected, whatever bytes it hits.
    let mut enc = zstd::stream::Encoder::new(Vec::new(), 3).unwrap();
    enc.include_checksum(true).unwrap();
    enc.write_all(&body).unwrap();
    let zst = enc.finish().unwrap();
    let mut bad = zst.clone();
    let at = bad.len() / 2;
    for b in &mut bad[at..at + 16] {
        *b ^= 0xA5;
    }
    let damaged = dir.path().join("bad.jsonl.zst");
    fs::write(&damaged, &bad).unwrap();
    let err = run_err(&["dups", path(&damaged)]);
    assert!(
        err.contains("bad.jsonl.zst") && err.contains("corrupt zstd") && err.contains("byte"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn a_dangling_symlink_in_a_directory_is_skipped_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.txt"), "hello world").unwrap();
    std::os::unix::fs::symlink(dir.path().join("gone.txt"), dir.path().join("b.txt")).unwrap();
    let (code, _, err) = run(&["dups", path(dir.path())]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("b.txt") && err.contains("missing"), "{err}");
}

#[test]
fn checking_a_run_of_one_token_against_an_index_of_one_is_quick() {
    // Every position of a run selects the same fingerprint: before, each was seeded against 256
    // indexed places and extended over the whole run (over two minutes for 100,000 tokens).
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (dir.path().join("old.txt"), dir.path().join("new.txt"));
    fs::write(&old, "a ".repeat(100_000)).unwrap();
    fs::write(&new, "a ".repeat(100_000)).unwrap();
    let index = dir.path().join("i.chaff");
    let (code, _, err) = run(&["index", "add", path(&old), "--index", path(&index)]);
    assert_eq!(code, Some(0), "{err}");
    let (code, out, err) = run(&[
        "check",
        path(&new),
        "--index",
        path(&index),
        "--format",
        "json",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        records(&out).iter().any(|r| r["kind"] == "passage"
            && r["of"].as_str().is_some_and(|of| of.ends_with("old.txt"))),
        "the run is not reported as repeating the indexed one"
    );
}
