//! A persistent, crash-safe index of kept documents, and checks of new documents against it.
//!
//! Teams that scrape every day ask the same question each time: does today's scrape repeat what
//! we already kept? Re-scanning the kept corpus each time does not scale, so `index add` stores,
//! per document, what a later check needs — id, source, shingle count, the MinHash signature and
//! its LSH band keys — in one SQLite file, and [`Index::check`] answers from band-key look-ups
//! and stored signatures only, never from the indexed text.
//!
//! Design and guarantees:
//! * **Crash safety.** One `add` is one SQLite transaction in WAL mode (`BEGIN IMMEDIATE` …
//!   `COMMIT`, `synchronous=FULL`); the add's row in `generations` is written inside the same
//!   transaction. A `kill -9` or a crash at any point leaves the index exactly as it was before
//!   that add; re-running the add then completes it. Readers (`check`, `stats`) see the last
//!   committed state and are never blocked by a writer.
//! * **One writer.** A second writer waits up to its busy timeout and is then refused with
//!   "index is being written by another chaff process" ([`crate::Error::Index`]).
//! * **Never silently wrong.** The file records its format version and the [`Settings`] that
//!   shaped it; a newer format or different settings are refused ([`crate::Error::Incompatible`]).
//! * **Ids are unique.** A document whose id is already indexed is skipped by `add` (counted),
//!   so overlapping scrapes and re-runs do not duplicate the kept set.
//! * **Verification by estimate.** Index candidates are confirmed with the MinHash estimate of
//!   Jaccard similarity (±0.07 at 128 slots) and the containment derived from it and the two
//!   shingle counts, the same rule `dups --verify estimate` applies.
//!
//! Passages ([`passages`]) and chrome ([`chrome`]) plug in through [`extension::Extension`]:
//! each add also stores every document's passage fingerprints and token sketch and counts its
//! source's template lines. What an add stores of a document are the library's own sketches
//! ([`Index::sketches`] reads them back as [`crate::sketch`] types), and a check reports repeated passages and chrome lines of the new
//! documents with `"in_index"` as for duplicates.

mod add;
mod check;
pub mod chrome;
pub mod extension;
pub mod passages;
pub mod registry;
pub mod schema;
mod sketches;
pub mod stage;

pub use add::{AddOptions, AddStats};
pub use check::{CheckOptions, CheckOutcome, IndexMatch, NewDocument, Rule, RuleResult, Rules};
pub use schema::{SettingDifference, Settings, FORMAT_VERSION};
pub use sketches::IndexedSketch;
pub(crate) use sketches::{blob_from_slots, slots_from_blob};

use crate::{Error, Result};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// An open index file.
pub struct Index {
    conn: Connection,
    path: PathBuf,
    settings: Settings,
}

/// The operation that creates an index, as the [`crate::Advice`] of an index that is missing
/// names it (each front end names it its own way: the binary by its command).
pub const CREATE: &str = "Index::add(path, ..) on a new path";

/// The operation that adds to an index, as the [`crate::Advice`] of an index without a
/// committed add names it.
pub const ADD: &str = "Index::add";

/// Message of the error a second concurrent writer gets.
pub const LOCKED_MESSAGE: &str = "index is being written by another chaff process";

/// An error about the index file, for code that only has the connection.
pub(crate) fn db(conn: &Connection, e: rusqlite::Error) -> Error {
    let path = conn.path().unwrap_or("").to_string();
    db_error(Path::new(&path), e)
}

/// Turns a database error into a chaff error naming the index file.
pub(crate) fn db_error(path: &Path, e: rusqlite::Error) -> Error {
    let (message, advice) = match &e {
        rusqlite::Error::SqliteFailure(f, _)
            if matches!(
                f.code,
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
            ) =>
        {
            (
                format!("{LOCKED_MESSAGE}; try again when it has finished"),
                // The wait of a writer is `AddOptions::wait`, of a reader its busy timeout.
                Some(Box::new(crate::Advice::new(
                    " (or raise ",
                    "index.wait",
                    ")",
                ))),
            )
        }
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::NotADatabase => (
            "not a chaff index (not an SQLite database)".to_string(),
            None,
        ),
        other => (format!("index database error: {other}"), None),
    };
    Error::Index {
        path: path.to_path_buf(),
        message,
        advice,
    }
}

