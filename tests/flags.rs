//! Each command takes only the flags it uses, one name for one idea across commands, and
//! refused settings are reported by the flag the user typed.

mod common;

use common::{chaff, fixture, stdout_of};

fn seeds() -> String {
    fixture("").to_str().unwrap().to_string()
}

#[test]
fn flags_a_command_would_ignore_are_refused() {
    let input = seeds();
    for args in [
        &["chrome", &input, "--explain"][..],
        &["chrome", &input, "--keep", "longest"],
        &[
            "index", "add", &input, "--index", "x.chaff", "--verify", "estimate",
        ],
        &[
            "index", "add", &input, "--index", "x.chaff", "--keep", "longest",
        ],
        &["index", "add", &input, "--index", "x.chaff", "--explain"],
        &["check", &input, "--index", "x.chaff", "--explain"],
    ] {
        let out = chaff().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "chaff {args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("unexpected argument"), "chaff {args:?}: {err}");
    }
}

#[test]
fn flags_another_flag_switches_off_are_refused_with_it() {
    let input = seeds();
    let html = tempfile::tempdir().unwrap();
    let report = html.path().join("r.html");
    let report = report.to_str().unwrap();
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("clean");
    let out = out.to_str().unwrap();
    for (args, refused) in [
        (&["scan", &input, "--no-dups", "--explain"][..], "--explain"),
        (
            &["scan", &input, "--no-dups", "--threshold", "0.7"],
            "--threshold",
        ),
        (
            &["scan", &input, "--no-dups", "--verify", "estimate"],
            "--verify",
        ),
        (
            &["scan", &input, "--no-dups", "--no-syndication"],
            "--no-syndication",
        ),
        (
            &[
                "clean",
                &input,
                "--out",
                out,
                "--no-dups",
                "--keep",
                "longest",
            ],
            "--keep",
        ),
        (
            &[
                "report",
                &input,
                "--html",
                report,
                "--no-dups",
                "--bands",
                "4",
                "--rows",
                "2",
            ],
            "--bands",
        ),
        (
            &["scan", &input, "--no-passages", "--min-tokens", "30"],
            "--min-tokens",
        ),
        (
            &["scan", &input, "--no-chrome", "--chrome-threshold", "0.5"],
            "--chrome-threshold",
        ),
        (
            &[
                "clean",
                &input,
                "--out",
                out,
                "--no-chrome",
                "--no-syndication",
            ],
            "--no-syndication",
        ),
        (
            &["chrome", &input, "--no-templates", "--min-pages", "2"],
            "--min-pages",
        ),
        (
            &["chrome", &input, "--no-syndication", "--threshold", "0.6"],
            "--threshold",
        ),
        (&["passages", &input, "--near-seed", "8"], "--near-exact"),
        (&["scan", &input, "--html-items", "5"], "--html"),
    ] {
        let run = chaff().args(args).output().unwrap();
        assert_eq!(run.status.code(), Some(2), "chaff {args:?}");
        let err = String::from_utf8_lossy(&run.stderr);
        assert!(err.contains(refused), "chaff {args:?}: {err}");
        assert!(run.stdout.is_empty(), "chaff {args:?} ran anyway");
    }
    assert!(std::fs::metadata(report).is_err() && std::fs::metadata(out).is_err());
    // Each switch alone, and each flag without the switch, still runs.
    for args in [
        &["scan", &input, "--no-dups", "-q"][..],
        &["scan", &input, "--explain", "--threshold", "0.7", "-q"],
        &[
            "chrome",
            &input,
            "--no-syndication",
            "--min-pages",
            "2",
            "-q",
        ],
        &["passages", &input, "--near-exact", "--near-seed", "8", "-q"],
    ] {
        chaff().args(args).assert().success();
    }
}

#[test]
fn scan_and_clean_explain_their_banding() {
    let input = seeds();
    let out = chaff()
        .args(["scan", &input, "--explain", "-q", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("16 bands x 6 rows"), "{err}");
    // The banding goes to stderr only: the records are those of a scan without --explain.
    let plain = stdout_of(chaff().args(["scan", &input, "-q", "--format", "json"]));
    let without_seconds = |s: &[u8]| {
        let s = String::from_utf8_lossy(s).to_string();
        s[..s.rfind("\"seconds\"").unwrap()].to_string()
    };
    assert_eq!(without_seconds(&out.stdout), without_seconds(&plain));
}

#[test]
fn passages_take_ngram_like_every_command_and_shingle_still_works() {
    let input = seeds();
    let run =
        |flag: &str| stdout_of(chaff().args(["passages", &input, flag, "3", "--format", "json"]));
    let ngram = run("--ngram");
    assert!(!ngram.is_empty());
    assert_eq!(ngram, run("--shingle"));
    let help = stdout_of(chaff().args(["passages", "--help"]));
    let help = String::from_utf8_lossy(&help);
    assert!(
        help.contains("--ngram <N>") && !help.contains("--shingle"),
        "{help}"
    );
}

#[test]
fn a_refused_setting_names_the_flag_typed() {
    let input = seeds();
    for (args, flag) in [
        (
            &["dups", &input, "--bands", "100", "--rows", "5"][..],
            "--bands x --rows",
        ),
        (&["dups", &input, "--containment", "7"], "--containment"),
        (&["passages", &input, "--ngram", "0"], "--ngram"),
        (&["passages", &input, "--shingle", "0"], "--ngram"),
        (
            &["passages", &input, "--near-exact", "--near-seed", "50"],
            "--near-seed",
        ),
        (
            &["chrome", &input, "--chrome-threshold", "NaN"],
            "--chrome-threshold",
        ),
    ] {
        let out = chaff().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "chaff {args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with(&format!("chaff: error: {flag}: got ")),
            "chaff {args:?}: {err}"
        );
    }
}
