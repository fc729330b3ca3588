"""Shared helpers: the real `chaff` and `chaff-gen` binaries, and corpora they make."""

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"


def binary(name: str) -> Path:
    """The release binary `name`, built by `cargo build --release` (CI's `cargo test --release`
    builds it before pytest runs)."""
    path = Path(os.environ.get("CHAFF_BIN_DIR", ROOT / "target" / "release")) / name
    if not path.exists():
        pytest.fail(f"{path} is missing: run `cargo build --release` first")
    return path


def run_chaff(*args: str) -> str:
    """stdout of `chaff ARGS --quiet` (JSON Lines when --format json is among ARGS)."""
    done = subprocess.run(
        [str(binary("chaff")), *args, "--quiet"], capture_output=True, text=True, check=True
    )
    return done.stdout


def read_jsonl(path: Path) -> list:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.fixture(scope="session")
def fixture_rows() -> list:
    """The fixture articles as rows, in the CLI's corpus order (file names sorted)."""
    return [
        {"id": p.name, "text": p.read_text(encoding="utf-8")}
        for p in sorted(FIXTURES.glob("*.txt"))
    ]


def generate(dir: Path, docs: int, seed: int) -> Path:
    """A `chaff-gen` corpus of `docs` documents (truth written beside it, not into the cwd)."""
    out = dir / f"gen-{docs}-{seed}.jsonl"
    if not out.exists():
        subprocess.run(
            [
                str(binary("chaff-gen")),
                "--docs", str(docs),
                "--seed", str(seed),
                "--out", str(out),
                "--truth", str(dir / f"truth-{docs}-{seed}.jsonl"),
            ],
            check=True,
            capture_output=True,
        )
    return out


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> Path:
    """A generated corpus with near-duplicates, syndicated copies, passages and chrome."""
    return generate(tmp_path_factory.mktemp("gen"), 800, 7)