/// One `add` or `remove` that was committed.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Generation {
    /// Its number, increasing.
    pub generation: i64,
    /// `add` or `remove`.
    pub action: String,
    /// Start and end, in seconds since the Unix epoch.
    pub started: i64,
    /// End, in seconds since the Unix epoch.
    pub finished: i64,
    /// The inputs added, or the ids removed.
    pub inputs: String,
    /// Documents added or removed.
    pub documents: i64,
    /// Documents skipped (id already indexed, or nothing to remove).
    pub skipped: i64,
}

/// What `index stats` reports.
#[derive(Debug, Clone, serde::Serialize)]
pub struct IndexStats {
    /// The index file.
    pub path: PathBuf,
    /// Format version of the file.
    pub format_version: i64,
    /// The chaff version that created it.
    pub created_by: String,
    /// The settings that shaped it.
    pub settings: Settings,
    /// Documents kept.
    pub documents: i64,
    /// Documents kept that had no shingle (they match nothing).
    pub empty_documents: i64,
    /// Distinct sources among them.
    pub sources: i64,
    /// Rows of the band table.
    pub band_rows: i64,
    /// Size of the file (plus its write-ahead log) in bytes.
    pub file_bytes: u64,
    /// Committed adds and removals, oldest first.
    pub generations: Vec<Generation>,
}

impl Index {
    /// Opens an existing index for reading, whatever its settings (for `stats`).
    pub fn open(path: &Path) -> Result<Index> {
        if !path.is_file() {
            return Err(Error::Index {
                path: path.to_path_buf(),
                message: "no index here".into(),
                advice: Some(Box::new(crate::Advice::new(
                    " (create one with ",
                    CREATE,
                    ")",
                ))),
            });
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| db_error(path, e))?;
        conn.busy_timeout(Duration::from_secs(5))
            .map_err(|e| db_error(path, e))?;
        let settings = read_settings(&conn, path)?.ok_or_else(|| Error::Index {
            path: path.to_path_buf(),
            // Only an older chaff leaves such a file (a first add now appears when committed).
            message: "no add has completed into this index yet (an interrupted first add of an \
                      older chaff left it)"
                .into(),
            advice: Some(Box::new(crate::Advice::new(
                "; delete it, or complete it with ",
                ADD,
                "",
            ))),
        })?;
        Ok(Index {
            conn,
            path: path.to_path_buf(),
            settings,
        })
    }

    /// Opens an existing index for checking with `settings`; refuses an index shaped otherwise.
    pub fn open_compatible(path: &Path, settings: &Settings) -> Result<Index> {
        settings.validate()?;
        let index = Index::open(path)?;
        ensure_compatible(path, &index.settings, settings)?;
        Ok(index)
    }

    /// The settings that shaped this index.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The index file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Counts and history of the index.
    pub fn stats(&self) -> Result<IndexStats> {
        let e = |err| db_error(&self.path, err);
        let tx = self.conn.unchecked_transaction().map_err(e)?;
        let count = |sql: &str| -> Result<i64> { tx.query_row(sql, [], |r| r.get(0)).map_err(e) };
        let documents = count("SELECT count(*) FROM docs")?;
        let empty_documents = count("SELECT count(*) FROM docs WHERE shingles = 0")?;
        let sources = count("SELECT count(DISTINCT source) FROM docs")?;
        let band_rows = count("SELECT count(*) FROM bands")?;
        let format_version = count("PRAGMA user_version")?;
        let created_by: String = tx
            .query_row("SELECT value FROM meta WHERE key = 'created_by'", [], |r| {
                r.get(0)
            })
            .optional()
            .map_err(e)?
            .unwrap_or_default();
        let mut statement = tx
            .prepare(
                "SELECT generation, action, started, finished, inputs, documents, skipped \
                 FROM generations ORDER BY generation",
            )
            .map_err(e)?;
        let generations = statement
            .query_map([], |r| {
                Ok(Generation {
                    generation: r.get(0)?,
                    action: r.get(1)?,
                    started: r.get(2)?,
                    finished: r.get(3)?,
                    inputs: r.get(4)?,
                    documents: r.get(5)?,
                    skipped: r.get(6)?,
                })
            })
            .map_err(e)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(e)?;
        let wal = PathBuf::from(format!("{}-wal", self.path.display()));
        let file_bytes = [&self.path, &wal]
            .iter()
            .filter_map(|p| std::fs::metadata(p).ok())
            .map(|m| m.len())
            .sum();
        Ok(IndexStats {
            path: self.path.clone(),
            format_version,
            created_by,
            settings: self.settings.clone(),
            documents,
            empty_documents,
            sources,
            band_rows,
            file_bytes,
            generations,
        })
    }
}

