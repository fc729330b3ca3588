//! Passage extension: passages of new documents that repeat indexed ones, without the indexed
//! text.
//!
//! At `add`, each document's winnowed fingerprints (its [`crate::sketch::PassageSketch`],
//! Schleimer et al. 2003; about `2 / (w + 1)` per token) go into `passage_fingerprints`,
//! clustered on the hash, and its *token sketch* — one byte per token, the top byte of the
//! token's hash — into `passage_docs`: about 1 byte per token plus ~2 per fingerprint.
//!
//! At `check`, each new document is fingerprinted the same way and each fingerprint looked up
//! (at most [`FINGERPRINT_BUCKET_LIMIT`] indexed documents per hash, the earliest). A hit seeds
//! an alignment on its diagonal (indexed position − new position), extended token by token in
//! both directions while the new document's token bytes equal the stored sketch. Spans of at
//! least `min_tokens` tokens are kept; where spans of one new document overlap, the longest (then
//! the earliest indexed document) wins, so records of one document never overlap.
//!
//! Guarantees and precision:
//! * every exact repeat (after normalization) of at least `min_tokens` tokens of a new document
//!   in an indexed one is found (the winnowing guarantee), unless its only shared fingerprints
//!   each occur in more than [`FINGERPRINT_BUCKET_LIMIT`] indexed documents, or each occur more
//!   than [`SEEDS_PER_HASH`] times earlier in the new document;
//! * the new document's `start`/`end` are exact byte offsets of the span's first and last
//!   tokens (not narrowed to sentences, unlike `chaff passages`); the span never stops short of
//!   the true repeat, and overruns it at each end by m or more tokens with probability 256^-m
//!   (two different tokens share a sketch byte with probability 1/256);
//! * the indexed side is given as a token range (`of_token_start`, `of_token_end`, 0-based,
//!   end exclusive) with the same precision; its byte offsets (`of_start`, `of_end`) are not
//!   reported because the indexed text is not stored.
//!
//! New documents repeating each other are found by [`crate::passages::find`] over the new
//! corpus, exactly as `chaff passages` would, and reported with `"in_index":false`.

use super::db;
use super::extension::{Extension, Finding};
use super::schema::Settings;
use super::sketches::{fingerprints_blob, fingerprints_from_blob};
use super::stage::{StagedTable, Stages};
use crate::corpus::{Corpus, Document};
use crate::passages::{self, Fingerprint};
use crate::report::{Kind, PassageRecord, Record};
use crate::sketch::{PassageSketch, PassageSketcher};
use crate::text::line_of;
use crate::text::{Normalizer, Token};
use crate::Result;
use rayon::prelude::*;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::HashMap;

/// Most indexed documents read per fingerprint hash at check. A fingerprint carried by hundreds
/// of indexed documents is a stock passage (a site's footer, a wire-service disclaimer); the
/// earliest documents name it as well as all would, and reading them all would make one check
/// cost as much as the index is large.
pub const FINGERPRINT_BUCKET_LIMIT: i64 = 256;

/// Occurrences of one fingerprint hash in a new document that are looked up (the first ones).
/// Text that repeats itself (a run of one token, a table of zeros) selects the same hash at
/// thousands of positions; seeding each against up to [`FINGERPRINT_BUCKET_LIMIT`] indexed
/// places would make `n * 256` seeds, each extended over the whole run: minutes and gigabytes
/// for a 200 KB page. With the cap, seeds are at most `SEEDS_PER_HASH * 256` per distinct hash.
/// What it gives up: a copy of an indexed passage inside a new document whose only shared
/// fingerprints already occurred this many times earlier in the same document is not matched
/// against the index (the earlier copies are, and repeats within the new corpus are still
/// reported with `"in_index":false`).
pub const SEEDS_PER_HASH: usize = 16;

/// The passage stage of the index.
pub struct PassageExtension {
    config: passages::Config,
    normalizer: Normalizer,
    sketcher: PassageSketcher,
}

/// What `add` stores of a document: its passage sketch, as the library computes it, and its
/// token bytes.
pub struct Stored {
    sketch: PassageSketch,
    token_bytes: Vec<u8>,
}

/// One byte of a token hash: the top byte, independent of the low bits that bucket hashes
/// elsewhere.
fn token_byte(hash: u64) -> u8 {
    (hash >> 56) as u8
}

/// A repeat of a new document in an indexed one, in tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Hit {
    /// The indexed document.
    of: i64,
    /// Token range in the new document.
    start: usize,
    end: usize,
    /// First token of the copy in the indexed document.
    of_start: usize,
}

