//! Turns parsed arguments into library calls and prints what they return.

use super::args::*;
use anyhow::{Context, Result};
use chaff::cluster::Keep;
use chaff::corpus::{Corpus, Fields, ReadOptions, SourceFrom};
use chaff::dups::{self, Verify};
use chaff::lsh::{detection_probability, Params};
use chaff::minhash::Scheme;
use chaff::report;
use chaff::shingle::Shingling;
use chaff::text::Folds;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What the process should exit with when no error occurred.
pub enum Found {
    /// Nothing to report (or --exit-code not asked for).
    Nothing,
    /// Something was found and --exit-code was given.
    Something,
}

/// Runs one command.
pub fn run(cli: Cli) -> Result<Found> {
    match cli.command {
        Command::Dups(args) => dups_command(args),
        Command::Clean(args) => super::scan::clean_command(args),
        Command::Scan(args) => super::scan::scan_command(args),
        Command::Report(args) => super::scan::report_command(args),
        Command::Passages(args) => super::passages::run(args),
        Command::Chrome(args) => super::chrome::chrome_command(args),
        Command::Index(command) => super::index::index_command(command),
        Command::Check(args) => super::index::check_command(args),
    }
}

impl InputArgs {
    /// The corpus named by these arguments; records without an id are named `FILE:LINE`.
    pub(crate) fn open(&self) -> Result<Corpus> {
        Ok(Corpus::open(&self.inputs, self.read_options())?)
    }

    /// The corpus named by these arguments as `index add` and `check` read it: records without
    /// an id are named by the hash of their text, which stays the same from day to day.
    pub(crate) fn open_for_index(&self) -> Result<Corpus> {
        let options = ReadOptions {
            content_ids: true,
            ..self.read_options()
        };
        Ok(Corpus::open(&self.inputs, options)?)
    }

    fn read_options(&self) -> ReadOptions {
        ReadOptions {
            fields: Fields {
                id: self.id_field.clone(),
                text: self.text_field.clone(),
                source: self.source_field.clone(),
            },
            source_from: match self.source_from {
                Some(SourceFromArg::Dir) => SourceFrom::Dir,
                _ => SourceFrom::Field,
            },
            lossy: self.lossy,
            content_ids: false,
            max_doc_bytes: self.max_doc_bytes,
        }
    }
}

impl HashArgs {
    pub(crate) fn folds(&self) -> Result<Folds> {
        Ok(Folds::with_disabled(&self.no_fold)?)
    }

    pub(crate) fn shingling(&self) -> Shingling {
        match self.char_ngram {
            Some(n) => Shingling::Chars(n as usize),
            None => Shingling::Words(self.ngram as usize),
        }
    }
}

/// The near-duplicate configuration of a command; `verify` and `keep` come from the flags of
/// commands that take them and are the defaults for the others.
pub(crate) fn dup_config(
    hash: &HashArgs,
    opts: &DupOptions,
    verify: Verify,
    keep: Keep,
) -> Result<dups::Config> {
    let bands = match (opts.bands, opts.rows) {
        (Some(b), Some(r)) => Some(Params {
            bands: b as usize,
            rows: r as usize,
        }),
        _ => None,
    };
    let config = dups::Config {
        shingling: hash.shingling(),
        seed: hash.seed,
        folds: hash.folds()?,
        num_perm: hash.num_perm as usize,
        scheme: match hash.minhash {
            SchemeArg::Oph => Scheme::OnePermutation,
            SchemeArg::Classic => Scheme::Classic,
        },
        threshold: opts.threshold,
        bands,
        verify,
        // 0 is the flag's way to say off; anything else, NaN and negatives included, is for
        // the library to accept or refuse.
        containment: (opts.containment != 0.0).then_some(opts.containment),
        keep,
        memory: chaff::spill::DEFAULT_MEMORY,
    };
    config.validate()?;
    Ok(config)
}

impl DupSearchArgs {
    /// The near-duplicate configuration these flags ask for.
    pub(crate) fn config(&self, hash: &HashArgs) -> Result<dups::Config> {
        dup_config(
            hash,
            &self.matching,
            self.confirm.verify.get(),
            self.confirm.keep.get(),
        )
    }
}

/// Prints the banding of `config` and what it detects (`--explain`), on stderr.
pub(crate) fn explain(config: &dups::Config) {
    let describe = |name: &str, p: Params| {
        note!(
            "{name}: {} bands x {} rows (of {} MinHash slots)",
            p.bands,
            p.rows,
            config.num_perm
        );
        let row: Vec<String> = [0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95]
            .iter()
            .map(|&j| format!("J={j:.2}: {:.3}", detection_probability(j, p)))
            .collect();
        note!("  probability of becoming a candidate: {}", row.join("  "));
    };
    describe(
        &format!("near-duplicates (threshold {})", config.threshold),
        config.params(),
    );
    if let (Some(p), Some(jc), Some(c)) = (
        config.containment_params(),
        config.containment_jaccard(),
        config.containment,
    ) {
        describe(
            &format!("containment {c} (a copy half as long, contained at {c}, has J={jc:.2})"),
            p,
        );
    }
    note!(
        "  candidates are then confirmed ({:?} verification)",
        config.verify
    );
}

