//! Article bodies: sentences, paragraphs, subheadings and lists that read like news prose, and the
//! edits that turn an article into a near-duplicate of itself.
//!
//! An [`Article`] is kept as structure (blocks of sentences) until it is rendered, so every edit and
//! every planted insertion happens before byte offsets are taken: offsets are computed once, on the
//! final text.

use super::truth::Page;
use super::vocab::{latin_name, Digits, Lang, Pack, Zwnj};
use rand::Rng;

/// How one document writes script-level details; drawn from the article's own seed so that a
/// copy starts from the same habits and then changes them on purpose.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Style {
    pub(crate) lang: Lang,
    pub(crate) digits: Digits,
    pub(crate) zwnj: Zwnj,
}

impl Style {
    pub(crate) fn pick(lang: Lang, rng: &mut impl Rng) -> Style {
        Style {
            lang,
            digits: Digits::pick(lang, rng),
            zwnj: if lang == Lang::Fa {
                Zwnj::pick(rng)
            } else {
                Zwnj::Keep
            },
        }
    }
}

/// Appends `word`, writing its ZWNJs the way `style` says (with a little per-word inconsistency,
/// as real writers mix habits inside one text).
fn push_word(out: &mut String, word: &str, style: &Style, rng: &mut impl Rng) {
    if !out.is_empty() && !out.ends_with(' ') {
        out.push(' ');
    }
    if !word.contains('\u{200C}') {
        out.push_str(word);
        return;
    }
    let mode = if rng.gen_ratio(1, 20) {
        Zwnj::pick(rng)
    } else {
        style.zwnj
    };
    match mode {
        Zwnj::Keep => out.push_str(word),
        Zwnj::Strip => out.extend(word.chars().filter(|&c| c != '\u{200C}')),
        Zwnj::Space => out.extend(word.chars().map(|c| if c == '\u{200C}' { ' ' } else { c })),
    }
}

/// Appends a number of a plausible news size.
fn push_number(out: &mut String, style: &Style, rng: &mut impl Rng) {
    if !out.is_empty() && !out.ends_with(' ') {
        out.push(' ');
    }
    let n = match rng.gen_range(0..4) {
        0 => rng.gen_range(1..100),
        1 => rng.gen_range(100..10_000),
        2 => rng.gen_range(1_000..1_000_000),
        _ => match style.lang {
            Lang::Fa => rng.gen_range(1395..1406),
            _ => rng.gen_range(2015..2027),
        },
    };
    style.digits.push(out, n, 0);
}

/// One word of running text, by part of speech.
fn push_running_word(out: &mut String, pack: &Pack, style: &Style, rng: &mut impl Rng) {
    match rng.gen_range(0..100) {
        0..=33 => push_word(out, pack.func.sample(rng), style, rng),
        34..=71 => {
            push_word(out, pack.noun.sample(rng), style, rng);
            if style.lang == Lang::Fa && rng.gen_ratio(1, 6) {
                // Plural and ezafe suffixes, joined by ZWNJ or not, multiply the surface forms.
                let suffix =
                    ["\u{200C}ها", "\u{200C}های", "ها", "ی", "\u{200C}ای"][rng.gen_range(0..5)];
                let mut tmp = String::new();
                push_word(&mut tmp, suffix, style, rng);
                out.push_str(&tmp);
            }
        }
        72..=84 => push_word(out, pack.adj.sample(rng), style, rng),
        85..=90 => {
            push_word(out, pack.name.uniform(rng), style, rng);
            if rng.gen_bool(0.5) {
                push_word(out, pack.name.uniform(rng), style, rng);
            }
        }
        91..=92 => {
            if rng.gen_bool(0.5) {
                push_word(out, pack.latin.uniform(rng), style, rng);
            } else {
                let name = latin_name(rng);
                push_word(out, &name, style, rng);
            }
        }
        93..=96 => {
            push_number(out, style, rng);
            push_word(out, pack.unit.sample(rng), style, rng);
        }
        _ => push_word(out, pack.verb.sample(rng), style, rng),
    }
}

