//! `chaff-gen`: writes a deterministic synthetic corpus with planted near-duplicates, repeated
//! passages and site chrome, plus a truth file, for testing and benchmarking chaff.
//!
//! A thin shell over [`chaff::generate`]: everything it does is available from the library.

// The flags' doc comments are their `--help` text, printed as written (`<id>.txt`), not HTML.
#![allow(rustdoc::invalid_html_tags)]

use chaff::generate::{Config, Generator, LangMix};
use clap::Parser;
use std::path::PathBuf;
use std::time::Instant;

/// Generate a synthetic Persian/Arabic/English news corpus with planted truth.
///
/// The same flags and seed always give byte-identical files, on any machine and thread count.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Number of documents to write. Default 1000; 1000000 gives about 5 GB.
    #[arg(long, default_value_t = 1000)]
    docs: u64,

    /// Seed of the corpus. Another seed gives other documents and, unless --site-seed is fixed,
    /// other (held-out) sites. Example: --seed 7.
    #[arg(long, default_value_t = 42)]
    seed: u64,

    /// Corpus JSONL to write: one {"id","source","text"} object per line. Default corpus.jsonl.
    #[arg(long, default_value = "corpus.jsonl")]
    out: PathBuf,

    /// Truth JSONL to write: doc, duplicate, passage and line records. Default truth.jsonl.
    #[arg(long, default_value = "truth.jsonl")]
    truth: PathBuf,

    /// Write one <id>.txt per document into this directory instead of the --out JSONL.
    #[arg(long)]
    txt_dir: Option<PathBuf>,

    /// Number of synthetic sites with headers, breadcrumbs, related lists and footers. Default 0
    /// writes plain articles. Example: --sites 20 for chrome detection tests.
    #[arg(long, default_value_t = 0)]
    sites: u32,

    /// Seed of the site templates, to keep the same sites while --seed changes the documents.
    /// Default: the corpus seed.
    #[arg(long)]
    site_seed: Option<u64>,

    /// Fraction of documents that are edited copies of an earlier one. Default 0.1.
    #[arg(long, default_value_t = 0.1)]
    dup_rate: f64,

    /// Fraction of a copy's words replaced, inserted or deleted. Default 0.03; raise it (0.1) to
    /// test recall at lower similarity.
    #[arg(long, default_value_t = 0.03)]
    edit_rate: f64,

    /// Fraction of copies cut to the first half of the body (containment). Default 0.2.
    #[arg(long, default_value_t = 0.2)]
    truncate_rate: f64,

    /// With --sites, fraction of copies that are syndicated: the same body on another site of the
    /// same language. Default 0.4.
    #[arg(long, default_value_t = 0.4)]
    syndication_rate: f64,

    /// Plant repeated passages: teaser leads repeated in the body, quotes pasted into 2-5 other
    /// documents, and site boilerplate sentences. Off by default.
    #[arg(long)]
    passages: bool,

    /// With --passages, paste about half the later copies of long quotes (36 words or more) with
    /// 1-3 words replaced, inserted or dropped; their truth records have variant "edited". For
    /// measuring `chaff passages --near-exact`. Off by default; corpora without it are unchanged.
    #[arg(long)]
    near_passages: bool,

    /// With --passages, fraction of documents whose quote is pasted elsewhere. Default 0.03.
    #[arg(long, default_value_t = 0.03)]
    quote_rate: f64,

    /// Language weights. Default fa=0.7,ar=0.2,en=0.1; with --sites they weight the sites'
    /// languages. Example: --langs fa=1 for Persian only.
    #[arg(long, default_value = "fa=0.7,ar=0.2,en=0.1")]
    langs: LangMix,

    /// Mean article body size in bytes, chrome excluded. Default 4000 (about 5 KB with chrome).
    #[arg(long, default_value_t = 4000)]
    doc_bytes: usize,

    /// Do not write a chrome/content record per line (the bulk of the truth file).
    #[arg(long)]
    no_line_truth: bool,

    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
}

fn main() {
    let args = Args::parse();
    let config = Config {
        docs: args.docs,
        langs: args.langs,
        dup_rate: args.dup_rate,
        edit_rate: args.edit_rate,
        truncate_rate: args.truncate_rate,
        syndication_rate: args.syndication_rate,
        passages: args.passages,
        near_passages: args.near_passages,
        quote_rate: args.quote_rate,
        sites: args.sites,
        site_seed: args.site_seed,
        doc_bytes: args.doc_bytes,
        line_truth: !args.no_line_truth,
    };
    let started = Instant::now();
    let result = Generator::new(&config, args.seed).and_then(|g| match &args.txt_dir {
        Some(dir) => g.write_txt_dir(dir, &args.truth),
        None => g.write_files(&args.out, &args.truth),
    });
    match result {
        Ok(summary) => {
            if !args.quiet {
                let secs = started.elapsed().as_secs_f64();
                eprintln!(
                    "{} documents, {:.1} MB of text, {} duplicates ({} syndicated), {} passages, {} sites in {:.1}s ({:.0} MB/s)",
                    summary.docs,
                    summary.text_bytes as f64 / 1e6,
                    summary.duplicates,
                    summary.syndicated,
                    summary.passages,
                    summary.sites,
                    secs,
                    summary.text_bytes as f64 / 1e6 / secs.max(1e-9),
                );
            }
        }
        Err(e) => {
            eprintln!("chaff-gen: {e}");
            std::process::exit(2);
        }
    }
}