/// Maximal spans of `sketch` (the new document's) repeated in indexed documents (`stored` gives
/// their sketches), seeded by `seeds` (indexed doc, indexed token position, new token
/// position), non-overlapping.
fn spans<'a>(
    sketch: &[u8],
    mut seeds: Vec<(i64, usize, usize)>,
    stored: impl Fn(i64) -> Option<&'a [u8]>,
    min_tokens: usize,
) -> Vec<Hit> {
    // Grouped by diagonal and ordered along it, so a seed inside a span already extended on
    // the same diagonal is skipped.
    seeds.sort_unstable_by_key(|&(of, at, pos)| (of, at as i64 - pos as i64, pos));
    let mut hits: Vec<Hit> = Vec::new();
    let mut covered: Option<(i64, i64, usize)> = None;
    for (of, at, pos) in seeds {
        let diagonal = at as i64 - pos as i64;
        if covered.is_some_and(|(o, d, end)| o == of && d == diagonal && pos < end) {
            continue;
        }
        let Some(old) = stored(of) else { continue };
        if at >= old.len() || pos >= sketch.len() {
            continue;
        }
        let (mut start, mut of_start) = (pos, at);
        while start > 0 && of_start > 0 && sketch[start - 1] == old[of_start - 1] {
            start -= 1;
            of_start -= 1;
        }
        let mut end = pos;
        let mut of_end = at;
        while end < sketch.len() && of_end < old.len() && sketch[end] == old[of_end] {
            end += 1;
            of_end += 1;
        }
        covered = Some((of, diagonal, end));
        if end - start >= min_tokens {
            hits.push(Hit {
                of,
                start,
                end,
                of_start,
            });
        }
    }
    // Longest first, then earliest indexed document: those are kept where spans overlap.
    hits.sort_unstable_by_key(|h| (std::cmp::Reverse(h.end - h.start), h.of, h.start));
    let mut kept: Vec<Hit> = Vec::new();
    for h in hits {
        if kept.iter().all(|k| h.end <= k.start || h.start >= k.end) {
            kept.push(h);
        }
    }
    kept.sort_unstable_by_key(|h| h.start);
    kept
}

impl PassageExtension {
    /// The passage stage for an index with these settings.
    pub fn new(settings: &Settings) -> Result<PassageExtension> {
        let config = settings.passage_config();
        Ok(PassageExtension {
            normalizer: Normalizer::new(config.hash.folds),
            sketcher: PassageSketcher::new(&config)?,
            config,
        })
    }

    /// Findings of one batch of new documents against the index.
    fn check_batch(
        &self,
        conn: &Connection,
        batch: &[Document],
        cache: &mut HashMap<i64, (String, Vec<u8>)>,
    ) -> Result<Vec<Finding>> {
        let e = |err| db(conn, err);
        let prepared: Vec<(Vec<Token>, Vec<Fingerprint>)> = batch
            .par_iter()
            .map(|d| {
                let tokens = self.normalizer.tokens(&d.text);
                let prints = passages::fingerprints(&tokens, &self.config);
                (tokens, prints)
            })
            .collect();
        let mut lookup = conn
            .prepare_cached(
                "SELECT doc, pos FROM passage_fingerprints WHERE fingerprint = ?1 LIMIT ?2",
            )
            .map_err(e)?;
        let mut fetch = conn
            .prepare_cached(
                "SELECT d.id, p.sketch FROM passage_docs p JOIN docs d ON d.doc = p.doc \
                 WHERE p.doc = ?1",
            )
            .map_err(e)?;
        let mut findings = Vec::new();
        for (document, (tokens, prints)) in batch.iter().zip(prepared) {
            let mut seeds = Vec::new();
            let mut seen: HashMap<u64, usize> = HashMap::new();
            for p in &prints {
                // See `SEEDS_PER_HASH`: a run of one token selects one hash at every position.
                let uses = seen.entry(p.hash).or_insert(0);
                *uses += 1;
                if *uses > SEEDS_PER_HASH {
                    continue;
                }
                let rows = lookup
                    .query_map(params![p.hash as i64, FINGERPRINT_BUCKET_LIMIT], |r| {
                        Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
                    })
                    .map_err(e)?;
                for row in rows {
                    let (of, at) = row.map_err(e)?;
                    seeds.push((of, at as usize, p.pos as usize));
                }
            }
            if seeds.is_empty() {
                continue;
            }
            for &(of, _, _) in &seeds {
                if let std::collections::hash_map::Entry::Vacant(slot) = cache.entry(of) {
                    let row: Option<(String, Vec<u8>)> = fetch
                        .query_row([of], |r| Ok((r.get(0)?, r.get(1)?)))
                        .optional()
                        .map_err(e)?;
                    // A document without its row matches nothing (cannot happen inside one
                    // read transaction).
                    if let Some(row) = row {
                        slot.insert(row);
                    }
                }
            }
            let sketch: Vec<u8> = tokens.iter().map(|t| token_byte(t.hash)).collect();
            let sketch_of = |of: i64| cache.get(&of).map(|(_, s)| s.as_slice());
            for hit in spans(&sketch, seeds, sketch_of, self.config.min_tokens) {
                let start = tokens[hit.start].start;
                let end = tokens[hit.end - 1].end;
                let line = line_of(&document.text, start);
                let of = &cache[&hit.of].0;
                let count = hit.end - hit.start;
                findings.push(Finding {
                    doc: document.number,
                    line,
                    record: Record::Passage(PassageRecord {
                        id: document.id.clone(),
                        start,
                        end,
                        line: line as usize,
                        of: of.clone(),
                        of_start: None,
                        of_end: None,
                        of_line: None,
                        of_token_start: Some(hit.of_start),
                        of_token_end: Some(hit.of_start + count),
                        tokens: count,
                        edits: None,
                        in_index: Some(true),
                    }),
                    message: format!(
                        "{}: {count} tokens from line {line} (bytes {start}..{end}) repeat \
                         indexed document {of} (its tokens {}..{})",
                        document.id,
                        hit.of_start,
                        hit.of_start + count
                    ),
                });
            }
        }
        Ok(findings)
    }
}

