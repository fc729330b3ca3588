//! The flags several commands share. The doc comment of each flag is its `--help` text.
//!
//! A leaf of the command line: the commands' modules use it, it uses none of them.

use chaff::cluster::Keep;
use chaff::dups::Verify;
use clap::{Args, ValueEnum};
use std::path::PathBuf;

/// Where documents come from.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// Files, directories (walked recursively) or - (JSON Lines on stdin).
    ///
    /// In directories, .txt, .jsonl, .ndjson (plain, .gz or .zst) and .parquet are read, in
    /// file-name order. A file named explicitly is read whatever its extension (as text unless
    /// JSONL or Parquet).
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// JSON field (Parquet: top-level column) holding the document id. A record without one
    /// is named FILE:LINE (a Parquet row FILE:ROW), except in `index add` and `check`, which
    /// name it xxh3:HASH (the 128-bit xxh3 hash of its text in hex), so that a daily file of
    /// the same name (today.jsonl) is told apart from the last one. Example: --id-field url
    #[arg(long, default_value = "id", value_name = "NAME")]
    pub id_field: String,

    /// JSON field (Parquet: top-level column) holding the text. A line without it is an error
    /// naming FILE:LINE; a Parquet file without the column is an error listing its columns. A
    /// null text is an empty document.
    #[arg(long, default_value = "text", value_name = "NAME")]
    pub text_field: String,

    /// JSON field (Parquet: top-level column) holding the source (site); optional. Chrome detection learns per source.
    #[arg(long, default_value = "source", value_name = "NAME")]
    pub source_field: String,

    /// Take each document's source from its directory's name instead of a JSON field.
    ///
    /// Example: with corpus/site-a/1.txt and corpus/site-b/2.txt, --source-from dir gives the
    /// sources site-a and site-b.
    #[arg(long, value_enum, value_name = "WHERE")]
    pub source_from: Option<SourceFromArg>,

    /// Replace invalid UTF-8 with U+FFFD instead of stopping with an error.
    #[arg(long)]
    pub lossy: bool,

    /// Largest document accepted: a .txt file's size, a JSONL line's length (default 64M).
    ///
    /// A larger document stops the run with an error naming the file and line, before more than
    /// the limit is read; memory grows with this limit, not with file sizes. Suffixes K, M, G
    /// (powers of 1024). Example: --max-doc-bytes 512M for corpora of whole books.
    #[arg(long, value_name = "SIZE", default_value = "64M", value_parser = chaff::corpus::parse_byte_size)]
    pub max_doc_bytes: u64,
}

/// Where sources come from.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SourceFromArg {
    /// The name of the directory that holds the file.
    Dir,
    /// The JSON field named by --source-field (the default).
    Field,
}

/// How text becomes shingles and signatures.
#[derive(Debug, Clone, Args)]
pub struct HashArgs {
    /// Words per shingle. Smaller values find looser paraphrases but more chance overlaps.
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub ngram: u16,

    /// Use character n-grams of this length instead of words (for text without spaces, or
    /// very short documents). Example: --char-ngram 5
    #[arg(long, value_name = "N")]
    pub char_ngram: Option<u16>,

    /// Seed of every hash, so results are reproducible across runs and machines.
    #[arg(long, default_value_t = 0, value_name = "SEED")]
    pub seed: u64,

    /// MinHash slots (permutations). More slots estimate similarity more precisely and cost
    /// proportionally more memory; 128 gives ±0.035 at similarity 0.8.
    #[arg(long, default_value_t = 128, value_name = "K")]
    pub num_perm: u16,

    /// MinHash construction: one-permutation hashing with densification (fast, default) or
    /// classic k-permutation hashing (k times slower, the textbook reference).
    #[arg(long, value_enum, default_value_t = SchemeArg::Oph, value_name = "SCHEME")]
    pub minhash: SchemeArg,

