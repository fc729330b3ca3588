//! Decoding one JSON Lines record: only the id, text and source fields are built, everything
//! else is skipped; and the messages that say plainly what is wrong with a malformed line (a
//! lone surrogate escape, a column counted from the line's start).

use super::Fields;
use crate::Advice;

/// The UTF-8 encoding of U+FEFF, the byte-order mark.
pub(super) const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The named fields of one JSON line. Only those three are decoded; every other value is skipped
/// without being built (a serde_json::Value tree cost more than tokenizing the text).
///
/// The text field is first taken as the raw JSON it is written as and unescaped here in one
/// copy into a string of its final size ([`unescape`]); serde_json would build it in a
/// scratch buffer grown by doubling from empty for every line (the corpus's texts all hold
/// `\n` escapes, so it is never borrowed) and copy it out again: ~3% of `chaff scan`. Any
/// line that way does not take (a text that is no string, a `\u` escape of a surrogate, a
/// malformed line) is parsed again the ordinary way, which gives the values and errors it
/// always gave.
pub(super) fn parse_record(line: &str, fields: &Fields) -> serde_json::Result<Option<Record>> {
    parse_record_with(line, fields, true).or_else(|_| parse_record_with(line, fields, false))
}

fn parse_record_with(
    line: &str,
    fields: &Fields,
    raw_text: bool,
) -> serde_json::Result<Option<Record>> {
    let mut de = serde_json::Deserializer::from_str(line);
    serde::de::DeserializeSeed::deserialize(RecordSeed { fields, raw_text }, &mut de)
        .and_then(|r| de.end().map(|()| r))
}

/// The string a JSON string literal (`raw`, quotes included, already checked by serde_json
/// for bad escapes and control characters) stands for, or `None` when it is not a string or
/// holds a `\u` escape of a surrogate, which are left to serde_json (a pair is rare in text
/// and a lone one is an error it words). Never longer than `raw`, so sized once.
fn unescape(raw: &str) -> Option<String> {
    let body = raw.strip_prefix('"')?.strip_suffix('"')?;
    let bytes = body.as_bytes();
    let mut out = String::with_capacity(body.len());
    let mut at = 0;
    while let Some(found) = memchr::memchr(b'\\', &bytes[at..]) {
        let escape = at + found;
        out.push_str(&body[at..escape]);
        at = escape + 2;
        let decoded = match *bytes.get(escape + 1)? {
            b'n' => '\n',
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b't' => '\t',
            b'r' => '\r',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'u' => {
                let hex = body.get(at..at + 4)?;
                at += 4;
                // A sign or other non-digit is refused by the parser before this is reached.
                char::from_u32(u32::from_str_radix(hex, 16).ok()?)?
            }
            _ => return None,
        };
        out.push(decoded);
    }
    out.push_str(&body[at..]);
    Some(out)
}

/// A message for a malformed line: serde_json's, without its "line 1" (each line is parsed on its
/// own, so the file's line is already in the error) and with the column counted in bytes from the
/// line's start, a byte-order mark included; a lone surrogate (an escape of half a UTF-16 pair,
/// `"\ud800"` alone, which encodes no character) explained, with the advice to read it lossily.
pub(super) fn json_message(
    e: &serde_json::Error,
    bom: usize,
    lone_surrogate: bool,
) -> (String, Option<Advice>) {
    let column = e.column() + bom;
    if lone_surrogate {
        let message = format!(
            "malformed JSON at column {column}: a \\u escape of a lone UTF-16 surrogate \
             (\\ud800 to \\udfff not in a high-low pair) encodes no character"
        );
        let advice = Advice::new(
            "; fix the producer, or pass ",
            "corpus.lossy",
            " to read it as U+FFFD",
        );
        return (message, Some(advice));
    }
    let text = e.to_string();
    let what = text
        .rsplit_once(" at line ")
        .map_or(text.as_str(), |(what, _)| what);
    if e.is_eof() && column == 0 {
        return (format!("malformed JSON: {what}"), None);
    }
    (format!("malformed JSON at column {column}: {what}"), None)
}

/// `line` with every `\u` escape of a lone surrogate replaced by `\ufffd` (for `--lossy`), or
/// `None` when it has none. Escapes are found by scanning for backslashes, so an escaped
/// backslash before a `u` is not taken for one.
pub(super) fn replace_lone_surrogates(line: &str) -> Option<String> {
    let b = line.as_bytes();
    let hex = |at: usize| -> Option<u16> {
        let digits = line.get(at..at + 4)?;
        u16::from_str_radix(digits, 16).ok()
    };
    let escape_at = |at: usize| -> Option<u16> {
        (b.get(at) == Some(&b'\\') && b.get(at + 1) == Some(&b'u'))
            .then(|| hex(at + 2))
            .flatten()
    };
    let mut out = String::with_capacity(line.len());
    let (mut i, mut copied) = (0, 0);
    while i < b.len() {
        if b[i] != b'\\' {
            i += 1;
            continue;
        }
        match escape_at(i) {
            Some(0xD800..=0xDBFF) => {
                if matches!(escape_at(i + 6), Some(0xDC00..=0xDFFF)) {
                    i += 12;
                } else {
                    out.push_str(&line[copied..i]);
                    out.push_str("\\ufffd");
                    i += 6;
                    copied = i;
                }
            }
            Some(0xDC00..=0xDFFF) => {
                out.push_str(&line[copied..i]);
                out.push_str("\\ufffd");
                i += 6;
                copied = i;
            }
            Some(_) => i += 6,
            // Any other escape is two bytes (`\\`, `\"`, `\n`, ...); skipping both keeps an
            // escaped backslash from starting an escape.
            None => i += 2,
        }
    }
    if copied == 0 {
        return None;
    }
    out.push_str(&line[copied.min(line.len())..]);
    Some(out)
}