/// Fingerprint rows, staged and then moved in (hash, doc, pos) order.
const STAGED_PRINTS: StagedTable = StagedTable {
    name: "staged_passage_fingerprints",
    columns: 3,
    finish: "INSERT OR IGNORE INTO passage_fingerprints (fingerprint, doc, pos) \
             SELECT c0, c1, c2 FROM temp.staged_passage_fingerprints WHERE true \
             ORDER BY c0, c1, c2",
};

impl Extension for PassageExtension {
    type Prepared = Stored;

    fn kind(&self) -> Kind {
        Kind::Passage
    }

    fn staged(&self) -> &'static [StagedTable] {
        &[STAGED_PRINTS]
    }

    fn prepare(&self, document: &Document) -> Stored {
        let mut hashes = Vec::new();
        let sketch = self.sketcher.sketch_with(&document.text, &mut hashes);
        Stored {
            sketch,
            token_bytes: hashes.into_iter().map(token_byte).collect(),
        }
    }

    fn add_document(
        &self,
        conn: &Connection,
        stages: &mut Stages,
        doc: i64,
        _document: &Document,
        stored: Stored,
    ) -> Result<()> {
        let e = |err| db(conn, err);
        conn.prepare_cached("INSERT INTO passage_docs (doc, sketch, prints) VALUES (?1, ?2, ?3)")
            .map_err(e)?
            .execute(params![
                doc,
                stored.token_bytes,
                fingerprints_blob(&stored.sketch.fingerprints)
            ])
            .map_err(e)?;
        for p in &stored.sketch.fingerprints {
            stages.push(
                conn,
                STAGED_PRINTS.name,
                &[p.hash as i64, doc, i64::from(p.pos)],
            )?;
        }
        Ok(())
    }

    fn remove_document(&self, conn: &Connection, doc: i64) -> Result<()> {
        let e = |err| db(conn, err);
        let blob: Option<Vec<u8>> = conn
            .query_row(
                "SELECT prints FROM passage_docs WHERE doc = ?1",
                [doc],
                |r| r.get(0),
            )
            .optional()
            .map_err(e)?;
        let mut delete = conn
            .prepare_cached(
                "DELETE FROM passage_fingerprints WHERE fingerprint = ?1 AND doc = ?2 AND pos = ?3",
            )
            .map_err(e)?;
        for p in fingerprints_from_blob(&blob.unwrap_or_default()) {
            delete
                .execute(params![p.hash as i64, doc, p.pos])
                .map_err(e)?;
        }
        conn.execute("DELETE FROM passage_docs WHERE doc = ?1", [doc])
            .map_err(e)?;
        Ok(())
    }

    fn check(&self, conn: &Connection, corpus: &Corpus) -> Result<Vec<Finding>> {
        let mut findings = Vec::new();
        // Indexed ids and sketches met so far: popular passages are read once per check.
        let mut cache = HashMap::new();
        corpus.read(false, |batch| {
            findings.extend(self.check_batch(conn, &batch, &mut cache)?);
            Ok(())
        })?;
        let within = passages::find(corpus, &self.config)?;
        for (p, mut record) in within.passages.iter().zip(within.records()) {
            record.in_index = Some(false);
            let message = format!(
                "{}: {} tokens from line {} repeat new document {} (line {})",
                record.id, p.tokens, p.line, record.of, p.of_line
            );
            findings.push(Finding {
                doc: p.doc,
                line: p.line as u64,
                record: Record::Passage(record),
                message,
            });
        }
        Ok(findings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_extends_to_the_whole_shared_run_and_overlaps_keep_the_longest() {
        // New: 0..10 own, 10..40 shared with doc 1 at 100..130, 40..50 own.
        let mut new: Vec<u8> = (0..50).map(|i| i as u8).collect();
        let mut old = vec![200u8; 200];
        old[100..130].copy_from_slice(&new[10..40]);
        new[0] = 250;
        let mut other = vec![201u8; 60]; // doc 2 shares only 20..35 with the new one
        other[5..20].copy_from_slice(&new[20..35]);
        let stored = HashMap::from([(1, old), (2, other)]);
        let of = |d: i64| stored.get(&d).map(|s| s.as_slice());
        let hits = spans(&new, vec![(1, 115, 25), (1, 105, 15), (2, 8, 23)], of, 10);
        assert_eq!(
            hits,
            vec![Hit {
                of: 1,
                start: 10,
                end: 40,
                of_start: 100
            }]
        );
        // Too short a run is not reported.
        assert!(spans(&new, vec![(2, 8, 23)], of, 20).is_empty());
    }
}