    /// Switch normalization folds off (comma-separated). All are on by default:
    /// nfkc (Unicode NFKC), case (lower-case), arabic-letters (ي ى→ی, ك→ک, ة ۀ→ه),
    /// hamza (أ إ آ→ا, ؤ→و, ئ→ی), diacritics (drop tashkeel), tatweel (drop ـ),
    /// zwnj (drop ZWNJ so words match with or without it), digits (every digit script to ASCII),
    /// or all. Example: --no-fold digits,case
    #[arg(long, value_delimiter = ',', value_name = "FOLD")]
    pub no_fold: Vec<String>,
}

/// MinHash scheme choice.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SchemeArg {
    /// One-permutation hashing with optimal densification.
    Oph,
    /// k independent permutations.
    Classic,
}

/// Near-duplicate options that shape which pairs are candidates and which are confirmed.
#[derive(Debug, Clone, Args)]
pub struct DupOptions {
    /// Jaccard similarity of shingle sets at or above which two documents are near-duplicates.
    /// Lower it (0.6-0.7) to catch heavier rewrites; raise it for near-exact copies only.
    #[arg(long, default_value_t = 0.8, value_name = "J")]
    pub threshold: f64,

    /// Also report a shorter document whose shingles are mostly inside a longer one (a
    /// truncated copy) at this containment; 0 switches it off (faster on huge corpora).
    #[arg(long, default_value_t = 0.8, value_name = "C")]
    pub containment: f64,

    /// LSH bands; set with --rows to override the banding derived from --threshold.
    /// See `chaff dups --explain` for what the derived banding detects.
    #[arg(long, requires = "rows", value_name = "B")]
    pub bands: Option<u16>,

    /// Rows per LSH band; set with --bands.
    #[arg(long, requires = "bands", value_name = "R")]
    pub rows: Option<u16>,
}

/// How candidate pairs are confirmed; only commands that confirm pairs take it (`index add`
/// stores signatures, whatever a later check confirms them with).
#[derive(Debug, Clone, Args)]
pub struct VerifyOption {
    /// How candidate pairs are confirmed: exact Jaccard of the shingle sets (second pass over
    /// candidate documents only), or the MinHash estimate (one pass, ±0.07).
    #[arg(long, value_enum, default_value_t = VerifyArg::Exact, value_name = "HOW")]
    pub verify: VerifyArg,
}

impl VerifyOption {
    /// The library's choice for this flag.
    pub(crate) fn get(&self) -> Verify {
        match self.verify {
            VerifyArg::Exact => Verify::Exact,
            VerifyArg::Estimate => Verify::Estimate,
        }
    }
}

/// Which document of a cluster is kept; only commands that report or drop duplicates take it
/// (chrome uses clusters' members, never their representative).
#[derive(Debug, Clone, Args)]
pub struct KeepOption {
    /// Which document of a cluster is kept: the first in corpus order, or the longest
    /// (so a truncated copy that came first is not the one kept).
    #[arg(long, value_enum, default_value_t = KeepArg::First, value_name = "WHICH")]
    pub keep: KeepArg,
}

impl KeepOption {
    /// The library's choice for this flag.
    pub(crate) fn get(&self) -> Keep {
        match self.keep {
            KeepArg::First => Keep::First,
            KeepArg::Longest => Keep::Longest,
        }
    }
}

/// `--explain`, for the commands that search for near-duplicates over a corpus.
#[derive(Debug, Clone, Args)]
pub struct ExplainOption {
    /// Print the LSH banding (bands x rows) and the probability that pairs of several
    /// similarities become candidates, on stderr, before running.
    #[arg(long)]
    pub explain: bool,
}

/// The near-duplicate flags of the commands that search a corpus for duplicates and report or
/// drop them (`dups`, `scan`, `clean`): all of them.
#[derive(Debug, Clone, Args)]
pub struct DupSearchArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub matching: DupOptions,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub confirm: ConfirmArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub explain: ExplainOption,
}

