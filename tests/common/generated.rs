//! Helpers of the tests that need `chaff::generate`: a generated corpus written to a temporary
//! JSONL file, and its documents cut into shards as workers would sketch them.

use chaff::generate::{Config, Document, Generator};
use chaff::sketch::TextDoc;
use std::path::PathBuf;

/// A generated corpus of `docs` documents of about 1500 bytes (on `sites` sites) from `seed`,
/// written to `corpus.jsonl` in a temporary directory (kept alive by the returned handle), with
/// its documents in corpus order.
pub fn generated_corpus(
    docs: u64,
    sites: u32,
    seed: u64,
) -> (tempfile::TempDir, PathBuf, Vec<Document>) {
    let generator = Generator::new(
        &Config {
            docs,
            doc_bytes: 1500,
            sites,
            ..Config::default()
        },
        seed,
    )
    .unwrap();
    let (mut corpus, mut truth) = (Vec::new(), Vec::new());
    generator.write_jsonl(&mut corpus, &mut truth).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corpus.jsonl");
    std::fs::write(&path, &corpus).unwrap();
    let documents = (0..generator.len())
        .map(|i| generator.document(i))
        .collect();
    (dir, path, documents)
}

/// Shard `shard` of `shards`: every document whose number is `shard` modulo `shards`.
pub fn every_nth(docs: &[Document], shards: usize, shard: usize) -> Vec<TextDoc<'_>> {
    docs.iter()
        .enumerate()
        .filter(|(n, _)| n % shards == shard)
        .map(|(n, d)| TextDoc {
            number: n as u32,
            id: &d.id,
            source: Some(&d.source),
            text: &d.text,
        })
        .collect()
}
