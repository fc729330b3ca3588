//! The JSONL reader on arbitrary bytes: it never panics, and what it returns is well formed.
//!
//! The first byte picks the options (lossy or not, a tiny size limit or the default, a `.gz`
//! wrapper), the rest is the file. A clean error is a pass; a panic, a hang or a document that
//! the reader should have refused is a failure.
#![no_main]

use chaff::corpus::{Corpus, ReadOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, body)) = data.split_first() else {
        return;
    };
    let dir = tempfile::tempdir().expect("a temp dir can be made");
    let gz = flags & 4 != 0;
    let path = dir.path().join(if gz { "c.jsonl.gz" } else { "c.jsonl" });
    let bytes = if gz { stored_gzip(body) } else { body.to_vec() };
    std::fs::write(&path, &bytes).expect("the temp file can be written");
    let options = ReadOptions {
        lossy: flags & 1 != 0,
        max_doc_bytes: if flags & 2 != 0 { 64 } else { 1 << 20 },
        ..ReadOptions::default()
    };
    let Ok(corpus) = Corpus::open(&[path], options.clone()) else {
        return;
    };
    let mut next = 0u32;
    let _ = corpus.read(true, |batch| {
        for d in batch {
            assert_eq!(d.number, next, "documents are numbered densely");
            next += 1;
            let raw = d.raw.as_ref().expect("raw kept when asked for");
            assert!(
                raw.len() as u64 <= options.max_doc_bytes + 1,
                "a line over the limit was read"
            );
            assert!(!d.id.is_empty(), "every document has an id");
        }
        Ok(())
    });
});

/// A gzip member of `body` written by hand (stored blocks, no compression), so the fuzz crate
/// needs no compression dependency of its own: the reader's gzip path still decodes it.
fn stored_gzip(body: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    let mut chunks = body.chunks(0xffff).peekable();
    if chunks.peek().is_none() {
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
    }
    while let Some(chunk) = chunks.next() {
        let last = chunks.peek().is_none();
        let len = chunk.len() as u16;
        out.push(u8::from(last));
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
    out.extend_from_slice(&crc32(body).to_le_bytes());
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