/// How pairs are confirmed and which copy of a cluster is kept: what every command that
/// reports duplicates takes (`dups`, `scan`, `clean`, `check`).
#[derive(Debug, Clone, Args)]
pub struct ConfirmArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub verify: VerifyOption,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub keep: KeepOption,
}

/// Verification choice.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum VerifyArg {
    /// Exact Jaccard of shingle sets.
    Exact,
    /// MinHash estimate.
    Estimate,
}

/// Representative choice.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum KeepArg {
    /// First in corpus order.
    First,
    /// Most shingles.
    Longest,
}

/// Output options shared by reporting commands.
#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// Report format: text for people, json for JSON Lines records (one object per line),
    /// parquet for the same records as one Parquet table on stdout (one row per record, a
    /// column per field; redirect it to a file: --format parquet > records.parquet).
    #[arg(long, value_enum, default_value_t = FormatArg::Text, value_name = "FORMAT")]
    pub format: FormatArg,

    /// No progress bar and no summary line on stderr.
    #[arg(long, short)]
    pub quiet: bool,

    /// Exit with status 1 when anything was found (0 when nothing was), for scripts and CI.
    #[arg(long)]
    pub exit_code: bool,
}

/// Report format choice.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum FormatArg {
    /// Readable text.
    Text,
    /// JSON Lines.
    Json,
    /// A Parquet table of the JSON records (needs the `parquet` feature, on by default).
    Parquet,
}

/// Which analyses `scan` and `clean` run, and the options of passages and chrome.
#[derive(Debug, Clone, Args)]
pub struct AnalysisArgs {
    /// Skip near-duplicate documents (clean: keep them all). The near-duplicate options
    /// (--explain, --threshold, --containment, --bands, --rows, --verify, --keep) and
    /// --no-syndication have nothing to act on then and are refused with it.
    #[arg(long, conflicts_with_all = [
        "explain", "threshold", "containment", "bands", "rows", "verify", "keep", "no_syndication",
    ])]
    pub no_dups: bool,

    /// Skip repeated passages (clean: keep later copies). Refused with --min-tokens, which
    /// only passages use.
    #[arg(long, conflicts_with = "min_tokens")]
    pub no_passages: bool,

    /// Skip chrome (clean: keep boilerplate lines). With chrome on, near-duplicates are
    /// compared on the text minus chrome, so one article under two site templates is found.
    /// Refused with the chrome options (--no-syndication, --chrome-model, --chrome-threshold,
    /// --line-model).
    #[arg(long, conflicts_with_all = [
        "no_syndication", "chrome_model", "chrome_threshold", "line_model",
    ])]
    pub no_chrome: bool,

    /// Shortest repeated passage, in tokens (default 20, about one sentence; every exact repeat
    /// this long is found). Lower it to catch repeated headlines. Example: --min-tokens 30
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub min_tokens: u32,

    /// Template statistics learned by an earlier `chaff chrome --learn MODEL`, so a small new
    /// scrape is judged with what earlier scrapes of the same sites taught.
    #[arg(long, value_name = "MODEL")]
    pub chrome_model: Option<PathBuf>,

    /// Do not use near-duplicate clusters as chrome evidence (lines that syndicated copies of
    /// an article do not share at the head or tail of a page are that page's chrome).
    #[arg(long)]
    pub no_syndication: bool,

    /// Memory budget of the run (default 2G). What grows with the corpus (the passage
    /// fingerprints of pass 1, the line keys counted for chrome templates, each page's line
    /// features, the chrome lines found) is kept in memory up to a share of this budget and
    /// beyond it in temporary files under $TMPDIR (/tmp when unset), about 16 bytes per
    /// fingerprint or line key, 75 per line of features (~3 KB a page of news, while chrome
    /// runs) and 42 per chrome line, deleted when the run ends, fails or is interrupted with Ctrl-C. Results do
    /// not depend on it. Suffixes K, M, G (powers of 1024); at least 1M. Example: --memory 8G on a big server,
    /// or TMPDIR=/scratch chaff scan ... when /tmp is small.
    #[arg(long, value_name = "SIZE", default_value = "2G", value_parser = chaff::corpus::parse_byte_size)]
    pub memory: u64,

    #[command(flatten)]
    #[allow(missing_docs)]
    pub chrome_score: ChromeScoreArgs,
}