/// Appends one sentence of `n` words (roughly: units such as compound verbs count once).
pub(crate) fn sentence(out: &mut String, n: usize, style: &Style, rng: &mut impl Rng) {
    let pack = Pack::get(style.lang);
    let start = out.len();
    let comma = if style.lang == Lang::En { ',' } else { '،' };
    let (open, close) = if style.lang == Lang::En {
        ('"', '"')
    } else {
        ('«', '»')
    };
    let mut since_comma = 0;
    let mut quoting = false;
    if style.lang == Lang::Ar && rng.gen_bool(0.5) {
        push_word(out, pack.verb.sample(rng), style, rng);
    }
    let body = if style.lang == Lang::Fa { n - 1 } else { n };
    for i in 0..body {
        if !quoting && i + 4 < body && rng.gen_ratio(1, 60) {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
            out.push(open);
            quoting = true;
            let before = out.len();
            push_running_word(out, pack, style, rng);
            // push_running_word adds a separating space; the quote mark must hug the word.
            if out[before..].starts_with(' ') {
                out.replace_range(before..before + 1, "");
            }
        } else {
            push_running_word(out, pack, style, rng);
        }
        since_comma += 1;
        if quoting && rng.gen_ratio(1, 3) {
            out.push(close);
            quoting = false;
        } else if since_comma >= 5 && i + 3 < body && rng.gen_ratio(1, 7) {
            out.push(comma);
            since_comma = 0;
        }
    }
    if quoting {
        out.push(close);
    }
    if style.lang == Lang::Fa {
        push_word(out, pack.verb.sample(rng), style, rng);
    }
    let end = match (style.lang, rng.gen_range(0..100)) {
        (Lang::En, 0..=4) => '?',
        (_, 0..=4) => '؟',
        (_, 5) => '!',
        _ => '.',
    };
    out.push(end);
    if style.lang == Lang::En {
        capitalize_at(out, start);
    }
}

/// Upper-cases the ASCII letter at byte `at`, if there is one.
fn capitalize_at(s: &mut String, at: usize) {
    let at = if s[at..].starts_with(' ') { at + 1 } else { at };
    if let Some(c) = s[at..].chars().next() {
        if c.is_ascii_lowercase() {
            s.replace_range(at..at + 1, &c.to_ascii_uppercase().to_string());
        }
    }
}

/// A headline-like line of `min..=max` words without final punctuation.
pub(crate) fn headline(style: &Style, min: usize, max: usize, rng: &mut impl Rng) -> String {
    let pack = Pack::get(style.lang);
    let mut out = String::new();
    for _ in 0..rng.gen_range(min..=max) {
        push_running_word(&mut out, pack, style, rng);
    }
    if style.lang == Lang::Fa && rng.gen_bool(0.4) {
        push_word(&mut out, pack.verb.sample(rng), style, rng);
    }
    if style.lang == Lang::En {
        capitalize_at(&mut out, 0);
    }
    out
}

/// A sentence of running text: the unit that edits and insertions work on.
#[derive(Debug, Clone)]
pub(crate) struct Sentence {
    pub(crate) text: String,
    /// Index of the planted insertion this sentence is, so its offsets can be reported.
    pub(crate) mark: Option<usize>,
}

/// A block of the body, rendered as one or more lines.
#[derive(Debug, Clone)]
pub(crate) enum Block {
    Para(Vec<Sentence>),
    /// A paragraph that opens with the lead paragraph word for word (a teaser repeated in the body).
    Teaser(Vec<Sentence>),
    Heading(String),
    List(Vec<String>),
}

/// An article: title plus body blocks, before rendering.
#[derive(Debug, Clone)]
pub(crate) struct Article {
    pub(crate) style: Style,
    pub(crate) title: String,
    pub(crate) blocks: Vec<Block>,
}

/// Where the teaser repeat landed in the rendered text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TeaserSpan {
    pub(crate) lead: (usize, usize),
    pub(crate) repeat: (usize, usize),
}

