//! Chrome line scoring: `chrome::detect_text` on the seed articles (features, classification,
//! context) with an empty model, and `chrome::template_keys` on the same pages: the line
//! features of every line (one tokenizer walk per line that reads words and characters) and little else,
//! the part of a chrome run that is computed twice per page.

use chaff::chrome::{self, Config, Model};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn seeds() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("fixtures/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("seed is UTF-8"))
        .collect()
}

fn bench(c: &mut Criterion) {
    let pages = seeds();
    let bytes: usize = pages.iter().map(String::len).sum();
    let lines: usize = pages.iter().map(|p| p.lines().count()).sum();
    let config = Config::default();
    let empty = Model::default();
    let mut group = c.benchmark_group("chrome");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function(format!("detect_text/{lines}_lines"), |b| {
        b.iter(|| {
            pages
                .iter()
                .map(|p| {
                    chrome::detect_text(p, None, &empty, &config)
                        .expect("the default configuration is valid")
                        .len()
                })
                .sum::<usize>()
        })
    });
    group.bench_function(format!("line_features/{lines}_lines"), |b| {
        b.iter(|| {
            pages
                .iter()
                .map(|p| chrome::template_keys(p).len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
