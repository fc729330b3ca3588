//! Writing a cleaned copy of a corpus that mirrors the input layout and format.
//!
//! Each output file is written to a temporary file in its final directory and renamed into place
//! when complete, so a reader never sees half a file and a crash leaves no partial output.
//! Unchanged documents are copied byte for byte (a JSONL line keeps its unknown fields, their
//! order and formatting); a JSONL line with cuts keeps every byte but its text field's value
//! ([`super::splice`]); a Parquet file is written back as Parquet by its own writer (`parquet`
//! feature; every column but the text as it was); a dropped `.txt` document leaves no file.
//! Nothing is written where [`OutputGuard`] refuses.

use super::safety::OutputGuard;
use super::splice::replace_field;
use super::{Compression, Format};
use super::{Corpus, Document, InputFile};
use crate::{Error, Result};
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// What happens to one document in the cleaned corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    /// Written unchanged.
    Keep,
    /// Left out entirely.
    Drop,
    /// Written with these byte ranges of its text removed.
    Cut(Vec<Range<usize>>),
}

/// Counts of what a write did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct WriteStats {
    /// Files written.
    pub files: usize,
    /// Documents written (unchanged or cut).
    pub documents_written: usize,
    /// Documents left out.
    pub documents_dropped: usize,
    /// Documents written with cuts.
    pub documents_cut: usize,
}

/// Writes `bytes` to `path` through a temporary file beside it, renamed into place when
/// complete: a reader never opens half a file, and a failed write leaves the old one. The file
/// gets the mode of any new file (0666 less the umask), not a temporary file's 0600, because
/// what is written this way (a report, a model) is meant to be passed on and read by others.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(".chaff-tmp-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder.tempfile_in(dir).map_err(|e| Error::io(dir, e))?;
    temp.write_all(bytes).map_err(|e| Error::io(path, e))?;
    temp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

