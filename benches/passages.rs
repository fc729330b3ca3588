//! Criterion benchmarks of passage fingerprinting (winnowing over 5-token shingles) and of the
//! whole in-memory search, on made-up Persian-script prose.

use chaff::passages::{self, Config};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

/// About `bytes` of made-up prose (deterministic).
fn prose(bytes: usize, seed: u64) -> String {
    const SYL: [&str; 12] = [
        "با", "رن", "کو", "سا", "می", "دا", "نو", "تر", "پی", "لا", "گش", "زو",
    ];
    let mut x = seed | 1;
    let mut out = String::with_capacity(bytes + 64);
    let mut words = 0;
    while out.len() < bytes {
        for _ in 0..2 + (x % 3) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            out.push_str(SYL[(x % 12) as usize]);
        }
        words += 1;
        out.push_str(if words % 17 == 0 { ". " } else { " " });
    }
    out
}

fn fingerprinting(c: &mut Criterion) {
    let text = prose(64 << 10, 3);
    let tokens = chaff::text::tokens(&text);
    let mut group = c.benchmark_group("passages");
    group.throughput(Throughput::Bytes(text.len() as u64));
    for min_tokens in [20usize, 50] {
        let config = Config {
            min_tokens,
            ..Config::default()
        };
        group.bench_with_input(
            BenchmarkId::new("fingerprints", min_tokens),
            &tokens,
            |b, t| b.iter(|| passages::fingerprints(t, &config)),
        );
    }
    // 64 documents of 8 KiB, each quoting a paragraph of the one before it.
    let docs: Vec<String> = (0..64u64)
        .map(|i| format!("{}\n{}\n", prose(8 << 10, i + 10), prose(600, i + 9)))
        .collect();
    let refs: Vec<&str> = docs.iter().map(String::as_str).collect();
    group.throughput(Throughput::Bytes(docs.iter().map(|d| d.len() as u64).sum()));
    group.bench_function("find_in_texts", |b| {
        b.iter(|| passages::find_in_texts(&refs, &Config::default()))
    });
    group.finish();
}

criterion_group!(benches, fingerprinting);
criterion_main!(benches);
