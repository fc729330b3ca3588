//! No file chaff writes may land on an input: `clean --out` targets, `--log`, `chrome --learn`
//! and the index of `index add` are resolved (symlinks, `..`, `.`, relative paths) and refused
//! with exit 2 before any work when they would overwrite an input file or write inside an input
//! directory. Examples first, then a property test over generated layouts.

mod common;

use common::chaff;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

const LINES: &str = "{\"id\":\"1\",\"text\":\"one two three four five six seven eight\"}\n\
                     {\"id\":\"2\",\"text\":\"one two three four five six seven eight\"}\n";

/// `root/c.jsonl`, `root/data/{a.jsonl, sub/b.txt, sub/c.txt}` and an empty `root/work`.
fn layout(root: &Path) {
    fs::create_dir_all(root.join("data/sub")).unwrap();
    fs::create_dir_all(root.join("work")).unwrap();
    fs::write(root.join("c.jsonl"), LINES).unwrap();
    fs::write(root.join("data/a.jsonl"), LINES.replace("\"1\"", "\"a1\"")).unwrap();
    fs::write(
        root.join("data/sub/b.txt"),
        "a page of text\nwith two lines\n",
    )
    .unwrap();
    fs::write(
        root.join("data/sub/c.txt"),
        "a page of text\nwith two lines\n",
    )
    .unwrap();
}

/// Every regular file under `root` (not following symlinks) with its bytes.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(root).follow_links(false) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            files.insert(entry.path().to_path_buf(), fs::read(entry.path()).unwrap());
        }
    }
    files
}

/// Runs chaff in `cwd`; returns the exit code and standard error.
fn run(cwd: &Path, args: &[&str]) -> (i32, String) {
    let out = chaff()
        .current_dir(cwd)
        .args(args)
        .arg("--quiet")
        .output()
        .unwrap();
    (
        out.status.code().expect("chaff ended by a signal"),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

/// Asserts that `args`, run in `cwd`, is refused with exit 2 and changes nothing under `root`.
fn assert_refused(root: &Path, cwd: &Path, args: &[&str]) {
    let before = snapshot(root);
    let (code, stderr) = run(cwd, args);
    assert_eq!(code, 2, "chaff {args:?} was not refused: {stderr}");
    assert!(stderr.contains("refusing to write"), "{stderr}");
    assert_eq!(snapshot(root), before, "chaff {args:?} changed files");
}

#[test]
fn clean_into_the_directory_of_its_input_file_is_refused_however_spelled() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    layout(root);
    let abs = root.join("work/..").display().to_string();
    for out in [".", "./", "work/..", abs.as_str()] {
        assert_refused(root, root, &["clean", "c.jsonl", "--out", out]);
    }
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(root, root.join("work/parent")).unwrap();
        assert_refused(root, root, &["clean", "c.jsonl", "--out", "work/parent"]);
        assert_refused(
            root,
            &root.join("work"),
            &["clean", "../c.jsonl", "--out", "parent"],
        );
    }
}

#[cfg(unix)]
#[test]
fn a_symlink_inside_out_pointing_into_an_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    layout(root);
    fs::create_dir(root.join("o")).unwrap();
    std::os::unix::fs::symlink(root.join("data"), root.join("o/data")).unwrap();
    assert_refused(root, root, &["clean", "data", "--out", "o"]);
}

#[test]
fn log_learn_and_index_on_an_input_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    layout(root);
    assert_refused(
        root,
        root,
        &["clean", "c.jsonl", "--out", "o", "--log", "c.jsonl"],
    );
    assert_refused(
        root,
        root,
        &["clean", "data", "--out", "o", "--log", "data/sub/new.log"],
    );
    assert_refused(root, root, &["chrome", "c.jsonl", "--learn", "c.jsonl"]);
    assert_refused(
        root,
        root,
        &["chrome", "data", "--learn", "./data/../data/m.json"],
    );
    assert_refused(
        root,
        root,
        &["index", "add", "c.jsonl", "--index", "c.jsonl"],
    );
    assert_refused(
        root,
        root,
        &["index", "add", "data", "--index", "data/kept.chaff"],
    );
    #[cfg(unix)]
    {
        // A hard link is the same file under another name: SQLite would write into it.
        fs::hard_link(root.join("c.jsonl"), root.join("work/same.chaff")).unwrap();
        assert_refused(
            root,
            root,
            &["index", "add", "c.jsonl", "--index", "work/same.chaff"],
        );
    }
}

