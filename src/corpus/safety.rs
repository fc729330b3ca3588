//! The one rule every writer follows: nothing chaff writes may land on an input.
//!
//! An output path (a `clean --out` target, `--log`, `chrome --learn`, an index and the files
//! SQLite keeps beside it, the temporary files written next to each of them) is resolved the
//! way the operating system will resolve it when the file is created: relative to the working
//! directory, `.` and `..` applied in order, every symlink on the way followed (also a dangling
//! one, whose target is what a create would make, and a symlink inside `--out` that points back
//! into an input). It is refused when
//! * it is an input file (the same file, compared by device and inode on Unix, so hard links
//!   and case-insensitive file systems are caught too), or
//! * it lies inside an input directory (any directory named as an input, or holding an input
//!   file found by walking one, also through a symlinked subdirectory): writing there would
//!   overwrite an input or add files the next run reads.
//!
//! Outputs beside an input file are fine (`clean c.jsonl --out o --log removed.jsonl`), but
//! `clean c.jsonl --out .` is refused: its mirrored output `./c.jsonl` is the input.
//!
//! The check runs before any work, on paths as they are then; a file system changed by
//! someone else between the check and the write is outside what it can promise.

use super::Corpus;
use crate::{Error, Result};
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

/// Identity of a file or directory: device and inode on Unix, the resolved path elsewhere.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Identity {
    #[cfg(unix)]
    Inode(u64, u64),
    #[cfg(not(unix))]
    Path(PathBuf),
}

/// The identity of what `path` names (following symlinks), when it exists.
fn identity(path: &Path) -> Option<Identity> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(path).ok()?;
        Some(Identity::Inode(meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        std::fs::canonicalize(path).ok().map(Identity::Path)
    }
}

/// The inputs of a corpus, by identity: what no output may be or lie inside.
#[derive(Debug)]
pub struct OutputGuard {
    /// Input files, with the path to name in a refusal.
    files: HashMap<Identity, PathBuf>,
    /// Input directories, with the path to name in a refusal.
    dirs: HashMap<Identity, PathBuf>,
}

impl OutputGuard {
    /// Gathers the identities of every input file and directory of `corpus` (one `stat` per
    /// input file and per directory holding one).
    pub fn new(corpus: &Corpus) -> OutputGuard {
        let mut files = HashMap::new();
        let mut dirs = HashMap::new();
        let mut parents = std::collections::HashSet::new();
        for root in &corpus.roots {
            if let Some(id) = identity(root) {
                if root.is_dir() {
                    dirs.insert(id, root.clone());
                } else {
                    files.insert(id, root.clone());
                }
            }
        }
        for file in &corpus.files {
            if let Some(id) = identity(&file.path) {
                files.entry(id).or_insert_with(|| file.path.clone());
            }
            // A file found by walking a directory makes its directory an input too (it may be
            // a symlinked subdirectory outside the named root); a file named on its own does
            // not make its directory one, so outputs may be written beside it.
            let walked = file.path != file.relative && file.path.ends_with(&file.relative);
            if walked {
                if let Some(parent) = file.path.parent() {
                    parents.insert(parent.to_path_buf());
                }
            }
        }
        for parent in parents {
            if let Some(id) = identity(&parent) {
                dirs.entry(id).or_insert(parent);
            }
        }
        OutputGuard { files, dirs }
    }

    /// Refuses to write `what` (e.g. "the log") at `path` when that is an input file or lies
    /// inside an input directory.
    pub fn check_file(&self, path: &Path, what: &str) -> Result<()> {
        let resolved = resolve(path);
        if let Some(input) = identity(&resolved).and_then(|id| self.files.get(&id)) {
            return Err(refusal(
                what,
                path,
                format!("it is the input {}", input.display()),
            ));
        }
        self.check_dir_of(&resolved, what, path)
    }

    /// Refuses `what` at `path` (already resolved as `resolved`) when `resolved` or one of its
    /// ancestors is an input directory.
    fn check_dir_of(&self, resolved: &Path, what: &str, path: &Path) -> Result<()> {
        for ancestor in resolved.ancestors() {
            if let Some(input) = identity(ancestor).and_then(|id| self.dirs.get(&id)) {
                return Err(refusal(
                    what,
                    path,
                    format!("it is inside the input {}", input.display()),
                ));
            }
        }
        Ok(())
    }

    /// Refuses an index file at `path`, and the files SQLite keeps beside it.
    pub fn check_index(&self, path: &Path) -> Result<()> {
        self.check_file(path, "the index")?;
        for suffix in ["-wal", "-shm", "-journal"] {
            let mut side = path.as_os_str().to_os_string();
            side.push(suffix);
            self.check_file(Path::new(&side), "the index")?;
        }
        Ok(())
    }

