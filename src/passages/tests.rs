//! Unit tests of the passage search on in-memory texts.

use super::*;
use crate::corpus::apply_cuts;

/// A deterministic sentence of `n` made-up Persian words ending in a full stop.
fn sentence(seed: u64, n: usize) -> String {
    const SYLLABLES: [&str; 12] = [
        "با", "رن", "کو", "سا", "می", "دا", "نو", "تر", "پی", "لا", "گش", "زو",
    ];
    let mut x = seed.wrapping_mul(0x2545_F491_4F6C_DD1D) | 1;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let words: Vec<String> = (0..n)
        .map(|_| {
            let len = 2 + (next() % 3) as usize;
            (0..len)
                .map(|_| SYLLABLES[(next() % 12) as usize])
                .collect()
        })
        .collect();
    format!("{}.", words.join(" "))
}

fn paragraph(seed: u64, sentences: usize) -> String {
    (0..sentences)
        .map(|i| sentence(seed * 100 + i as u64, 12 + (i % 5) * 3))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn a_lead_repeated_inside_a_later_paragraph_is_found_once_and_slices_equal() {
    let lead = paragraph(1, 3);
    let text = format!(
        "{}\n{lead}\n{}\n{lead} {}\n{}\n",
        sentence(9, 6),
        paragraph(2, 4),
        paragraph(3, 2),
        paragraph(4, 3)
    );
    let found = find_in_texts(&[&text], &Config::default()).unwrap();
    assert_eq!(found.passages.len(), 1, "{:?}", found.passages);
    let p = &found.passages[0];
    assert_eq!(&text[p.start..p.end], lead);
    assert_eq!(&text[p.of_start..p.of_end], lead);
    assert!(p.of_end <= p.start && p.of_doc == 0 && p.doc == 0);
    assert_eq!((p.of_line, p.line), (2, 4));
    // Removing the later copy keeps the first and the rest of its paragraph.
    let cleaned = apply_cuts(&text, &removals(&found.passages)[&0]);
    assert_eq!(cleaned.matches(lead.as_str()).count(), 1);
    assert!(cleaned.contains(&format!("\n{}\n", paragraph(3, 2))));
    assert_eq!(cleaned.len(), text.len() - lead.len() - 1);
}

#[test]
fn a_quote_with_normalization_variants_is_found_across_documents() {
    let quote = paragraph(5, 2);
    // Arabic yeh and kaf and tatweel in the copy fold to the same tokens.
    let variant = quote
        .replace('ی', "ي")
        .replace('ک', "ك")
        .replace("با", "بـا");
    let a = format!("{}\n{quote}\n{}", paragraph(6, 2), paragraph(7, 1));
    let b = format!("{} {variant} {}", sentence(8, 14), paragraph(10, 1));
    let found = find_in_texts(&[&a, &b], &Config::default()).unwrap();
    assert_eq!(found.passages.len(), 1, "{:?}", found.passages);
    let p = &found.passages[0];
    assert_eq!((p.doc, p.of_doc), (1, 0));
    assert_eq!(&b[p.start..p.end], variant);
    assert_eq!(&a[p.of_start..p.of_end], quote);
}

#[test]
fn stock_phrases_shorter_than_min_tokens_are_not_reported() {
    let label = "به گزارش خبرنگار ما از تهران";
    let text: Vec<String> = (0..30)
        .map(|i| format!("{label} {}", sentence(i + 40, 10)))
        .collect();
    let refs: Vec<&str> = text.iter().map(String::as_str).collect();
    let found = find_in_texts(&refs, &Config::default()).unwrap();
    assert!(found.passages.is_empty(), "{:?}", found.passages);
    // The same phrase is reported once the minimum drops below its length.
    let config = Config {
        min_tokens: 6,
        ..Config::default()
    };
    assert_eq!(find_in_texts(&refs, &config).unwrap().passages.len(), 29);
}

#[test]
fn every_later_copy_names_the_first_occurrence() {
    let quote = paragraph(11, 2);
    let docs: Vec<String> = (0..5)
        .map(|i| {
            format!(
                "{}\n{quote}\n{}",
                paragraph(20 + i, 1),
                paragraph(30 + i, 1)
            )
        })
        .collect();
    let refs: Vec<&str> = docs.iter().map(String::as_str).collect();
    let found = find_in_texts(&refs, &Config::default()).unwrap();
    assert_eq!(found.passages.len(), 4);
    for (p, doc) in found.passages.iter().zip(1u32..) {
        assert_eq!((p.doc, p.of_doc), (doc, 0));
    }
}

#[test]
fn a_repeat_starting_mid_sentence_snaps_to_the_next_sentence() {
    let shared = paragraph(12, 3);
    // The repeat starts two words before the shared paragraph, in the middle of a sentence, so
    // the reported span starts at the paragraph (the next sentence start) instead.
    let tail = format!("کلمه دیگر. {shared}");
    let a = format!("{} {tail}", sentence(13, 8).trim_end_matches('.'));
    let b = format!("{}\nرفت و {tail}", sentence(14, 8));
    let found = find_in_texts(&[&a, &b], &Config::default()).unwrap();
    assert_eq!(found.passages.len(), 1);
    let p = &found.passages[0];
    assert_eq!(&b[p.start..p.end], shared);
    assert!(b.is_char_boundary(p.start) && b.is_char_boundary(p.end));
}

#[test]
fn fingerprints_of_equal_runs_match() {
    let shared = paragraph(15, 2);
    let a = crate::text::tokens(&format!("{} {shared}", sentence(16, 9)));
    let b = crate::text::tokens(&format!("{} {shared}", sentence(17, 4)));
    let config = Config::default();
    let fa = fingerprints(&a, &config);
    let fb = fingerprints(&b, &config);
    assert!(fa.iter().any(|x| fb.iter().any(|y| x.hash == y.hash)));
    let long = Config {
        shingle: 30,
        ..Config::default()
    };
    assert_eq!((long.k(), long.window()), (20, 1));
    assert!(Config {
        shingle: 0,
        ..Config::default()
    }
    .validate()
    .is_err());
}

#[test]
fn fold_tables_of_another_normalization_version_are_refused_by_name() {
    let mut config = Config::default();
    assert!(config.validate().is_ok());
    config.hash.normalization = crate::text::NORMALIZATION_VERSION + 1;
    let e = config.validate().unwrap_err();
    assert_eq!(e.field, "passages.normalization");
    assert_eq!(e.value, config.hash.normalization.to_string());
}

/// The generator's corpus with sites (a footer on every page), near-duplicates and planted
/// passages, as texts.
#[cfg(feature = "generate")]
fn generated(docs: u64, sites: u32) -> Vec<String> {
    let config = crate::generate::Config {
        docs,
        sites,
        passages: true,
        doc_bytes: 1500,
        ..crate::generate::Config::default()
    };
    let generator = crate::generate::Generator::new(&config, 11).unwrap();
    (0..docs).map(|i| generator.document(i).text).collect()
}

/// The seeds of pass 2 for the documents `refs` (numbered in order), as pass 1 finds them.
#[cfg(feature = "generate")]
fn seeds_of(refs: &[&str], config: &Config, normalizer: &Normalizer) -> Seeds {
    let mut prints = Vec::new();
    for (i, t) in refs.iter().enumerate() {
        let mut hashes = Vec::new();
        normalizer.for_each_token(t, |x| hashes.push(x.hash));
        select_all(&hashes, config, i as u32, &mut prints);
    }
    Seeds::from_sorted(repeated(prints).into_iter().map(Ok), config.limits()).unwrap()
}

#[test]
#[cfg(feature = "generate")]
fn streaming_pass_two_over_kept_windows_finds_what_full_tokens_find() {
    let texts = generated(300, 4);
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    for config in [
        Config::default(),
        Config {
            min_tokens: 8,
            max_sources: 2,
            ..Config::default()
        },
    ] {
        let full = find_in_texts(&refs, &config).unwrap();
        assert!(full.passages.len() > 100, "{}", full.passages.len());
        // The same search, streaming in small batches with only the windows kept.
        let normalizer = Normalizer::new(config.hash.folds);
        let seeds = seeds_of(&refs, &config, &normalizer);
        let mut pass2 = Pass2::new(seeds, &config, &normalizer, Stats::default(), &keep_all);
        let ids: Vec<String> = (0..refs.len()).map(|i| i.to_string()).collect();
        let numbered: Vec<(u32, &str, &str)> = refs
            .iter()
            .enumerate()
            .map(|(i, t)| (i as u32, ids[i].as_str(), *t))
            .collect();
        for batch in numbered.chunks(13) {
            pass2.batch(batch).unwrap();
        }
        let streamed = pass2.finish();
        assert_eq!(streamed.passages, full.passages);
        assert_eq!(streamed.ids, full.ids);
        let s = streamed.stats;
        let all_tokens: u64 = refs
            .iter()
            .map(|t| crate::text::tokens(t).len() as u64)
            .sum();
        // Every page shares its site's chrome, yet far from every token is kept, and tokens
        // are dropped once no later document is compared with them.
        assert!(s.documents_extended > 290, "{s:?}");
        assert!(s.tokens_kept < all_tokens * 3 / 4, "{s:?} of {all_tokens}");
        assert!(s.peak_tokens_kept < s.tokens_kept * 3 / 4, "{s:?}");
    }
}

#[test]
#[cfg(feature = "generate")]
fn parked_documents_stay_within_twice_what_is_still_needed_and_find_the_same() {
    let texts = generated(400, 4);
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let full = find_in_texts(&refs, &Config::default()).unwrap();
    // A budget of a few pages: most documents are parked, and many are dropped from the
    // file after their last use.
    let config = Config {
        memory: 64 << 10,
        ..Config::default()
    };
    let normalizer = Normalizer::new(config.hash.folds);
    let seeds = seeds_of(&refs, &config, &normalizer);
    let mut pass2 = Pass2::new(seeds, &config, &normalizer, Stats::default(), &keep_all);
    let ids: Vec<String> = (0..refs.len()).map(|i| format!("page-{i}")).collect();
    let numbered: Vec<(u32, &str, &str)> = refs
        .iter()
        .enumerate()
        .map(|(i, t)| (i as u32, ids[i].as_str(), *t))
        .collect();
    let (mut most_parked, mut compacted, mut before) = (0, false, 0);
    for batch in numbered.chunks(7) {
        pass2.batch(batch).unwrap();
        // Every parked document is still needed, and the counts of what is parked are exact.
        let end = batch[batch.len() - 1].0;
        assert!(pass2.parked.keys().all(|&n| pass2.seeds.last_use(n) > end));
        assert_eq!(pass2.parked_until.len(), pass2.parked.len());
        let parked_bytes: u64 = pass2.parked.values().map(|(at, _)| at.end - at.start).sum();
        assert_eq!(pass2.file_live, parked_bytes);
        let open_tokens: u64 = pass2.open.values().map(|o| o.1.kept() as u64).sum();
        let parked_tokens: u64 = pass2.parked.values().map(|p| p.1).sum();
        assert_eq!(pass2.kept_all, open_tokens + parked_tokens);
        most_parked = most_parked.max(pass2.parked.len());
        compacted |= pass2.file_len < before;
        before = pass2.file_len;
        assert!(pass2.file_len <= 2 * pass2.file_live + pass2.max_held);
    }
    assert!(
        most_parked > 20 && compacted,
        "{most_parked} parked, compacted: {compacted}"
    );
    let streamed = pass2.finish();
    assert_eq!(streamed.passages, full.passages);
    let expected: HashMap<u32, String> =
        full.ids.keys().map(|&n| (n, format!("page-{n}"))).collect();
    assert_eq!(streamed.ids, expected);
}

/// `sentence(seed, n)` with word `at` replaced, as an editor changing one word would.
fn edited(seed: u64, n: usize, at: usize) -> String {
    let s = sentence(seed, n);
    let mut words: Vec<&str> = s.split(' ').collect();
    words[at] = "ویرایش";
    words.join(" ")
}

#[test]
fn an_edited_copy_reports_its_teaser_as_a_repeat_of_its_own_lead() {
    // An article whose lead is repeated as a teaser at the start of a later paragraph, and an
    // edited copy of it: one word of the lead changed (so in the copy's teaser too) and one
    // word just after the teaser. In the copy, repeats of the original run from the edit in
    // the lead through the next paragraph into the teaser up to the edit there, and cover the
    // teaser's tail past it; the copy's teaser must still be reported whole, as a repeat of the
    // copy's own lead (whose edited text first occurs there).
    let title = sentence(50, 7);
    let middle = paragraph(53, 3);
    let rest = paragraph(55, 2);
    // Word 5 edited: the long repeat ends mid-sentence in the teaser and is snapped back off
    // it. Word 12 edited: the long repeat ends where the teaser's first sentence does.
    for at in [5, 12] {
        let (s1, s2) = (sentence(51, 12), sentence(52, 15));
        let lead = format!("{s1} {s2}");
        let lead_edited = if at < 12 {
            format!("{} {s2}", edited(51, 12, at))
        } else {
            format!("{s1} {}", edited(52, 15, at - 12))
        };
        let article = |lead: &str, after: &str| {
            format!("{title}\n{lead}\n{middle}\n{lead} {after}\n{rest}\n")
        };
        let original = article(&lead, &sentence(54, 14));
        let copy = article(&lead_edited, &edited(54, 14, 3));
        let found = find_in_texts(&[&original, &copy], &Config::default()).unwrap();
        let teaser = copy.rfind(&lead_edited).unwrap();
        let in_copy: Vec<&Passage> = found.passages.iter().filter(|p| p.doc == 1).collect();
        assert!(
            in_copy.iter().any(|p| p.start == teaser
                && p.end == teaser + lead_edited.len()
                && (p.of_doc, p.of_start) == (1, copy.find(&lead_edited).unwrap())),
            "edit at word {at}: teaser at {teaser}..{} not reported whole: {in_copy:?}",
            teaser + lead_edited.len()
        );
        for w in in_copy.windows(2) {
            assert!(w[0].end <= w[1].start, "{w:?}");
        }
    }
}

/// `text` with word `i` of each `(i, "=w")` replaced by `w`, `w` inserted before it for
/// `(i, "+w")`, and it dropped for `(i, "-")` (indices into the original words).
fn with_edits(text: &str, edits: &[(usize, &str)]) -> String {
    let mut words: Vec<&str> = text.split(' ').collect();
    for &(i, edit) in edits.iter().rev() {
        match edit.split_at(1) {
            ("=", w) => words[i] = w,
            ("+", w) => words.insert(i, w),
            _ => {
                words.remove(i);
            }
        }
    }
    words.join(" ")
}

fn near() -> Config {
    Config {
        near: Some(NearExact::default()),
        ..Config::default()
    }
}

#[test]
fn a_paragraph_repeated_with_a_substitution_an_insertion_and_a_deletion_is_one_record() {
    // 12 + 15 + 18 + 21 words; edits at words 14, 30 and 46 leave stretches of 14 to 19 words.
    let original = paragraph(5, 4);
    let copy = with_edits(&original, &[(14, "=تازه"), (30, "+تازه"), (46, "-")]);
    let a = format!("{}\n{original}\n{}\n", sentence(1, 9), paragraph(6, 2));
    let b = format!("{}\n{copy}\n{}\n", paragraph(7, 2), sentence(2, 11));
    let found = find_in_texts(&[&a, &b], &near()).unwrap();
    assert_eq!(found.passages.len(), 1, "{:?}", found.passages);
    let p = &found.passages[0];
    assert_eq!((p.doc, p.of_doc, p.edits), (1, 0, Some(3)));
    assert_eq!(&b[p.start..p.end], copy);
    assert_eq!(&a[p.of_start..p.of_end], original);
    // Exact mode finds none of it: no edit-free stretch reaches 20 tokens.
    let exact = find_in_texts(&[&a, &b], &Config::default()).unwrap();
    assert!(exact.passages.is_empty(), "{:?}", exact.passages);
}

#[test]
fn repeats_of_two_sources_side_by_side_are_not_merged() {
    // The copy pastes a paragraph of document 0 and, right after it, one of document 1: the
    // two are near each other in the copy but come from different sources.
    let (p0, p1) = (paragraph(8, 3), paragraph(9, 3));
    let a = format!("{}\n{p0}\n", sentence(3, 10));
    let b = format!("{p1}\n{}\n", sentence(4, 12));
    let c = format!("{} {}\n", with_edits(&p0, &[(13, "=تازه")]), p1);
    let found = find_in_texts(&[&a, &b, &c], &near()).unwrap();
    let got: Vec<(u32, &str, Option<u32>)> = found
        .passages
        .iter()
        .map(|p| (p.of_doc, &c[p.start..p.end], p.edits))
        .collect();
    let copy0 = with_edits(&p0, &[(13, "=تازه")]);
    assert_eq!(
        got,
        vec![(0, copy0.as_str(), Some(1)), (1, p1.as_str(), Some(0))]
    );
}

#[test]
fn a_long_gap_splits_a_near_exact_repeat() {
    // Six words replaced in a row: two separate stretches, each reported only when 20 long.
    let original = paragraph(10, 4);
    let gap: Vec<(usize, &str)> = (20..26).map(|i| (i, "=تازه")).collect();
    let copy = with_edits(&original, &gap);
    let a = format!("{original}\n");
    let b = format!("{}\n{copy}\n", sentence(5, 8));
    let found = find_in_texts(&[&a, &b], &near()).unwrap();
    assert!(
        found.passages.iter().all(|p| p.edits == Some(0)),
        "{:?}",
        found.passages
    );
}

#[test]
fn a_chain_that_snapping_would_push_past_its_edit_budget_is_kept_whole() {
    // Source: s1 (20 words) s2 (8) s3 (20). Copy: s1, s2 with its first 3 words replaced, the
    // first 12 words of s3, then other words. The chain (3 edits in 40 tokens) ends mid-sentence
    // in both; snapped back to the end of s2 it would hold 3 edits in 28 tokens (over 10%). It
    // must then stay whole rather than claim s1 and be dropped, losing s1's exact repeat.
    let (s1, s2, s3) = (sentence(40, 20), sentence(41, 8), sentence(42, 20));
    let s2_words: Vec<&str> = s2.split(' ').collect();
    let s3_words: Vec<&str> = s3.split(' ').collect();
    let copy = format!(
        "{s1} تازه یک دو {} {} {}",
        s2_words[3..].join(" "),
        s3_words[..12].join(" "),
        sentence(43, 10)
    );
    let a = format!("{}\n{s1} {s2} {s3}\n", sentence(44, 9));
    let b = format!("{}\n{copy}\n", sentence(45, 11));
    let s1_at = b.find(&s1).unwrap();
    let covers_s1 = |found: &Outcome| {
        found
            .passages
            .iter()
            .any(|p| p.doc == 1 && p.start <= s1_at && p.end >= s1_at + s1.len())
    };
    let exact = find_in_texts(&[&a, &b], &Config::default()).unwrap();
    assert!(covers_s1(&exact), "{:?}", exact.passages);
    let found = find_in_texts(&[&a, &b], &near()).unwrap();
    assert!(covers_s1(&found), "{:?}", found.passages);
    assert!(found
        .passages
        .iter()
        .all(|p| p.edits.unwrap_or(0) * 10 <= p.tokens as u32));
}

/// Found by `cargo fuzz` (target `passages`): a NUL glued to the end of a word in the later copy
/// counted as punctuation shared with an earlier copy that had none, so the earlier span ran one
/// byte past the end of its text.
#[test]
fn spans_stay_inside_their_texts_when_a_nul_follows_the_later_copy() {
    let texts = [
        "A@AAA",
        "A\u{fffd}\u{19}\0\0\0A\u{fffd}A@AAA\0A@@A\u{fffd}\u{7}1",
    ];
    let config = Config {
        min_tokens: 3,
        shingle: 1,
        snap: false,
        max_sources: 11,
        near: Some(NearExact {
            seed_tokens: 2,
            max_gap: 2,
            min_match: 0.6,
        }),
        ..Config::default()
    };
    for near in [config.near, None] {
        let config = Config {
            near,
            ..config.clone()
        };
        let found = find_in_texts(&texts, &config).expect("valid config");
        for p in &found.passages {
            let (doc, of) = (texts[p.doc as usize], texts[p.of_doc as usize]);
            assert!(p.start < p.end && p.end <= doc.len(), "{p:?}");
            assert!(p.of_start < p.of_end && p.of_end <= of.len(), "{p:?}");
            assert!(doc.is_char_boundary(p.end) && of.is_char_boundary(p.of_end));
        }
    }
}
