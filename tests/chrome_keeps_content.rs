//! What chrome removal must never take: a poem, a list inside the article and a subtitle survive
//! `clean` on a source whose other pages carry real, recurring chrome (which is removed).

mod common;

use common::*;
use std::fs;

const HEADER: &str = "Home | World | Business | Culture | Sport | Opinion\n\
Culture › Books\n\
Sign in\n";
const FOOTER: &str = "Most read\n\
Storm closes ports along the coast\n\
Markets rally after the rate decision\n\
New museum opens its doors downtown\n\
About us | Contact | Privacy policy | Terms of use\n\
© 2025 The Evening Ledger. All rights reserved.\n";

fn prose(n: usize) -> String {
    format!(
        "The festival opened on Friday with a reading that drew a larger crowd than the \
         organisers had expected, and the queue reached the end of the street by noon ({n}).\n\
         Critics said that the programme was the most ambitious in years, although some of \
         them were worried about the cost of the new venue and the price of the tickets.\n"
    )
}

const POEM: [&str; 12] = [
    "The river keeps the names we lose",
    "and gives them back as stones,",
    "it does not ask us what we choose",
    "it carries us like bones",
    "",
    "and when the winter closes in",
    "the water learns to wait,",
    "it holds the light beneath its skin",
    "and lets it go too late",
    "",
    "So sing the river, sing it slow,",
    "the current knows the way we go.",
];

const LIST: [&str; 4] = [
    "- two eggs, beaten with a pinch of salt",
    "- a cup of flour, sifted twice",
    "- half a cup of milk, warmed",
    "- butter for the pan",
];

const SUBTITLE: &str = "A reading by the river opens the autumn season";

fn page_with_content() -> String {
    let mut page = String::from(HEADER);
    page.push_str("Poets gather for the river festival\n");
    page.push_str(SUBTITLE);
    page.push('\n');
    page.push_str(&prose(0));
    page.push_str("She read the poem that gave the festival its name:\n");
    for line in POEM {
        page.push_str(line);
        page.push('\n');
    }
    page.push_str(&prose(1));
    page.push_str("The recipe for the festival pancakes, handed out at the gate, needs:\n");
    for item in LIST {
        page.push_str(item);
        page.push('\n');
    }
    page.push_str(&prose(2));
    page.push_str(FOOTER);
    page
}

fn other_page(n: usize) -> String {
    format!(
        "{HEADER}Council approves the new library budget {n}\n{}{}{FOOTER}",
        prose(10 + n),
        prose(20 + n)
    )
}

#[test]
fn a_poem_a_list_and_a_subtitle_survive_clean_beside_real_chrome() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("in").join("ledger");
    fs::create_dir_all(&site).unwrap();
    fs::write(site.join("a00.txt"), page_with_content()).unwrap();
    for n in 1..=7 {
        fs::write(site.join(format!("a{n:02}.txt")), other_page(n)).unwrap();
    }
    let out = dir.path().join("out");
    chaff()
        .arg("clean")
        .arg(dir.path().join("in"))
        .args([
            "--source-from",
            "dir",
            "--quiet",
            "--no-dups",
            "--no-passages",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let cleaned = fs::read_to_string(out.join("in").join("ledger").join("a00.txt")).unwrap();
    let kept: Vec<&str> = cleaned.lines().collect();
    for line in POEM.iter().chain(LIST.iter()).chain([&SUBTITLE]) {
        if !line.is_empty() {
            assert!(kept.contains(line), "lost {line:?}; kept:\n{cleaned}");
        }
    }
    // The source's chrome is real and recurs on every page: it goes.
    for chrome in [
        "Home | World | Business | Culture | Sport | Opinion",
        "About us | Contact | Privacy policy | Terms of use",
        "© 2025 The Evening Ledger. All rights reserved.",
    ] {
        assert!(!kept.contains(&chrome), "kept {chrome:?}:\n{cleaned}");
    }
}
