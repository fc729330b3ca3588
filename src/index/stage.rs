//! Staged inserts: how an add fills the clustered tables (`bands`, `passage_fingerprints`,
//! `chrome_lines`) without writing their B-trees at random.
//!
//! Those tables are clustered on a hash, so the rows of one document land on pages all over the
//! B-tree. Inserted document by document, every row of a large add dirties a random page; once
//! the tree outgrows SQLite's page cache, each insert reads a page back and spills another to
//! the WAL, and a 1,000,000-document add wrote gigabytes of WAL in a quarter of an hour without
//! finishing. Instead, an add appends the rows to a temporary table (append-only, in SQLite's
//! temp file, in multi-row statements) and, once every document is read, moves them with one
//! `INSERT … SELECT … ORDER BY` per table: SQLite's external sorter orders them (within its
//! cache budget, spilling sorted runs to temp files) and the B-tree is then filled left to
//! right, each page written once. The temporary tables belong to the add's connection and vanish
//! with it, so a crash leaves nothing behind and crash safety is the add's transaction's.
//!
//! Temp files go where SQLite puts them: `SQLITE_TMPDIR`, else `TMPDIR`, else `/var/tmp`,
//! `/usr/tmp` or `/tmp`; a large add needs there about twice the space its staged rows take
//! (the temporary table and the sorter's runs exist at the same time).

use super::db;
use crate::Result;
use rusqlite::{params_from_iter, Connection};

/// Rows sent to SQLite per multi-row `INSERT` (3 columns: 3 × 128 parameters, well under
/// SQLite's limit); fewer statements make staging about three times cheaper than one per row.
const ROWS_PER_STATEMENT: usize = 128;

/// A clustered table filled through staging: the temporary table's name, its number of
/// integer columns (named `c0`, `c1`, …), and the statement that moves the staged rows into
/// the real table at the end of the add (reading `temp.<name>`, in key order).
#[derive(Debug, Clone, Copy)]
pub struct StagedTable {
    /// Name of the temporary table.
    pub name: &'static str,
    /// Integer columns per row.
    pub columns: usize,
    /// SQL moving the rows of `temp.<name>` into the clustered table, sorted on its key.
    pub finish: &'static str,
}

/// The staged tables of one add, with the rows not yet sent to SQLite.
pub struct Stages {
    tables: Vec<Stage>,
}

/// One staged table: its rows not yet sent, and its two insert statements (built once).
struct Stage {
    table: StagedTable,
    buffer: Vec<i64>,
    /// Inserts [`ROWS_PER_STATEMENT`] rows.
    many: String,
    /// Inserts one row.
    one: String,
}

impl Stage {
    fn new(table: StagedTable) -> Stage {
        let row = format!("({})", vec!["?"; table.columns].join(", "));
        Stage {
            many: format!(
                "INSERT INTO temp.{} VALUES {}",
                table.name,
                vec![row.as_str(); ROWS_PER_STATEMENT].join(", ")
            ),
            one: format!("INSERT INTO temp.{} VALUES {row}", table.name),
            buffer: Vec::new(),
            table,
        }
    }

    /// Inserts the buffered rows: full statements of [`ROWS_PER_STATEMENT`] rows, then the
    /// rest one row at a time (so only two statement shapes are ever prepared and cached).
    fn send(&mut self, conn: &Connection) -> Result<()> {
        let e = |err| db(conn, err);
        let mut chunks = self
            .buffer
            .chunks_exact(ROWS_PER_STATEMENT * self.table.columns);
        if chunks.len() > 0 {
            let mut many = conn.prepare_cached(&self.many).map_err(e)?;
            for chunk in chunks.by_ref() {
                many.execute(params_from_iter(chunk)).map_err(e)?;
            }
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut one = conn.prepare_cached(&self.one).map_err(e)?;
            for r in rest.chunks_exact(self.table.columns) {
                one.execute(params_from_iter(r)).map_err(e)?;
            }
        }
        self.buffer.clear();
        Ok(())
    }
}

impl Stages {
    /// Creates the temporary tables (empty) on the add's connection.
    pub fn create(conn: &Connection, tables: &[StagedTable]) -> Result<Stages> {
        let e = |err| db(conn, err);
        for t in tables {
            let columns: Vec<String> = (0..t.columns).map(|i| format!("c{i} INTEGER")).collect();
            conn.execute_batch(&format!(
                "DROP TABLE IF EXISTS temp.{name}; CREATE TEMP TABLE {name} ({columns});",
                name = t.name,
                columns = columns.join(", ")
            ))
            .map_err(e)?;
        }
        Ok(Stages {
            tables: tables.iter().map(|&t| Stage::new(t)).collect(),
        })
    }

    /// Stages one row for table `name` (one of those given to [`Stages::create`]).
    ///
    /// # Panics
    /// When `name` was not created or `row` has the wrong length: both are programming errors.
    pub fn push(&mut self, conn: &Connection, name: &str, row: &[i64]) -> Result<()> {
        let stage = self
            .tables
            .iter_mut()
            .find(|s| s.table.name == name)
            .unwrap_or_else(|| panic!("no staged table {name}"));
        assert_eq!(row.len(), stage.table.columns, "row of staged table {name}");
        stage.buffer.extend_from_slice(row);
        if stage.buffer.len() >= ROWS_PER_STATEMENT * stage.table.columns {
            stage.send(conn)?;
        }
        Ok(())
    }

    /// Sends what is left and moves every staged table into its clustered table, in the order
    /// given to [`Stages::create`]; the temporary tables are dropped.
    pub fn finish(mut self, conn: &Connection) -> Result<()> {
        let e = |err| db(conn, err);
        for stage in &mut self.tables {
            stage.send(conn)?;
            conn.execute_batch(stage.table.finish).map_err(e)?;
            conn.execute_batch(&format!("DROP TABLE temp.{}", stage.table.name))
                .map_err(e)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: StagedTable = StagedTable {
        name: "staged_pairs",
        columns: 2,
        finish: "INSERT INTO pairs (a, b) SELECT c0, c1 FROM temp.staged_pairs WHERE true \
                 ORDER BY c0, c1 ON CONFLICT (a, b) DO NOTHING",
    };

    #[test]
    fn staged_rows_all_reach_the_table_whatever_the_chunking() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE pairs (a INTEGER, b INTEGER, PRIMARY KEY (a, b))")
            .unwrap();
        let mut stages = Stages::create(&conn, &[TABLE]).unwrap();
        // Not a multiple of the statement size, with a duplicate the finish statement ignores.
        let n = ROWS_PER_STATEMENT as i64 * 3 + 17;
        for i in (0..n).rev() {
            stages.push(&conn, "staged_pairs", &[i % 50, i]).unwrap();
        }
        stages.push(&conn, "staged_pairs", &[0, 0]).unwrap();
        stages.finish(&conn).unwrap();
        let count: i64 = conn
            .query_row("SELECT count(*) FROM pairs", [], |r| r.get(0))
            .unwrap();
        assert_eq!(count, n);
        let gone: i64 = conn
            .query_row(
                "SELECT count(*) FROM temp.sqlite_master WHERE name = 'staged_pairs'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(gone, 0, "the temporary table is dropped");
    }
}
