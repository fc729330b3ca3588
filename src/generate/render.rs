//! Turning the plan into documents and truth, and writing them: documents are rendered in parallel
//! batches and written in index order, so output bytes do not depend on the thread count.

use super::article::{sentence, Article, Style};
use super::plan::{derive, stream};
use super::truth::{push_record, Edits, Page, Truth, Variant, Via};
use super::vocab::{
    arabic_yeh_kaf, persian_yeh_kaf, strip_zwnj, switch_digits, Digits, Lang, Zwnj,
};
use super::{Generator, Summary};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

/// One generated document, as written to the corpus JSONL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// Document id (`d0000042`).
    pub id: String,
    /// Site it was published on (`plain` without sites).
    pub source: String,
    /// The full text: chrome and article, lines separated by `\n`.
    pub text: String,
}

/// Key of a passage shared across documents: a quote index, or boilerplate (high bit set).
type PassageKey = u64;
const BOILERPLATE: u64 = 1 << 63;

/// A planted passage whose first occurrence may be in another document.
struct Occurrence {
    key: PassageKey,
    start: usize,
    end: usize,
    via: Via,
    variant: Variant,
}

/// A rendered document with its own truth records.
struct Rendered {
    doc: Document,
    /// Truth records that need no other document, as JSON lines.
    truth: Vec<u8>,
    occurrences: Vec<Occurrence>,
    duplicate: Option<bool>,
    /// Whether a teaser passage record is among `truth`.
    teaser: bool,
}

/// Rewrites `text` by `variant` for a document of `lang`.
fn apply_variant(text: &str, variant: Variant, lang: Lang) -> String {
    match variant {
        Variant::Exact => text.to_string(),
        Variant::Zwnj => strip_zwnj(text),
        Variant::YehKaf if lang == Lang::Fa => arabic_yeh_kaf(text),
        Variant::YehKaf => persian_yeh_kaf(text),
        Variant::Edited => text.to_string(),
        Variant::Digits => {
            let to = if text.chars().any(|c| c.is_ascii_digit()) {
                if lang == Lang::Fa {
                    Digits::Persian
                } else {
                    Digits::ArabicIndic
                }
            } else {
                Digits::Ascii
            };
            switch_digits(text, to)
        }
    }
}

/// `text` with 1–3 of its words replaced (by another word of the text), inserted or dropped,
/// each at least 10 words from either end and 12 words from the previous edit; `None` when the
/// text is shorter than 36 words. Only bare words (letters and ZWNJ) are edited, so sentence
/// punctuation stays where it was.
fn edit_quote(text: &str, rng: &mut impl Rng) -> Option<String> {
    let mut words: Vec<&str> = text.split(' ').collect();
    let n = words.len();
    if n < 36 {
        return None;
    }
    let bare = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_alphabetic() || c == '\u{200c}');
    let others: Vec<&str> = words.iter().copied().filter(|w| bare(w)).collect();
    let wanted = rng.gen_range(1..=3);
    let mut places = Vec::new();
    let mut at = 10 + rng.gen_range(0..6);
    while places.len() < wanted && at < n - 10 {
        if bare(words[at]) {
            places.push(at);
            at += 12 + rng.gen_range(0..6);
        } else {
            at += 1;
        }
    }
    if places.is_empty() {
        return None;
    }
    for &at in places.iter().rev() {
        let other = others[rng.gen_range(0..others.len())];
        match rng.gen_range(0..3) {
            0 if other != words[at] => words[at] = other,
            1 => words.insert(at, other),
            _ => {
                words.remove(at);
            }
        }
    }
    Some(words.join(" "))
}

impl Generator {
    fn quote_text(&self, q: u32) -> String {
        let quote = self.quote(q);
        let mut rng = ChaCha8Rng::seed_from_u64(derive(self.seed, stream::QUOTE, q as u64));
        let mut style = Style::pick(quote.lang, &mut rng);
        // Keep ZWNJs in the source so the stripped variant is a real change.
        style.zwnj = Zwnj::Keep;
        let mut text = String::new();
        let target = rng.gen_range(20..=80);
        let mut words = 0;
        while words + 8 <= target {
            let n = rng.gen_range(8..=(target - words).min(30));
            if !text.is_empty() {
                text.push(' ');
            }
            sentence(&mut text, n, &style, &mut rng);
            words += n;
        }
        text
    }

