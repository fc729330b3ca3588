//! The per-document sketches an index stores, in the library's own types.
//!
//! An add stores of each document exactly the sketches the library computes from its text
//! ([`crate::sketch`]): the near-duplicate [`DocSketch`] (signature in `docs.signature`, band
//! keys in `bands`, shingle count and length in `docs`), the [`PassageSketch`] (fingerprints in
//! `passage_docs.prints` and `passage_fingerprints`) and the [`ChromeSketch`] (line keys in
//! `chrome_docs.keys`, counted into `chrome_lines`). [`Index::sketches`] reads them back as
//! those types, so a stored document can be reduced with sketches computed anywhere else
//! ([`crate::sketch::Sketches`], [`crate::sketch::PassageSketches`],
//! [`crate::sketch::ChromeSketches`]).
//!
//! The columns hold the sketches' fields as fixed-width little-endian BLOBs rather than their
//! serde form: about 12 bytes per fingerprint and 8 per line key instead of several times that
//! as text, and the layout of format 3 indexes stays readable. The functions here are the one
//! place that encodes and decodes them.
//!
//! Besides the sketches, the passage stage keeps one byte per token of each document (see
//! [`super::passages`]): what extends an index hit to a maximal span without the indexed text.
//! No library stage needs it, so it is not part of [`PassageSketch`].

use super::{db_error, Index};
use crate::passages::Fingerprint;
use crate::sketch::{ChromeSketch, DocSketch, PassageSketch};
use crate::Result;

/// The sketches an index holds of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedSketch {
    /// The document's id.
    pub id: String,
    /// Its source, when known.
    pub source: Option<String>,
    /// Its near-duplicate sketch, without a shingle set (an index verifies by estimate).
    pub dups: DocSketch,
    /// Its winnowed passage fingerprints.
    pub passages: PassageSketch,
    /// Its distinct chrome line keys.
    pub chrome: ChromeSketch,
}

impl Index {
    /// The sketches of every indexed document, in the order they were added: equal to what
    /// [`crate::sketch::Sketcher`] (of [`super::Settings::sketcher`]),
    /// [`crate::sketch::PassageSketcher`] (of [`super::Settings::passage_config`]) and
    /// [`crate::sketch::ChromeSketcher`] compute from the same texts.
    pub fn sketches(&self) -> Result<Vec<IndexedSketch>> {
        let e = |err| db_error(&self.path, err);
        let sketcher = self.settings.sketcher()?;
        let tx = self.conn.unchecked_transaction().map_err(e)?;
        let mut statement = tx
            .prepare(
                "SELECT d.id, d.source, d.shingles, d.bytes, d.signature, p.prints, c.keys \
                 FROM docs d JOIN passage_docs p ON p.doc = d.doc \
                 JOIN chrome_docs c ON c.doc = d.doc ORDER BY d.doc",
            )
            .map_err(e)?;
        let rows = statement
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, u32>(2)?,
                    r.get::<_, u64>(3)?,
                    r.get::<_, Vec<u8>>(4)?,
                    r.get::<_, Vec<u8>>(5)?,
                    r.get::<_, Vec<u8>>(6)?,
                ))
            })
            .map_err(e)?;
        let mut out = Vec::new();
        for row in rows {
            let (id, source, shingles, bytes, signature, prints, keys) = row.map_err(e)?;
            let signature = slots_from_blob(&signature);
            // Band keys are a function of the signature; an empty document has none.
            let band_keys = if shingles == 0 {
                Vec::new()
            } else {
                sketcher.band_keys(&signature)
            };
            out.push(IndexedSketch {
                dups: DocSketch {
                    signature,
                    band_keys,
                    shingles,
                    bytes,
                    set: None,
                },
                passages: PassageSketch {
                    bytes,
                    fingerprints: fingerprints_from_blob(&prints),
                },
                chrome: ChromeSketch {
                    source: source.clone(),
                    keys: keys_from_blob(&keys),
                },
                id,
                source,
            });
        }
        Ok(out)
    }
}

/// The slots of a signature BLOB (little-endian `u32`s).
pub(crate) fn slots_from_blob(blob: &[u8]) -> Vec<u32> {
    blob.chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

/// A signature as a BLOB of little-endian `u32`s.
pub(crate) fn blob_from_slots(slots: &[u32]) -> Vec<u8> {
    slots.iter().flat_map(|s| s.to_le_bytes()).collect()
}

/// Passage fingerprints as a BLOB of (`u64` hash, `u32` position) little-endian pairs.
pub(crate) fn fingerprints_blob(prints: &[Fingerprint]) -> Vec<u8> {
    let mut out = Vec::with_capacity(prints.len() * 12);
    for p in prints {
        out.extend_from_slice(&p.hash.to_le_bytes());
        out.extend_from_slice(&p.pos.to_le_bytes());
    }
    out
}

/// The fingerprints of a BLOB written by [`fingerprints_blob`].
pub(crate) fn fingerprints_from_blob(blob: &[u8]) -> Vec<Fingerprint> {
    blob.chunks_exact(12)
        .map(|c| {
            let mut hash = [0u8; 8];
            hash.copy_from_slice(&c[..8]);
            Fingerprint {
                hash: u64::from_le_bytes(hash),
                pos: u32::from_le_bytes([c[8], c[9], c[10], c[11]]),
            }
        })
        .collect()
}

/// Chrome line keys as a BLOB of little-endian `u64`s.
pub(crate) fn keys_blob(keys: &[u64]) -> Vec<u8> {
    keys.iter().flat_map(|k| k.to_le_bytes()).collect()
}

/// The keys of a BLOB written by [`keys_blob`].
pub(crate) fn keys_from_blob(blob: &[u8]) -> Vec<u64> {
    blob.chunks_exact(8)
        .map(|c| {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            u64::from_le_bytes(b)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sketch_fields_round_trip_through_their_blobs() {
        let prints = vec![
            Fingerprint {
                hash: u64::MAX - 3,
                pos: 7,
            },
            Fingerprint { hash: 1, pos: 900 },
        ];
        assert_eq!(fingerprints_from_blob(&fingerprints_blob(&prints)), prints);
        let keys = vec![0, 1, u64::MAX];
        assert_eq!(keys_from_blob(&keys_blob(&keys)), keys);
        let slots = vec![0, 7, u32::MAX];
        assert_eq!(slots_from_blob(&blob_from_slots(&slots)), slots);
    }
}
