//! Writers: `add` (one transaction per add) and `remove`.
//!
//! An add signs documents in parallel, batch by batch, and stores each in `docs` at once; its
//! band rows (and the extensions' rows of hash-clustered tables) are staged and moved into
//! their B-trees in key order once every document is read ([`super::stage`]), instead of
//! dirtying random pages document by document.
//! Everything, including the add's `generations` row, commits in one `COMMIT` at the end.

use super::registry::{Extensions, Prepared};
use super::schema::{self, Settings, SCHEMA};
use super::stage::{StagedTable, Stages};
use super::{
    blob_from_slots, db_error, ensure_compatible, now, read_settings, slots_from_blob, Index,
};
use crate::corpus::{Corpus, Document, OutputGuard};
use crate::sketch::DocSketch;
use crate::{Error, Result};
use rayon::prelude::*;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use std::path::Path;
use std::time::{Duration, Instant};

/// One document prepared for storing: its sketch (shingle count, signature, band keys) and
/// the extensions' data.
type Signed = (DocSketch, Prepared);

/// How an add (or a removal) runs.
pub struct AddOptions<'a> {
    /// How long to wait for another writer to finish before giving up.
    pub wait: Duration,
    /// What was added, recorded in the add's generation (e.g. the input paths).
    pub label: String,
    /// Called after each stored document with the count so far (progress, tests).
    pub progress: Option<&'a (dyn Fn(u64) + Sync)>,
}

impl Default for AddOptions<'_> {
    fn default() -> Self {
        AddOptions {
            wait: Duration::from_secs(5),
            label: String::new(),
            progress: None,
        }
    }
}

/// What an add did.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct AddStats {
    /// The generation number of this add.
    pub generation: i64,
    /// Documents read.
    pub read: u64,
    /// Documents stored.
    pub added: u64,
    /// Documents skipped because their id was already indexed.
    pub skipped: u64,
    /// Stored documents without any shingle (kept, but they match nothing).
    pub empty: u64,
    /// Documents in the index after the add.
    pub total: i64,
    /// Seconds taken.
    pub seconds: f64,
}

/// Band rows, staged and then moved in (band, key, doc) order. Bands compare as SQLite
/// integers (signed), which is the order of the table's key.
const STAGED_BANDS: StagedTable = StagedTable {
    name: "staged_bands",
    columns: 3,
    finish: "INSERT INTO bands (band, key, doc) SELECT c0, c1, c2 FROM temp.staged_bands \
             WHERE true ORDER BY c0, c1, c2",
};

/// Opens (creating if needed) a connection for writing.
fn open_writer(path: &Path, wait: Duration) -> Result<Connection> {
    let e = |err| db_error(path, err);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|err| Error::io(dir, err))?;
    }
    let conn = Connection::open(path).map_err(e)?;
    conn.busy_timeout(wait).map_err(e)?;
    // WAL: readers see the last commit while an add runs; an uncommitted add never reaches
    // the main file. FULL: a commit is on disk before `add` reports success.
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .map_err(e)?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Error::Index {
            path: path.to_path_buf(),
            message: format!("cannot switch the index to WAL mode (it is in {mode} mode)"),
            advice: None,
        });
    }
    // 256 MB of page cache. The sorter that orders staged rows sizes each of its in-memory
    // runs by the same budget and keeps one per thread (its own plus each helper), so one helper
    // thread bounds an add to about 3 x 256 MB whatever the machine.
    conn.execute_batch(
        "PRAGMA synchronous = FULL; PRAGMA cache_size = -262144; PRAGMA threads = 1;",
    )
    .map_err(e)?;
    Ok(conn)
}

