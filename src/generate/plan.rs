//! The corpus plan: for every document, its language, site, and whether it is an original or a
//! copy, and which cross-document quotes it hosts.
//!
//! The plan is drawn sequentially from one ChaCha8 stream (cheap: a few draws per document), so
//! the decisions that link documents are made in one place; everything heavy (the text) is then
//! drawn from per-document seeds and can be generated in any order, in parallel.

use super::site::Site;
use super::vocab::Lang;
use super::Config;
use rand::Rng;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// How a copy relates to its original.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CopyPlan {
    pub(crate) of: u64,
    pub(crate) truncated: bool,
    pub(crate) syndicated: bool,
}

/// One document's plan.
#[derive(Debug, Clone)]
pub(crate) struct DocPlan {
    pub(crate) lang: Lang,
    pub(crate) site: Option<u32>,
    /// Seed of the article body; a copy uses its original's.
    pub(crate) article_seed: u64,
    pub(crate) copy: Option<CopyPlan>,
    /// Quotes (indices into [`Plan::quotes`]) this document hosts.
    pub(crate) quotes: Vec<u32>,
}

/// A passage pasted into several documents; the first host is its source.
#[derive(Debug, Clone, Copy)]
pub(crate) struct QuotePlan {
    pub(crate) lang: Lang,
    pub(crate) source: u64,
    /// How many documents hold it, source included.
    pub(crate) hosts: u32,
}

/// The whole plan.
pub(crate) struct Plan {
    pub(crate) docs: Vec<DocPlan>,
    pub(crate) quotes: Vec<QuotePlan>,
}

/// Stream tags that keep derived seeds of different purposes apart.
pub(crate) mod stream {
    pub(crate) const PLAN: u64 = 1;
    pub(crate) const ARTICLE: u64 = 2;
    pub(crate) const PAGE: u64 = 3;
    pub(crate) const QUOTE: u64 = 4;
    pub(crate) const SITE: u64 = 5;
    pub(crate) const DISCLAIMER: u64 = 6;
    pub(crate) const NEAR: u64 = 7;
}

/// A seed for item `index` of `stream`, independent of every other (seed, stream, index).
pub(crate) fn derive(seed: u64, stream: u64, index: u64) -> u64 {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&stream.to_le_bytes());
    bytes[8..].copy_from_slice(&index.to_le_bytes());
    xxhash_rust::xxh3::xxh3_64_with_seed(&bytes, seed)
}

/// Picks an index with probability proportional to `weights` (integers, so draws are portable).
fn weighted(weights: &[u64], rng: &mut impl Rng) -> usize {
    let total: u64 = weights.iter().sum();
    let mut x = rng.gen_range(0..total);
    for (i, &w) in weights.iter().enumerate() {
        if x < w {
            return i;
        }
        x -= w;
    }
    weights.len() - 1
}

/// Draws the sites of a corpus: site `k` comes from its own derived seed.
pub(crate) fn sites(config: &Config, site_seed: u64) -> Vec<Site> {
    let weights = config.langs.weights();
    let mut seen = std::collections::BTreeSet::new();
    (0..config.sites)
        .map(|k| {
            let mut rng = ChaCha8Rng::seed_from_u64(derive(site_seed, stream::SITE, k as u64));
            let lang = Lang::ALL[weighted(&weights, &mut rng)];
            let site = Site::generate(k, lang, &mut rng);
            // The index suffix already makes sources unique; the set guards that invariant.
            debug_assert!(seen.insert(site.source.clone()));
            site
        })
        .collect()
}

/// Draws the plan of `config.docs` documents.
pub(crate) fn plan(config: &Config, seed: u64, sites: &[Site]) -> Plan {
    let mut rng = ChaCha8Rng::seed_from_u64(derive(seed, stream::PLAN, 0));
    let n = config.docs;
    let lang_weights = config.langs.weights();
    let site_weights: Vec<u64> = sites.iter().map(|s| s.weight as u64).collect();
    let mut by_lang: [Vec<u32>; 3] = Default::default();
    for (k, s) in sites.iter().enumerate() {
        by_lang[s.lang as usize].push(k as u32);
    }
    let mut docs: Vec<DocPlan> = Vec::with_capacity(n as usize);
    let mut originals: Vec<u64> = Vec::new();
    let mut syndicated_copies: Vec<u8> = Vec::with_capacity(n as usize);
    for i in 0..n {
        syndicated_copies.push(0);
        let copy_of = if !originals.is_empty() && rng.gen_bool(config.dup_rate) {
            Some(originals[rng.gen_range(0..originals.len())])
        } else {
            None
        };
        let doc = match copy_of {
            Some(of) => {
                let original = &docs[of as usize];
                let lang = original.lang;
                let mut syndicated = false;
                let mut site = original.site;
                if let Some(home) = original.site {
                    let peers = &by_lang[lang as usize];
                    if peers.len() > 1
                        && syndicated_copies[of as usize] < 3
                        && rng.gen_bool(config.syndication_rate)
                    {
                        // Another site of the same language republishes the story.
                        let mut other = home;
                        while other == home {
                            other = peers[rng.gen_range(0..peers.len())];
                        }
                        site = Some(other);
                        syndicated = true;
                        syndicated_copies[of as usize] += 1;
                    } else {
                        site = Some(peers[rng.gen_range(0..peers.len())]);
                    }
                }
                DocPlan {
                    lang,
                    site,
                    article_seed: original.article_seed,
                    copy: Some(CopyPlan {
                        of,
                        truncated: !syndicated && rng.gen_bool(config.truncate_rate),
                        syndicated,
                    }),
                    quotes: Vec::new(),
                }
            }
            None => {
                originals.push(i);
                let (site, lang) = if sites.is_empty() {
                    (None, Lang::ALL[weighted(&lang_weights, &mut rng)])
                } else {
                    let k = weighted(&site_weights, &mut rng);
                    (Some(k as u32), sites[k].lang)
                };
                DocPlan {
                    lang,
                    site,
                    article_seed: derive(seed, stream::ARTICLE, i),
                    copy: None,
                    quotes: Vec::new(),
                }
            }
        };
        docs.push(doc);
    }
    let quotes = if config.passages {
        plan_quotes(config, &mut docs, &mut rng)
    } else {
        Vec::new()
    };
    Plan { docs, quotes }
}

/// Chooses quote sources and, for each, 2–5 later documents of the same language to paste into.
fn plan_quotes(config: &Config, docs: &mut [DocPlan], rng: &mut impl Rng) -> Vec<QuotePlan> {
    // Hosts are looked for in a window after the source so the writer's table of open quotes stays
    // small however large the corpus is.
    const WINDOW: u64 = 5000;
    let n = docs.len() as u64;
    let mut quotes = Vec::new();
    for source in 0..n {
        if !rng.gen_bool(config.quote_rate) {
            continue;
        }
        let lang = docs[source as usize].lang;
        let want = rng.gen_range(2..=5);
        let mut hosts: Vec<u64> = Vec::new();
        for _ in 0..want * 20 {
            if hosts.len() == want || source + 1 >= n {
                break;
            }
            let j = rng.gen_range(source + 1..n.min(source + 1 + WINDOW));
            if docs[j as usize].lang == lang && !hosts.contains(&j) {
                hosts.push(j);
            }
        }
        if hosts.is_empty() {
            continue;
        }
        let q = quotes.len() as u32;
        docs[source as usize].quotes.push(q);
        for &h in &hosts {
            docs[h as usize].quotes.push(q);
        }
        quotes.push(QuotePlan {
            lang,
            source,
            hosts: hosts.len() as u32 + 1,
        });
    }
    quotes
}
