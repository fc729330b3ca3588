//! Benchmarks of the hashing core, one core, throughput in bytes of source text per second.
//!
//! Inputs come from the deterministic generator (`chaff::generate`), one corpus per language, so
//! numbers are comparable across machines and runs. Every stage is measured against a *limit
//! baseline* on the same text: a bare pass that splits on a class table and xxh3-hashes each
//! token's original bytes, with no normalization and no signature. `scripts/bench.sh` turns
//! criterion's estimates into ratios to that baseline (it is what a stage can at best approach).
//!
//! LSH stages report the bytes of the documents their signatures stand for, so every line of the
//! summary reads in the same unit. Everything runs on one thread (LSH candidates inside a
//! one-thread rayon pool) so the numbers are per core.
//!
//! `CHAFF_BENCH_DOCS` sets the documents per language (default 300, about 1.5 MB); `cargo bench
//! --bench core -- --test` runs each benchmark once as a smoke test.

use chaff::generate::{Config, Generator, LangMix};
use chaff::lsh::{Index, Params};
use chaff::minhash::{Scheme, Signer};
use chaff::shingle::{Shingler, Shingling};
use chaff::text::Normalizer;
use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use xxhash_rust::xxh3::xxh3_64;

#[path = "support/limit.rs"]
mod support;
use support::limit;

const NUM_PERM: usize = 128;
const SEED: u64 = 0;

/// Documents of one language from the generator.
fn corpus(lang: &str, docs: u64) -> Vec<String> {
    let langs = match lang {
        "fa" => LangMix {
            fa: 1.0,
            ar: 0.0,
            en: 0.0,
        },
        "ar" => LangMix {
            fa: 0.0,
            ar: 1.0,
            en: 0.0,
        },
        _ => LangMix {
            fa: 0.0,
            ar: 0.0,
            en: 1.0,
        },
    };
    let config = Config {
        docs,
        langs,
        ..Config::default()
    };
    let generator = Generator::new(&config, 42).expect("the bench's generator config is valid");
    (0..docs).map(|i| generator.document(i).text).collect()
}

