//! Development probe of the hashing core: signatures from raw text against the limit baseline
//! of `benches/core.rs`, interleaved on one core, best of many rounds (robust on a loaded
//! machine), plus a checksum of every signature so a faster build can be checked bit-identical.
//!
//! `cargo run --release --example sig_speed -- [DOCS] [ROUNDS]`

use chaff::generate::{Config, Generator, LangMix};
use chaff::minhash::{Scheme, Signer};
use chaff::shingle::{Shingler, Shingling};
use chaff::text::Normalizer;
use std::time::Instant;

#[path = "../benches/support/limit.rs"]
mod support;
use support::limit;

fn corpus(lang: &str, docs: u64) -> Vec<String> {
    let (fa, ar, en) = match lang {
        "fa" => (1.0, 0.0, 0.0),
        "ar" => (0.0, 1.0, 0.0),
        _ => (0.0, 0.0, 1.0),
    };
    let config = Config {
        docs,
        langs: LangMix { fa, ar, en },
        ..Config::default()
    };
    let generator = Generator::new(&config, 42).expect("valid config");
    (0..docs).map(|i| generator.document(i).text).collect()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let docs: u64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(150);
    let rounds: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(30);
    let table: Vec<bool> = (0..0x10000u32)
        .map(|cp| char::from_u32(cp).is_some_and(|c| c.is_alphanumeric()))
        .collect();
    let shingler = Shingler::new(Shingling::Words(5), 0, Normalizer::default());
    let signer = Signer::new(Scheme::OnePermutation, 128, 0);
    for lang in ["fa", "ar", "en"] {
        let texts = corpus(lang, docs);
        let mut window = Vec::new();
        let mut slots = vec![0u32; 128];
        let mut check = 0u64;
        let (mut best_limit, mut best_sig, mut best_tok) = (f64::MAX, f64::MAX, f64::MAX);
        for _ in 0..rounds {
            let t = Instant::now();
            let a = texts.iter().fold(0, |a, t| a ^ limit(&table, t));
            best_limit = best_limit.min(t.elapsed().as_secs_f64());
            std::hint::black_box(a);
            let t = Instant::now();
            let mut acc = 0u64;
            for text in &texts {
                shingler
                    .normalizer
                    .for_each_token(text, |tok| acc ^= tok.hash);
            }
            best_tok = best_tok.min(t.elapsed().as_secs_f64());
            std::hint::black_box(acc);
            let t = Instant::now();
            check = 0;
            for text in &texts {
                let mut acc = signer.accumulator(&mut slots);
                shingler.for_each_shingle(text, &mut window, |s| acc.add(s));
                acc.finish();
                check = slots
                    .iter()
                    .fold(check, |c, &v| c.rotate_left(7) ^ v as u64)
                    .wrapping_mul(0x9E37_79B9_7F4A_7C15);
            }
            best_sig = best_sig.min(t.elapsed().as_secs_f64());
        }
        // The rolled shingles against windows hashed one by one from the tokens.
        for text in &texts {
            let tokens = shingler.normalizer.tokens(text);
            let mut direct = shingler.word_shingles(&tokens, 5);
            direct.sort_unstable();
            direct.dedup();
            assert_eq!(
                shingler.shingle_set(text),
                direct,
                "{lang}: shingles differ"
            );
        }
        println!(
            "{lang}: tokenize {:.2} signature {:.2} of limit ({:.0} MB/s limit), checksum {check:016x}",
            best_limit / best_tok,
            best_limit / best_sig,
            texts.iter().map(|t| t.len()).sum::<usize>() as f64 / best_limit / 1e6
        );
    }
}
