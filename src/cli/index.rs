//! `chaff index add|stats|remove` and `chaff check`: the CI mode, over `chaff::index`.

use super::args::{ConfirmArgs, DupOptions, HashArgs, InputArgs};
use super::config::dup_config;
use super::output::{print_warnings, Found, Progress};
use anyhow::Result;
use chaff::cluster::Keep;
use chaff::dups::Verify;
use chaff::index::{
    AddOptions, CheckOptions, CheckOutcome, Index, IndexStats, Rule, Rules, Settings,
};
use clap::{Args, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

/// Hidden test hook: `add` pauses (sleeps) after storing this many documents, inside its
/// transaction, so a test can kill it at a known point.
const PAUSE_ENV: &str = "CHAFF_TEST_PAUSE_AFTER";

/// `chaff index` subcommands.
#[derive(Debug, Subcommand)]
pub enum IndexCommand {
    /// Add documents to the index (created if missing), in one transaction.
    ///
    /// A document whose id is already indexed is skipped, so re-running an add, or adding
    /// overlapping scrapes, does not duplicate the kept set; a JSONL record without an id is
    /// named by the hash of its text (xxh3:HASH), so the same text is skipped and new text is
    /// added whatever the file is called. If the add is interrupted (error, Ctrl-C, kill -9,
    /// power loss) the index stays exactly as it was before it; a first add builds the index
    /// under a temporary name and moves it into place when committed, so until then there is
    /// no index file.
    /// Example: chaff index add kept/2024-06-01.jsonl.zst --index kept.chaff
    Add(AddArgs),
    /// Print what the index holds: settings, documents, sources, history of adds and removals.
    ///
    /// Example: chaff index stats --index kept.chaff --format json
    Stats(StatsArgs),
    /// Take documents out of the kept set by id (all or nothing).
    ///
    /// Example: chaff index remove https://example.com/a --index kept.chaff
    Remove(RemoveArgs),
}

/// Where the index lives and how long to wait for another writer.
#[derive(Debug, Clone, Args)]
pub struct IndexPath {
    /// The index file (SQLite). It may not be an input or lie inside an input directory.
    /// Example: --index kept.chaff
    #[arg(long, value_name = "PATH")]
    pub index: PathBuf,
}

/// Arguments of `chaff index add`.
#[derive(Debug, Clone, Args)]
pub struct AddArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub input: InputArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub path: IndexPath,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub settings: IndexSettingsArgs,

    /// Seconds to wait for another chaff process writing the same index before giving up
    /// with an error. 0 refuses at once.
    #[arg(long, default_value_t = 5.0, value_name = "SECONDS")]
    pub wait: f64,

    /// Report format of the summary: text, or one JSON object.
    #[arg(long, value_enum, default_value_t = PlainFormat::Text, value_name = "FORMAT")]
    pub format: PlainFormat,

    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments of `chaff index stats`.
#[derive(Debug, Clone, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub path: IndexPath,

    /// Report format: text, or one JSON object.
    #[arg(long, value_enum, default_value_t = PlainFormat::Text, value_name = "FORMAT")]
    pub format: PlainFormat,
}

/// Arguments of `chaff index remove`.
#[derive(Debug, Clone, Args)]
pub struct RemoveArgs {
    /// Ids of the documents to take out.
    #[arg(required = true, value_name = "ID")]
    pub ids: Vec<String>,

    #[command(flatten)]
    #[allow(missing_docs)]
    pub path: IndexPath,

    /// Seconds to wait for another writer before giving up.
    #[arg(long, default_value_t = 5.0, value_name = "SECONDS")]
    pub wait: f64,
}

/// The options that shape an index, recorded in it: `index add` and `check` take the same ones,
/// and an index is refused by a run whose options differ.
#[derive(Debug, Clone, Args)]
pub struct IndexSettingsArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub hash: HashArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub dups: DupOptions,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub passages: IndexPassageArgs,
}

impl IndexSettingsArgs {
    /// The index settings these options ask for.
    fn settings(&self) -> Result<Settings> {
        // Confirmation and the kept copy are not part of what an index stores.
        let config = dup_config(&self.hash, &self.dups, Verify::default(), Keep::default())?;
        let mut settings = Settings::from_config(&config);
        settings.passage_min_tokens = self.passages.min_tokens as usize;
        settings.validate()?;
        Ok(settings)
    }
}