    /// Refuses an output directory `out` into which `corpus` is mirrored (each input file at
    /// `out/<mirror path>`) when `out` or any mirrored file would be, or lie inside, an input.
    pub fn check_mirror(&self, corpus: &Corpus, out: &Path) -> Result<()> {
        const WHAT: &str = "the cleaned corpus";
        self.check_file(out, WHAT)?;
        // Files of one directory share its verdict: resolve and check each directory once.
        let mut checked: HashMap<PathBuf, PathBuf> = HashMap::new();
        for file in &corpus.files {
            let target = out.join(&file.mirror);
            let parent = target.parent().unwrap_or(out).to_path_buf();
            let resolved_parent = match checked.get(&parent) {
                Some(r) => r.clone(),
                None => {
                    let r = resolve(&parent);
                    self.check_dir_of(&r, WHAT, &target)?;
                    checked.insert(parent, r.clone());
                    r
                }
            };
            // The directory is resolved already: only a symlink as the last component needs
            // a walk (two system calls per file, not one per component).
            let candidate = resolved_parent.join(target.file_name().unwrap_or_default());
            let is_link =
                std::fs::symlink_metadata(&candidate).is_ok_and(|m| m.file_type().is_symlink());
            let resolved = if is_link {
                let resolved = resolve(&candidate);
                self.check_dir_of(&resolved, WHAT, &target)?;
                resolved
            } else {
                candidate
            };
            if let Some(input) = identity(&resolved).and_then(|id| self.files.get(&id)) {
                return Err(refusal(
                    WHAT,
                    &target,
                    format!("it is the input {}", input.display()),
                ));
            }
        }
        Ok(())
    }
}

fn refusal(what: &str, path: &Path, reason: String) -> Error {
    Error::UnsafeOutput {
        path: path.to_path_buf(),
        message: format!(
            "refusing to write {what} here: {reason} (chaff never writes over or into its inputs; \
             choose a path outside them)"
        ),
    }
}

/// `path` made absolute and resolved as a create would resolve it: `.` and `..` in order,
/// symlinks followed (also dangling ones and ones below missing directories' existing
/// ancestors), components that do not exist kept as they are.
pub fn resolve(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    // Components still to walk, last first; a symlink's target is pushed in its place.
    let mut pending: Vec<PathBuf> = absolute
        .components()
        .rev()
        .map(|c| PathBuf::from(c.as_os_str()))
        .collect();
    let mut resolved = PathBuf::new();
    // As the kernel does, give up following after this many links (a loop).
    let mut links_left = 40;
    while let Some(part) = pending.pop() {
        match part.components().next() {
            Some(Component::Prefix(_)) => resolved = part,
            Some(Component::RootDir) => {
                resolved = resolved
                    .components()
                    .take_while(|c| matches!(c, Component::Prefix(_)))
                    .collect();
                resolved.push(Component::RootDir.as_os_str());
            }
            Some(Component::CurDir) | None => {}
            Some(Component::ParentDir) => {
                resolved.pop();
            }
            Some(Component::Normal(name)) => {
                let candidate = resolved.join(name);
                let is_link =
                    std::fs::symlink_metadata(&candidate).is_ok_and(|m| m.file_type().is_symlink());
                match std::fs::read_link(&candidate) {
                    Ok(target) if is_link && links_left > 0 => {
                        links_left -= 1;
                        pending.extend(
                            target
                                .components()
                                .rev()
                                .map(|c| PathBuf::from(c.as_os_str())),
                        );
                    }
                    _ => resolved = candidate,
                }
            }
        }
    }
    resolved
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_applies_dots_in_order_and_follows_links_into_missing_tails() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir(root.join("a")).unwrap();
        assert_eq!(resolve(&root.join("a/./b/../c")), root.join("a/c"));
        assert_eq!(resolve(&root.join("missing/../a")), root.join("a"));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("a"), root.join("link")).unwrap();
            std::os::unix::fs::symlink("a/new", root.join("dangling")).unwrap();
            assert_eq!(resolve(&root.join("link/x/y")), root.join("a/x/y"));
            assert_eq!(resolve(&root.join("link/..")), root.clone());
            assert_eq!(resolve(&root.join("dangling")), root.join("a/new"));
            std::os::unix::fs::symlink("loop", root.join("loop")).unwrap();
            let _ = resolve(&root.join("loop/x"));
        }
    }
}
