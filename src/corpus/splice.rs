//! Replacing one field's value inside a JSONL line, every other byte left as it was.
//!
//! `clean` promises to copy what it does not change: a record's other fields keep their number
//! spellings (`1e5`, integers beyond 64 bits), nesting of any depth, key order, spacing and even
//! bytes that are not UTF-8 (read with `--lossy`). Decoding the line into a value tree and
//! printing it again keeps none of that, so the line is scanned instead: a small scanner over the
//! top-level object finds the byte span of the text field's value (its last occurrence, the one
//! the reader took), and the new text, encoded as a JSON string, is spliced into that span.
//!
//! The scanner trusts that the reader has already parsed the line as a JSON object; it only
//! tracks strings (with their escapes) and bracket depth, iteratively, so depth costs nothing.

use std::ops::Range;

/// JSON's insignificant white space.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

fn skip_space(line: &[u8], mut at: usize) -> usize {
    while line.get(at).is_some_and(|&b| is_space(b)) {
        at += 1;
    }
    at
}

/// The index just past the string that opens at `at` (a `"`).
fn skip_string(line: &[u8], at: usize) -> Result<usize, String> {
    let mut i = at + 1;
    loop {
        match memchr::memchr2(b'"', b'\\', &line[i.min(line.len())..]) {
            Some(n) if line[i + n] == b'\\' => i += n + 2,
            Some(n) => return Ok(i + n + 1),
            None => return Err(format!("unterminated string at byte {at}")),
        }
    }
}

/// The end of the value that starts at `at`: the index of the `,` or `}` that follows it at
/// depth 0, with white space before it excluded.
fn skip_value(line: &[u8], at: usize) -> Result<usize, String> {
    let mut depth = 0usize;
    let mut i = at;
    loop {
        match line.get(i) {
            None => return Err(format!("value at byte {at} does not end")),
            Some(b'"') => i = skip_string(line, i)?,
            Some(b'{' | b'[') => {
                depth += 1;
                i += 1;
            }
            Some(b'}' | b']') if depth > 0 => {
                depth -= 1;
                i += 1;
            }
            Some(b',' | b'}') if depth == 0 => break,
            Some(_) => i += 1,
        }
    }
    let mut end = i;
    while end > at && is_space(line[end - 1]) {
        end -= 1;
    }
    Ok(end)
}

/// Whether the raw key bytes (between the quotes) spell `field`.
fn key_is(raw: &[u8], field: &str) -> bool {
    if !raw.contains(&b'\\') {
        return raw == field.as_bytes();
    }
    let mut quoted = Vec::with_capacity(raw.len() + 2);
    quoted.push(b'"');
    quoted.extend_from_slice(raw);
    quoted.push(b'"');
    serde_json::from_slice::<String>(&quoted).is_ok_and(|k| k == field)
}

/// Byte span of the value of the top-level key `field` in the JSON object `line` (its last
/// occurrence), or `None` when the object has no such key.
pub(crate) fn field_value_span(line: &[u8], field: &str) -> Result<Option<Range<usize>>, String> {
    // A byte order mark before the object is not part of it.
    let start = if line.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let mut at = skip_space(line, start);
    if line.get(at) != Some(&b'{') {
        return Err("expected a JSON object".into());
    }
    at = skip_space(line, at + 1);
    let mut span = None;
    if line.get(at) == Some(&b'}') {
        return Ok(None);
    }
    loop {
        if line.get(at) != Some(&b'"') {
            return Err(format!("expected a key at byte {at}"));
        }
        let key_end = skip_string(line, at)?;
        let is_field = key_is(&line[at + 1..key_end - 1], field);
        at = skip_space(line, key_end);
        if line.get(at) != Some(&b':') {
            return Err(format!("expected `:` at byte {at}"));
        }
        let value_start = skip_space(line, at + 1);
        let value_end = skip_value(line, value_start)?;
        if is_field {
            span = Some(value_start..value_end);
        }
        at = skip_space(line, value_end);
        match line.get(at) {
            Some(b',') => at = skip_space(line, at + 1),
            Some(b'}') => return Ok(span),
            _ => return Err(format!("expected `,` or `}}` at byte {at}")),
        }
    }
}

/// `line` with the value of its top-level key `field` replaced by `text` as a JSON string;
/// every other byte is copied, and the line ends with a newline.
pub(crate) fn replace_field(line: &[u8], field: &str, text: &str) -> Result<Vec<u8>, String> {
    let span =
        field_value_span(line, field)?.ok_or_else(|| format!("no field `{field}` to rewrite"))?;
    let value = serde_json::to_string(text).map_err(|e| e.to_string())?;
    let mut out = Vec::with_capacity(line.len() + value.len());
    out.extend_from_slice(&line[..span.start]);
    out.extend_from_slice(value.as_bytes());
    out.extend_from_slice(&line[span.end..]);
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_fields_value_changes() {
        let line = br#" {"a":[1,{"text":"inner"}], "text" : "old \" \\ x" ,"b":1e5}"#;
        assert_eq!(
            replace_field(line, "text", "new").unwrap(),
            br#" {"a":[1,{"text":"inner"}], "text" : "new" ,"b":1e5}
"#
        );
    }

    #[test]
    fn the_last_of_repeated_keys_and_escaped_keys_are_found() {
        let line = br#"{"text":"first","t\u0065xt":"second"}"#;
        let span = field_value_span(line, "text").unwrap().unwrap();
        assert_eq!(&line[span], br#""second""#);
        assert_eq!(field_value_span(br#"{}"#, "text").unwrap(), None);
        assert_eq!(field_value_span(br#"{"x":null}"#, "text").unwrap(), None);
    }

    #[test]
    fn the_value_ends_before_white_space_and_nesting_depth_is_free() {
        let deep = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
        let line = format!("{{\"d\":{deep},\"text\":null\t}}\r\n");
        let out = replace_field(line.as_bytes(), "text", "é\n").unwrap();
        assert_eq!(
            out,
            format!("{{\"d\":{deep},\"text\":\"é\\n\"\t}}\r\n").into_bytes()
        );
    }

    #[test]
    fn malformed_lines_are_errors_not_panics() {
        for line in [
            &b""[..],
            b"[]",
            b"{\"text\"",
            b"{\"text\":\"x",
            b"{\"a\":1 \"b\":2}",
            b"{\"a\\",
        ] {
            assert!(replace_field(line, "text", "t").is_err(), "{line:?}");
        }
    }
}
