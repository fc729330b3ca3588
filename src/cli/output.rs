//! What every command shares to write its results: the exit verdict, the progress spinner,
//! warnings, the Parquet table of records and the `clean --log` file.

use anyhow::{Context, Result};
use chaff::corpus::Corpus;
use chaff::report;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// What the process should exit with when no error occurred.
pub enum Found {
    /// Nothing to report (or --exit-code not asked for).
    Nothing,
    /// Something was found and --exit-code was given.
    Something,
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
    pub(crate) fn push<T: chaff::report::record::Wire>(&mut self, _: &T) -> chaff::Result<()> {
        Ok(())
    }

    pub(crate) fn push_all<T: chaff::report::record::Wire>(
        &mut self,
        _: &[T],
    ) -> chaff::Result<()> {
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
    pub(crate) fn write(&mut self, record: &report::Record) -> Result<()> {
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
