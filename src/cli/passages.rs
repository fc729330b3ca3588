//! `chaff passages`: arguments and the thin layer that runs [`chaff::passages`].

use super::args::{FormatArg, InputArgs, OutputArgs};
use super::output::{print_warnings, write_parquet, Found, Progress};
use anyhow::Result;
use chaff::corpus::Corpus;
use chaff::passages::{self, Config, NearExact};
use chaff::report;
use chaff::sketch::HashConfig;
use chaff::text::Folds;
use clap::Args;
use std::io::Write;
use std::time::Instant;

/// Arguments of `chaff passages`.
#[derive(Debug, Clone, Args)]
pub struct PassagesArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub input: InputArgs,

    /// Shortest repeat reported, in tokens (words after normalization). Default 20, about one
    /// sentence of news prose: long enough that bylines, labels and stock phrases (2-10 words)
    /// are not reported, short enough for a repeated lead or quoted sentence. Every exact repeat
    /// this long is guaranteed to be found. Lower it (e.g. --min-tokens 12) to catch repeated
    /// headlines; raise it to report only paragraphs.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub min_tokens: u32,

    /// Words per shingle in the fingerprints (default 5), as --ngram in the other commands.
    /// Fingerprint windows hold min-tokens - N + 1 shingles; a larger N selects fewer chance
    /// collisions of common word runs, a smaller one fewer fingerprints; values above
    /// --min-tokens are lowered to it. Rarely worth changing. Example: --ngram 8
    // `--shingle` was this flag's first name; kept, hidden, so that scripts using it still run.
    #[arg(
        long = "ngram",
        alias = "shingle",
        default_value_t = 5,
        value_name = "N"
    )]
    pub shingle: u32,

    /// Report repeats at exact token boundaries instead of narrowing them to whole sentences
    /// (by default a span covering a sentence or line boundary is cut back to whole sentences,
    /// so removing it leaves readable text).
    #[arg(long)]
    pub no_snap: bool,

    /// Also report near-exact repeats: a copy with a few tokens changed, inserted or dropped
    /// (at most 3 at one place, edits at most 10% of its tokens) is reported as one record
    /// spanning them, with an "edits" field (token edits between the two places, at most; 0 for
    /// exact repeats). Every such repeat of --min-tokens or more whose edit-free stretches are
    /// each at least --near-seed tokens long is found. Off by default because a record then no
    /// longer means both places read the same (exact-mode records and `chaff clean` keep that
    /// promise), an edited near-duplicate's body becomes one long record instead of its exact
    /// pieces, and it selects about 2.4 times as many fingerprints (on 10,000 generated
    /// documents: 10-40% slower, 20-30% more memory). Example: --near-exact
    #[arg(long)]
    pub near_exact: bool,

    /// With --near-exact, the shortest edit-free stretch guaranteed to be found (default 10, or
    /// --min-tokens when that is smaller; at most --min-tokens). Lower it for copies with denser
    /// edits, at the cost of more fingerprints. Only with --near-exact. Example: --near-seed 8
    #[arg(long, value_name = "N", requires = "near_exact")]
    pub near_seed: Option<u32>,

    /// Seed of the shingle hash, so results are reproducible across runs and machines.
    #[arg(long, default_value_t = 0, value_name = "SEED")]
    pub seed: u64,

    /// Switch normalization folds off (comma-separated): nfkc, case, arabic-letters, hamza,
    /// diacritics, tatweel, zwnj, digits, or all. By default all are on, so a quote repeated with
    /// Arabic yeh/kaf, tashkeel or without ZWNJ still matches. Example: --no-fold digits,case
    #[arg(long, value_delimiter = ',', value_name = "FOLD")]
    pub no_fold: Vec<String>,

    /// Memory budget of the run (default 2G). What grows with the corpus (the passage
    /// fingerprints of pass 1) is kept in memory up to this budget and beyond it sorted in runs
    /// in temporary files under $TMPDIR (/tmp when unset), about 16 bytes per fingerprint,
    /// deleted when the run ends, fails or is interrupted with Ctrl-C. Results do not depend on
    /// it. Suffixes K, M, G (powers of 1024); at least 1M. Example: --memory 8G on a big server,
    /// or TMPDIR=/scratch chaff scan ... when /tmp is small.
    #[arg(long, value_name = "SIZE", default_value = "2G", value_parser = chaff::corpus::parse_byte_size)]
    pub memory: u64,

    /// Characters of each excerpt in the text report (default 90).
    #[arg(long, default_value_t = 90, value_name = "CHARS")]
    pub excerpt: usize,

    #[command(flatten)]
    #[allow(missing_docs)]
    pub output: OutputArgs,
}

