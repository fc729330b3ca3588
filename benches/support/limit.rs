//! The limit baseline of the hashing core, shared by `benches/core.rs` and
//! `examples/sig_speed.rs` so that both measure against the same pass.

use xxhash_rust::xxh3::xxh3_64;

/// Limit baseline: tokenize with one table load per character and xxh3 each token's bytes.
pub fn limit(table: &[bool], text: &str) -> u64 {
    let bytes = text.as_bytes();
    let mut acc = 0u64;
    let mut start = usize::MAX;
    for (at, c) in text.char_indices() {
        let word = table.get(c as usize).copied().unwrap_or(true);
        if word {
            if start == usize::MAX {
                start = at;
            }
        } else if start != usize::MAX {
            acc ^= xxh3_64(&bytes[start..at]);
            start = usize::MAX;
        }
    }
    if start != usize::MAX {
        acc ^= xxh3_64(&bytes[start..]);
    }
    acc
}
