//! `chaff chrome`: boilerplate lines, with the reason each was removed.

use super::args::{DupOptions, FormatArg, HashArgs, InputArgs, OutputArgs, VerifyOption};
use super::config::dup_config;
use super::output::{print_warnings, write_parquet, Found, Progress};
use anyhow::Result;
use chaff::chrome::{self, ChromeLine, Model};
use chaff::corpus::{Corpus, OutputGuard};
use chaff::report;
use clap::Args;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

/// Arguments of `chaff chrome`.
#[derive(Debug, Clone, Args)]
pub struct ChromeArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub input: InputArgs,

    /// Store the template statistics of this corpus (plus those of --model) in MODEL, a
    /// versioned JSON file, for later runs on small new scrapes of the same sites.
    /// Example: chaff chrome big-scrape/ --learn sites.chrome.json
    #[arg(long, value_name = "MODEL")]
    pub learn: Option<PathBuf>,

    /// Use the template statistics stored in MODEL by an earlier --learn, added to this corpus's.
    /// Example: chaff chrome todays-pages/ --model sites.chrome.json
    #[arg(long, value_name = "MODEL")]
    pub model: Option<PathBuf>,

    /// A line shape is template chrome when at least this many pages of its source carry it
    /// (and --min-share of them). Raise it for sources with many near-identical articles.
    #[arg(long, default_value_t = 3, value_name = "N")]
    pub min_pages: u32,

    /// Share of a source's pages that must carry a line shape for it to be template chrome.
    #[arg(long, default_value_t = 0.05, value_name = "SHARE")]
    pub min_share: f64,

    /// Judge each page alone: no recurring-line (template) evidence from other pages. Refused
    /// with --min-pages and --min-share, which only template evidence uses.
    #[arg(long, conflicts_with_all = ["min_pages", "min_share"])]
    pub no_templates: bool,

    /// Do not look for syndicated copies (skips the near-duplicate search, faster); lines that
    /// copies of an article on other pages do not share are then not used as evidence. Refused
    /// with the options of that search (--threshold, --containment, --bands, --rows, --verify).
    #[arg(long, conflicts_with_all = ["threshold", "containment", "bands", "rows", "verify"])]
    pub no_syndication: bool,

    /// Memory budget of the run (default 2G). What grows with the corpus (the line keys of
    /// every page, counted to find template lines; the chrome lines found) is kept in memory up
    /// to a share of this budget and beyond it in temporary files under $TMPDIR (/tmp when
    /// unset), about 16 bytes per line key and 42 per chrome line, deleted when the run ends,
    /// fails or is interrupted with Ctrl-C. Results do not depend on it. Suffixes K, M, G
    /// (powers of 1024); at least 1M. Example: --memory 512M on a small machine.
    #[arg(long, value_name = "SIZE", default_value = "2G", value_parser = chaff::corpus::parse_byte_size)]
    pub memory: u64,

    #[command(flatten)]
    #[allow(missing_docs)]
    pub score: super::args::ChromeScoreArgs,

    #[command(flatten)]
    #[allow(missing_docs)]
    pub hash: HashArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub dups: DupOptions,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub verify: VerifyOption,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub output: OutputArgs,
}

impl ChromeArgs {
    pub(crate) fn config(&self) -> Result<chrome::Config> {
        self.score.apply(chrome::Config {
            min_pages: self.min_pages,
            min_share: self.min_share,
            templates: !self.no_templates,
            memory: self.memory,
            ..chrome::Config::default()
        })
    }
}

pub(crate) fn chrome_command(args: ChromeArgs) -> Result<Found> {
    let config = args.config()?;
    // Syndication evidence uses each cluster's members, so which one is kept does not matter.
    let dup_config = chaff::dups::Config {
        memory: args.memory,
        ..dup_config(
            &args.hash,
            &args.dups,
            args.verify.get(),
            chaff::cluster::Keep::default(),
        )?
    };
    let prior = match &args.model {
        Some(path) => Model::load(path)?,
        None => Model::default(),
    };
    let corpus = args.input.open()?;
    if let Some(path) = &args.learn {
        OutputGuard::new(&corpus).check_file(path, "the chrome model")?;
    }
    let started = Instant::now();
    let detection = {
        let _progress = Progress::start(&corpus, args.output.quiet);
        let syndication = (!args.no_syndication).then_some(&dup_config);
        chaff::scan::chrome_lines(&corpus, &config, syndication, &prior)?
    };
    if let Some(path) = &args.learn {
        let mut model = detection.model.clone();
        model.prune();
        model.save(path)?;
    }
    print_warnings(&corpus);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.output.format {
        FormatArg::Json => {
            // One record at a time: the lines may be on disk (see `--memory`).
            report::write_chrome_json::<anyhow::Error>(&mut out, &detection.lines)?;
        }
        FormatArg::Parquet => write_parquet(|table| table.push_all(&detection.lines.records()?))?,
        FormatArg::Text => write_text(&mut out, &corpus, &detection.lines.to_vec()?)?,
    }
    out.flush()?;
    if !args.output.quiet {
        let seconds = started.elapsed().as_secs_f64();
        note!(
            "chaff chrome: {} chrome lines of {} lines in {} pages ({:.1} MB) in {seconds:.2} s",
            detection.lines.len(),
            detection.lines_read,
            detection.pages,
            detection.bytes as f64 / 1e6,
        );
    }
    Ok(if args.output.exit_code && !detection.lines.is_empty() {
        Found::Something
    } else {
        Found::Nothing
    })
}

/// `id:line: reason | the line, shortened`, one per chrome line.
pub(crate) fn write_text(out: &mut dyn Write, corpus: &Corpus, lines: &[ChromeLine]) -> Result<()> {
    // The report needs the lines' text: read the documents again, keeping only flagged ones.
    let by_doc = chrome::ranges_by_doc(lines);
    let mut texts: std::collections::HashMap<(u32, usize), String> = Default::default();
    corpus.read(false, |batch| {
        for doc in batch {
            if let Some(ranges) = by_doc.get(&doc.number) {
                for r in ranges {
                    let line = doc.text.get(r.clone()).unwrap_or_default();
                    texts.insert((doc.number, r.start), shorten(line, 70));
                }
            }
        }
        Ok(())
    })?;
    for c in lines {
        let text = texts
            .get(&(c.doc, c.byte_start))
            .map(String::as_str)
            .unwrap_or("");
        writeln!(out, "{}:{}: {} | {}", c.id, c.line, c.reason, text)?;
    }
    Ok(())
}

fn shorten(line: &str, max: usize) -> String {
    let line = line.trim();
    if line.chars().count() <= max {
        line.to_string()
    } else {
        let mut s: String = line.chars().take(max).collect();
        s.push('…');
        s
    }
}
