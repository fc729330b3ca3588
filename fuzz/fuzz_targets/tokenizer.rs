//! The normalizer and tokenizer on arbitrary text: tokens come in order, each a non-empty range
//! of the original text on char boundaries, whatever folds are on; the streaming and collecting
//! entry points agree.
#![no_main]

use chaff::text::{Folds, Normalizer};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, body)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(body);
    // Built once: a fold table takes milliseconds (far more under the sanitizer).
    static NORMALIZERS: OnceLock<[Normalizer; 3]> = OnceLock::new();
    let normalizers = NORMALIZERS.get_or_init(|| {
        [
            Normalizer::new(Folds::default()),
            Normalizer::new(Folds::none()),
            Normalizer::new(Folds::with_disabled(&["nfkc", "case"]).expect("known folds")),
        ]
    });
    let normalizer = &normalizers[(flags % 3) as usize];
    let mut last_end = 0;
    let mut streamed = Vec::new();
    normalizer.for_each_token(&text, |t| {
        assert!(t.start < t.end, "empty token {t:?}");
        assert!(
            t.end <= text.len(),
            "token {t:?} past the text ({})",
            text.len()
        );
        assert!(t.start >= last_end, "token {t:?} overlaps the one before");
        assert!(
            text.is_char_boundary(t.start) && text.is_char_boundary(t.end),
            "token {t:?} not on char boundaries"
        );
        last_end = t.end;
        streamed.push(t);
    });
    assert_eq!(normalizer.tokens(&text), streamed);
});