/// The value of one of the named fields of a JSONL record.
pub(super) enum FieldValue {
    Text(String),
    /// A number, as serde_json prints it.
    Number(String),
    Null,
    /// Any other JSON kind, named for error messages ("a boolean", "an array", ...).
    Other(&'static str),
}

/// The named fields of one record; `None` for the whole record when it is not an object.
pub(super) struct Record {
    pub id: Option<FieldValue>,
    pub text: Option<FieldValue>,
    pub source: Option<FieldValue>,
}

struct RecordSeed<'a> {
    fields: &'a Fields,
    /// Take the text field as raw JSON and [`unescape`] it (see [`parse_record`]).
    raw_text: bool,
}

impl<'de> serde::de::DeserializeSeed<'de> for RecordSeed<'_> {
    type Value = Option<Record>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for RecordSeed<'_> {
    type Value = Option<Record>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut record = Record {
            id: None,
            text: None,
            source: None,
        };
        // A repeated key keeps its last value, as a parsed JSON object would.
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let slot = if key == self.fields.text {
                if self.raw_text {
                    let raw = map.next_value::<&'de serde_json::value::RawValue>()?;
                    let text = unescape(raw.get())
                        .ok_or_else(|| serde::de::Error::custom("left to the ordinary parse"))?;
                    record.text = Some(FieldValue::Text(text));
                    continue;
                }
                &mut record.text
            } else if key == self.fields.id {
                &mut record.id
            } else if key == self.fields.source {
                &mut record.source
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
                continue;
            };
            *slot = Some(map.next_value::<FieldValue>()?);
        }
        Ok(Some(record))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

impl<'de> serde::Deserialize<'de> for FieldValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(FieldVisitor)
    }
}

struct FieldVisitor;

impl<'de> serde::de::Visitor<'de> for FieldVisitor {
    type Value = FieldValue;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_str<E>(self, v: &str) -> Result<FieldValue, E> {
        Ok(FieldValue::Text(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<FieldValue, E> {
        Ok(FieldValue::Text(v))
    }
    fn visit_unit<E>(self) -> Result<FieldValue, E> {
        Ok(FieldValue::Null)
    }
    fn visit_bool<E>(self, _: bool) -> Result<FieldValue, E> {
        Ok(FieldValue::Other("a boolean"))
    }
    fn visit_i64<E>(self, v: i64) -> Result<FieldValue, E> {
        Ok(FieldValue::Number(serde_json::Number::from(v).to_string()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<FieldValue, E> {
        Ok(FieldValue::Number(serde_json::Number::from(v).to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<FieldValue, E> {
        Ok(FieldValue::Number(
            serde_json::Number::from_f64(v)
                .map(|n| n.to_string())
                .unwrap_or_else(|| v.to_string()),
        ))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<FieldValue, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(FieldValue::Other("an array"))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<FieldValue, A::Error> {
        while map
            .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
            .is_some()
        {}
        Ok(FieldValue::Other("an object"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescaped_texts_are_what_serde_json_reads() {
        for raw in [
            r#""""#,
            r#""plain""#,
            r#""a\nb\tc\r\\d\"e\/f\bg\fh""#,
            r#""\u00e9\u0627\u06CC\u0000 سلام\n""#,
            r#""ends with an escape\n""#,
            r#""\\u0041 is no escape""#,
        ] {
            let expected: String = serde_json::from_str(raw).expect("a valid literal");
            assert_eq!(unescape(raw).as_deref(), Some(expected.as_str()), "{raw}");
        }
        // Surrogates, pairs or lone, and what is not a string are left to serde_json.
        for raw in [r#""\ud83d\ude00""#, r#""\udc00""#, "12", "null"] {
            assert_eq!(unescape(raw), None, "{raw}");
        }
        let fields = Fields::default();
        let record = parse_record(r#"{"id":1,"text":"\ud83d\ude00\n"}"#, &fields)
            .expect("a pair is valid")
            .expect("an object");
        assert!(matches!(record.text, Some(FieldValue::Text(t)) if t == "\u{1F600}\n"));
    }

    #[test]
    fn only_lone_surrogate_escapes_are_replaced() {
        assert_eq!(
            replace_lone_surrogates(r#"{"t":"a\ud800b"}"#).as_deref(),
            Some(r#"{"t":"a\ufffdb"}"#)
        );
        assert_eq!(
            replace_lone_surrogates(r#"{"t":"\udc00"}"#).as_deref(),
            Some(r#"{"t":"\ufffd"}"#)
        );
        // A high surrogate followed by another high one: the first is lone, the second too.
        assert_eq!(
            replace_lone_surrogates(r#""\ud800\ud801""#).as_deref(),
            Some(r#""\ufffd\ufffd""#)
        );
        // A proper pair, an escaped backslash before `u`, an ordinary escape: nothing to do.
        assert_eq!(
            replace_lone_surrogates(r#""\ud83d\ude00 \\ud800 \u00e9""#),
            None
        );
        // Truncated escapes are left to the JSON parser's own message.
        assert_eq!(replace_lone_surrogates(r#""\ud8"#), None);
    }
}