/// A progress spinner on stderr fed by the corpus's byte counter; silent when stderr is not a
/// terminal or --quiet is given.
pub(crate) struct Progress {
    stop: Arc<AtomicBool>,
    handle: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    pub(crate) fn start(corpus: &Corpus, quiet: bool) -> Progress {
        if quiet || !std::io::stderr().is_terminal() {
            return Progress {
                stop: Arc::new(AtomicBool::new(true)),
                handle: None,
            };
        }
        let stop = Arc::new(AtomicBool::new(false));
        let counter = corpus.progress_counter();
        let total = corpus.total_bytes();
        let flag = stop.clone();
        let handle = std::thread::spawn(move || {
            let bar = indicatif::ProgressBar::new(total);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} {bytes}/{total_bytes} read ({bytes_per_sec}) {wide_bar} {msg}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            while !flag.load(Ordering::Relaxed) {
                let read = counter.load(Ordering::Relaxed);
                bar.set_position(read);
                // Work after a pass has read everything (clustering, an index add sorting its
                // rows for minutes) would otherwise look like a hang at 100%.
                bar.set_message(if total > 0 && read >= total {
                    "read; still working"
                } else {
                    ""
                });
                std::thread::sleep(Duration::from_millis(100));
            }
            bar.finish_and_clear();
        });
        Progress {
            stop,
            handle: Some(handle),
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

/// The table `--format parquet` writes records into.
#[cfg(feature = "parquet")]
pub(crate) type RecordTable =
    chaff::report::parquet::RecordWriter<std::io::BufWriter<std::io::Stdout>>;

/// Stands in for the records table in a build without Parquet, which refuses the format
/// before anything is pushed.
#[cfg(not(feature = "parquet"))]
pub(crate) struct RecordTable;

#[cfg(not(feature = "parquet"))]
impl RecordTable {
    pub(crate) fn push_all<T: serde::Serialize>(&mut self, _: &[T]) -> chaff::Result<()> {
        Ok(())
    }
}

/// Writes records as one Parquet table on standard output (`--format parquet`); `fill` pushes
/// them. Refused when standard output is a terminal, which binary data would garble.
pub(crate) fn write_parquet(
    fill: impl FnOnce(&mut RecordTable) -> chaff::Result<()>,
) -> Result<()> {
    let stdout = std::io::stdout();
    if stdout.is_terminal() {
        anyhow::bail!(
            "--format parquet writes binary data: redirect standard output to a file \
             (--format parquet > records.parquet)"
        );
    }
    #[cfg(feature = "parquet")]
    {
        let mut table = RecordTable::new(std::io::BufWriter::new(stdout), "<stdout>")?;
        fill(&mut table)?;
        table.finish()?.flush()?;
        Ok(())
    }
    #[cfg(not(feature = "parquet"))]
    {
        let _ = fill;
        anyhow::bail!("--format parquet needs chaff built with the `parquet` feature")
    }
}

pub(crate) fn print_warnings(corpus: &Corpus) {
    for w in corpus.take_warnings() {
        note!("chaff: warning: {w}");
    }
}

fn dups_command(args: DupsArgs) -> Result<Found> {
    let config = dups::Config {
        memory: args.memory,
        ..args.dups.config(&args.hash)?
    };
    config.validate()?;
    if args.dups.explain.explain {
        explain(&config);
    }
    let corpus = args.input.open()?;
    let started = Instant::now();
    let outcome = {
        let _progress = Progress::start(&corpus, args.output.quiet);
        if args.chrome {
            let scan = chaff::scan::Config {
                dups: Some(config.clone()),
                chrome: Some(chaff::chrome::Config::default()),
                memory: args.memory,
                ..Default::default()
            };
            chaff::scan::scan(&corpus, &scan)?
                .dups
                .expect("a scan asked for duplicates returns them")
        } else {
            dups::find(&corpus, &config)?
        }
    };
    print_warnings(&corpus);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.output.format {
        FormatArg::Json => report::write_json(&mut out, &report::duplicate_records(&outcome))?,
        FormatArg::Parquet => {
            write_parquet(|table| table.push_all(&report::duplicate_records(&outcome)))?
        }
        FormatArg::Text => report::write_duplicates_text(&mut out, &outcome)?,
    }
    out.flush()?;
    if !args.output.quiet {
        note!(
            "chaff dups: {}",
            report::summary_line(&outcome, started.elapsed().as_secs_f64())
        );
    }
    Ok(if args.output.exit_code && !outcome.duplicates.is_empty() {
        Found::Something
    } else {
        Found::Nothing
    })
}

/// Writes the removal log atomically (temporary file, then rename).
/// The `--log` of `clean`, written a record at a time into a temporary file beside it and
/// put in place by [`LogFile::persist`] (never half-written at its path).
pub(crate) struct LogFile {
    path: std::path::PathBuf,
    out: std::io::BufWriter<tempfile::NamedTempFile>,
}

impl LogFile {
    /// Starts the log `path` (its directory created when missing).
    pub(crate) fn create(path: &std::path::Path) -> Result<LogFile> {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(std::path::Path::new("."));
        std::fs::create_dir_all(dir).with_context(|| format!("{}", dir.display()))?;
        let temp = tempfile::NamedTempFile::new_in(dir)
            .with_context(|| format!("{}: cannot create a temporary file", dir.display()))?;
        Ok(LogFile {
            path: path.to_path_buf(),
            out: std::io::BufWriter::new(temp),
        })
    }

    /// Appends one record.
    pub(crate) fn write<T: serde::Serialize>(&mut self, record: &T) -> Result<()> {
        report::write_json(&mut self.out, std::slice::from_ref(record))
            .with_context(|| format!("{}: cannot write the log", self.path.display()))
    }

    /// Puts the finished log at its path.
    pub(crate) fn persist(self) -> Result<()> {
        let temp = self
            .out
            .into_inner()
            .map_err(|e| e.into_error())
            .with_context(|| format!("{}: cannot write the log", self.path.display()))?;
        temp.persist(&self.path)
            .with_context(|| format!("{}: cannot write the log", self.path.display()))?;
        Ok(())
    }
}
