//! A closed standard output or standard error (`chaff scan x | head -1`, a log collector that
//! went away) ends chaff quietly with 0, or 2 on a real error, never with a panic (101).

mod common;

use common::fixture;
use std::process::{Command, Stdio};

fn chaff_command(args: &[&str]) -> Command {
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("chaff"));
    command.args(args).stdin(Stdio::null());
    command
}

/// Runs chaff with its standard error a pipe whose reading end is closed before chaff writes.
fn with_closed_stderr(args: &[&str]) -> (Option<i32>, Vec<u8>) {
    let mut child = chaff_command(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    let out = child.wait_with_output().unwrap();
    (out.status.code(), out.stdout)
}

/// Runs chaff with its standard output a pipe whose reading end is closed at once.
fn with_closed_stdout(args: &[&str]) -> (Option<i32>, String) {
    let mut child = chaff_command(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn scan_with_a_closed_stderr_pipe_exits_0_and_still_reports_on_stdout() {
    let input = fixture("");
    let (code, stdout) = with_closed_stderr(&["scan", input.to_str().unwrap()]);
    assert_eq!(code, Some(0));
    assert!(String::from_utf8_lossy(&stdout).contains("== chrome lines"));
}

#[test]
fn every_reporting_command_survives_a_closed_stderr_pipe() {
    let input = fixture("");
    let input = input.to_str().unwrap();
    for args in [
        &["dups", input, "--explain"][..],
        &["passages", input],
        &["chrome", input],
        &["scan", input],
    ] {
        let (code, _) = with_closed_stderr(args);
        assert_eq!(code, Some(0), "chaff {args:?}");
    }
}

#[test]
fn an_error_with_a_closed_stderr_pipe_exits_2_not_101() {
    let (code, _) = with_closed_stderr(&["scan", "/no/such/input"]);
    assert_eq!(code, Some(2));
}

#[test]
fn a_closed_stdout_pipe_ends_every_reporting_command_with_0() {
    let input = fixture("");
    let input = input.to_str().unwrap();
    for command in ["dups", "passages", "chrome", "scan"] {
        for format in ["text", "json"] {
            let (code, stderr) = with_closed_stdout(&[command, input, "--format", format]);
            assert_eq!(code, Some(0), "chaff {command} --format {format}: {stderr}");
            assert!(!stderr.contains("panicked"), "{stderr}");
        }
    }
}

#[test]
fn clean_with_a_closed_stderr_pipe_writes_its_output_and_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let (code, _) = with_closed_stderr(&[
        "clean",
        fixture("").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0));
    assert!(out.join("fixtures").is_dir());
}
