//! Finding the files of a corpus: inputs named by the user (files, directories walked in
//! file-name order, `-` for standard input spooled to a temporary file) become the ordered
//! list of [`InputFile`]s every pass reads.

use super::{Compression, Format, ReadOptions};
use crate::{Error, Result};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};

/// One file of the corpus.
#[derive(Debug, Clone)]
pub struct InputFile {
    /// Path to open.
    pub path: PathBuf,
    /// Path as shown to the user in messages and used in `FILE:LINE` ids.
    pub display: String,
    /// Path relative to the input it was found under (the document id of a `.txt` file).
    pub relative: PathBuf,
    /// Path under an output directory that mirrors the input layout.
    pub mirror: PathBuf,
    /// How it is encoded.
    pub format: Format,
}

impl InputFile {
    /// The path errors name: the path given or found, `<stdin>` for standard input (never the
    /// temporary file it is spooled to).
    pub fn shown(&self) -> PathBuf {
        PathBuf::from(&self.display)
    }
}

/// A corpus: the list of its files and how to read them.
#[derive(Debug)]
pub struct Corpus {
    /// Input files in corpus order.
    pub files: Vec<InputFile>,
    /// The directories and files the user named, canonicalized, to refuse writing into them.
    pub roots: Vec<PathBuf>,
    pub(super) options: ReadOptions,
    /// Bytes consumed so far by the current pass, for progress bars.
    pub(super) bytes_read: Arc<AtomicU64>,
    pub(super) warnings: Mutex<Vec<String>>,
    _stdin_spool: Option<tempfile::TempPath>,
}

impl Corpus {
    /// Finds the files of the corpus named by `paths` (files, directories, or `-` for stdin).
    pub fn open(paths: &[PathBuf], options: ReadOptions) -> Result<Corpus> {
        if paths.is_empty() {
            return Err(Error::Usage(
                "no input given (pass files, directories or -)".into(),
            ));
        }
        options.validate()?;
        if paths.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
            return Err(Error::Usage(
                "`-` (standard input) is given more than once: stdin can be read only once".into(),
            ));
        }
        let mut warnings = Vec::new();
        let mut files = Vec::new();
        let mut roots = Vec::new();
        let mut spool = None;
        let mut mirror_names = std::collections::HashSet::new();
        for path in paths {
            if path.as_os_str() == "-" {
                let (file, temp) = spool_stdin()?;
                files.push(file);
                spool = Some(temp);
                continue;
            }
            let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
            roots.push(path.canonicalize().map_err(|e| Error::io(path, e))?);
            let top_name = path
                .canonicalize()
                .ok()
                .and_then(|p| p.file_name().map(PathBuf::from))
                .unwrap_or_else(|| PathBuf::from("input"));
            if !mirror_names.insert(top_name.clone()) {
                return Err(Error::Usage(format!(
                    "two inputs are named `{}`: clean mirrors each input under its name, so they would collide",
                    top_name.display()
                )));
            }
            if meta.is_dir() {
                let walk = walkdir::WalkDir::new(path)
                    .follow_links(true)
                    .sort_by_file_name();
                for entry in walk {
                    let entry = match entry {
                        Ok(entry) => entry,
                        // A symlink whose target is gone is skipped with a warning, as fd and
                        // ripgrep do: one stale link should not stop a run over a big tree.
                        Err(e) if e.path().is_some_and(is_dangling_symlink) => {
                            let p = e.path().unwrap_or(path);
                            warnings.push(format!(
                                "{}: skipped: a symbolic link to a missing file",
                                p.display()
                            ));
                            continue;
                        }
                        Err(e) => {
                            let p = e.path().unwrap_or(path).to_path_buf();
                            return Err(Error::io(p, e.into()));
                        }
                    };
                    if !entry.file_type().is_file() {
                        continue;
                    }
                    let name = entry.file_name().to_string_lossy();
                    let Some(format) = Format::from_name(&name) else {
                        continue;
                    };
                    let relative = entry
                        .path()
                        .strip_prefix(path)
                        .unwrap_or(entry.path())
                        .to_path_buf();
                    files.push(InputFile {
                        path: entry.path().to_path_buf(),
                        display: entry.path().display().to_string(),
                        mirror: top_name.join(&relative),
                        relative,
                        format,
                    });
                }
            } else {
                let name = path.file_name().map(|n| n.to_string_lossy().to_string());
                // A file named explicitly is read even without a known extension, as plain text.
                let format = name
                    .as_deref()
                    .and_then(Format::from_name)
                    .unwrap_or(Format::Text);
                files.push(InputFile {
                    path: path.clone(),
                    display: path.display().to_string(),
                    relative: path.clone(),
                    mirror: top_name,
                    format,
                });
            }
        }
        if files.len() > u32::MAX as usize {
            return Err(Error::Usage("too many input files".into()));
        }
        Ok(Corpus {
            files,
            roots,
            options,
            bytes_read: Arc::new(AtomicU64::new(0)),
            warnings: Mutex::new(warnings),
            _stdin_spool: spool,
        })
    }

    /// Total size of the input files on disk (compressed size for compressed files).
    pub fn total_bytes(&self) -> u64 {
        self.files
            .iter()
            .filter_map(|f| std::fs::metadata(&f.path).ok())
            .map(|m| m.len())
            .sum()
    }

    /// Bytes of input files consumed by the running pass (reset at the start of each pass).
    pub fn progress_counter(&self) -> Arc<AtomicU64> {
        self.bytes_read.clone()
    }

    /// Warnings gathered so far (skipped binary files, ...), drained.
    pub fn take_warnings(&self) -> Vec<String> {
        std::mem::take(&mut *self.warnings.lock().unwrap_or_else(|e| e.into_inner()))
    }

    pub(super) fn warn(&self, message: String) {
        // Every pass over the corpus meets the same skipped file: say so once.
        let mut warnings = self.warnings.lock().unwrap_or_else(|e| e.into_inner());
        if !warnings.contains(&message) {
            warnings.push(message);
        }
    }

    /// The read options in use.
    pub fn options(&self) -> &ReadOptions {
        &self.options
    }
}

fn is_dangling_symlink(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
        && std::fs::metadata(path).is_err()
}

fn spool_stdin() -> Result<(InputFile, tempfile::TempPath)> {
    let mut temp = tempfile::NamedTempFile::new().map_err(|e| Error::io("<stdin spool>", e))?;
    std::io::copy(&mut std::io::stdin().lock(), &mut temp).map_err(|e| Error::io("<stdin>", e))?;
    let mut magic = [0u8; 4];
    let mut f = std::fs::File::open(temp.path()).map_err(|e| Error::io(temp.path(), e))?;
    let n = f.read(&mut magic).unwrap_or(0);
    let compression = if n >= 2 && magic[..2] == [0x1f, 0x8b] {
        Compression::Gzip
    } else if n == 4 && magic == [0x28, 0xb5, 0x2f, 0xfd] {
        Compression::Zstd
    } else {
        Compression::None
    };
    let path = temp.into_temp_path();
    let file = InputFile {
        path: path.to_path_buf(),
        display: "<stdin>".into(),
        relative: PathBuf::from("stdin.jsonl"),
        mirror: PathBuf::from("stdin.jsonl"),
        format: Format::Jsonl(compression),
    };
    Ok((file, path))
}