fn para(style: &Style, sentences: usize, rng: &mut impl Rng) -> Vec<Sentence> {
    (0..sentences)
        .map(|_| {
            let mut text = String::new();
            sentence(&mut text, rng.gen_range(8..=30), style, rng);
            Sentence { text, mark: None }
        })
        .collect()
}

impl Article {
    /// Writes an article of about `target_bytes` of body; `teaser` allows the lead to be repeated.
    pub(crate) fn generate(
        lang: Lang,
        target_bytes: usize,
        teaser: bool,
        rng: &mut impl Rng,
    ) -> Article {
        let style = Style::pick(lang, rng);
        let title = headline(&style, 5, 13, rng);
        let target = rng
            .gen_range(target_bytes / 2..=target_bytes * 3 / 2)
            .max(200);
        let mut blocks = vec![Block::Para(para(&style, rng.gen_range(1..=3), rng))];
        let mut teaser_at = if teaser && rng.gen_bool(0.35) {
            rng.gen_range(2..=4)
        } else {
            usize::MAX
        };
        let mut bytes = 0;
        while bytes < target {
            let block = if blocks.len() >= teaser_at {
                teaser_at = usize::MAX;
                Block::Teaser(para(&style, rng.gen_range(2..=4), rng))
            } else {
                match rng.gen_range(0..100) {
                    0..=9 if !matches!(blocks.last(), Some(Block::Heading(_))) => {
                        Block::Heading(headline(&style, 2, 6, rng))
                    }
                    10..=13 => Block::List(
                        (0..rng.gen_range(3..=5))
                            .map(|_| {
                                let mut s = String::new();
                                sentence(&mut s, rng.gen_range(6..=14), &style, rng);
                                s
                            })
                            .collect(),
                    ),
                    _ => Block::Para(para(&style, rng.gen_range(2..=6), rng)),
                }
            };
            bytes += block_len(&block);
            blocks.push(block);
        }
        Article {
            style,
            title,
            blocks,
        }
    }

    /// Applies `f` to every piece of text (title, sentences, headings, list items).
    pub(crate) fn map_text(&mut self, f: impl Fn(&str) -> String) {
        self.title = f(&self.title);
        for block in &mut self.blocks {
            match block {
                Block::Para(s) | Block::Teaser(s) => s.iter_mut().for_each(|s| s.text = f(&s.text)),
                Block::Heading(h) => *h = f(h),
                Block::List(items) => items.iter_mut().for_each(|i| *i = f(i)),
            }
        }
    }

    /// Replaces, inserts or deletes about `rate` of the body's words; returns how many edits.
    pub(crate) fn edit_words(&mut self, rate: f64, rng: &mut impl Rng) -> u32 {
        let pack = Pack::get(self.style.lang);
        let style = self.style;
        let mut edits = 0;
        for block in &mut self.blocks {
            match block {
                Block::Para(s) | Block::Teaser(s) => s
                    .iter_mut()
                    .for_each(|s| edits += edit_text(&mut s.text, rate, pack, &style, rng)),
                Block::List(items) => items
                    .iter_mut()
                    .for_each(|i| edits += edit_text(i, rate, pack, &style, rng)),
                Block::Heading(_) => {}
            }
        }
        edits
    }

    /// Keeps the first half of the body blocks (a partial copy, contained in its original).
    pub(crate) fn truncate_half(&mut self) {
        let keep = self.blocks.len().div_ceil(2).max(1);
        self.blocks.truncate(keep);
    }