/// How sure chaff must be before a line is chrome.
#[derive(Debug, Clone, Args)]
pub struct ChromeScoreArgs {
    /// Remove (and report) a line as chrome only when the line model's probability that it is
    /// chrome reaches P. The default is the shipped model's, chosen so that on real pages of
    /// sites held out from training at least 97% of the removed lines are chrome; lower it to
    /// remove more at the risk of article text (see each record's "score").
    /// Example: --chrome-threshold 0.9
    #[arg(long, value_name = "P")]
    pub chrome_threshold: Option<f64>,

    /// A line model retrained by scripts/chrome_dev/train.py (JSON), instead of the shipped one.
    #[arg(long, value_name = "FILE")]
    pub line_model: Option<PathBuf>,
}

impl ChromeScoreArgs {
    /// The chrome configuration these options ask for, validated by the library.
    pub(crate) fn apply(
        &self,
        mut config: chaff::chrome::Config,
    ) -> anyhow::Result<chaff::chrome::Config> {
        if let Some(path) = &self.line_model {
            config.line_model = std::sync::Arc::new(chaff::chrome::LineModel::load(path)?);
        }
        config.threshold = self.chrome_threshold;
        config.validate()?;
        Ok(config)
    }
}

/// What `scan` and `report` read and which analyses they run, with their options.
#[derive(Debug, Clone, Args)]
pub struct ScanRunArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub input: InputArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub hash: HashArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub dups: DupSearchArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub analysis: AnalysisArgs,
}

/// Arguments of `chaff scan`.
#[derive(Debug, Clone, Args)]
pub struct ScanArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub run: ScanRunArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub output: OutputArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub html: HtmlArgs,
}

/// Where and how to write the HTML report.
#[derive(Debug, Clone, Args)]
pub struct HtmlArgs {
    /// Also write what was found as one self-contained HTML file (no network; opens in any
    /// browser, right-to-left text included). Like every output, it may not be an input.
    /// Example: --html report.html
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,

    /// Most items the HTML report draws in each section (clusters, passages, pages; largest
    /// first; default 20); the rest are counted and listed in its table of documents. Raise it
    /// for a closer look; the file grows by up to a few tens of KB per item and opens slower.
    /// Only with --html.
    #[arg(long, default_value_t = 20, value_name = "N", requires = "html", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub html_items: u32,
}

impl HtmlArgs {
    /// The library's report options, titled after the inputs.
    pub(crate) fn options(&self, inputs: &[PathBuf]) -> chaff::report::html::Options {
        let names: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
        chaff::report::html::Options {
            title: format!("chaff report: {}", names.join(", ")),
            max_items: self.html_items as usize,
            ..Default::default()
        }
    }
}

/// Arguments of `chaff report`.
#[derive(Debug, Clone, Args)]
#[command(mut_arg("html", |a| a.required(true)))]
pub struct ReportArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub run: ScanRunArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub html: HtmlArgs,

    /// No progress bar and no summary line on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments of `chaff clean`.
#[derive(Debug, Clone, Args)]
pub struct CleanArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub input: InputArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub hash: HashArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub dups: DupSearchArgs,

    /// Directory to write the cleaned corpus into (created if missing). Neither it nor any file
    /// mirrored into it may be, or lie inside, an input (symlinks and .. are resolved).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// Write one JSON Lines record per removal here (what was removed, and what it repeats).
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,

    #[command(flatten)]
    #[allow(missing_docs)]
    pub analysis: AnalysisArgs,

    /// No progress bar and no summary line on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}