/// Refuses to use an index whose stored settings differ from the requested ones.
fn ensure_compatible(path: &Path, stored: &Settings, requested: &Settings) -> Result<()> {
    let differences = stored.differences(requested);
    if differences.is_empty() {
        return Ok(());
    }
    Err(Error::IndexSettings {
        path: path.to_path_buf(),
        stored: Box::new(stored.clone()),
        differences,
    })
}

/// Refuses files that are not chaff indexes or are of a newer format; returns the stored
/// settings, or `None` when the schema has never been committed (an add that did not finish).
fn read_settings(conn: &Connection, path: &Path) -> Result<Option<Settings>> {
    let e = |err| db_error(path, err);
    let application_id: i64 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(e)?;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(e)?;
    if application_id == 0 && version == 0 {
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
            .map_err(e)?;
        if tables == 0 {
            return Ok(None);
        }
    }
    if application_id != schema::APPLICATION_ID {
        return Err(Error::Incompatible {
            path: path.to_path_buf(),
            message: "not a chaff index (an SQLite database of some other program)".into(),
        });
    }
    if version > FORMAT_VERSION {
        return Err(Error::Incompatible {
            path: path.to_path_buf(),
            message: format!(
                "index format {version} was written by a newer chaff; this chaff ({}) reads \
                 format {FORMAT_VERSION} only — upgrade chaff",
                env!("CARGO_PKG_VERSION")
            ),
        });
    }
    if version < FORMAT_VERSION {
        return Err(Error::Incompatible {
            path: path.to_path_buf(),
            message: format!(
                "index format {version} is older than this chaff's format {FORMAT_VERSION} and \
                 cannot be migrated; rebuild it with `chaff index add`"
            ),
        });
    }
    let json: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'settings'", [], |r| {
            r.get(0)
        })
        .optional()
        .map_err(e)?;
    let Some(json) = json else {
        return Err(Error::Incompatible {
            path: path.to_path_buf(),
            message: "damaged chaff index: its settings are missing".into(),
        });
    };
    serde_json::from_str(&json)
        .map(Some)
        .map_err(|err| Error::Incompatible {
            path: path.to_path_buf(),
            message: format!("damaged chaff index: unreadable settings ({err})"),
        })
}

/// Seconds since the Unix epoch (0 if the clock is before it).
pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_or_empty_index_advises_the_operation_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.chaff");
        let e = Index::open(&missing).err().unwrap();
        assert_eq!(e.advice().map(|a| a.field), Some(CREATE));
        assert!(e
            .to_string()
            .ends_with(&format!("(create one with {CREATE})")));
        let empty = dir.path().join("empty.chaff");
        std::fs::write(&empty, b"").unwrap();
        let e = Index::open(&empty).err().unwrap();
        assert_eq!(e.advice().map(|a| a.field), Some(ADD));
        assert_eq!(
            e.describe(|_| "`x`"),
            format!(
                "{}: no add has completed into this index yet (an interrupted first add of an \
                 older chaff left it); delete it, or complete it with `x`",
                empty.display()
            )
        );
    }
}