    /// The boilerplate of a plain corpus (no sites): a few per language, shared by many documents.
    fn plain_disclaimer(&self, lang: Lang, k: u64) -> String {
        let key = lang as u64 * 16 + k;
        let mut rng = ChaCha8Rng::seed_from_u64(derive(self.seed, stream::DISCLAIMER, key));
        let style = Style::pick(lang, &mut rng);
        let mut text = String::new();
        sentence(&mut text, rng.gen_range(12..=22), &style, &mut rng);
        text
    }

    /// Document `index` alone (no truth). Pure: the same index always gives the same document.
    pub fn document(&self, index: u64) -> Document {
        self.render(index).doc
    }

    fn render(&self, index: u64) -> Rendered {
        let plan = &self.plan.docs[index as usize];
        let config = &self.config;
        let id = Generator::id(index);
        let mut rng = ChaCha8Rng::seed_from_u64(derive(self.seed, stream::PAGE, index));
        let mut article_rng = ChaCha8Rng::seed_from_u64(plan.article_seed);
        let mut article = Article::generate(
            plan.lang,
            config.doc_bytes,
            config.passages,
            &mut article_rng,
        );
        let mut edits = Edits::default();
        if let Some(copy) = plan.copy.filter(|c| !c.syndicated) {
            if copy.truncated {
                article.truncate_half();
            }
            edits.words = article.edit_words(config.edit_rate, &mut rng);
            edits = copy_variants(&mut article, edits, &mut rng);
        }
        let site = plan.site.map(|k| &self.sites[k as usize]);

        let mut plants: Vec<(PassageKey, Via, Variant)> = Vec::new();
        for &q in &plan.quotes {
            let quote = self.quote(q);
            let mut variant = if quote.source == index {
                Variant::Exact
            } else {
                match (plan.lang, rng.gen_range(0..4)) {
                    (Lang::En, _) | (_, 0) => Variant::Exact,
                    (Lang::Fa, 1) => Variant::Zwnj,
                    (_, 2) => Variant::YehKaf,
                    _ => Variant::Digits,
                }
            };
            let mut text = apply_variant(&self.quote_text(q), variant, plan.lang);
            if config.near_passages && quote.source != index {
                // Its own stream, so the other draws (and corpora without the option) stay put.
                let seed = derive(
                    derive(self.seed, stream::NEAR, index),
                    stream::NEAR,
                    q as u64,
                );
                let mut near_rng = ChaCha8Rng::seed_from_u64(seed);
                if near_rng.gen_bool(0.5) {
                    if let Some(edited) = edit_quote(&self.quote_text(q), &mut near_rng) {
                        text = edited;
                        variant = Variant::Edited;
                    }
                }
            }
            article.plant(text, plants.len(), false, &mut rng);
            plants.push((q as u64, Via::Quote, variant));
        }
        if config.passages {
            let disclaimer = match site {
                Some(s) if rng.gen_range(0..100) < s.disclaimer_pct => Some((
                    BOILERPLATE | plan.site.unwrap_or(0) as u64,
                    s.disclaimer.clone(),
                )),
                None if rng.gen_ratio(1, 20) => {
                    let k = rng.gen_range(0..4);
                    let key = BOILERPLATE | (1 << 32) | (plan.lang as u64 * 16 + k);
                    Some((key, self.plain_disclaimer(plan.lang, k)))
                }
                _ => None,
            };
            if let Some((key, text)) = disclaimer {
                article.plant(text, plants.len(), true, &mut rng);
                plants.push((key, Via::Boilerplate, Variant::Exact));
            }
        }

        let mut page = Page::default();
        let mut marks = vec![(0, 0); plants.len()];
        let teaser = match site {
            Some(s) => s.render(&article, &mut page, &mut marks, &mut rng),
            None => article.render(&mut page, true, &mut marks, |_, _| {}),
        };
        let source = site.map_or_else(|| "plain".to_string(), |s| s.source.clone());

        let mut truth = Vec::with_capacity(64 * (page.lines.len() + 3));
        push_record(
            &mut truth,
            &Truth::Doc {
                id: id.clone(),
                source: source.clone(),
                lang: plan.lang.code().to_string(),
            },
        );
        if let Some(copy) = plan.copy {
            push_record(
                &mut truth,
                &Truth::Duplicate {
                    id: id.clone(),
                    of: Generator::id(copy.of),
                    edits,
                    truncated: copy.truncated,
                    syndicated: copy.syndicated,
                },
            );
        }
        if let Some(t) = teaser {
            push_record(
                &mut truth,
                &Truth::Passage {
                    id: id.clone(),
                    start: t.repeat.0,
                    end: t.repeat.1,
                    of: id.clone(),
                    of_start: t.lead.0,
                    of_end: t.lead.1,
                    via: Via::Teaser,
                    variant: Variant::Exact,
                },
            );
        }
        if config.line_truth {
            for (n, line) in page.lines.iter().enumerate() {
                push_record(
                    &mut truth,
                    &Truth::Line {
                        id: id.clone(),
                        line: n + 1,
                        start: line.start,
                        end: line.end,
                        chrome: line.chrome,
                    },
                );
            }
        }
        let occurrences = plants
            .iter()
            .zip(&marks)
            .map(|(&(key, via, variant), &(start, end))| Occurrence {
                key,
                start,
                end,
                via,
                variant,
            })
            .collect();
        Rendered {
            doc: Document {
                id,
                source,
                text: page.text,
            },
            truth,
            occurrences,
            duplicate: plan.copy.map(|c| c.syndicated),
            teaser: teaser.is_some(),
        }
    }