impl PassagesArgs {
    /// The library configuration these arguments ask for.
    pub(crate) fn config(&self) -> Result<Config> {
        let folds = Folds::with_disabled(&self.no_fold)?;
        let config = Config {
            min_tokens: self.min_tokens as usize,
            shingle: self.shingle as usize,
            hash: HashConfig {
                seed: self.seed,
                folds,
                ..HashConfig::default()
            },
            snap: !self.no_snap,
            near: self.near_exact.then(|| {
                let default = NearExact::default();
                NearExact {
                    seed_tokens: self
                        .near_seed
                        .map_or(default.seed_tokens.min(self.min_tokens as usize), |n| {
                            n as usize
                        }),
                    ..default
                }
            }),
            memory: self.memory,
            ..Config::default()
        };
        config.validate()?;
        Ok(config)
    }
}

/// The readable report: a header line per passage, then excerpts of the copy and the first
/// occurrence.
pub(crate) fn write_text(
    out: &mut dyn Write,
    corpus: &Corpus,
    outcome: &passages::Outcome,
    excerpt_chars: usize,
) -> Result<()> {
    let records = outcome.records();
    if records.is_empty() {
        writeln!(out, "no repeated passages")?;
        return Ok(());
    }
    let excerpts = passages::excerpts(corpus, &outcome.passages, excerpt_chars)?;
    for ((p, r), (here, first)) in outcome.passages.iter().zip(&records).zip(excerpts) {
        let edits = match p.edits {
            Some(n) if n > 0 => format!(", {n} edits"),
            _ => String::new(),
        };
        writeln!(
            out,
            "{}:{}  bytes {}..{}  {} tokens  repeats {}:{} (bytes {}..{}{edits})",
            r.id, p.line, p.start, p.end, p.tokens, r.of, p.of_line, p.of_start, p.of_end
        )?;
        writeln!(out, "    copy   {here}")?;
        writeln!(out, "    first  {first}")?;
    }
    Ok(())
}

/// Runs `chaff passages`.
pub(crate) fn run(args: PassagesArgs) -> Result<Found> {
    let config = args.config()?;
    let corpus = args.input.open()?;
    let started = Instant::now();
    let outcome = {
        let _progress = Progress::start(&corpus, args.output.quiet);
        passages::find(&corpus, &config)?
    };
    let seconds = started.elapsed().as_secs_f64();
    print_warnings(&corpus);
    let records = outcome.records();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.output.format {
        FormatArg::Json => report::write_json(&mut out, &records)?,
        FormatArg::Parquet => write_parquet(|table| table.push_all(&records))?,
        FormatArg::Text => write_text(&mut out, &corpus, &outcome, args.excerpt)?,
    }
    out.flush()?;
    if !args.output.quiet {
        let s = &outcome.stats;
        let mb = s.bytes as f64 / 1e6;
        let mut docs: Vec<u32> = outcome.passages.iter().map(|p| p.doc).collect();
        docs.dedup();
        note!(
            "chaff passages: {} documents, {mb:.1} MB, {} repeated passages in {} documents, \
             {seconds:.2} s ({:.1} MB/s)",
            s.documents,
            records.len(),
            docs.len(),
            if seconds > 0.0 { mb / seconds } else { 0.0 }
        );
    }
    Ok(if args.output.exit_code && !records.is_empty() {
        Found::Something
    } else {
        Found::Nothing
    })
}