/// Removes `cuts` (byte ranges on char boundaries, in any order, possibly overlapping) from
/// `text`, then drops lines that the cuts left blank, so the result reads as clean text.
pub fn apply_cuts(text: &str, cuts: &[Range<usize>]) -> String {
    let mut cuts: Vec<Range<usize>> = cuts
        .iter()
        .filter(|r| r.start < r.end && r.end <= text.len())
        .cloned()
        .collect();
    cuts.sort_by_key(|r| (r.start, r.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    let mut touched_lines = Vec::new();
    for r in cuts {
        if r.end <= at {
            continue;
        }
        let start = r.start.max(at);
        out.push_str(&text[at..start]);
        touched_lines.push(out.len());
        at = r.end;
    }
    out.push_str(&text[at..]);
    if touched_lines.is_empty() {
        return out;
    }
    // Drop every line that a cut touched and that is now only white space.
    let mut result = String::with_capacity(out.len());
    let mut line_start = 0;
    let mut touched = touched_lines.into_iter().peekable();
    let total = out.len();
    for line in out.split_inclusive('\n') {
        let line_end = line_start + line.len();
        let mut was_touched = false;
        // A cut position belongs to the line holding that byte (the last line owns the end).
        while let Some(&t) = touched.peek() {
            if t < line_end || (line_end == total && t == total) {
                was_touched |= t >= line_start;
                touched.next();
            } else {
                break;
            }
        }
        if !(was_touched && line.trim().is_empty()) {
            result.push_str(line);
        }
        line_start = line_end;
    }
    result
}

/// Refuses an output directory into which `corpus` would be mirrored when it, or any file
/// mirrored into it, is or lies inside an input (the rule of [`OutputGuard`]).
pub fn check_output_dir(corpus: &Corpus, out: &Path) -> Result<()> {
    OutputGuard::new(corpus).check_mirror(corpus, out)
}

/// An output file being written to a temporary path beside its final place.
struct OutFile {
    writer: Box<dyn Write>,
    temp: tempfile::TempPath,
    target: PathBuf,
}

/// A temporary file in the directory of `target` (made when missing), to be renamed onto it.
pub(super) fn temp_beside(target: &Path) -> Result<(std::fs::File, tempfile::TempPath)> {
    let dir = target.parent().unwrap_or(Path::new(".")).to_path_buf();
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let temp = tempfile::Builder::new()
        .prefix(".chaff-tmp-")
        .tempfile_in(&dir)
        .map_err(|e| Error::io(&dir, e))?;
    Ok(temp.into_parts())
}

/// The output file of one input file: lines or a whole text, or a Parquet table.
enum Target {
    Lines(OutFile),
    #[cfg(feature = "parquet")]
    Parquet(Box<super::parquet::mirror::Mirror>),
}

impl Target {
    fn create(target: PathBuf, file: &InputFile, text_field: &str) -> Result<Target> {
        match file.format {
            #[cfg(feature = "parquet")]
            Format::Parquet => Ok(Target::Parquet(Box::new(
                super::parquet::mirror::Mirror::create(file, target, text_field)?,
            ))),
            _ => {
                let _ = text_field;
                Ok(Target::Lines(OutFile::create(target, file.format)?))
            }
        }
    }

    fn commit(self) -> Result<()> {
        match self {
            Target::Lines(f) => f.commit(),
            #[cfg(feature = "parquet")]
            Target::Parquet(m) => m.commit(),
        }
    }
}

impl OutFile {
    fn create(target: PathBuf, format: Format) -> Result<OutFile> {
        let (file, temp) = temp_beside(&target)?;
        let buffered = std::io::BufWriter::with_capacity(1 << 20, file);
        let writer: Box<dyn Write> = match format {
            Format::Jsonl(Compression::Gzip) => Box::new(flate2::write::GzEncoder::new(
                buffered,
                flate2::Compression::default(),
            )),
            Format::Jsonl(Compression::Zstd) => Box::new(
                zstd::stream::write::Encoder::new(buffered, 3)
                    .map_err(|e| Error::io(&target, e))?
                    .auto_finish(),
            ),
            _ => Box::new(buffered),
        };
        Ok(OutFile {
            writer,
            temp,
            target,
        })
    }

    fn write(&mut self, bytes: &[u8]) -> Result<()> {
        self.writer
            .write_all(bytes)
            .map_err(|e| Error::io(&self.target, e))
    }

    fn commit(mut self) -> Result<()> {
        self.writer
            .flush()
            .map_err(|e| Error::io(&self.target, e))?;
        // Dropping the writer finishes compressed streams before the rename.
        drop(self.writer);
        self.temp
            .persist(&self.target)
            .map_err(|e| Error::io(&self.target, e.error))
    }
}

impl Corpus {
    /// Writes the corpus into `out`, mirroring each input under its own name, applying `edit` to
    /// every document (an error of `edit` stops the write). Files that hold no document (binary files skipped by the reader) are
    /// copied unchanged, so nothing is lost.
    pub fn write_mirror(
        &self,
        out: &Path,
        mut edit: impl FnMut(&Document) -> Result<Edit>,
    ) -> Result<WriteStats> {
        check_output_dir(self, out)?;
        let mut stats = WriteStats::default();
        let mut current: Option<(u32, Target)> = None;
        let mut seen = vec![false; self.files.len()];
        let text_field = self.options().fields.text.clone();
        self.read(true, |docs| {
            for doc in docs {
                let index = doc.origin.file;
                seen[index as usize] = true;
                let file = &self.files[index as usize];
                let action = edit(&doc)?;
                // A .txt document is its whole file: dropped, the file is left out, not
                // written empty.
                if action == Edit::Drop && file.format == Format::Text {
                    stats.documents_dropped += 1;
                    continue;
                }
                if current.as_ref().map(|(i, _)| *i) != Some(index) {
                    if let Some((_, f)) = current.take() {
                        f.commit()?;
                        stats.files += 1;
                    }
                    let target = out.join(&file.mirror);
                    current = Some((index, Target::create(target, file, &text_field)?));
                }
                let writer = match current.as_mut().expect("opened above") {
                    (_, Target::Lines(writer)) => writer,
                    #[cfg(feature = "parquet")]
                    (_, Target::Parquet(mirror)) => {
                        use super::parquet::mirror::RowEdit;
                        let row = match &action {
                            Edit::Keep => RowEdit::Keep,
                            Edit::Drop => RowEdit::Drop,
                            Edit::Cut(cuts) => RowEdit::Text(apply_cuts(&doc.text, cuts)),
                        };
                        mirror.push(doc.origin.line, row)?;
                        match action {
                            Edit::Drop => stats.documents_dropped += 1,
                            Edit::Keep => stats.documents_written += 1,
                            Edit::Cut(_) => {
                                stats.documents_written += 1;
                                stats.documents_cut += 1;
                            }
                        }
                        continue;
                    }
                };
                let raw = doc.raw.as_deref().unwrap_or_default();
                match (&action, file.format) {
                    (Edit::Drop, _) => stats.documents_dropped += 1,
                    (_, Format::Parquet) => unreachable!("Parquet rows go to their own writer"),
                    (Edit::Keep, Format::Text) => writer.write(raw)?,
                    (Edit::Keep, Format::Jsonl(_)) => {
                        writer.write(raw)?;
                        if !raw.ends_with(b"\n") {
                            writer.write(b"\n")?;
                        }
                    }
                    (Edit::Cut(cuts), Format::Text) => {
                        writer.write(apply_cuts(&doc.text, cuts).as_bytes())?
                    }
                    (Edit::Cut(cuts), Format::Jsonl(_)) => {
                        let line = replace_field(raw, &text_field, &apply_cuts(&doc.text, cuts))
                            .map_err(|message| Error::Json {
                                path: file.path.clone(),
                                line: doc.origin.line,
                                message: format!("cannot rewrite the text field: {message}"),
                                advice: None,
                            })?;
                        writer.write(&line)?;
                    }
                }
                if action != Edit::Drop {
                    stats.documents_written += 1;
                }
                if matches!(action, Edit::Cut(_)) {
                    stats.documents_cut += 1;
                }
            }
            Ok(())
        })?;
        if let Some((_, f)) = current.take() {
            f.commit()?;
            stats.files += 1;
        }
        // A text file whose only document was dropped is simply absent from the output; files
        // that produced no document at all (binary, or JSONL without records) are mirrored as is.
        for (index, file) in self.files.iter().enumerate() {
            if seen[index] {
                continue;
            }
            let target = out.join(&file.mirror);
            // Streamed: a binary file can be of any size, and is never held in memory.
            let mut source =
                std::fs::File::open(&file.path).map_err(|e| Error::io(&file.path, e))?;
            let mut f = OutFile::create(target, Format::Text)?;
            std::io::copy(&mut source, &mut f.writer).map_err(|e| Error::io(&file.path, e))?;
            f.commit()?;
            stats.files += 1;
        }
        Ok(stats)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::single_range_in_vec_init)]
    fn cuts_remove_spans_and_the_blank_lines_they_leave() {
        let text = "head\nbody one\nfoot\n";
        assert_eq!(apply_cuts(text, &[0..4]), "body one\nfoot\n");
        assert_eq!(apply_cuts(text, &[14..18]), "head\nbody one\n");
        assert_eq!(
            apply_cuts(text, &[5..9, 0..4]),
            "\n one\nfoot\n".replacen("\n", "", 1)
        );
        assert_eq!(apply_cuts(text, &[]), text);
    }

    #[test]
    fn overlapping_cuts_are_merged() {
        assert_eq!(apply_cuts("abcdef", &[1..3, 2..5]), "af");
    }
}