fn docs_per_language() -> u64 {
    std::env::var("CHAFF_BENCH_DOCS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300)
}

/// The limit baseline's class table: true for characters that belong to a word. Built with
/// the same Unicode property the normalizer starts from, but with no folding at all.
fn word_table() -> Vec<bool> {
    (0..0x10000u32)
        .map(|cp| char::from_u32(cp).is_some_and(|c| c.is_alphanumeric()))
        .collect()
}

fn stages(c: &mut Criterion) {
    let docs = docs_per_language();
    let table = word_table();
    let normalizer = Normalizer::default();
    let shingler = Shingler::new(Shingling::Words(5), SEED, normalizer.clone());
    let one_perm = Signer::new(Scheme::OnePermutation, NUM_PERM, SEED);
    let classic = Signer::new(Scheme::Classic, NUM_PERM, SEED);
    for lang in ["fa", "ar", "en"] {
        let texts = corpus(lang, docs);
        let bytes: u64 = texts.iter().map(|t| t.len() as u64).sum();
        let shingles: Vec<Vec<u64>> = texts.iter().map(|t| shingler.shingle_set(t)).collect();
        let mut group = c.benchmark_group(format!("core/{lang}"));
        group.throughput(Throughput::Bytes(bytes));
        group.sample_size(20);

        group.bench_function("limit", |b| {
            b.iter(|| texts.iter().fold(0, |a, t| a ^ limit(&table, t)))
        });
        group.bench_function("tokenize", |b| {
            b.iter(|| {
                let mut acc = 0u64;
                for t in &texts {
                    normalizer.for_each_token(t, |tok| acc ^= tok.hash);
                }
                acc
            })
        });
        group.bench_function("shingles", |b| {
            let mut window = Vec::new();
            b.iter(|| {
                let mut acc = 0u64;
                for t in &texts {
                    shingler.for_each_shingle(t, &mut window, |s| acc ^= s);
                }
                acc
            })
        });
        for (name, signer) in [("one-perm", &one_perm), ("classic", &classic)] {
            // From raw text: normalize, tokenize, shingle and sign, streaming (no set built).
            group.bench_function(BenchmarkId::new("signature", name), |b| {
                let mut window = Vec::new();
                let mut slots = vec![0u32; NUM_PERM];
                b.iter(|| {
                    for t in &texts {
                        let mut acc = signer.accumulator(&mut slots);
                        shingler.for_each_shingle(t, &mut window, |s| acc.add(s));
                        acc.finish();
                        black_box(&slots);
                    }
                })
            });
            // From shingles already hashed and deduplicated: the signing loop alone.
            group.bench_function(BenchmarkId::new("sign-shingles", name), |b| {
                let mut slots = vec![0u32; NUM_PERM];
                b.iter(|| {
                    for s in &shingles {
                        signer.sign_into(s.iter().copied(), &mut slots);
                        black_box(&slots);
                    }
                })
            });
        }
        group.finish();
    }
}

fn lsh(c: &mut Criterion) {
    // A mixed corpus with the generator's planted duplicates, so buckets are realistic.
    let docs = docs_per_language() * 3;
    let config = Config {
        docs,
        ..Config::default()
    };
    let generator = Generator::new(&config, 7).expect("the bench's generator config is valid");
    let texts: Vec<String> = (0..docs).map(|i| generator.document(i).text).collect();
    let bytes: u64 = texts.iter().map(|t| t.len() as u64).sum();
    let shingler = Shingler::new(Shingling::Words(5), SEED, Normalizer::default());
    let signer = Signer::new(Scheme::OnePermutation, NUM_PERM, SEED);
    let signatures: Vec<Vec<u32>> = texts
        .iter()
        .map(|t| signer.sign(&shingler.shingle_set(t)).slots)
        .collect();
    let params = Params::for_threshold(0.8, NUM_PERM);
    let build = || {
        let mut index = Index::new(params);
        for s in &signatures {
            index.insert(s);
        }
        index
    };
    let index = build();
    let one_thread = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a one-thread pool can be built");
    let mut group = c.benchmark_group("core/lsh");
    group.throughput(Throughput::Bytes(bytes));
    group.sample_size(20);
    group.bench_function("build", |b| b.iter(build));
    group.bench_function("query", |b| {
        b.iter(|| one_thread.install(|| index.candidates().len()))
    });
    group.finish();
}

/// Signing tiny documents (1 to 8 shingles: tweets, titles, one-word lines), where densification
/// fills nearly every slot; per document, since their bytes are few. Before densification was
/// made allocation-free with bounded probes, one-word documents cost `k²` hashed probes each.
fn tiny_documents(c: &mut Criterion) {
    let signer = Signer::new(Scheme::OnePermutation, NUM_PERM, SEED);
    let mut group = c.benchmark_group("core/tiny");
    for shingles in [1usize, 2, 8] {
        let docs: Vec<Vec<u64>> = (0..1000u64)
            .map(|d| {
                (0..shingles as u64)
                    .map(|s| xxh3_64(&(d * 16 + s).to_le_bytes()))
                    .collect()
            })
            .collect();
        group.throughput(Throughput::Elements(docs.len() as u64));
        group.bench_with_input(
            BenchmarkId::new("sign-one-perm", format!("{shingles}-shingles")),
            &docs,
            |b, docs| {
                let mut slots = vec![0u32; NUM_PERM];
                b.iter(|| {
                    let mut acc = 0u32;
                    for d in docs {
                        signer.sign_into(d.iter().copied(), &mut slots);
                        acc ^= slots[0];
                    }
                    black_box(acc)
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, stages, lsh, tiny_documents);
criterion_main!(benches);
