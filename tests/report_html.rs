//! The HTML report (issue 14), rendered for the seed articles and for a generated multi-site
//! corpus and opened in headless Chromium: assertions are on the DOM after the page's script ran
//! (`--dump-dom`), and a screenshot of each report is left in `target/report-*.png`.
//!
//! Chromium is Debian's `chromium` package (`.ci/run` installs it when missing; `CHROMIUM` may
//! name another binary). Without it the browser half of each test is skipped with a message;
//! what can be checked on the file alone still is.

mod common;

use chaff::generate::{Config, Generator};
use common::*;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The Chromium binary, if one can be found.
fn chromium() -> Option<PathBuf> {
    let names = std::env::var_os("CHROMIUM")
        .map(|c| vec![PathBuf::from(c)])
        .unwrap_or_else(|| {
            ["chromium", "chromium-browser", "google-chrome"]
                .iter()
                .map(PathBuf::from)
                .collect()
        });
    let path = std::env::var_os("PATH").unwrap_or_default();
    names.into_iter().find_map(|name| {
        if name.components().count() > 1 {
            return name.is_file().then_some(name);
        }
        std::env::split_paths(&path)
            .map(|dir| dir.join(&name))
            .find(|p| p.is_file())
    })
}

/// Chromium, or a message saying why the browser checks are skipped.
fn browser() -> Option<PathBuf> {
    let found = chromium();
    if found.is_none() {
        eprintln!(
            "SKIPPED the browser checks of the HTML report: no chromium found on PATH \
             (install Debian's chromium package, as .ci/run does, or set CHROMIUM)"
        );
    }
    found
}

/// Runs headless Chromium on `page` with `args`, in a profile of its own (tests run in
/// parallel, and two browsers must not share one).
fn run_chromium(chromium: &Path, page: &Path, args: &[&str]) -> Vec<u8> {
    run_chromium_at(chromium, page, "", args)
}

/// Like [`run_chromium`], with `query` (`?...` or empty) after the page's address.
fn run_chromium_at(chromium: &Path, page: &Path, query: &str, args: &[&str]) -> Vec<u8> {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(chromium)
        .args([
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            "--no-first-run",
            "--disable-extensions",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(format!(
            "file://{}{query}",
            page.canonicalize().unwrap().display()
        ))
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "chromium failed on {}: {}",
        page.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Opens `page` once: returns its DOM after its scripts ran, and leaves a screenshot of it in
/// `target/report-NAME.png` (checked to be a drawn page).
fn open(chromium: &Path, page: &Path, name: &str) -> String {
    // target/<profile>/deps/<this test> → target/
    let exe = std::env::current_exe().unwrap();
    let png = exe
        .ancestors()
        .nth(3)
        .unwrap()
        .join(format!("report-{name}.png"));
    let _ = std::fs::remove_file(&png);
    let dom = run_chromium(
        chromium,
        page,
        &[
            "--virtual-time-budget=5000",
            "--hide-scrollbars",
            "--window-size=1280,2000",
            &format!("--screenshot={}", png.display()),
            "--dump-dom",
        ],
    );
    let bytes = std::fs::read(&png).expect("chromium wrote the screenshot");
    assert!(
        bytes.starts_with(b"\x89PNG") && bytes.len() > 20_000,
        "{} is no screenshot of a drawn page",
        png.display()
    );
    String::from_utf8(dom).expect("the DOM is UTF-8")
}

/// Text as Chromium serializes it between tags.
fn as_dom_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\u{a0}', "&nbsp;")
}

/// The `<article>` of the report's item whose `data-ids` attribute is exactly `ids`, in `kind`.
fn article<'a>(dom: &'a str, kind: &str, ids: &str) -> &'a str {
    let key = format!("data-kind=\"{kind}\" data-src=\"");
    let mut from = 0;
    while let Some(at) = dom[from..].find(&key) {
        let start = dom[..from + at].rfind("<article").unwrap();
        let end = start + dom[start..].find("</article>").unwrap();
        let item = &dom[start..end];
        if item.contains(&format!("data-ids=\"{ids}\"")) {
            return item;
        }
        from = from + at + key.len();
    }
    panic!("no {kind} item for {ids} in the report");
}

