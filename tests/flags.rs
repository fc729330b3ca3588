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