impl Index {
    /// Adds the documents of `corpus` to the index at `path` (created if missing), in one
    /// transaction: on any error or crash nothing of this add remains. Refuses (before reading
    /// anything) an index path that is, or lies inside, an input of `corpus`.
    ///
    /// A first add builds the index under a temporary name beside `path` and moves it into
    /// place once committed, so an interrupted first add leaves no index file behind (a later
    /// `check` finds none, as before the add, rather than an index without a committed add).
    pub fn add(
        path: &Path,
        settings: &Settings,
        corpus: &Corpus,
        options: &AddOptions,
    ) -> Result<AddStats> {
        settings.validate()?;
        OutputGuard::new(corpus).check_index(path)?;
        if std::fs::symlink_metadata(path).is_ok() {
            return Index::add_into(path, settings, corpus, options);
        }
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|err| Error::io(dir, err))?;
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let temp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".new")
            .tempfile_in(dir)
            .map_err(|err| Error::io(dir, err))?
            .into_temp_path();
        // Errors name the index the user asked for, not its temporary name.
        let stats = Index::add_into(&temp, settings, corpus, options)
            .map_err(|err| renamed(err, &temp, path))?;
        // The connection is closed: SQLite has checkpointed and removed its -wal and -shm files,
        // so the one file holds the whole index. A hard link moves it into place only if no
        // other first add got there first (a rename would replace that one's index).
        match std::fs::hard_link(&temp, path) {
            Ok(()) => Ok(stats),
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
                drop(temp);
                Index::add_into(path, settings, corpus, options)
            }
            Err(_) => temp
                .persist(path)
                .map(|()| stats)
                .map_err(|err| Error::io(path, err.error)),
        }
    }

    /// Adds into the index file at `path` (created if missing), in one transaction.
    fn add_into(
        path: &Path,
        settings: &Settings,
        corpus: &Corpus,
        options: &AddOptions,
    ) -> Result<AddStats> {
        let started = Instant::now();
        let e = |err| db_error(path, err);
        let mut conn = open_writer(path, options.wait)?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(e)?;
        match read_settings(&tx, path)? {
            None => create_schema(&tx, path, settings)?,
            Some(stored) => ensure_compatible(path, &stored, settings)?,
        }
        let extensions = Extensions::new(settings)?;
        let mut staged = vec![STAGED_BANDS];
        for sql in extensions.schema() {
            tx.execute_batch(sql).map_err(e)?;
        }
        staged.extend(extensions.staged());
        let mut stages = Stages::create(&tx, &staged)?;
        tx.execute(
            "INSERT INTO generations (action, started, finished, inputs, documents, skipped) \
             VALUES ('add', ?1, 0, ?2, 0, 0)",
            params![now(), options.label],
        )
        .map_err(e)?;
        let generation = tx.last_insert_rowid();

        let sketcher = settings.sketcher()?;
        let mut stats = AddStats {
            generation,
            ..AddStats::default()
        };
        {
            let mut insert_doc = tx
                .prepare(
                    "INSERT INTO docs (id, source, shingles, bytes, generation, signature) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (id) DO NOTHING",
                )
                .map_err(e)?;
            // Signing and the extensions' per-document work (tokenizing) run in parallel;
            // the inserts are serial. They overlap: while one batch is stored on this thread,
            // the next is prepared on another (the connection cannot leave this thread).
            let prepare = |batch: &[Document]| -> Vec<Signed> {
                let texts: Vec<&str> = batch.iter().map(|d| d.text.as_str()).collect();
                let prepared: Vec<Prepared> = batch
                    .par_iter()
                    .map(|doc| extensions.prepare(doc))
                    .collect();
                sketcher
                    .sketch_batch(&texts)
                    .into_iter()
                    .zip(prepared)
                    .collect()
            };
            let mut store = |batch: &[Document], signed: Vec<Signed>| -> Result<()> {
                for (doc, (sketch, prepared)) in batch.iter().zip(signed) {
                    let shingles = sketch.shingles;
                    stats.read += 1;
                    let stored = insert_doc
                        .execute(params![
                            doc.id,
                            doc.source,
                            shingles,
                            doc.text.len() as i64,
                            generation,
                            blob_from_slots(&sketch.signature)
                        ])
                        .map_err(e)?;
                    if stored == 0 {
                        stats.skipped += 1;
                        continue;
                    }
                    let number = tx.last_insert_rowid();
                    if shingles == 0 {
                        // An empty document matches nothing, as in `dups`: no band rows.
                        stats.empty += 1;
                    } else {
                        // A key's position in the sketch is its band number.
                        for (band, &key) in sketch.band_keys.iter().enumerate() {
                            stages.push(
                                &tx,
                                STAGED_BANDS.name,
                                &[band as i64, key as i64, number],
                            )?;
                        }
                    }
                    extensions.add_document(&tx, &mut stages, number, doc, prepared)?;
                    stats.added += 1;
                    if let Some(progress) = options.progress {
                        progress(stats.added);
                    }
                }
                Ok(())
            };
            let mut pending: Option<(Vec<Document>, Vec<Signed>)> = None;
            corpus.read(false, |batch| {
                let previous = pending.take();
                let signed = std::thread::scope(|s| {
                    let worker = s.spawn(|| prepare(&batch));
                    let stored = match previous {
                        Some((b, signed)) => store(&b, signed),
                        None => Ok(()),
                    };
                    let signed = worker
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                    stored.map(|()| signed)
                })?;
                pending = Some((batch, signed));
                Ok(())
            })?;
            if let Some((batch, signed)) = pending {
                store(&batch, signed)?;
            }
        }
        stages.finish(&tx)?;
        tx.execute(
            "UPDATE generations SET finished = ?1, documents = ?2, skipped = ?3 \
             WHERE generation = ?4",
            params![now(), stats.added as i64, stats.skipped as i64, generation],
        )
        .map_err(e)?;
        stats.total = tx
            .query_row("SELECT count(*) FROM docs", [], |r| r.get(0))
            .map_err(e)?;
        tx.commit().map_err(e)?;
        stats.seconds = started.elapsed().as_secs_f64();
        Ok(stats)
    }

    /// Takes the documents with these ids out of the index, in one transaction. Refuses (and
    /// removes nothing) when an id is not in the index.
    pub fn remove(path: &Path, ids: &[String], options: &AddOptions) -> Result<u64> {
        let e = |err| db_error(path, err);
        if !path.is_file() {
            return Err(Error::Index {
                path: path.to_path_buf(),
                message: "no index here".into(),
                advice: None,
            });
        }
        let mut conn = open_writer(path, options.wait)?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(e)?;
        let Some(settings) = read_settings(&tx, path)? else {
            return Err(Error::Index {
                path: path.to_path_buf(),
                message: "no add has completed into this index yet".into(),
                advice: None,
            });
        };
        let extensions = Extensions::new(&settings)?;
        let mut missing = Vec::new();
        let mut removed = 0u64;
        for id in ids {
            let row: Option<(i64, Vec<u8>, i64)> = tx
                .query_row(
                    "SELECT doc, signature, shingles FROM docs WHERE id = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()
                .map_err(e)?;
            let Some((doc, blob, shingles)) = row else {
                missing.push(id.as_str());
                continue;
            };
            if shingles > 0 {
                // The band keys are recomputed from the stored signature: no index on `doc`
                // is needed to find the document's band rows.
                let mut delete = tx
                    .prepare_cached("DELETE FROM bands WHERE band = ?1 AND key = ?2 AND doc = ?3")
                    .map_err(e)?;
                for (band, key) in settings.band_keys(&slots_from_blob(&blob)) {
                    delete.execute(params![band, key as i64, doc]).map_err(e)?;
                }
            }
            extensions.remove_document(&tx, doc)?;
            tx.execute("DELETE FROM docs WHERE doc = ?1", [doc])
                .map_err(e)?;
            removed += 1;
        }
        if !missing.is_empty() {
            // Dropping `tx` rolls back: a removal is all or nothing.
            return Err(Error::Usage(format!(
                "{}: not in the index (nothing was removed): {}",
                path.display(),
                missing.join(", ")
            )));
        }
        let t = now();
        tx.execute(
            "INSERT INTO generations (action, started, finished, inputs, documents, skipped) \
             VALUES ('remove', ?1, ?1, ?2, ?3, 0)",
            params![t, ids.join(" "), removed as i64],
        )
        .map_err(e)?;
        tx.commit().map_err(e)?;
        Ok(removed)
    }
}