    /// Renders all documents batch by batch, in parallel, handing each batch to `sink` in order
    /// together with the truth records that link documents.
    fn run(
        &self,
        mut sink: impl FnMut(&[Rendered], &[u8]) -> std::io::Result<()>,
    ) -> std::io::Result<Summary> {
        const BATCH: u64 = 1024;
        let mut summary = Summary {
            sites: self.sites.len() as u32,
            ..Summary::default()
        };
        // First occurrence of each open passage, and for quotes how many hosts are still to come.
        let mut first: HashMap<PassageKey, (u64, usize, usize, u32)> = HashMap::new();
        let mut linked = Vec::new();
        let n = self.len();
        let mut lo = 0;
        while lo < n {
            let hi = (lo + BATCH).min(n);
            let batch: Vec<Rendered> = (lo..hi).into_par_iter().map(|i| self.render(i)).collect();
            linked.clear();
            for (offset, r) in batch.iter().enumerate() {
                let index = lo + offset as u64;
                summary.docs += 1;
                summary.text_bytes += r.doc.text.len() as u64;
                if let Some(syndicated) = r.duplicate {
                    summary.duplicates += 1;
                    summary.syndicated += syndicated as u64;
                }
                for o in &r.occurrences {
                    match first.get_mut(&o.key) {
                        None => {
                            let hosts = if o.key & BOILERPLATE == 0 {
                                self.quote(o.key as u32).hosts - 1
                            } else {
                                u32::MAX
                            };
                            first.insert(o.key, (index, o.start, o.end, hosts));
                        }
                        Some(entry) => {
                            push_record(
                                &mut linked,
                                &Truth::Passage {
                                    id: r.doc.id.clone(),
                                    start: o.start,
                                    end: o.end,
                                    of: Generator::id(entry.0),
                                    of_start: entry.1,
                                    of_end: entry.2,
                                    via: o.via,
                                    variant: o.variant,
                                },
                            );
                            summary.passages += 1;
                            entry.3 -= 1;
                            if entry.3 == 0 {
                                first.remove(&o.key);
                            }
                        }
                    }
                }
                summary.passages += r.teaser as u64;
            }
            sink(&batch, &linked)?;
            lo = hi;
        }
        Ok(summary)
    }

