//! The command line: clap definitions and their translation into library configurations.
//!
//! Nothing here analyses text. Each flag's doc comment is its `--help` text.

/// `eprintln!` that cannot panic: a message on a closed or broken standard error (a log
/// collector that went away, `2>&1 | head`) is dropped, the run goes on and exits as it would.
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

// The modules form no cycle: `args`, `config` and `output` are leaves the commands use; each
// command's module (`dups`, `passages`, `chrome`, `scan`, `index`) uses only them (`scan` also
// borrows the text reports of `passages` and `chrome`); this root dispatches to the commands.
mod args;
mod chrome;
mod config;
mod dups;
mod flags;
mod index;
mod output;
mod passages;
mod scan;

use anyhow::Result;
use clap::{Parser, Subcommand};
pub use flags::message;
pub use output::Found;

/// chaff separates the wheat from the chaff in scraped text: near-duplicate documents, repeated
/// passages and site chrome, in Persian, Arabic, English and other languages.
///
/// Inputs are .txt files (one document each), JSON Lines (.jsonl/.ndjson, optionally .gz/.zst),
/// Parquet (.parquet, one document per row), directories (walked recursively) or - for JSON
/// Lines on standard input.
///
/// Exit status: 0 on success, 2 on a usage or input error (the message names the file and line);
/// with --exit-code, 1 when something was found.
#[derive(Debug, Parser)]
#[command(
    name = "chaff",
    version,
    propagate_version = true,
    max_term_width = 100
)]
#[command(
    after_help = "Examples:\n  chaff dups fixtures/\n  chaff dups corpus.jsonl.zst --format json > dups.jsonl\n  chaff clean corpus.jsonl --out cleaned/ --log removed.jsonl\n\nRun `chaff <command> --help` for every option of a command."
)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// chaff's commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Find near-duplicate documents (shingles, MinHash, LSH, exact verification).
    ///
    /// Reports one record per document that duplicates an earlier one, grouped into clusters.
    /// Example: chaff dups corpus/ --threshold 0.7 --format json
    Dups(dups::DupsArgs),
    /// Run duplicates, passages and chrome in one go, with a summary.
    ///
    /// Prints every finding (duplicate, passage and chrome records with --format json, then a
    /// summary record) and a summary. Near-duplicates are compared without chrome.
    /// Example: chaff scan corpus/ --format json > findings.jsonl
    Scan(args::ScanArgs),
    /// Run every analysis (as `scan` does) and write what it found as one HTML file to look at.
    ///
    /// The file is self-contained (no network): a summary with per-source charts,
    /// near-duplicates side by side with their differing lines marked, repeated passages
    /// highlighted in both places, pages with their chrome lines struck through beside each
    /// line's reason and score, and a searchable table of every document with a finding.
    /// Example: chaff report corpus.jsonl --html report.html
    Report(args::ReportArgs),
    /// Write the corpus minus chrome lines, later copies of repeated passages and near-duplicate
    /// documents (each switchable), mirroring the input layout and format.
    ///
    /// Each input is mirrored under its own name inside --out (clean data/ --out o/ writes
    /// o/data/...). A JSONL line keeps every byte but its text field's value (unknown fields,
    /// number spellings, key order); a Parquet file keeps its schema, metadata, other columns'
    /// values, row order and row groups (a dropped row is left out); a dropped .txt document is
    /// left out. Files are written to
    /// a temporary name and renamed when complete. Inputs are never modified: an --out or --log
    /// that would land on an input or inside an input directory (clean c.jsonl --out . would
    /// write ./c.jsonl) is refused before any work.
    /// Example: chaff clean corpus.jsonl.gz --out cleaned/ --log removed.jsonl
    Clean(args::CleanArgs),
    /// Find passages repeated within and across documents (winnowed fingerprints, extended to
    /// maximal spans).
    ///
    /// Reports one record per later copy of a repeated span of at least --min-tokens words,
    /// naming the first occurrence in corpus order (`of`, possibly the same document).
    /// Example: chaff passages corpus/ --min-tokens 30 --format json
    Passages(passages::PassagesArgs),
    /// Find site chrome: header and footer lines, breadcrumbs, menus, related lists, buttons.
    ///
    /// Judges each line from its own shape, from lines recurring on other pages of the same
    /// source (--source-field or --source-from dir), and from what syndicated copies share.
    /// Example: chaff chrome corpus/ --source-from dir --format json
    Chrome(chrome::ChromeArgs),
    /// Keep a persistent, crash-safe index of the documents kept so far (add, stats, remove),
    /// for `chaff check` in CI.
    ///
    /// Example: chaff index add kept.jsonl --index kept.chaff
    #[command(subcommand)]
    Index(index::IndexCommand),
    /// Check new documents against an index and against each other, without rescanning the
    /// indexed corpus; exit 1 when a --fail-on rule is broken.
    ///
    /// Pass the same hashing and threshold options as when the index was built (an index built
    /// otherwise is refused). Example: chaff check today.jsonl --index kept.chaff
    /// --fail-on duplicate --max-duplicate-ratio 0.05 --format github
    Check(index::CheckArgs),
}

/// Runs one command.
pub fn run(cli: Cli) -> Result<Found> {
    match cli.command {
        Command::Dups(args) => dups::run(args),
        Command::Clean(args) => scan::clean_command(args),
        Command::Scan(args) => scan::scan_command(args),
        Command::Report(args) => scan::report_command(args),
        Command::Passages(args) => passages::run(args),
        Command::Chrome(args) => chrome::chrome_command(args),
        Command::Index(command) => index::index_command(command),
        Command::Check(args) => index::check_command(args),
    }
}