    /// Plants `text` as a sentence of a body paragraph other than the lead, tagged `mark`.
    /// `at_end` puts it last in the paragraph (where boilerplate sits).
    pub(crate) fn plant(&mut self, text: String, mark: usize, at_end: bool, rng: &mut impl Rng) {
        // The lead is excluded because a teaser repeat would duplicate the planted text.
        let candidates: Vec<usize> = (1..self.blocks.len())
            .filter(|&i| matches!(self.blocks[i], Block::Para(_)))
            .collect();
        let sentence = Sentence {
            text,
            mark: Some(mark),
        };
        if candidates.is_empty() {
            self.blocks.push(Block::Para(vec![sentence]));
            return;
        }
        let at = candidates[rng.gen_range(0..candidates.len())];
        if let Block::Para(s) = &mut self.blocks[at] {
            let pos = if at_end {
                s.len()
            } else {
                rng.gen_range(0..=s.len())
            };
            s.insert(pos, sentence);
        }
    }

    /// Renders the title and body into `page`; returns the teaser span (if the teaser survived)
    /// and, per planted mark, its byte range.
    pub(crate) fn render(
        &self,
        page: &mut Page,
        blank_between: bool,
        marks: &mut [(usize, usize)],
        mut between: impl FnMut(&mut Page, usize),
    ) -> Option<TeaserSpan> {
        page.line(&self.title, false);
        if blank_between {
            page.line("", false);
        }
        let mut lead: Option<(usize, usize, String)> = None;
        let mut teaser = None;
        let mut buf = String::new();
        for (i, block) in self.blocks.iter().enumerate() {
            if i > 0 {
                if blank_between {
                    page.line("", false);
                }
                between(page, i);
            }
            match block {
                Block::Heading(h) => {
                    page.line(h, false);
                }
                Block::List(items) => {
                    for item in items {
                        buf.clear();
                        buf.push_str("- ");
                        buf.push_str(item);
                        page.line(&buf, false);
                    }
                }
                Block::Para(sentences) | Block::Teaser(sentences) => {
                    buf.clear();
                    let mut local = Vec::new();
                    let prefix = match (block, &lead) {
                        (Block::Teaser(_), Some((_, _, text))) => {
                            buf.push_str(text);
                            Some(text.len())
                        }
                        _ => None,
                    };
                    for s in sentences {
                        if !buf.is_empty() {
                            buf.push(' ');
                        }
                        let start = buf.len();
                        buf.push_str(&s.text);
                        if let Some(m) = s.mark {
                            local.push((m, start, buf.len()));
                        }
                    }
                    let at = page.line(&buf, false);
                    for (m, s, e) in local {
                        marks[m] = (at + s, at + e);
                    }
                    match (prefix, &lead) {
                        (Some(len), Some((ls, le, _))) => {
                            teaser = Some(TeaserSpan {
                                lead: (*ls, *le),
                                repeat: (at, at + len),
                            })
                        }
                        (None, None) if matches!(block, Block::Para(_)) => {
                            lead = Some((at, at + buf.len(), buf.clone()))
                        }
                        _ => {}
                    }
                }
            }
        }
        teaser
    }
}

/// Word-level edits of one sentence; returns how many.
fn edit_text(text: &mut String, rate: f64, pack: &Pack, style: &Style, rng: &mut impl Rng) -> u32 {
    let words: Vec<&str> = text.split(' ').collect();
    let mut out = String::with_capacity(text.len() + 16);
    let mut edits = 0;
    for (i, w) in words.iter().enumerate() {
        // The last word carries the sentence's punctuation; keeping it keeps the shape.
        if i + 1 == words.len() || !rng.gen_bool(rate) {
            push_plain(&mut out, w);
            continue;
        }
        edits += 1;
        match rng.gen_range(0..3) {
            0 => push_word(&mut out, pack.noun.sample(rng), style, rng),
            1 => {
                push_plain(&mut out, w);
                push_word(&mut out, pack.adj.sample(rng), style, rng);
            }
            _ => {}
        }
    }
    *text = out;
    edits
}

fn push_plain(out: &mut String, w: &str) {
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(w);
}

fn block_len(block: &Block) -> usize {
    match block {
        Block::Para(s) | Block::Teaser(s) => s.iter().map(|s| s.text.len() + 1).sum(),
        Block::Heading(h) => h.len(),
        Block::List(items) => items.iter().map(|i| i.len() + 3).sum(),
    }
}
