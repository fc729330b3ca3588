//! Bounded memory for state that grows with the corpus: an external merge sort of fixed-size
//! records that spills sorted runs to temporary files once a memory budget is used up.
//!
//! The algorithm is the textbook external sort (Knuth, TAOCP vol. 3, §5.4): records gather in
//! a buffer of at most `budget` bytes; a full buffer is sorted and written out as one *run*; at
//! the end every run and the last buffer are merged with a binary heap, giving all records in
//! sorted order. Records are plain fixed-size values ([`Fixed`]), so a run costs exactly
//! `SIZE` bytes of disk per record and the merge holds one read buffer per run.
//!
//! Guarantees: the merged order is the order `sort_unstable` gives the same records in memory
//! (records are compared by [`Ord`]; equal records are indistinguishable), so a result does not
//! depend on the budget. Temporary files are created with [`tempfile::tempfile`] in the
//! directory named by `TMPDIR` (the system's temporary directory when unset) and unlinked at
//! once: the operating system reclaims them when the process ends, normally, by an error, by
//! Ctrl-C or by a kill, and no name is ever left behind.

use crate::{ConfigError, Error, Result};
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};

/// Default memory budget of a command (2 GiB): what a laptop spares for one run.
pub const DEFAULT_MEMORY: u64 = 2 << 30;

/// Smallest budget accepted (1 MiB): below it the runs would be so short that the merge's
/// per-run read buffers cost more than the records they hold.
pub const MIN_MEMORY: u64 = 1 << 20;

/// `Ok` when `bytes` is an accepted memory budget for `field`, otherwise its refusal.
pub fn check_memory(field: &'static str, bytes: u64) -> std::result::Result<(), ConfigError> {
    if bytes >= MIN_MEMORY {
        Ok(())
    } else {
        Err(ConfigError::new(
            field,
            bytes,
            format!("at least {MIN_MEMORY} bytes (1M)"),
        ))
    }
}

/// A record of a fixed number of bytes, as stored in a spilled run.
pub trait Fixed: Ord + Copy + Send {
    /// Bytes of one record on disk.
    const SIZE: usize;
    /// Writes the record into `out` (exactly `SIZE` bytes).
    fn put(&self, out: &mut [u8]);
    /// Reads a record written by [`Fixed::put`].
    fn get(bytes: &[u8]) -> Self;
}

impl Fixed for (u64, u32, u32) {
    const SIZE: usize = 16;
    fn put(&self, out: &mut [u8]) {
        out[..8].copy_from_slice(&self.0.to_le_bytes());
        out[8..12].copy_from_slice(&self.1.to_le_bytes());
        out[12..16].copy_from_slice(&self.2.to_le_bytes());
    }
    fn get(b: &[u8]) -> Self {
        let u32_at = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
        let mut h = [0u8; 8];
        h.copy_from_slice(&b[..8]);
        (u64::from_le_bytes(h), u32_at(8), u32_at(12))
    }
}

/// Fills `buf` from `file` at byte `offset`, without moving a shared cursor.
#[cfg(unix)]
pub(crate) fn read_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

/// Fills `buf` from `file` at byte `offset`, without moving a shared cursor.
#[cfg(windows)]
pub(crate) fn read_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, buf, offset)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

/// Counts of a sort, for reports and tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SpillStats {
    /// Records pushed.
    pub records: u64,
    /// Sorted runs written to disk.
    pub runs: u64,
    /// Bytes written to temporary files.
    pub bytes_spilled: u64,
}

/// Records sorted within a memory budget (see the module documentation).
pub struct Sorter<T: Fixed> {
    buffer: Vec<T>,
    capacity: usize,
    runs: Vec<File>,
    stats: SpillStats,
}

/// An I/O error of a spill file, named by the directory it lives in.
pub(crate) fn io_error(e: std::io::Error) -> Error {
    Error::io(std::env::temp_dir().join("(chaff spill file)"), e)
}

/// A new temporary file under `TMPDIR`, already unlinked (see the module documentation).
pub(crate) fn temp_file() -> Result<File> {
    tempfile::tempfile().map_err(io_error)
}

impl<T: Fixed> Sorter<T> {
    /// A sorter whose buffer holds at most `budget` bytes of records.
    pub fn new(budget: u64) -> Self {
        let capacity = (budget / std::mem::size_of::<T>().max(1) as u64).max(1024) as usize;
        Sorter {
            buffer: Vec::new(),
            capacity,
            runs: Vec::new(),
            stats: SpillStats::default(),
        }
    }

    /// Adds records; writes a sorted run when the buffer is full.
    pub fn extend(&mut self, records: impl IntoIterator<Item = T>) -> Result<()> {
        for r in records {
            if self.buffer.len() >= self.capacity {
                self.spill()?;
            }
            self.buffer.push(r);
            self.stats.records += 1;
        }
        Ok(())
    }

