//! `chaff dups` and document-level `chaff clean` on the seeds and on edited copies of them.

mod common;

use common::*;
use std::fs;

/// A copy of `text` as another site would publish it: a few words changed, ZWNJ stripped and
/// added, Arabic yeh/kaf, digit scripts switched, and its own header and footer.
fn syndicated_copy(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    // Keep the article paragraphs (long lines) and drop the original chrome.
    let body: Vec<String> = lines
        .iter()
        .filter(|l| l.chars().count() > 120)
        .map(|l| {
            l.replace('\u{200C}', "")
                .replace("می", "می\u{200C}")
                .replace('ی', "ي")
                .replace('ک', "ك")
                .replace('۲', "2")
                .replace('۰', "٠")
                .replacen("روسیه", "فدراسیون روسیه", 1)
                .replacen("همکاری", "تعاون", 1)
        })
        .collect();
    format!(
        "خبرگزاری نمونه | صفحه اصلی | سیاست\nسه‌شنبه ۱۲ آبان ۱۴۰۴ ساعت ۱۰:۲۰\n{}\nکلیه حقوق این سایت محفوظ است ۱۴۰۴\n",
        body.join("\n\n")
    )
}

#[test]
fn seeds_have_no_duplicate_pair() {
    let recs = json_records(&["dups", fixture("").to_str().unwrap()]);
    assert!(
        recs.is_empty(),
        "the five different articles were paired: {recs:?}"
    );
}

#[test]
fn edited_syndicated_copy_is_paired_with_its_original() {
    let dir = tempfile::tempdir().unwrap();
    for (i, prefix) in ["000", "001", "002", "003", "004"].iter().enumerate() {
        let (name, text) = seed(prefix);
        fs::write(dir.path().join(&name), &text).unwrap();
        if i == 1 {
            fs::write(dir.path().join("zz_copy.txt"), syndicated_copy(&text)).unwrap();
        }
    }
    let recs = json_records(&["dups", dir.path().to_str().unwrap()]);
    assert_eq!(recs.len(), 1, "{recs:?}");
    assert_eq!(recs[0]["kind"], "duplicate");
    assert_eq!(recs[0]["id"], "zz_copy.txt");
    assert!(recs[0]["of"].as_str().unwrap().starts_with("001_"));
    assert!(recs[0]["similarity"].as_f64().unwrap() >= 0.8);
}

#[test]
fn the_copy_without_folds_is_not_paired() {
    // Guards the test above: it is the normalization that makes the pair.
    let dir = tempfile::tempdir().unwrap();
    let (name, text) = seed("001");
    fs::write(dir.path().join(&name), &text).unwrap();
    fs::write(dir.path().join("zz_copy.txt"), syndicated_copy(&text)).unwrap();
    let recs = json_records(&[
        "dups",
        dir.path().to_str().unwrap(),
        "--no-fold",
        "all",
        "--containment",
        "0",
    ]);
    assert!(recs.is_empty(), "{recs:?}");
}

#[test]
fn first_half_of_a_copy_is_found_by_containment() {
    let dir = tempfile::tempdir().unwrap();
    let (name, text) = seed("001");
    fs::write(dir.path().join(&name), &text).unwrap();
    let copy = syndicated_copy(&text);
    let half: String = copy.chars().take(copy.chars().count() / 2).collect();
    fs::write(dir.path().join("zz_half.txt"), half).unwrap();
    let recs = json_records(&["dups", dir.path().to_str().unwrap()]);
    assert_eq!(recs.len(), 1, "{recs:?}");
    assert_eq!(recs[0]["id"], "zz_half.txt");
    assert!(recs[0]["similarity"].as_f64().unwrap() < 0.8);
    assert!(recs[0]["containment"].as_f64().unwrap() >= 0.8);
    // Switched off, containment no longer pairs them.
    let off = json_records(&["dups", dir.path().to_str().unwrap(), "--containment", "0"]);
    assert!(off.is_empty());
}

#[test]
fn empty_documents_are_never_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..4 {
        fs::write(
            dir.path().join(format!("{i}.txt")),
            if i % 2 == 0 { "" } else { " ،. \n" },
        )
        .unwrap();
    }
    assert!(json_records(&["dups", dir.path().to_str().unwrap()]).is_empty());
}