/// The pieces of `html` between each `open` and the next `close`.
fn pieces<'a>(html: &'a str, open: &str, close: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(open) {
        let body = &rest[at + open.len()..];
        let end = body.find(close).unwrap();
        out.push(&body[..end]);
        rest = &body[end..];
    }
    out
}

/// Checks that hold on the file before any browser sees it: only the report's own two
/// scripts, no request leaving the page.
fn check_file(html: &str) {
    assert_eq!(
        html.matches("<script").count(),
        2,
        "a report holds its data and its code, nothing else that runs"
    );
    // Document text may hold URLs (escaped, as text); markup and style may not fetch anything.
    for remote in [
        "<link",
        "<img",
        "<iframe",
        "<object",
        " src=\"",
        "href=\"http",
    ] {
        assert!(!html.contains(remote), "the report holds {remote}");
    }
    let style = pieces(html, "<style>", "</style>")[0];
    assert!(!style.contains("url(") && !style.contains("@import"));
}

/// The page's own script ran (it marks the root element when done) and nothing a document
/// holds did (the hostile lines would mark it too).
fn assert_ran_safely(dom: &str) {
    let at = dom.find("<html").expect("the DOM has a root element");
    let root = &dom[at..at + dom[at..].find('>').unwrap()];
    assert!(
        root.starts_with("<html") && root.contains("data-ready="),
        "the report's script did not run: {root}"
    );
    assert!(
        !root.contains("data-pwned"),
        "markup inside a document ran: {root}"
    );
}

