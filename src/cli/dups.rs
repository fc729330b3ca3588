//! `chaff dups`: near-duplicate documents.

use super::args::{ChromeScoreArgs, DupSearchArgs, FormatArg, HashArgs, InputArgs, OutputArgs};
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

    /// Memory budget of the run (default 2G). What grows with the corpus (the LSH band keys
    /// of every document, 16 bytes per band, and with --chrome what `scan --memory` names) is
    /// kept in memory up to a share of this budget and beyond it in temporary files under
    /// $TMPDIR (/tmp when unset), deleted when the run ends, fails or is interrupted with
    /// Ctrl-C. Results do not depend on it. Suffixes K, M, G (powers of 1024); at least 1M.
    /// Example: --memory 512M on a small machine.
    #[arg(long, value_name = "SIZE", default_value = "2G", value_parser = chaff::corpus::parse_byte_size)]
    pub memory: u64,

    /// With --chrome: how sure chaff must be that a line is chrome before the comparison
    /// leaves it out (--chrome-threshold, --line-model, as for `chaff chrome`).
    #[command(flatten)]
    pub chrome_score: ChromeScoreArgs,

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
    let score = &args.chrome_score;
    if !args.chrome && (score.chrome_threshold.is_some() || score.line_model.is_some()) {
        clap::Error::raw(
            clap::error::ErrorKind::MissingRequiredArgument,
            "--chrome-threshold and --line-model only act with --chrome\n",
        )
        .exit();
    }
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
            let chrome = args.chrome_score.apply(chaff::chrome::Config {
                memory: args.memory,
                ..Default::default()
            })?;
            chaff::scan::dups_without_chrome(&corpus, &config, &chrome)?
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