/// Options of the passage fingerprints stored in the index (part of its settings).
#[derive(Debug, Clone, Args)]
pub struct IndexPassageArgs {
    /// Shortest repeated passage, in tokens, that `check` is guaranteed to report (default 20,
    /// as `chaff passages`). It shapes the fingerprints stored by `index add`, so give `check`
    /// and later adds the same value. Example: --min-tokens 30
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub min_tokens: u32,
}

/// Format of `index add` and `index stats` output.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum PlainFormat {
    /// Readable text.
    Text,
    /// One JSON object.
    Json,
}

/// Arguments of `chaff check`.
#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub input: InputArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub path: IndexPath,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub settings: IndexSettingsArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub confirm: ConfirmArgs,

    /// Exit with status 1 when one of these rules is broken (comma-separated): duplicate,
    /// passage, chrome. Without it the exit status is 0 whatever is found.
    /// Example: --fail-on duplicate
    #[arg(long, value_enum, value_delimiter = ',', value_name = "RULES")]
    pub fail_on: Vec<RuleArg>,

    /// Largest share of new documents that may be near-duplicates (of the index or of an
    /// earlier new document) before the duplicate rule is broken. Example: 0.05 allows 5%.
    #[arg(long, default_value_t = 0.0, value_name = "RATIO")]
    pub max_duplicate_ratio: f64,

    /// Largest share of new documents that may repeat a passage (of an indexed document, or of
    /// an earlier new one) of at least --min-tokens tokens before the passage rule is broken.
    /// Example: 0.2 allows 20%; raise it for wire-heavy sources that quote each other.
    #[arg(long, default_value_t = 0.0, value_name = "RATIO")]
    pub max_passage_ratio: f64,

    /// Largest share of new documents that may carry chrome (at least one line that chaff judges
    /// chrome, with the templates learned from the index and today's pages) before the chrome
    /// rule is broken. Example: 0.5; 0 suits scrapes whose extractor should drop all chrome.
    #[arg(long, default_value_t = 0.0, value_name = "RATIO")]
    pub max_chrome_ratio: f64,

    /// Most indexed documents read from one LSH bucket (they agree on a whole band, so the
    /// first ones name the match as well as all would). Raise it only to see more matches.
    #[arg(long, default_value_t = 256, value_name = "N")]
    pub bucket_limit: usize,

    /// Report format: text for people, json for JSON Lines records, github for GitHub Actions
    /// annotations (::warning file=..,line=..::message) and a summary.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text, value_name = "FORMAT")]
    pub format: CheckFormat,

    #[command(flatten)]
    #[allow(missing_docs)]
    pub html: super::args::HtmlArgs,

    /// No progress bar and no summary line on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

/// A rule of `--fail-on`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RuleArg {
    /// Near-duplicate documents.
    Duplicate,
    /// Repeated passages.
    Passage,
    /// Chrome lines.
    Chrome,
}

/// Format of `chaff check`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum CheckFormat {
    /// Readable text.
    Text,
    /// JSON Lines.
    Json,
    /// GitHub Actions workflow commands.
    Github,
}

