//! Passage search and extension on arbitrary small corpora: every span lies within its
//! document, on char boundaries, non-empty; an earlier occurrence lies in an earlier place; the
//! records of one document never overlap; and the cut covers the copy.
#![no_main]

use chaff::passages::{find_in_texts, Config, NearExact};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, body)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(body);
    // Documents are separated by U+0001, so the fuzzer can make several.
    let texts: Vec<&str> = text.split('\u{1}').take(6).collect();
    let mut config = Config {
        min_tokens: 2 + (flags & 7) as usize,
        shingle: 1 + ((flags >> 3) & 3) as usize,
        snap: flags & 0x20 != 0,
        max_sources: 1 + ((flags >> 6) as usize) * 5,
        ..Config::default()
    };
    if flags & 0x80 != 0 {
        config.near = Some(NearExact {
            seed_tokens: 2.max(config.min_tokens / 2),
            max_gap: 2,
            min_match: 0.6,
        });
    }
    let Ok(outcome) = find_in_texts(&texts, &config) else {
        return;
    };
    let mut by_doc: Vec<Vec<(usize, usize)>> = vec![Vec::new(); texts.len()];
    for p in &outcome.passages {
        let (doc, of) = (texts[p.doc as usize], texts[p.of_doc as usize]);
        for (s, e, t) in [
            (p.start, p.end, doc),
            (p.of_start, p.of_end, of),
            (p.cut.start, p.cut.end, doc),
        ] {
            assert!(
                s < e && e <= t.len(),
                "span {s}..{e} outside 0..{} in {p:?}",
                t.len()
            );
            assert!(
                t.is_char_boundary(s) && t.is_char_boundary(e),
                "span {s}..{e} not on char boundaries in {p:?}"
            );
        }
        assert!(
            p.cut.start <= p.start && p.end <= p.cut.end,
            "cut does not cover the copy: {p:?}"
        );
        assert!(p.tokens >= config.min_tokens, "short passage {p:?}");
        assert!(
            (p.of_doc, p.of_start) < (p.doc, p.start),
            "the earlier occurrence is not earlier: {p:?}"
        );
        if p.doc == p.of_doc {
            assert!(p.of_end <= p.start, "copy overlaps its original: {p:?}");
        }
        by_doc[p.doc as usize].push((p.start, p.end));
    }
    for spans in &mut by_doc {
        spans.sort();
        for w in spans.windows(2) {
            assert!(w[0].1 <= w[1].0, "records overlap: {w:?}");
        }
    }
});