#[test]
fn fixtures_report_in_the_browser() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("fixtures.html");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    stdout_of(
        chaff()
            .arg("report")
            .arg(&fixtures)
            .arg("--html")
            .arg(&page)
            .arg("--quiet"),
    );
    let html = std::fs::read_to_string(&page).unwrap();
    check_file(&html);
    let records = json_records(&["scan", fixtures.to_str().unwrap()]);
    let Some(chromium) = browser() else {
        return;
    };
    let dom = open(&chromium, &page, "fixtures");
    assert_ran_safely(&dom);
    let with_findings: BTreeSet<&str> = records.iter().filter_map(|r| r["id"].as_str()).collect();
    assert_eq!(
        dom.matches("<tr data-id=").count(),
        with_findings.len(),
        "the script lists every document with a finding"
    );

    // Seed 001 repeats its lead: both places are drawn, each with the span highlighted.
    let (name001, text001) = seed("001");
    let passage = records
        .iter()
        .find(|r| r["kind"] == "passage" && r["id"] == name001.as_str())
        .expect("the seed 001 passage is found");
    let item = article(&dom, "passage", &format!("{name001}\n{name001}"));
    for (place, start, end) in [
        ("first", &passage["of_start"], &passage["of_end"]),
        ("copy", &passage["start"], &passage["end"]),
    ] {
        let (start, end) = (
            start.as_u64().unwrap() as usize,
            end.as_u64().unwrap() as usize,
        );
        let drawn = pieces(item, &format!("data-place=\"{place}\""), "</div></div>")
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no {place} place drawn"));
        let marked: String = pieces(drawn, "<mark class=\"pass\"", "</mark>")
            .iter()
            .map(|m| &m[m.find('>').unwrap() + 1..])
            .collect();
        let expected: String = text001[start..end]
            .chars()
            .filter(|&c| c != '\n' && c != '\r')
            .collect();
        assert_eq!(
            marked,
            as_dom_text(&expected),
            "the {place} place of the passage is highlighted"
        );
    }

    // Seed 000: exactly its chrome lines are struck, each with its reason and score.
    let (name000, text000) = seed("000");
    let page000 = article(&dom, "chrome", &name000);
    let chrome000: Vec<&serde_json::Value> = records
        .iter()
        .filter(|r| r["kind"] == "chrome" && r["id"] == name000.as_str())
        .collect();
    assert!(!chrome000.is_empty());
    assert_eq!(page000.matches("<del ").count(), chrome000.len());
    for r in &chrome000 {
        let line = r["line"].as_u64().unwrap();
        let row = pieces(
            page000,
            &format!("<div class=\"ln chrome\" data-line=\"{line}\">"),
            "</div>",
        );
        let row = row
            .first()
            .unwrap_or_else(|| panic!("line {line} of seed 000 is not struck"));
        let (s, e) = (
            r["start"].as_u64().unwrap() as usize,
            r["end"].as_u64().unwrap() as usize,
        );
        assert!(
            row.contains(&format!("{}</del>", as_dom_text(&text000[s..e]))),
            "line {line} is struck through whole: {row}"
        );
        assert!(row.contains(&format!(
            "<span class=\"reason\">{}</span>",
            as_dom_text(r["reason"].as_str().unwrap())
        )));
        assert!(row.contains(&format!("{:.2}</span>", r["score"].as_f64().unwrap())));
    }

    // Seed 002 carries no chrome: drawn whole, nothing struck.
    let (name002, text002) = seed("002");
    let page002 = article(&dom, "page", &name002);
    assert!(!page002.contains("<del") && !page002.contains("ln chrome"));
    assert_eq!(
        page002.matches("class=\"ln\"").count(),
        text002.split('\n').count()
    );

    // Every drawn line chooses its own direction; the Persian ones come out right to left.
    let lines = dom.matches("class=\"tx\"").count();
    assert!(lines > 200);
    assert_eq!(dom.matches("class=\"tx\" dir=\"auto\"").count(), lines);
    let first_persian = text000.lines().nth(9).unwrap();
    assert!(first_persian
        .chars()
        .any(|c| ('\u{600}'..='\u{6ff}').contains(&c)));
    assert!(page000.contains(&format!(
        "<span class=\"tx\" dir=\"auto\">{}</span>",
        as_dom_text(first_persian)
    )));

    // Filters given in the address: only the passage of seed 001 stays shown, in the items
    // and in the table.
    let filtered = String::from_utf8(run_chromium_at(
        &chromium,
        &page,
        "?kind=passage&id=001_",
        &["--virtual-time-budget=5000", "--dump-dom"],
    ))
    .unwrap();
    let items = pieces(&filtered, "<article class=\"item ", ">");
    assert_eq!(items.len(), 6);
    for item in items {
        assert_eq!(
            item.contains(" hidden=\"\""),
            !item.starts_with("passage"),
            "filtered wrongly: {item}"
        );
    }
    let rows: Vec<&str> = pieces(&filtered, "<tr data-id=\"", "\"");
    assert_eq!(rows, [name001.as_str()]);
}

/// A page written to attack the report: markup in its id and text, and a Persian line with a
/// Latin run and digits (which must keep their order inside the right-to-left line).
const HOSTILE_LINES: [&str; 3] = [
    "<script>document.documentElement.setAttribute('data-pwned','script')</script>",
    "<img src=x onerror=\"document.documentElement.setAttribute('data-pwned','img')\">",
    "گزارش chaff نسخه 2.0 امروز منتشر شد و Near-duplicate ها را پیدا می‌کند.",
];
const HOSTILE_ID: &str = "hostile-<script>alert(1)</script>";