    fn spill(&mut self) -> Result<()> {
        use rayon::slice::ParallelSliceMut;
        self.buffer.par_sort_unstable();
        let file = temp_file()?;
        let mut out = BufWriter::with_capacity(1 << 20, file);
        let mut record = vec![0u8; T::SIZE];
        for r in &self.buffer {
            r.put(&mut record);
            out.write_all(&record).map_err(io_error)?;
        }
        let mut file = out.into_inner().map_err(|e| io_error(e.into_error()))?;
        file.seek(SeekFrom::Start(0)).map_err(io_error)?;
        self.runs.push(file);
        self.stats.runs += 1;
        self.stats.bytes_spilled += (self.buffer.len() * T::SIZE) as u64;
        self.buffer.clear();
        Ok(())
    }

    /// Writes the records buffered so far as a run of their own and frees the buffer, when
    /// runs were written already or the buffer holds more than `keep` bytes: for a sorter
    /// filled by one stage and finished after others ran, which then hold no more memory
    /// because of it than before.
    pub fn set_aside(&mut self, keep: u64) -> Result<()> {
        let held = (self.buffer.capacity() * std::mem::size_of::<T>()) as u64;
        if self.runs.is_empty() && held <= keep {
            return Ok(());
        }
        if !self.buffer.is_empty() {
            self.spill()?;
        }
        self.buffer = Vec::new();
        Ok(())
    }

    /// Counts so far.
    pub fn stats(&self) -> SpillStats {
        self.stats
    }

    /// Every record pushed, in sorted order.
    pub fn finish(mut self) -> Result<Merged<T>> {
        use rayon::slice::ParallelSliceMut;
        if !self.runs.is_empty() {
            // The last records go to a run of their own and the buffer is freed: its pages,
            // filled to the budget by the first run, would otherwise stay resident for the
            // whole merge, beside whatever the merge's consumer builds.
            if !self.buffer.is_empty() {
                self.spill()?;
            }
            self.buffer = Vec::new();
        }
        self.buffer.par_sort_unstable();
        let mut memory = std::mem::take(&mut self.buffer).into_iter().peekable();
        let mut sources = Vec::with_capacity(self.runs.len());
        let mut heap = BinaryHeap::new();
        for file in self.runs {
            // Read buffers shrink with the number of runs so the merge stays near the budget.
            let capacity = (self.capacity * std::mem::size_of::<T>() / (sources.len() + 8))
                .clamp(64 << 10, 4 << 20);
            sources.push(Run {
                reader: BufReader::with_capacity(capacity, file),
                record: vec![0u8; T::SIZE],
            });
        }
        for (i, run) in sources.iter_mut().enumerate() {
            if let Some(r) = run.next()? {
                heap.push(Reverse((r, i)));
            }
        }
        let memory_slot = sources.len();
        if let Some(&r) = memory.peek() {
            heap.push(Reverse((r, memory_slot)));
            memory.next();
        }
        Ok(Merged {
            heap,
            sources,
            memory,
        })
    }
}

struct Run {
    reader: BufReader<File>,
    record: Vec<u8>,
}

impl Run {
    fn next<T: Fixed>(&mut self) -> Result<Option<T>> {
        match self.reader.read_exact(&mut self.record) {
            Ok(()) => Ok(Some(T::get(&self.record))),
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(None),
            Err(e) => Err(io_error(e)),
        }
    }
}

/// The records of a [`Sorter`] in sorted order, merged from its runs and its last buffer.
pub struct Merged<T: Fixed> {
    heap: BinaryHeap<Reverse<(T, usize)>>,
    sources: Vec<Run>,
    memory: std::iter::Peekable<std::vec::IntoIter<T>>,
}

impl<T: Fixed> Iterator for Merged<T> {
    type Item = Result<T>;

    fn next(&mut self) -> Option<Result<T>> {
        let Reverse((record, slot)) = self.heap.pop()?;
        let refill = if slot == self.sources.len() {
            Ok(self.memory.next())
        } else {
            self.sources[slot].next()
        };
        match refill {
            Ok(Some(r)) => self.heap.push(Reverse((r, slot))),
            Ok(None) => {}
            Err(e) => return Some(Err(e)),
        }
        Some(Ok(record))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn merged_order_is_the_in_memory_sort_whatever_the_budget(
            records in prop::collection::vec((0u64..50, 0u32..4, 0u32..1000), 0..5000),
            budget in 0u64..40_000,
        ) {
            let mut sorter = Sorter::new(budget);
            sorter.extend(records.iter().copied()).unwrap();
            let spilled = sorter.stats().runs;
            let merged: Vec<_> = sorter.finish().unwrap().collect::<Result<_>>().unwrap();
            let mut expected = records.clone();
            expected.sort_unstable();
            prop_assert_eq!(merged, expected);
            // The smallest buffer holds 1024 records: more than that must have spilled.
            prop_assert_eq!(spilled > 0, records.len() > Sorter::<(u64, u32, u32)>::new(budget).capacity);
        }
    }

    #[test]
    fn a_record_round_trips_through_its_bytes() {
        let r = (u64::MAX - 3, 7u32, u32::MAX);
        let mut b = [0u8; 16];
        r.put(&mut b);
        assert_eq!(<(u64, u32, u32)>::get(&b), r);
    }

    #[test]
    fn a_budget_below_the_minimum_is_refused() {
        assert!(check_memory("scan.memory", MIN_MEMORY - 1).is_err());
        assert!(check_memory("scan.memory", DEFAULT_MEMORY).is_ok());
    }
}
