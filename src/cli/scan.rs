//! `chaff scan` and `chaff clean`: all analyses in one run, reported or applied.

use super::args::{
    AnalysisArgs, CleanArgs, DupSearchArgs, FormatArg, HashArgs, HtmlArgs, ReportArgs, ScanArgs,
    ScanRunArgs,
};
use super::config::explain;
use super::output::{print_warnings, write_parquet, Found, LogFile, Progress};
use anyhow::Result;
use chaff::chrome::{self, Model};
use chaff::corpus::{Corpus, OutputGuard};
use chaff::passages;
use chaff::report;
use chaff::scan::{self, Findings};
use std::io::Write;
use std::time::Instant;

/// The library configuration of a scan.
pub(crate) fn scan_config(
    hash: &HashArgs,
    dups: &DupSearchArgs,
    analysis: &AnalysisArgs,
) -> Result<scan::Config> {
    let dup = dups.config(hash)?;
    if dups.explain.explain && !analysis.no_dups {
        explain(&dup);
    }
    let passages = passages::Config {
        min_tokens: analysis.min_tokens as usize,
        hash: dup.hash,
        memory: analysis.memory,
        ..passages::Config::default()
    };
    passages.validate()?;
    let chrome_model = match &analysis.chrome_model {
        Some(path) => Model::load(path)?,
        None => Model::default(),
    };
    Ok(scan::Config {
        dups: (!analysis.no_dups).then_some(dup),
        passages: (!analysis.no_passages).then_some(passages),
        chrome: if analysis.no_chrome {
            None
        } else {
            Some(analysis.chrome_score.apply(chrome::Config::default())?)
        },
        chrome_model,
        syndication: !analysis.no_syndication,
        memory: analysis.memory,
    })
}

/// A one-line summary of what a scan found.
fn summary(findings: &Findings, seconds: f64) -> String {
    Summary::of(findings).line(seconds)
}

/// What the summary line says of a scan's findings, kept apart from them so that `clean` can
/// free the findings before it writes the corpus.
struct Summary {
    parts: Vec<String>,
    bytes: u64,
}

impl Summary {
    fn of(findings: &Findings) -> Summary {
        let mb = findings.bytes as f64 / 1e6;
        let mut parts = vec![format!("{} documents, {mb:.1} MB", findings.documents)];
        if let Some(d) = &findings.dups {
            parts.push(format!(
                "{} near-duplicates in {} clusters",
                d.duplicates.len(),
                d.clusters.len()
            ));
        }
        if let Some(p) = &findings.passages {
            parts.push(format!("{} repeated passages", p.passages.len()));
        }
        if let Some(c) = &findings.chrome {
            parts.push(format!(
                "{} chrome lines of {}",
                c.lines.len(),
                c.lines_read
            ));
        }
        Summary {
            parts,
            bytes: findings.bytes,
        }
    }

    fn line(&self, seconds: f64) -> String {
        let mb = self.bytes as f64 / 1e6;
        let mut parts = self.parts.clone();
        parts.push(format!(
            "{seconds:.2} s ({:.1} MB/s)",
            if seconds > 0.0 { mb / seconds } else { 0.0 }
        ));
        parts.join(", ")
    }
}

/// Opens the inputs, runs the scan `config` asks for and writes the HTML report when --html
/// asks for one (its path refused before any work when it is an input). Returns the corpus,
/// the findings and the scan's seconds.
fn scan_and_report(
    run: &ScanRunArgs,
    html: &HtmlArgs,
    quiet: bool,
) -> Result<(Corpus, Findings, f64)> {
    let config = scan_config(&run.hash, &run.dups, &run.analysis)?;
    let corpus = run.input.open()?;
    if let Some(path) = &html.html {
        OutputGuard::new(&corpus).check_file(path, "the HTML report")?;
    }
    let started = Instant::now();
    let findings = {
        let _progress = Progress::start(&corpus, quiet);
        scan::scan(&corpus, &config)?
    };
    let seconds = started.elapsed().as_secs_f64();
    if let Some(path) = &html.html {
        let page = report::html::scan_report(&corpus, &findings, &html.options(&run.input.inputs))?;
        report::html::save(path, &page)?;
    }
    Ok((corpus, findings, seconds))
}