#[test]
fn jsonl_gz_and_zst_and_stdin_read_the_same_documents() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let (_, text) = seed("003");
    let lines = format!(
        "{}\n{}\n",
        serde_json::json!({"id": "a", "text": text, "extra": [1, 2]}),
        serde_json::json!({"id": "b", "text": format!("{text}\nإغلاق")})
    );
    let gz = dir.path().join("c.jsonl.gz");
    let mut enc = flate2::write::GzEncoder::new(fs::File::create(&gz).unwrap(), Default::default());
    enc.write_all(lines.as_bytes()).unwrap();
    enc.finish().unwrap();
    let zst = dir.path().join("c.ndjson.zst");
    fs::write(&zst, zstd::encode_all(lines.as_bytes(), 3).unwrap()).unwrap();
    for path in [&gz, &zst] {
        let recs = json_records(&["dups", path.to_str().unwrap()]);
        assert_eq!(recs.len(), 1, "{path:?}: {recs:?}");
        assert_eq!(
            (recs[0]["id"].as_str(), recs[0]["of"].as_str()),
            (Some("b"), Some("a"))
        );
    }
    let out = chaff()
        .args(["dups", "-", "--format", "json", "--quiet"])
        .write_stdin(lines)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(records(&out.stdout).len(), 1);
}

#[test]
fn clean_drops_later_copies_and_mirrors_jsonl_fields() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir(&input).unwrap();
    let (_, text) = seed("001");
    let (_, other) = seed("002");
    let lines = [
        serde_json::json!({"id": "orig", "text": text, "url": "http://a", "n": 1}),
        serde_json::json!({"id": "other", "text": other, "tags": ["x"]}),
        serde_json::json!({"id": "copy", "text": syndicated_copy(&text)}),
    ];
    let body: String = lines.iter().map(|l| format!("{l}\n")).collect();
    fs::write(input.join("corpus.jsonl"), &body).unwrap();
    let out = dir.path().join("out");
    let log = dir.path().join("removed.jsonl");
    chaff()
        .args([
            "clean",
            input.to_str().unwrap(),
            "--quiet",
            "--no-chrome",
            "--no-passages",
        ])
        .arg("--out")
        .arg(&out)
        .arg("--log")
        .arg(&log)
        .assert()
        .success();
    let written = fs::read_to_string(out.join("in").join("corpus.jsonl")).unwrap();
    let kept: Vec<&str> = written.lines().collect();
    assert_eq!(kept.len(), 2);
    // Unchanged records are copied byte for byte, unknown fields included.
    assert_eq!(kept[0], lines[0].to_string());
    assert_eq!(kept[1], lines[1].to_string());
    let removed = records(fs::read(&log).unwrap().as_slice());
    assert_eq!(removed.len(), 1);
    assert_eq!(
        (removed[0]["id"].as_str(), removed[0]["of"].as_str()),
        (Some("copy"), Some("orig"))
    );
    // The input is untouched.
    assert_eq!(
        fs::read_to_string(input.join("corpus.jsonl")).unwrap(),
        body
    );
}

#[test]
fn clean_refuses_to_write_inside_an_input() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.txt"), "some text").unwrap();
    let out = chaff()
        .args(["clean", dir.path().to_str().unwrap(), "--out"])
        .arg(dir.path().join("cleaned"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("refusing to write"));
    assert!(!dir.path().join("cleaned").exists());
}

#[test]
fn results_do_not_depend_on_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = String::new();
    for prefix in ["000", "001", "002", "003", "004"] {
        let (name, text) = seed(prefix);
        lines.push_str(&format!(
            "{}\n",
            serde_json::json!({"id": name, "text": text})
        ));
        let copy = syndicated_copy(&text);
        lines.push_str(&format!(
            "{}\n",
            serde_json::json!({"id": format!("{name}-copy"), "text": copy})
        ));
    }
    let p = dir.path().join("c.jsonl");
    fs::write(&p, lines).unwrap();
    let run = |threads: &str| {
        let out = chaff()
            .env("RAYON_NUM_THREADS", threads)
            .args(["dups", p.to_str().unwrap(), "--format", "json", "--quiet"])
            .output()
            .unwrap();
        assert!(out.status.success());
        out.stdout
    };
    let one = run("1");
    assert_eq!(one, run("2"));
    assert!(
        records(&one).len() >= 3,
        "copies of the longer seeds are found"
    );
}
