//! Chrome line features and decisions on arbitrary text (`chaff::chrome::detect_text`): every
//! span is one whole line, on char boundaries, with the right line number.
#![no_main]

use chaff::chrome::{detect_text, Config, Model};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (model, config) = (Model::default(), Config::default());
    let mut last_end = 0;
    for span in detect_text(&text, Some("site"), &model, &config) {
        let (s, e) = (span.byte_start, span.byte_end);
        assert!(
            s <= e && e <= text.len(),
            "span {s}..{e} outside 0..{}",
            text.len()
        );
        assert!(s >= last_end, "spans out of order or overlapping at {s}");
        assert!(
            text.is_char_boundary(s) && text.is_char_boundary(e),
            "span {s}..{e} not on char boundaries"
        );
        assert!(
            s == 0 || text.as_bytes()[s - 1] == b'\n',
            "span at {s} does not start a line"
        );
        let rest = &text[e..];
        assert!(
            // A carriage return before the line break (or ending the text) is not in the line.
            rest.is_empty() || rest.starts_with('\n') || rest.starts_with("\r\n") || rest == "\r",
            "span {s}..{e} does not end a line"
        );
        assert!(
            !text[s..e].contains('\n'),
            "span {s}..{e} holds a line break"
        );
        let line = text[..s].matches('\n').count() + 1;
        assert_eq!(
            span.line as usize, line,
            "wrong line number for span at {s}"
        );
        last_end = e;
    }
});