    /// Writes the corpus as JSONL (`{"id","source","text"}` per line) and the truth as JSONL.
    pub fn write_jsonl(&self, corpus: impl Write, truth: impl Write) -> std::io::Result<Summary> {
        let mut corpus = std::io::BufWriter::with_capacity(1 << 20, corpus);
        let mut truth = std::io::BufWriter::with_capacity(1 << 20, truth);
        let summary = self.run(|batch, linked| {
            let lines: Vec<Vec<u8>> = batch
                .par_iter()
                .map(|r| {
                    let mut line = Vec::with_capacity(r.doc.text.len() + 128);
                    // A Document of Strings always serializes.
                    serde_json::to_writer(&mut line, &r.doc).expect("document serializes");
                    line.push(b'\n');
                    line
                })
                .collect();
            for (line, r) in lines.iter().zip(batch) {
                corpus.write_all(line)?;
                truth.write_all(&r.truth)?;
            }
            truth.write_all(linked)
        })?;
        corpus.flush()?;
        truth.flush()?;
        Ok(summary)
    }

    /// Writes the corpus and truth JSONL files at the given paths.
    pub fn write_files(&self, corpus: &Path, truth: &Path) -> crate::Result<Summary> {
        let create = |p: &Path| std::fs::File::create(p).map_err(|e| crate::Error::io(p, e));
        let (c, t) = (create(corpus)?, create(truth)?);
        self.write_jsonl(c, t).map_err(|e| {
            crate::Error::io(format!("{} or {}", corpus.display(), truth.display()), e)
        })
    }

    /// Writes one `<id>.txt` per document into `dir` (created if missing) and the truth JSONL.
    pub fn write_txt_dir(&self, dir: &Path, truth: &Path) -> crate::Result<Summary> {
        std::fs::create_dir_all(dir).map_err(|e| crate::Error::io(dir, e))?;
        let file = std::fs::File::create(truth).map_err(|e| crate::Error::io(truth, e))?;
        let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
        self.run(|batch, linked| {
            batch.par_iter().try_for_each(|r| {
                let path = dir.join(format!("{}.txt", r.doc.id));
                std::fs::write(&path, &r.doc.text)
            })?;
            for r in batch {
                out.write_all(&r.truth)?;
            }
            out.write_all(linked)
        })
        .and_then(|s| out.flush().map(|_| s))
        .map_err(|e| crate::Error::io(dir, e))
    }
}

/// Applies the script-level changes a copy may carry, each with some probability.
fn copy_variants(article: &mut Article, mut edits: Edits, rng: &mut impl Rng) -> Edits {
    let lang = article.style.lang;
    if lang == Lang::Fa && rng.gen_bool(0.3) {
        edits.zwnj = true;
        if article.style.zwnj == Zwnj::Keep {
            article.map_text(strip_zwnj);
        } else {
            // Re-join the commonest prefix the way a careful editor would.
            article.map_text(|t| {
                t.replace("می ", "می\u{200C}")
                    .replace("نمی ", "نمی\u{200C}")
            });
        }
    }
    if lang != Lang::En && rng.gen_bool(0.3) {
        edits.yeh_kaf = true;
        if lang == Lang::Fa {
            article.map_text(arabic_yeh_kaf);
        } else {
            article.map_text(persian_yeh_kaf);
        }
    }
    if lang != Lang::En && rng.gen_bool(0.3) {
        edits.digits = true;
        let to = match (lang, article.style.digits) {
            (Lang::Fa, Digits::Ascii) => Digits::Persian,
            (Lang::Ar, Digits::Ascii) => Digits::ArabicIndic,
            _ => Digits::Ascii,
        };
        article.map_text(|t| switch_digits(t, to));
    }
    edits
}
