//! Any configuration a library user can build either runs or is refused with
//! `chaff::Error::Config` naming the field, before any work: no stage panics on 0, huge,
//! negative or NaN settings. Each stage runs on the five seed articles plus an edited copy of
//! one (so candidates, verification, clusters and passages all have something to do).

use chaff::cluster::Keep;
use chaff::corpus::{Corpus, ReadOptions};
use chaff::dups::{self, Verify};
use chaff::index::{AddOptions, CheckOptions, Index, Settings};
use chaff::lsh::Params;
use chaff::minhash::Scheme;
use chaff::passages::{self, NearExact};
use chaff::shingle::Shingling;
use chaff::{chrome, scan, ConfigError, Error};
use proptest::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The seeds and a copy of seed 001 with a few words changed, written once per test binary.
fn corpus_dir() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        for entry in std::fs::read_dir(&fixtures).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
        }
        let (name, text) = std::fs::read_dir(&fixtures)
            .unwrap()
            .map(|e| e.unwrap())
            .find(|e| e.file_name().to_string_lossy().starts_with("001_"))
            .map(|e| (e.file_name(), std::fs::read_to_string(e.path()).unwrap()))
            .unwrap();
        let copy = text.replacen("ظریف", "وزیر", 3);
        assert_ne!(copy, text, "the edit must change the copy");
        std::fs::write(
            dir.path()
                .join(format!("copy_of_{}", name.to_string_lossy())),
            copy,
        )
        .unwrap();
        dir
    })
    .path()
}

/// The texts of [`corpus_dir`], in corpus order.
fn corpus_texts() -> Vec<String> {
    let mut texts = Vec::new();
    corpus()
        .read(false, |batch| {
            texts.extend(batch.into_iter().map(|d| d.text));
            Ok(())
        })
        .unwrap();
    texts
}

fn corpus() -> Corpus {
    Corpus::open(&[corpus_dir().to_path_buf()], ReadOptions::default()).unwrap()
}

/// A value of `valid` most of the time, otherwise one of the absurd ones.
fn mostly<T: Clone + std::fmt::Debug + 'static>(
    valid: impl Strategy<Value = T> + 'static,
    absurd: Vec<T>,
) -> BoxedStrategy<T> {
    prop_oneof![4 => valid.boxed(), 1 => proptest::sample::select(absurd)].boxed()
}

fn any_share() -> BoxedStrategy<f64> {
    mostly(
        0.0..=1.0f64,
        vec![
            f64::NAN,
            -0.5,
            1.5,
            7.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
            -0.0,
        ],
    )
}

fn any_size(valid: std::ops::RangeInclusive<usize>) -> BoxedStrategy<usize> {
    mostly(valid, vec![0, 1, 1025, 100_001, usize::MAX / 2, usize::MAX])
}

fn any_shingling() -> BoxedStrategy<Shingling> {
    prop_oneof![
        any_size(1..=8).prop_map(Shingling::Words),
        any_size(1..=8).prop_map(Shingling::Chars),
    ]
    .boxed()
}

fn any_dups_config() -> impl Strategy<Value = dups::Config> {
    (
        any_shingling(),
        any::<u64>(),
        any_size(8..=256),
        any_share(),
        proptest::option::of((any_size(1..=16), any_size(1..=8))),
        proptest::option::of(any_share()),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(shingling, seed, num_perm, threshold, bands, containment, exact, first, oph)| {
                dups::Config {
                    hash: chaff::sketch::HashConfig {
                        shingling,
                        seed,
                        num_perm,
                        scheme: if oph {
                            Scheme::OnePermutation
                        } else {
                            Scheme::Classic
                        },
                        ..Default::default()
                    },
                    threshold,
                    bands: bands.map(|(bands, rows)| Params { bands, rows }),
                    verify: if exact {
                        Verify::Exact
                    } else {
                        Verify::Estimate
                    },
                    containment,
                    keep: if first { Keep::First } else { Keep::Longest },
                    ..dups::Config::default()
                }
            },
        )
}

fn any_passages_config() -> impl Strategy<Value = passages::Config> {
    (
        any_size(2..=40),
        any_size(1..=8),
        any_size(1..=32),
        any::<bool>(),
        proptest::option::of((
            any_size(2..=20),
            mostly(0..=5usize, vec![1001, usize::MAX]),
            mostly(0.5..=1.0f64, vec![f64::NAN, 0.0, -1.0, 1.01, 0.49]),
        )),
    )
        .prop_map(
            |(min_tokens, shingle, max_sources, snap, near)| passages::Config {
                min_tokens,
                shingle,
                max_sources,
                snap,
                near: near.map(|(seed_tokens, max_gap, min_match)| NearExact {
                    seed_tokens,
                    max_gap,
                    min_match,
                }),
                ..passages::Config::default()
            },
        )
}