fn wait(seconds: f64) -> Result<Duration> {
    if !(0.0..=86_400.0).contains(&seconds) {
        anyhow::bail!("--wait must be between 0 and 86400 seconds, got {seconds}");
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// Runs `chaff index ...`.
pub fn index_command(command: IndexCommand) -> Result<Found> {
    match command {
        IndexCommand::Add(args) => add(args),
        IndexCommand::Stats(args) => stats(args),
        IndexCommand::Remove(args) => {
            let options = AddOptions {
                wait: wait(args.wait)?,
                ..AddOptions::default()
            };
            let removed = Index::remove(&args.path.index, &args.ids, &options)?;
            note!(
                "chaff index remove: removed {removed} documents from {}",
                args.path.index.display()
            );
            Ok(Found::Nothing)
        }
    }
}

fn add(args: AddArgs) -> Result<Found> {
    let settings = args.settings.settings()?;
    let corpus = args.input.open_for_index()?;
    let pause_after: Option<u64> = std::env::var(PAUSE_ENV).ok().and_then(|v| v.parse().ok());
    let pause = move |stored: u64| {
        if Some(stored) == pause_after {
            note!("chaff: {PAUSE_ENV}: paused after {stored} documents");
            std::thread::sleep(Duration::from_secs(3600));
        }
    };
    let label = args
        .input
        .inputs
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(" ");
    let options = AddOptions {
        wait: wait(args.wait)?,
        label,
        progress: pause_after
            .is_some()
            .then_some(&pause as &(dyn Fn(u64) + Sync)),
    };
    let stats = {
        let _progress = Progress::start(&corpus, args.quiet);
        Index::add(&args.path.index, &settings, &corpus, &options)?
    };
    print_warnings(&corpus);
    let mut out = std::io::stdout().lock();
    match args.format {
        PlainFormat::Json => writeln!(out, "{}", serde_json::to_string(&stats)?)?,
        PlainFormat::Text => writeln!(
            out,
            "chaff index add: generation {}: {} documents read, {} added, {} already indexed \
             (skipped), {} without text; the index holds {} documents; {:.2} s",
            stats.generation,
            stats.read,
            stats.added,
            stats.skipped,
            stats.empty,
            stats.total,
            stats.seconds
        )?,
    }
    Ok(Found::Nothing)
}

fn stats(args: StatsArgs) -> Result<Found> {
    let index = Index::open(&args.path.index)?;
    let stats = index.stats()?;
    let mut out = std::io::stdout().lock();
    match args.format {
        PlainFormat::Json => writeln!(out, "{}", serde_json::to_string(&stats)?)?,
        PlainFormat::Text => write_stats_text(&mut out, &stats)?,
    }
    Ok(Found::Nothing)
}

fn write_stats_text(out: &mut dyn Write, s: &IndexStats) -> std::io::Result<()> {
    writeln!(out, "index:      {}", s.path.display())?;
    writeln!(
        out,
        "format:     {} (created by {})",
        s.format_version, s.created_by
    )?;
    writeln!(
        out,
        "settings:   {}",
        super::flags::settings_flags(&s.settings)
    )?;
    writeln!(
        out,
        "documents:  {} ({} without text), {} sources",
        s.documents, s.empty_documents, s.sources
    )?;
    writeln!(out, "band rows:  {}", s.band_rows)?;
    writeln!(out, "size:       {:.1} MB", s.file_bytes as f64 / 1e6)?;
    writeln!(out, "history:")?;
    for g in &s.generations {
        writeln!(
            out,
            "  {:>4}  {:<6}  {:>8} documents  {:>6} skipped  {}",
            g.generation, g.action, g.documents, g.skipped, g.inputs
        )?;
    }
    Ok(())
}

/// Runs `chaff check`.
pub fn check_command(args: CheckArgs) -> Result<Found> {
    let settings = args.settings.settings()?;
    let options = CheckOptions {
        verify: args.confirm.verify.get(),
        keep: args.confirm.keep.get(),
        bucket_limit: args.bucket_limit,
        rules: Rules {
            fail_on: args
                .fail_on
                .iter()
                .map(|r| match r {
                    RuleArg::Duplicate => Rule::Duplicate,
                    RuleArg::Passage => Rule::Passage,
                    RuleArg::Chrome => Rule::Chrome,
                })
                .collect(),
            max_duplicate_ratio: args.max_duplicate_ratio,
            max_passage_ratio: args.max_passage_ratio,
            max_chrome_ratio: args.max_chrome_ratio,
        },
    };
    // Refused before any input is read, as the settings are.
    options.validate()?;
    let corpus = args.input.open_for_index()?;
    // A check only reads its index, but SQLite may write beside it: never over an input.
    chaff::corpus::OutputGuard::new(&corpus).check_index(&args.path.index)?;
    if let Some(html) = &args.html.html {
        chaff::corpus::OutputGuard::new(&corpus).check_file(html, "the HTML report")?;
    }
    let index = Index::open_compatible(&args.path.index, &settings)?;
    let outcome = {
        let _progress = Progress::start(&corpus, args.quiet);
        index.check(&corpus, &options)?
    };
    if let Some(path) = &args.html.html {
        let look = args.html.options(&args.input.inputs);
        let html = chaff::report::html::check_report(&corpus, &outcome, &options.rules, &look)?;
        chaff::report::html::save(path, &html)?;
    }
    print_warnings(&corpus);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        CheckFormat::Json => chaff::report::write_json(&mut out, &outcome.records())?,
        CheckFormat::Text => {
            write_check_text(&mut out, &outcome)?;
            writeln!(out, "{}", summary(&outcome))?;
        }
        CheckFormat::Github => write_github(&mut out, &outcome)?,
    }
    out.flush()?;
    if args.format == CheckFormat::Json && !args.quiet {
        note!("{}", summary(&outcome));
    }
    Ok(if outcome.failed() {
        Found::Something
    } else {
        Found::Nothing
    })
}

fn summary(o: &CheckOutcome) -> String {
    let mut s = format!(
        "chaff check: {} new documents against {} indexed: {} near-duplicates ({} of indexed \
         documents, {} among the new ones); {:.2} s",
        o.new.len(),
        o.indexed,
        o.duplicate_documents(),
        o.in_index.len(),
        o.within_new.duplicates.len(),
        o.seconds
    );
    for r in &o.rules {
        s.push_str(&format!(
            "\n{}: {} documents, {:.2}% of the new ones (max {:.2}%){}",
            r.rule.name(),
            r.documents,
            r.ratio * 100.0,
            r.max * 100.0,
            if r.broken { ": FAILED" } else { "" }
        ));
    }
    s
}

fn write_check_text(out: &mut dyn Write, o: &CheckOutcome) -> std::io::Result<()> {
    if o.in_index.is_empty() {
        writeln!(out, "no near-duplicates of indexed documents")?;
    } else {
        writeln!(out, "near-duplicates of indexed documents:")?;
        writeln!(
            out,
            "{:>10}  {:>11}  {:<40}  indexed document",
            "similarity", "containment", "new document"
        )?;
        for m in &o.in_index {
            writeln!(
                out,
                "{:>10.3}  {:>11.3}  {:<40}  {}",
                m.similarity, m.containment, o.new[m.doc as usize].id, m.of
            )?;
        }
    }
    if o.within_new.duplicates.is_empty() {
        writeln!(out, "no near-duplicates among the new documents")?;
    } else {
        writeln!(out, "near-duplicates among the new documents:")?;
        chaff::report::write_duplicates_text(out, &o.within_new)?;
    }
    for f in &o.findings {
        writeln!(out, "{}", f.message)?;
    }
    Ok(())
}

/// Escapes text for a GitHub workflow command (`%`, CR, LF; in properties also `:` and `,`).
fn github_escape(s: &str, property: bool) -> String {
    let mut out = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    if property {
        out = out.replace(':', "%3A").replace(',', "%2C");
    }
    out
}

fn write_github(out: &mut dyn Write, o: &CheckOutcome) -> std::io::Result<()> {
    let annotate = |out: &mut dyn Write, doc: u32, line: u64, message: String| {
        let d = &o.new[doc as usize];
        writeln!(
            out,
            "::warning file={},line={}::{}",
            github_escape(&d.file, true),
            line,
            github_escape(&message, false)
        )
    };
    for m in &o.in_index {
        let d = &o.new[m.doc as usize];
        let message = format!(
            "{} near-duplicates indexed document {} (similarity {:.2}, containment {:.2})",
            d.id, m.of, m.similarity, m.containment
        );
        annotate(out, m.doc, d.line, message)?;
    }
    let docs = &o.within_new.docs;
    for dup in &o.within_new.duplicates {
        let message = format!(
            "{} near-duplicates new document {} (similarity {:.2})",
            docs.id(dup.doc),
            docs.id(dup.of),
            dup.similarity
        );
        annotate(out, dup.doc, o.new[dup.doc as usize].line, message)?;
    }
    for f in &o.findings {
        // In a JSONL file the document is one line; in a .txt file point at the finding's line.
        let d = &o.new[f.doc as usize];
        let line = if d.jsonl { d.line } else { f.line };
        annotate(out, f.doc, line, f.message.clone())?;
    }
    let level = if o.failed() { "error" } else { "notice" };
    writeln!(
        out,
        "::{level} title=chaff check::{}",
        github_escape(&summary(o), false)
    )
}