/// A generated multi-site corpus plus a copy of its first page with the hostile lines added.
fn sites_corpus(dir: &Path) -> PathBuf {
    let config = Config {
        docs: 240,
        sites: 5,
        passages: true,
        ..Config::default()
    };
    let generator = Generator::new(&config, 14).unwrap();
    let (mut corpus, mut truth) = (Vec::new(), Vec::new());
    generator.write_jsonl(&mut corpus, &mut truth).unwrap();
    let first: serde_json::Value =
        serde_json::from_slice(corpus.split(|&b| b == b'\n').next().unwrap()).unwrap();
    let text = format!(
        "{}\n{}",
        first["text"].as_str().unwrap(),
        HOSTILE_LINES.join("\n")
    );
    let hostile = serde_json::json!({"id": HOSTILE_ID, "source": "evil.example", "text": text});
    corpus.extend_from_slice(format!("{hostile}\n").as_bytes());
    let path = dir.join("sites.jsonl");
    std::fs::write(&path, corpus).unwrap();
    path
}

#[test]
fn generated_sites_report_in_the_browser() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = sites_corpus(dir.path());
    let page = dir.path().join("sites.html");
    // `scan --html` writes the report beside its usual records.
    let records = records(&stdout_of(
        chaff()
            .arg("scan")
            .arg(&corpus)
            .args(["--format", "json", "--quiet", "--html"])
            .arg(&page),
    ));
    let html = std::fs::read_to_string(&page).unwrap();
    check_file(&html);
    assert!(html.contains("&lt;script&gt;document.documentElement.setAttribute("));

    let source_of: HashMap<String, String> = std::fs::read_to_string(&corpus)
        .unwrap()
        .lines()
        .map(|l| {
            let r: serde_json::Value = serde_json::from_str(l).unwrap();
            let field = |f: &str| r[f].as_str().unwrap().to_string();
            (field("id"), field("source"))
        })
        .collect();
    let sources: BTreeSet<&String> = source_of.values().collect();
    let count = |kind: &str| records.iter().filter(|r| r["kind"] == kind).count();
    let clusters: BTreeSet<u64> = records
        .iter()
        .filter_map(|r| r["cluster"].as_u64())
        .collect();
    assert!(!clusters.is_empty() && count("passage") > 0 && count("chrome") > 0);

    let Some(chromium) = browser() else {
        return;
    };
    let dom = open(&chromium, &page, "sites");
    assert_ran_safely(&dom);
    // The hostile page is drawn as text, beside the page it copies, its own lines marked.
    let hostile_text = as_dom_text(HOSTILE_LINES[0]);
    assert!(dom.contains(&hostile_text));
    assert!(dom.contains(&as_dom_text(HOSTILE_ID)));
    let cluster = pieces(&dom, "<article class=\"item duplicate\"", "</article>")
        .into_iter()
        .find(|c| c.contains(&hostile_text))
        .expect("the hostile copy is drawn in its cluster");
    assert_eq!(
        pieces(cluster, "<div class=\"ln", "data-line=")
            .iter()
            .filter(|class| class.contains(" diff"))
            .count(),
        HOSTILE_LINES.len(),
        "exactly the lines only the copy has are marked"
    );
    let script_row = pieces(cluster, "<div class=\"ln", "</div>")
        .into_iter()
        .find(|row| row.contains(&hostile_text))
        .unwrap();
    assert!(
        script_row.starts_with(" diff") || script_row.starts_with(" chrome diff"),
        "the line only the copy has is marked whole: {script_row}"
    );
    assert!(script_row.contains(&format!("only in this copy: </span>{hostile_text}</")));
    // The Persian line with a Latin run is one line with its direction left to `dir="auto"`
    // (right to left, from its first letter), its Latin words kept in it.
    let rtl = pieces(cluster, "<div class=\"ln", "</div>")
        .into_iter()
        .find(|row| row.contains("گزارش"))
        .expect("the Persian line is drawn");
    assert!(rtl.contains("class=\"tx\" dir=\"auto\""));
    assert!(rtl.contains("chaff") && rtl.contains("Near-duplicate"));

    // Summary and breakdown: every source has a row with its three bars.
    let table = pieces(&dom, "<table class=\"sources\">", "</table>")[0];
    for s in &sources {
        assert!(
            table.contains(&format!("<tr data-src=\"{s}\">")),
            "source {s} has no row"
        );
    }
    assert_eq!(table.matches("<svg class=\"bar").count(), 3 * sources.len());
    // Sections draw what was found, up to their limit (20 items).
    assert_eq!(
        dom.matches("<article class=\"item duplicate\"").count(),
        clusters.len().min(20)
    );
    let passages = pieces(&dom, "<article class=\"item passage\"", "</article>");
    assert_eq!(passages.len(), count("passage").min(20));
    for p in &passages {
        assert_eq!(p.matches("data-place=").count(), 2);
        for place in pieces(p, "data-place=", "</div></div>") {
            assert!(
                place.contains("<mark class=\"pass\""),
                "a place without its span"
            );
        }
    }
    // Every source with chrome has a page drawn with its chrome struck.
    let mut chrome_by_source: HashMap<String, usize> = HashMap::new();
    for page in pieces(&dom, "<article class=\"item chrome\"", "</article>") {
        let source = pieces(page, "data-src=\"", "\"")[0].to_string();
        assert!(page.contains("<del class=\"tx\" dir=\"auto\">"));
        *chrome_by_source.entry(source).or_default() += 1;
    }
    let sources_with_chrome: BTreeSet<&String> = records
        .iter()
        .filter(|r| r["kind"] == "chrome")
        .map(|r| &source_of[r["id"].as_str().unwrap()])
        .collect();
    assert!(sources_with_chrome.len() > 1);
    for s in sources_with_chrome {
        assert!(
            chrome_by_source.contains_key(s.as_str()),
            "no page of {s} drawn with its chrome"
        );
    }
    // The table's first page: the first 100 documents with findings, drawn by the script.
    let with_findings: BTreeSet<&str> = records.iter().filter_map(|r| r["id"].as_str()).collect();
    assert_eq!(
        dom.matches("<tr data-id=").count(),
        with_findings.len().min(100)
    );
}