fn any_chrome_config() -> impl Strategy<Value = chrome::Config> {
    (
        mostly(0..=10u32, vec![u32::MAX]),
        any_share(),
        any::<bool>(),
        proptest::option::of(any_share()),
    )
        .prop_map(
            |(min_pages, min_share, templates, threshold)| chrome::Config {
                min_pages,
                min_share,
                templates,
                threshold,
                ..chrome::Config::default()
            },
        )
}

/// A stage run with a configuration that `validate` judged: valid ones must succeed, refused
/// ones must fail with exactly that refusal (so the stage validated before working).
fn judged<T: std::fmt::Debug>(
    verdict: Result<(), ConfigError>,
    result: chaff::Result<T>,
) -> Result<(), TestCaseError> {
    match (verdict, result) {
        (Ok(()), Ok(_)) => Ok(()),
        (Ok(()), Err(e)) => Err(TestCaseError::fail(format!("valid config failed: {e}"))),
        (Err(refused), Err(Error::Config(got))) => {
            prop_assert_eq!(got, refused);
            Ok(())
        }
        (Err(refused), other) => Err(TestCaseError::fail(format!(
            "refused ({refused}) but the stage gave {other:?}"
        ))),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn dups_runs_or_refuses_every_config(config in any_dups_config()) {
        judged(config.validate(), dups::find(&corpus(), &config))?;
    }

    #[test]
    fn sketches_run_or_refuse_every_config(config in any_dups_config()) {
        let texts = corpus_texts();
        let sketched = chaff::sketch::Sketcher::new(&config).and_then(|sketcher| {
            let docs: Vec<chaff::sketch::TextDoc> = texts
                .iter()
                .enumerate()
                .map(|(n, t)| chaff::sketch::TextDoc { number: n as u32, id: "d", source: None, text: t })
                .collect();
            sketcher.shard(&docs)?.decide(&config)
        });
        judged(config.validate(), sketched)?;
    }

    #[test]
    fn passages_run_or_refuse_every_config(config in any_passages_config()) {
        judged(config.validate(), passages::find(&corpus(), &config))?;
        let texts: Vec<String> = std::fs::read_dir(corpus_dir())
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .collect();
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        judged(config.validate(), passages::find_in_texts(&texts, &config))?;
    }

    #[test]
    fn chrome_runs_or_refuses_every_config(config in any_chrome_config()) {
        judged(config.validate(), chrome::detect(&corpus(), &config, None))?;
        let text = "شنبه , 11 بهمن 1404\nصفحه اصلی | تماس با ما\nThe article, in full sentences.\n";
        judged(config.validate(), chrome::detect_text(text, None, &chrome::Model::default(), &config))?;
    }

    #[test]
    fn scan_runs_or_refuses_every_combination(
        dups in proptest::option::of(any_dups_config()),
        passages in proptest::option::of(any_passages_config()),
        chrome in proptest::option::of(any_chrome_config()),
        syndication in any::<bool>(),
    ) {
        let config = scan::Config { dups, passages, chrome, syndication, ..scan::Config::default() };
        judged(config.validate(), scan::scan(&corpus(), &config))?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn index_add_and_check_run_or_refuse_every_setting(
        config in any_dups_config(),
        passage_min_tokens in any_size(2..=40),
        max_ratio in any_share(),
        bucket_limit in any_size(1..=300),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kept.chaff");
        // Settings derived from an invalid config are still built (a user can build them), with
        // a banding computed from whatever the config holds.
        let settings = Settings {
            passage_min_tokens,
            ..Settings::from_config(&config)
        };
        let added = Index::add(&path, &settings, &corpus(), &AddOptions::default());
        judged(settings.validate(), added)?;
        if settings.validate().is_ok() {
            let options = CheckOptions {
                bucket_limit,
                rules: chaff::index::Rules {
                    max_duplicate_ratio: max_ratio,
                    ..Default::default()
                },
                ..CheckOptions::default()
            };
            // Any threshold, however many digits, reads back from the index as it was written.
            let index = Index::open_compatible(&path, &settings).unwrap();
            judged(options.validate(), index.check(&corpus(), &options))?;
        }
    }
}

/// A change that makes a default configuration absurd, and the field its refusal must name.
type Corruption<C> = (fn(&mut C), &'static str);

/// The field named by the refusal of the default configuration changed by `corrupt`.
fn refused_field<C: Default + std::fmt::Debug, T: std::fmt::Debug>(
    corrupt: fn(&mut C),
    run: impl Fn(&C) -> chaff::Result<T>,
) -> &'static str {
    let mut config = C::default();
    corrupt(&mut config);
    match run(&config) {
        Err(Error::Config(e)) => e.field,
        other => panic!("{config:?} gave {other:?}"),
    }
}

/// Each field set to a value no stage can work with, and the field the refusal must name.
#[test]
fn each_absurd_field_is_refused_by_name() {
    let corpus = corpus();
    let dups_cases: [Corruption<dups::Config>; 14] = [
        (|c| c.hash.normalization = 0, "dups.normalization"),
        (|c| c.threshold = f64::NAN, "dups.threshold"),
        (|c| c.threshold = -0.1, "dups.threshold"),
        (|c| c.threshold = 1.5, "dups.threshold"),
        (|c| c.containment = Some(7.0), "dups.containment"),
        (|c| c.containment = Some(0.0), "dups.containment"),
        (|c| c.containment = Some(f64::NAN), "dups.containment"),
        (|c| c.hash.num_perm = 0, "dups.num_perm"),
        (|c| c.hash.num_perm = usize::MAX, "dups.num_perm"),
        (|c| c.hash.shingling = Shingling::Words(0), "dups.shingling"),
        (
            |c| c.hash.shingling = Shingling::Chars(usize::MAX),
            "dups.shingling",
        ),
        // The banding that used to panic in lsh.rs: 500 rows read from 128 slots.
        (
            |c| {
                c.bands = Some(Params {
                    bands: 100,
                    rows: 5,
                })
            },
            "dups.bands",
        ),
        (
            |c| c.bands = Some(Params { bands: 0, rows: 5 }),
            "dups.bands",
        ),
        (
            |c| {
                c.bands = Some(Params {
                    bands: usize::MAX,
                    rows: 2,
                })
            },
            "dups.bands",
        ),
    ];
    for (corrupt, field) in dups_cases {
        assert_eq!(refused_field(corrupt, |c| dups::find(&corpus, c)), field);
    }

    let passage_cases: [Corruption<passages::Config>; 8] = [
        (|c| c.min_tokens = 1, "passages.min_tokens"),
        (|c| c.hash.normalization += 1, "passages.normalization"),
        (|c| c.min_tokens = usize::MAX, "passages.min_tokens"),
        (|c| c.shingle = 0, "passages.shingle"),
        (|c| c.max_sources = 0, "passages.max_sources"),
        (
            |c| {
                c.near = Some(NearExact {
                    seed_tokens: 21,
                    ..NearExact::default()
                })
            },
            "passages.near.seed_tokens",
        ),
        (
            |c| {
                c.near = Some(NearExact {
                    max_gap: 5000,
                    ..NearExact::default()
                })
            },
            "passages.near.max_gap",
        ),
        (
            |c| {
                c.near = Some(NearExact {
                    min_match: f64::NAN,
                    ..NearExact::default()
                })
            },
            "passages.near.min_match",
        ),
    ];
    for (corrupt, field) in passage_cases {
        assert_eq!(
            refused_field(corrupt, |c| passages::find(&corpus, c)),
            field
        );
    }

    let chrome_cases: [Corruption<chrome::Config>; 3] = [
        (|c| c.min_share = f64::NAN, "chrome.min_share"),
        (|c| c.threshold = Some(1.01), "chrome.threshold"),
        (|c| c.threshold = Some(-1.0), "chrome.threshold"),
    ];
    for (corrupt, field) in chrome_cases {
        assert_eq!(
            refused_field(corrupt, |c| chrome::detect(&corpus, c, None)),
            field
        );
    }
}

/// An index refuses settings before it creates anything on disk.
#[test]
fn an_index_with_impossible_settings_is_never_created() {
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join("kept.chaff");
    let settings = Settings {
        bands: Params {
            bands: 100,
            rows: 5,
        },
        ..Settings::from_config(&dups::Config::default())
    };
    match Index::add(&path, &settings, &corpus(), &AddOptions::default()) {
        Err(Error::Config(e)) => assert_eq!(e.field, "dups.bands"),
        other => panic!("{other:?}"),
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

/// A threshold of 17 significant digits (as computed thresholds have) reads back from the
/// index exactly, so a check with the settings of the add is not refused as "other settings".
#[test]
fn an_index_accepts_the_settings_it_was_built_with_to_the_last_digit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kept.chaff");
    let settings = Settings::from_config(&dups::Config {
        threshold: 0.9649410526148947,
        containment: Some(0.6975546360181729),
        ..dups::Config::default()
    });
    Index::add(&path, &settings, &corpus(), &AddOptions::default()).unwrap();
    let index = Index::open_compatible(&path, &settings).unwrap();
    assert_eq!(index.settings(), &settings);
}
