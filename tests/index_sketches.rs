//! What `chaff index add` stores of each document are the library's own sketches: read back
//! with `Index::sketches`, they equal what the sketchers compute from the same texts, and they
//! reduce into the same values as sketches computed in memory.

mod common;

use chaff::corpus::{Corpus, ReadOptions};
use chaff::index::Index;
use chaff::sketch::{
    ChromeSketcher, ChromeSketches, PassageSketcher, PassageSketches, Sketches, TextDoc,
};
use common::chaff;
use common::generated::generated_corpus;

#[test]
fn an_index_holds_the_sketches_the_library_computes() {
    let (dir, path, _) = generated_corpus(60, 3, 11);
    // An empty document (no shingle, no fingerprint, no line) is stored too.
    let extra = dir.path().join("extra.jsonl");
    std::fs::write(
        &extra,
        "{\"id\":\"empty\",\"source\":\"site-z\",\"text\":\"\"}\n\
         {\"id\":\"short\",\"text\":\"three words only\"}\n",
    )
    .unwrap();
    let index = dir.path().join("kept.chaff");
    // Settings other than the defaults, so that the stored sketches show they follow them.
    chaff()
        .args([
            "index",
            "add",
            "--quiet",
            "--seed",
            "7",
            "--min-tokens",
            "30",
        ])
        .arg(&path)
        .arg(&extra)
        .arg("--index")
        .arg(&index)
        .assert()
        .success();

    let index = Index::open(&index).unwrap();
    let stored = index.sketches().unwrap();
    let settings = index.settings();
    assert_eq!(settings.hash.seed, 7);
    assert_eq!(settings.passage_min_tokens, 30);

    let corpus = Corpus::open(&[path, extra], ReadOptions::default()).unwrap();
    let mut documents = Vec::new();
    corpus
        .read(false, |batch| {
            documents.extend(batch);
            Ok(())
        })
        .unwrap();
    assert_eq!(stored.len(), documents.len());
    assert_eq!(stored.len(), 62);

    let sketcher = settings.sketcher().unwrap();
    let passage_sketcher = PassageSketcher::new(&settings.passage_config()).unwrap();
    for (s, d) in stored.iter().zip(&documents) {
        assert_eq!((&s.id, &s.source), (&d.id, &d.source));
        assert_eq!(s.dups, sketcher.sketch(&d.text), "{}", d.id);
        assert_eq!(s.passages, passage_sketcher.sketch(&d.text), "{}", d.id);
        assert_eq!(
            s.chrome,
            ChromeSketcher.sketch(&d.text, d.source.as_deref()),
            "{}",
            d.id
        );
    }
    assert!(stored.iter().any(|s| !s.passages.fingerprints.is_empty()));
    assert!(stored.iter().any(|s| !s.chrome.keys.is_empty()));
    let empty = stored.iter().find(|s| s.id == "empty").unwrap();
    assert!(empty.dups.band_keys.is_empty() && empty.passages.fingerprints.is_empty());

    // The stored sketches reduce into the values the library reduces the texts into.
    let texts: Vec<TextDoc<'_>> = documents
        .iter()
        .enumerate()
        .map(|(n, d)| TextDoc {
            number: n as u32,
            id: &d.id,
            source: d.source.as_deref(),
            text: &d.text,
        })
        .collect();
    let numbered = |n: usize, s: &chaff::index::IndexedSketch| (n as u32, s.clone());
    let dups = Sketches::from_docs(
        &sketcher,
        stored
            .iter()
            .enumerate()
            .map(|(n, s)| {
                let (number, s) = numbered(n, s);
                chaff::sketch::SketchedDoc {
                    number,
                    id: s.id,
                    source: s.source,
                    sketch: s.dups,
                }
            })
            .collect(),
    )
    .unwrap();
    assert_eq!(dups, sketcher.shard(&texts).unwrap());
    let passages = PassageSketches::from_docs(
        &passage_sketcher,
        stored
            .iter()
            .enumerate()
            .map(|(n, s)| {
                let (number, s) = numbered(n, s);
                chaff::sketch::SketchedPassages {
                    number,
                    id: s.id,
                    source: s.source,
                    sketch: s.passages,
                }
            })
            .collect(),
    )
    .unwrap();
    assert_eq!(passages, passage_sketcher.shard(&texts).unwrap());
    let mut chrome = ChromeSketches::default();
    for s in &stored {
        chrome.add(&s.chrome);
    }
    let pages: Vec<(&str, Option<&str>)> = documents
        .iter()
        .map(|d| (d.text.as_str(), d.source.as_deref()))
        .collect();
    assert_eq!(chrome, ChromeSketcher.shard(&pages));
}

#[test]
fn a_removed_document_leaves_no_stored_sketch() {
    let (dir, path, docs) = generated_corpus(12, 2, 5);
    let index = dir.path().join("kept.chaff");
    chaff()
        .args(["index", "add", "--quiet"])
        .arg(&path)
        .arg("--index")
        .arg(&index)
        .assert()
        .success();
    let gone = &docs[3].id;
    chaff()
        .args(["index", "remove", "--index"])
        .arg(&index)
        .arg(gone)
        .assert()
        .success();
    let stored = Index::open(&index).unwrap().sketches().unwrap();
    assert_eq!(stored.len(), docs.len() - 1);
    assert!(stored.iter().all(|s| &s.id != gone));
}