#[test]
fn check_report_says_which_rule_failed() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = sites_corpus(dir.path());
    let index = dir.path().join("kept.chaff");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    stdout_of(
        chaff()
            .args(["index", "add"])
            .arg(&corpus)
            .arg("--index")
            .arg(&index)
            .arg("--quiet"),
    );
    // Today's scrape: the seeds, and the hostile copy again (a duplicate of an indexed page).
    let today = dir.path().join("today");
    std::fs::create_dir(&today).unwrap();
    for entry in std::fs::read_dir(&fixtures).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), today.join(entry.file_name())).unwrap();
    }
    let hostile = std::fs::read_to_string(&corpus)
        .unwrap()
        .lines()
        .last()
        .unwrap()
        .to_string();
    let text: serde_json::Value = serde_json::from_str(&hostile).unwrap();
    std::fs::write(today.join("zz-copy.txt"), text["text"].as_str().unwrap()).unwrap();
    let page = dir.path().join("check.html");
    let out = chaff()
        .arg("check")
        .arg(&today)
        .arg("--index")
        .arg(&index)
        .args(["--fail-on", "duplicate", "--quiet", "--html"])
        .arg(&page)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "one of 6 new documents duplicates"
    );
    let html = std::fs::read_to_string(&page).unwrap();
    check_file(&html);
    assert!(html.contains("<p class=\"verdict failed\"><strong>The check failed.</strong> 1 of the 6 new documents are near-duplicates (16.7%), more than the 0.0% allowed."));
    assert!(html.contains("<tr class=\"broken\"><th scope=\"row\">duplicate</th><td>1</td>"));
    let duplicates = pieces(&html, "<table class=\"dups\">", "</table>")[0];
    assert!(duplicates.contains("<bdi class=\"id\">zz-copy.txt</bdi>"));
    let Some(chromium) = browser() else {
        return;
    };
    assert_ran_safely(&open(&chromium, &page, "check"));
}