pub(crate) fn report_command(args: ReportArgs) -> Result<Found> {
    let (corpus, findings, seconds) = scan_and_report(&args.run, &args.html, args.quiet)?;
    print_warnings(&corpus);
    if !args.quiet {
        note!(
            "chaff report: {}; wrote {}",
            summary(&findings, seconds),
            args.html
                .html
                .as_deref()
                .unwrap_or(std::path::Path::new(""))
                .display()
        );
    }
    Ok(Found::Nothing)
}

pub(crate) fn scan_command(args: ScanArgs) -> Result<Found> {
    let (corpus, findings, seconds) = scan_and_report(&args.run, &args.html, args.output.quiet)?;
    print_warnings(&corpus);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.output.format {
        FormatArg::Json => {
            for record in findings.records_but_chrome() {
                report::write_json(&mut out, &[record])?;
            }
            if let Some(c) = &findings.chrome {
                report::write_chrome_json::<anyhow::Error>(&mut out, &c.lines)?;
            }
            report::write_json(&mut out, &[findings.summary_record(seconds)])?;
        }
        // The same records, in the same order, as rows of one table.
        FormatArg::Parquet => write_parquet(|table| {
            for record in findings.records() {
                table.push(&record?)?;
            }
            table.push(&findings.summary_record(seconds))
        })?,
        FormatArg::Text => {
            if let Some(d) = &findings.dups {
                writeln!(out, "== near-duplicate documents")?;
                report::write_duplicates_text(&mut out, d)?;
            }
            if let Some(p) = &findings.passages {
                writeln!(out, "\n== repeated passages")?;
                super::passages::write_text(&mut out, &corpus, p, 90)?;
            }
            if let Some(c) = &findings.chrome {
                writeln!(out, "\n== chrome lines")?;
                if c.lines.is_empty() {
                    writeln!(out, "no chrome lines")?;
                }
                super::chrome::write_text(&mut out, &corpus, &c.lines.to_vec()?)?;
            }
        }
    }
    out.flush()?;
    if !args.output.quiet {
        note!("chaff scan: {}", summary(&findings, seconds));
    }
    Ok(if args.output.exit_code && findings.found_anything() {
        Found::Something
    } else {
        Found::Nothing
    })
}

pub(crate) fn clean_command(args: CleanArgs) -> Result<Found> {
    let config = scan_config(&args.hash, &args.dups, &args.analysis)?;
    let corpus = args.input.open()?;
    // Every output is checked before the scan: a refusal costs nothing and writes nothing.
    let guard = OutputGuard::new(&corpus);
    guard.check_mirror(&corpus, &args.out)?;
    if let Some(log) = &args.log {
        guard.check_file(log, "the log")?;
    }
    let started = Instant::now();
    let _progress = Progress::start(&corpus, args.quiet);
    let findings = scan::scan(&corpus, &config)?;
    let found = Summary::of(&findings);
    // The log is written as the plan is made, and the findings are freed before the corpus is
    // written: neither the removal records nor the findings stay in memory while it is (the
    // chrome lines pass to the plan, which reads each document's back from their store).
    let mut log = args.log.as_deref().map(LogFile::create).transpose()?;
    let mut removals = 0usize;
    let plan = findings.into_plan_with(|r| {
        removals += 1;
        match &mut log {
            Some(log) => log.write(&r),
            None => Ok(()),
        }
    })?;
    let stats = corpus.write_mirror(&args.out, |doc| plan.edit(doc.number))?;
    if let Some(log) = log {
        log.persist()?;
    }
    print_warnings(&corpus);
    if !args.quiet {
        note!(
            "chaff clean: {}; wrote {} documents ({} cut) in {} files to {}, dropped {}; {} removals{}",
            found.line(started.elapsed().as_secs_f64()),
            stats.documents_written,
            stats.documents_cut,
            stats.files,
            args.out.display(),
            stats.documents_dropped,
            removals,
            args.log
                .as_ref()
                .map(|p| format!(" logged to {}", p.display()))
                .unwrap_or_default()
        );
    }
    Ok(Found::Nothing)
}
