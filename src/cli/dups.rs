//! `chaff dups`: near-duplicate documents.

use super::args::{DupSearchArgs, FormatArg, HashArgs, InputArgs, OutputArgs};
use super::config::explain;
use super::output::{print_warnings, write_parquet, Found, Progress};
use anyhow::Result;
use chaff::dups;
use chaff::report;
use clap::Args;
use std::io::Write;
use std::time::Instant;

/// Arguments of `chaff dups`.
#[derive(Debug, Clone, Args)]
pub struct DupsArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub input: InputArgs,

    /// Compare documents without their chrome lines (date headers, breadcrumbs, related lists,
    /// footers), so one article published under two site templates is still found. Costs one
    /// chrome pass (roughly 5-10x the time of dups alone). `scan` and `clean` do this by default.
    #[arg(long)]
    pub chrome: bool,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub hash: HashArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub dups: DupSearchArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub output: OutputArgs,
}

/// Runs `chaff dups`.
pub(crate) fn run(args: DupsArgs) -> Result<Found> {
    let config = args.dups.config(&args.hash)?;
    if args.dups.explain.explain {
        explain(&config);
    }
    let corpus = args.input.open()?;
    let started = Instant::now();
    let outcome = {
        let _progress = Progress::start(&corpus, args.output.quiet);
        if args.chrome {
            chaff::scan::dups_without_chrome(&corpus, &config, &chaff::chrome::Config::default())?
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
