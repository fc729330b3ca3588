"""Type stubs of the native module `chaff._chaff` (see python/src/lib.rs)."""

from typing import Any, Optional

__version__: str
#: The huge-bucket bound of ``chaff::lsh::bucket_pairs``.
FULL_PAIRS_UP_TO: int
#: The fold tables' version stamped on chrome models (``chaff::text::NORMALIZATION_VERSION``).
NORMALIZATION_VERSION: int

class ChaffError(Exception):
    """Base class of the errors chaff raises."""

class ConfigError(ChaffError):
    """A setting no stage can work with."""

    field: str
    value: str
    allowed: str

class InputError(ChaffError):
    """A document that cannot be read."""

    record: int

Opts = dict[str, Any]
DupsResult = tuple[list[str], list[tuple[int, int, int]], list[tuple[int, int, list[int]]]]

def banding(opts: Opts) -> list[tuple[int, int]]: ...
def signatures(texts: list[str], opts: Opts) -> tuple[bytes, list[int]]: ...
def band_keys(slots: bytes, opts: Opts) -> tuple[bytes, list[bool]]: ...
def sketch(texts: list[str], opts: Opts) -> tuple[bytes, list[int], bytes, list[bool]]: ...
def shingle_sets(texts: list[str], opts: Opts) -> list[bytes]: ...
def verify_sets(a: list[bytes], b: list[bytes]) -> list[tuple[float, float]]: ...
def verify_pairs(a: list[str], b: list[str], opts: Opts) -> list[tuple[float, float]]: ...
def bucket_pairs(members: list[int]) -> list[tuple[int, int]]: ...
def template_keys(texts: list[str]) -> list[bytes]: ...
def passages(texts: list[str], opts: Opts) -> list[str]: ...
def dups(
    ids: list[str], texts: list[str], sources: Optional[list[Optional[str]]], opts: Opts
) -> DupsResult: ...
def chrome(
    ids: list[str], texts: list[str], sources: Optional[list[Optional[str]]], opts: Opts
) -> tuple[list[str], str]: ...
def scan(
    ids: list[str],
    texts: list[str],
    sources: Optional[list[Optional[str]]],
    opts: Opts,
    with_plan: bool,
) -> tuple[list[str], Optional[tuple[list[Optional[tuple[bool, str]]], list[str]]]]: ...