/// `err` with the temporary path `from` replaced by `to` where it names the index.
fn renamed(err: Error, from: &Path, to: &Path) -> Error {
    let swap = |path: std::path::PathBuf| if path == from { to.to_path_buf() } else { path };
    match err {
        Error::Index {
            path,
            message,
            advice,
        } => Error::Index {
            path: swap(path),
            message,
            advice,
        },
        Error::Incompatible { path, message } => Error::Incompatible {
            path: swap(path),
            message,
        },
        Error::IndexSettings {
            path,
            stored,
            differences,
        } => Error::IndexSettings {
            path: swap(path),
            stored,
            differences,
        },
        Error::Io { path, cause } => Error::Io {
            path: swap(path),
            cause,
        },
        other => other,
    }
}

fn create_schema(conn: &Connection, path: &Path, settings: &Settings) -> Result<()> {
    let e = |err| db_error(path, err);
    conn.execute_batch(SCHEMA).map_err(e)?;
    conn.execute_batch(&format!(
        "PRAGMA application_id = {}; PRAGMA user_version = {};",
        schema::APPLICATION_ID,
        schema::FORMAT_VERSION
    ))
    .map_err(e)?;
    let json = serde_json::to_string(settings).map_err(|err| Error::Index {
        path: path.to_path_buf(),
        message: format!("cannot record the settings: {err}"),
        advice: None,
    })?;
    let version = format!("chaff {}", env!("CARGO_PKG_VERSION"));
    for (key, value) in [
        ("settings", json.as_str()),
        ("created_by", version.as_str()),
    ] {
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)",
            params![key, value],
        )
        .map_err(e)?;
    }
    Ok(())
}
