//! What a near-duplicate search keeps of every document (id, source, distinct shingles,
//! length), in flat arrays: the one part of a search that grows with the corpus whatever the
//! budget. An owned `String` per id and per source cost about 130 bytes a document (two heap
//! blocks and a 64-byte struct), and `scan` runs two searches; here a document costs its id's
//! bytes plus 24, and each distinct source is stored once.

use serde::ser::{Serialize, SerializeSeq, Serializer};
use std::collections::HashMap;

/// Strings appended one after the other into one buffer, each found by its number.
#[derive(Debug, Clone, Default)]
struct Strings {
    text: String,
    /// Where string `i` ends in `text` (it starts where `i - 1` ends).
    ends: Vec<u64>,
}

impl Strings {
    fn push(&mut self, s: &str) -> u32 {
        self.text.push_str(s);
        self.ends.push(self.text.len() as u64);
        (self.ends.len() - 1) as u32
    }

    fn get(&self, i: u32) -> &str {
        let i = i as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }
}

/// Source number of a document without one.
const NO_SOURCE: u32 = u32::MAX;

/// What is known of each document after a search, by document number (see the module
/// documentation). Serialized as a sequence of [`DocInfo`].
#[derive(Debug, Clone, Default)]
pub struct Docs {
    ids: Strings,
    /// Each distinct source once, and the number of each by its hash (a collision only costs
    /// a second copy of the name).
    sources: Strings,
    source_numbers: HashMap<u64, u32>,
    source_of: Vec<u32>,
    shingles: Vec<u32>,
    bytes: Vec<u64>,
}

impl Docs {
    /// No documents.
    pub fn new() -> Self {
        Docs::default()
    }

    /// Appends the next document (numbered `self.len()`).
    pub fn push(&mut self, id: &str, source: Option<&str>, shingles: u32, bytes: usize) {
        self.ids.push(id);
        let source = match source {
            None => NO_SOURCE,
            Some(name) => {
                let hash = xxhash_rust::xxh3::xxh3_64(name.as_bytes());
                match self.source_numbers.get(&hash) {
                    Some(&s) if self.sources.get(s) == name => s,
                    found => {
                        let s = self.sources.push(name);
                        if found.is_none() {
                            self.source_numbers.insert(hash, s);
                        }
                        s
                    }
                }
            }
        };
        self.source_of.push(source);
        self.shingles.push(shingles);
        self.bytes.push(bytes as u64);
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.shingles.len()
    }

    /// True when there is no document.
    pub fn is_empty(&self) -> bool {
        self.shingles.is_empty()
    }

    /// Document `doc`'s id.
    pub fn id(&self, doc: u32) -> &str {
        self.ids.get(doc)
    }

    /// Document `doc`'s source, when known.
    pub fn source(&self, doc: u32) -> Option<&str> {
        match self.source_of[doc as usize] {
            NO_SOURCE => None,
            s => Some(self.sources.get(s)),
        }
    }

    /// Number of distinct shingles of document `doc`.
    pub fn shingles(&self, doc: u32) -> u32 {
        self.shingles[doc as usize]
    }

    /// Length of document `doc`'s text in bytes.
    pub fn bytes(&self, doc: u32) -> usize {
        self.bytes[doc as usize] as usize
    }

    /// Everything known of document `doc`, as an owned value.
    pub fn get(&self, doc: u32) -> DocInfo {
        DocInfo {
            id: self.id(doc).to_string(),
            source: self.source(doc).map(str::to_string),
            shingles: self.shingles(doc),
            bytes: self.bytes(doc),
        }
    }

    /// Every document, in number order.
    pub fn iter(&self) -> impl Iterator<Item = DocInfo> + '_ {
        (0..self.len() as u32).map(|d| self.get(d))
    }

    /// Distinct-shingle counts of every document, in number order.
    pub fn shingle_counts(&self) -> &[u32] {
        &self.shingles
    }
}

/// One document as [`Docs`] serializes it: the fields of [`DocInfo`], borrowed.
#[derive(serde::Serialize)]
struct DocView<'a> {
    id: &'a str,
    source: Option<&'a str>,
    shingles: u32,
    bytes: usize,
}

impl Serialize for Docs {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        for d in 0..self.len() as u32 {
            seq.serialize_element(&DocView {
                id: self.id(d),
                source: self.source(d),
                shingles: self.shingles(d),
                bytes: self.bytes(d),
            })?;
        }
        seq.end()
    }
}

/// What is known of one document after the search (see [`Docs::get`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DocInfo {
    /// The document's id.
    pub id: String,
    /// Its source, when known.
    pub source: Option<String>,
    /// Number of distinct shingles.
    pub shingles: u32,
    /// Length of its text in bytes.
    pub bytes: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_document_reads_back_as_pushed() {
        let mut docs = Docs::new();
        let rows = [
            ("a", Some("site-1"), 3, 10),
            ("", None, 0, 0),
            ("ثالث", Some("site-2"), 7, 40),
            ("d", Some("site-1"), 1, 5),
        ];
        for (id, source, shingles, bytes) in rows {
            docs.push(id, source, shingles, bytes);
        }
        assert_eq!(docs.len(), rows.len());
        for (d, (id, source, shingles, bytes)) in rows.into_iter().enumerate() {
            let expected = DocInfo {
                id: id.into(),
                source: source.map(str::to_string),
                shingles,
                bytes,
            };
            assert_eq!(docs.get(d as u32), expected);
        }
        // A repeated source is stored once.
        assert_eq!(docs.sources.ends.len(), 2);
        let infos: Vec<DocInfo> = docs.iter().collect();
        assert_eq!(
            serde_json::to_string(&docs).unwrap(),
            serde_json::to_string(&infos).unwrap()
        );
    }
}