#[test]
fn outputs_beside_an_input_file_are_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    layout(root);
    let before = snapshot(&root.join("data"));
    let (code, stderr) = run(
        root,
        &["clean", "c.jsonl", "--out", "o", "--log", "removed.jsonl"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(root.join("o/c.jsonl").is_file() && root.join("removed.jsonl").is_file());
    let (code, stderr) = run(root, &["clean", "data", "--out", ".", "--log", "data.log"]);
    assert_eq!(code, 2, "./data/... is the input itself: {stderr}");
    let (code, stderr) = run(&root.join("work"), &["clean", "../data", "--out", "."]);
    assert_eq!(code, 0, "{stderr}");
    assert!(root.join("work/data/sub/b.txt").is_file());
    let (code, stderr) = run(root, &["chrome", "data", "--learn", "m.json"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, stderr) = run(root, &["index", "add", "data", "--index", "kept.chaff"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(snapshot(&root.join("data")), before);
}

/// Paths of the layout, relative to its root, that the generated cases name.
const INPUTS: &[&str] = &[
    "data",
    "c.jsonl",
    "data/sub",
    "data/a.jsonl",
    "work/dl",
    "work/fl",
    "work/up/c.jsonl",
    "o/data",
];
const CWDS: &[&str] = &["", "work", "data/sub", "o"];
const OUT_DIRS: &[&str] = &[
    ".",
    "./",
    "..",
    "data",
    "data/sub/..",
    "work/up",
    "work/dl",
    "o",
    "o/data",
    "fresh",
    "work/up/o",
    "c.jsonl",
    "data/sub/new",
    "work/./up/data/..",
];
const OUT_FILES: &[&str] = &[
    "c.jsonl",
    "data/a.jsonl",
    "data/sub/b.txt",
    "work/fl",
    "work/dl/new.log",
    "o/c.jsonl",
    "o/data/new.log",
    "fresh.log",
    "hard.jsonl",
    "work/up/c.jsonl",
    "data/sub/../x.log",
    "./work/../data/sub/./c.txt",
];

/// The layout plus symlinks and a hard link that reach inputs by other names.
#[cfg(unix)]
fn generated_layout(root: &Path) {
    use std::os::unix::fs::symlink;
    layout(root);
    fs::create_dir(root.join("o")).unwrap();
    symlink(root, root.join("work/up")).unwrap();
    symlink(root.join("data"), root.join("work/dl")).unwrap();
    symlink(root.join("c.jsonl"), root.join("work/fl")).unwrap();
    symlink(root.join("data"), root.join("o/data")).unwrap();
    symlink(root.join("c.jsonl"), root.join("o/c.jsonl")).unwrap();
    fs::hard_link(root.join("c.jsonl"), root.join("hard.jsonl")).unwrap();
}

/// A path of the layout spelled from `cwd`: relative (through `..`) or absolute.
fn spell(root: &Path, cwd: &str, path: &str, absolute: bool) -> String {
    if absolute {
        return root.join(path).display().to_string();
    }
    let depth = cwd.split('/').filter(|c| !c.is_empty()).count();
    format!("{}{path}", "../".repeat(depth))
}

/// The real files an input reads, and the real directories that must gain no file.
fn protected(root: &Path, input: &str) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let real = fs::canonicalize(root.join(input)).unwrap();
    if real.is_dir() {
        let files = walkdir::WalkDir::new(&real)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().to_path_buf())
            .collect();
        (files, vec![real])
    } else {
        (vec![real], vec![])
    }
}

#[cfg(unix)]
proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn no_writing_command_changes_an_input_byte(
        inputs in proptest::sample::subsequence(INPUTS, 1..=2),
        cwd in proptest::sample::select(CWDS),
        out in proptest::sample::select(OUT_DIRS),
        files in proptest::collection::vec(proptest::sample::select(OUT_FILES), 3),
        absolute in proptest::collection::vec(any::<bool>(), 6),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(dir.path()).unwrap();
        generated_layout(&root);
        let here = root.join(cwd);
        let mut guarded_files = Vec::new();
        let mut guarded_dirs = Vec::new();
        for input in &inputs {
            let (f, d) = protected(&root, input);
            guarded_files.extend(f);
            guarded_dirs.extend(d);
        }
        let hashes = |files: &[PathBuf]| -> Vec<Option<u64>> {
            files
                .iter()
                .map(|f| fs::read(f).ok().map(|b| xxhash_rust::xxh3::xxh3_64(&b)))
                .collect()
        };
        let listing = |dirs: &[PathBuf]| -> Vec<Vec<PathBuf>> {
            dirs.iter().map(|d| {
                walkdir::WalkDir::new(d).sort_by_file_name().into_iter()
                    .map(|e| e.unwrap().path().to_path_buf()).collect()
            }).collect()
        };
        let before = (hashes(&guarded_files), listing(&guarded_dirs));

        let input_args: Vec<String> = inputs
            .iter()
            .enumerate()
            .map(|(i, p)| spell(&root, cwd, p, absolute[i]))
            .collect();
        let out = spell(&root, cwd, out, absolute[2]);
        let log = spell(&root, cwd, files[0], absolute[3]);
        let model = spell(&root, cwd, files[1], absolute[4]);
        let index = spell(&root, cwd, files[2], absolute[5]);
        let mut commands: Vec<Vec<String>> = Vec::new();
        let with_inputs = |head: &[&str], tail: &[&str]| -> Vec<String> {
            head.iter().map(|s| s.to_string())
                .chain(input_args.iter().cloned())
                .chain(tail.iter().map(|s| s.to_string()))
                .collect()
        };
        commands.push(with_inputs(&["clean"], &["--out", &out, "--log", &log]));
        commands.push(with_inputs(&["chrome"], &["--no-syndication", "--learn", &model]));
        commands.push(with_inputs(&["index", "add"], &["--index", &index]));
        for args in &commands {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let (code, stderr) = run(&here, &args);
            prop_assert!(code == 0 || code == 2, "chaff {:?} in {}: exit {}: {}", args, cwd, code, stderr);
            let after = (hashes(&guarded_files), listing(&guarded_dirs));
            prop_assert_eq!(&after, &before, "chaff {:?} in {} changed an input: {}", args, cwd, stderr);
        }
    }
}
