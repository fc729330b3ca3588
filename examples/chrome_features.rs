//! Dumps the line model's inputs for every non-blank line of a corpus, one JSON object per page:
//! `{"id", "source", "lines": [line numbers], "x": [[inputs of each]], "words": [[hashes of
//! each's words]]}`, after a first pass
//! that learns the corpus's template statistics (as `chaff chrome` does). What
//! `scripts/chrome_dev/train.py` fits the shipped line model on.
//!
//! Usage: cargo run --release --example chrome_features -- data/chrome-dev/pages.jsonl.zst > x.jsonl

use chaff::chrome::{self, Model};
use chaff::corpus::{Corpus, ReadOptions};
use std::io::Write;
use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let paths: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    if paths.len() == 1 && paths[0].as_os_str() == "--names" {
        println!("{}", serde_json::to_string(&chrome::feature_names())?);
        return Ok(());
    }
    anyhow::ensure!(!paths.is_empty(), "usage: chrome_features INPUT...");
    let corpus = Corpus::open(&paths, ReadOptions::default())?;
    let config = chrome::Config::default();
    let mut model = Model::default();
    corpus.read(false, |batch| {
        for doc in &batch {
            model.add_page(doc.source.as_deref(), chrome::template_keys(&doc.text));
        }
        Ok(())
    })?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    corpus.read(false, |batch| {
        for doc in &batch {
            let xs = chrome::line_vectors(&doc.text, doc.source.as_deref(), &model, &config)?;
            // The words of each line, from which train.py learns the vocabulary fold by fold
            // (the vocabulary inputs in `x` are the shipped model's; train.py recomputes them).
            let mut words = chrome::line_words(&doc.text).into_iter();
            let mut kept_words = Vec::new();
            let (lines, x): (Vec<usize>, Vec<Vec<f64>>) = xs
                .into_iter()
                .enumerate()
                .filter_map(|(i, x)| {
                    let w = words.next().unwrap_or_default();
                    x.iter().any(|&v| v != 0.0).then(|| {
                        kept_words.push(w);
                        (i + 1, x)
                    })
                })
                .unzip();
            let record = serde_json::json!({
                "id": doc.id, "source": doc.source, "lines": lines, "x": x, "words": kept_words,
            });
            serde_json::to_writer(&mut out, &record)
                .map_err(|e| chaff::Error::io("<stdout>", e.into()))?;
            out.write_all(b"\n")
                .map_err(|e| chaff::Error::io("<stdout>", e))?;
        }
        Ok(())
    })?;
    out.flush()?;
    Ok(())
}
