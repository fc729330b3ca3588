//! The line features of pass 1 kept for pass 2, packed, within a memory budget.
//!
//! Both passes of [`super::detect_with_model`] need every line's features: pass 1 for template
//! counts, line marks and titles, pass 2 to judge the page. Computing them is the largest cost
//! of chrome detection (two fifths of a `chaff chrome` run when done in both passes), so pass 1
//! keeps each page's lines, packed to 96 bytes a line (from 160 as [`Line`]), and pass 2 takes
//! them back instead of computing them again. Pages beyond the budget, or whose line does not
//! fit the packed form (a text past 4 GiB, a count past 65 535), are not kept, and pass 2
//! computes their features as before.
//!
//! Guarantees: a kept page unpacks to exactly the lines [`super::features::lines`] gives; which
//! pages are kept changes the time taken, never the lines found.

use super::features::{Features, Line};
use super::lexicon::Lang;
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// One line's features in 96 bytes (see [`PackedLine::pack`]).
#[derive(Debug, Clone)]
pub(super) struct PackedLine {
    /// shape, exact, prefix2, head3, tail3, label, path.
    hashes: [u64; 7],
    start: u32,
    end: u32,
    /// tokens, words, numbers, quantities, chars, stop, ui, date_words, commas, capitalized,
    /// separators.
    counts: [u16; 11],
    flags: u16,
    /// The stopword list's index, [`NO_LIST`] for none.
    stop_lang: u8,
}

const NO_LIST: u8 = u8::MAX;

/// The flags, in bit order.
const STARTS_LOWER: u16 = 1;
const ADDRESS: u16 = 1 << 1;
const ENDS_SENTENCE: u16 = 1 << 2;
const ENDS_COLON: u16 = 1 << 3;
const TRUNCATED: u16 = 1 << 4;
const ENDS_STAR: u16 = 1 << 5;
const STARTS_STAR: u16 = 1 << 6;
const STAR_MARKER: u16 = 1 << 7;
const LEADING_SEPARATOR: u16 = 1 << 8;
const PATH_SEPARATOR: u16 = 1 << 9;
const BULLET: u16 = 1 << 10;
const CLOCK_OR_DATE: u16 = 1 << 11;
const COPYRIGHT: u16 = 1 << 12;
const LABEL_UI: u16 = 1 << 13;
const HAS_LABEL: u16 = 1 << 14;
const HAS_PATH: u16 = 1 << 15;

impl PackedLine {
    /// The packed form of `line`, or `None` when a value does not fit it.
    fn pack(line: &Line) -> Option<PackedLine> {
        let f = &line.f;
        let small = |n: u32| u16::try_from(n).ok();
        let counts = [
            small(f.tokens)?,
            small(f.words)?,
            small(f.numbers)?,
            small(f.quantities)?,
            small(f.chars)?,
            small(f.stop)?,
            small(f.ui)?,
            small(f.date_words)?,
            small(f.commas)?,
            small(f.capitalized)?,
            small(f.separators)?,
        ];
        // `lang` is the list's language when the list is one of Lang's (see features()).
        let stop_lang = match f.stop_lang {
            Some(i) if i != NO_LIST && f.lang == Lang::ALL.get(i as usize).copied() => i,
            Some(_) => return None,
            None if f.lang.is_none() => NO_LIST,
            None => return None,
        };
        let mut flags = 0;
        for (on, bit) in [
            (f.starts_lower, STARTS_LOWER),
            (f.address, ADDRESS),
            (f.ends_sentence, ENDS_SENTENCE),
            (f.ends_colon, ENDS_COLON),
            (f.truncated, TRUNCATED),
            (f.ends_star, ENDS_STAR),
            (f.starts_star, STARTS_STAR),
            (f.star_marker, STAR_MARKER),
            (f.leading_separator, LEADING_SEPARATOR),
            (f.path_separator, PATH_SEPARATOR),
            (f.bullet, BULLET),
            (f.clock_or_date, CLOCK_OR_DATE),
            (f.copyright, COPYRIGHT),
            (f.label_ui, LABEL_UI),
            (f.label.is_some(), HAS_LABEL),
            (f.path.is_some(), HAS_PATH),
        ] {
            if on {
                flags |= bit;
            }
        }
        Some(PackedLine {
            hashes: [
                f.shape,
                f.exact,
                f.prefix2,
                f.head3,
                f.tail3,
                f.label.unwrap_or(0),
                f.path.unwrap_or(0),
            ],
            start: u32::try_from(line.start).ok()?,
            end: u32::try_from(line.end).ok()?,
            counts,
            flags,
            stop_lang,
        })
    }

    /// The line back, as line `number` of its page.
    fn unpack(&self, number: u32) -> Line {
        let [tokens, words, numbers, quantities, chars, stop, ui, date_words, commas, capitalized, separators] =
            self.counts.map(u32::from);
        let [shape, exact, prefix2, head3, tail3, label, path] = self.hashes;
        let on = |bit: u16| self.flags & bit != 0;
        let stop_lang = (self.stop_lang != NO_LIST).then_some(self.stop_lang);
        Line {
            start: self.start as usize,
            end: self.end as usize,
            number,
            f: Features {
                tokens,
                words,
                numbers,
                quantities,
                chars,
                stop,
                ui,
                date_words,
                lang: stop_lang.and_then(|i| Lang::ALL.get(i as usize).copied()),
                stop_lang,
                commas,
                capitalized,
                starts_lower: on(STARTS_LOWER),
                address: on(ADDRESS),
                ends_sentence: on(ENDS_SENTENCE),
                ends_colon: on(ENDS_COLON),
                truncated: on(TRUNCATED),
                ends_star: on(ENDS_STAR),
                starts_star: on(STARTS_STAR),
                star_marker: on(STAR_MARKER),
                separators,
                leading_separator: on(LEADING_SEPARATOR),
                path_separator: on(PATH_SEPARATOR),
                bullet: on(BULLET),
                clock_or_date: on(CLOCK_OR_DATE),
                copyright: on(COPYRIGHT),
                shape,
                exact,
                prefix2,
                head3,
                tail3,
                label: on(HAS_LABEL).then_some(label),
                label_ui: on(LABEL_UI),
                path: on(HAS_PATH).then_some(path),
            },
        }
    }
}

/// A page's lines packed, or `None` when one of them does not fit the packed form.
pub(super) fn pack(lines: &[Line]) -> Option<Box<[PackedLine]>> {
    // Line numbers are implied by position: lines() numbers them from 1 without gaps.
    debug_assert!(lines.iter().zip(1..).all(|(l, n)| l.number == n));
    lines.iter().map(PackedLine::pack).collect()
}

/// A page's lines unpacked.
pub(super) fn unpack(packed: &[PackedLine]) -> Vec<Line> {
    packed.iter().zip(1..).map(|(p, n)| p.unpack(n)).collect()
}

/// Bytes a kept page is counted for: its lines and its entry in the queue.
fn cost(lines: usize) -> u64 {
    (lines * std::mem::size_of::<PackedLine>() + std::mem::size_of::<(u32, Box<[PackedLine]>)>())
        as u64
}

/// A page kept from pass 1: what pass 2 needs of it besides the text.
pub(super) struct KeptPage {
    pub(super) doc: u32,
    pub(super) id: Box<str>,
    pub(super) source: Option<Arc<str>>,
    pub(super) lines: Box<[PackedLine]>,
}

/// The pages kept, in corpus order, within a budget.
pub(super) struct Kept {
    state: Mutex<State>,
    budget: u64,
    /// Set once a page was not kept: later pages are not packed at all.
    full: AtomicBool,
}

#[derive(Default)]
struct State {
    pages: VecDeque<KeptPage>,
    used: u64,
    /// Every page so far is kept.
    complete: bool,
    /// One shared name per source.
    sources: HashMap<String, Arc<str>>,
}

impl Kept {
    /// An empty store holding at most `budget` bytes of packed lines.
    pub(super) fn new(budget: u64) -> Self {
        Kept {
            state: Mutex::new(State {
                complete: budget > 0,
                ..State::default()
            }),
            budget,
            full: AtomicBool::new(budget == 0),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether a page may still be kept (worth packing).
    pub(super) fn open(&self) -> bool {
        !self.full.load(Ordering::Relaxed)
    }

    /// Keeps page `doc`'s packed lines if they fit the budget (`None`: lines that did not fit
    /// the packed form); pages come in corpus order.
    pub(super) fn add(
        &self,
        doc: u32,
        id: &str,
        source: Option<&str>,
        packed: Option<Box<[PackedLine]>>,
    ) {
        let mut state = self.state();
        let Some(lines) = packed.filter(|_| self.open()) else {
            state.complete = false;
            return;
        };
        let c = cost(lines.len()) + id.len() as u64;
        if state.used + c > self.budget {
            self.full.store(true, Ordering::Relaxed);
            state.complete = false;
            return;
        }
        state.used += c;
        let source = source.map(|name| match state.sources.get(name) {
            Some(shared) => shared.clone(),
            None => {
                let shared: Arc<str> = Arc::from(name);
                state.sources.insert(name.to_string(), shared.clone());
                shared
            }
        });
        debug_assert!(state.pages.back().is_none_or(|p| p.doc < doc));
        state.pages.push_back(KeptPage {
            doc,
            id: id.into(),
            source,
            lines,
        });
    }

    /// Whether every page of pass 1 was kept, so that pass 2 need not read the corpus.
    pub(super) fn complete(&self) -> bool {
        self.state().complete
    }

    /// Takes page `doc`'s lines out of the store, if kept; asked in corpus order, so that the
    /// pages before it (never asked for) are dropped on the way.
    pub(super) fn take(&self, doc: u32) -> Option<Box<[PackedLine]>> {
        let mut state = self.state();
        while state.pages.front().is_some_and(|p| p.doc < doc) {
            state.pages.pop_front();
        }
        match state.pages.front() {
            Some(p) if p.doc == doc => state.pages.pop_front().map(|p| p.lines),
            _ => None,
        }
    }

    /// Takes the next `n` pages out of the store (fewer at its end), in corpus order.
    pub(super) fn take_front(&self, n: usize) -> Vec<KeptPage> {
        let mut state = self.state();
        let n = n.min(state.pages.len());
        state.pages.drain(..n).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Normalizer;

    #[test]
    fn packed_lines_unpack_to_the_same_features() {
        let mut text = String::new();
        for name in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        {
            text.push_str(&std::fs::read_to_string(name).unwrap());
        }
        text.push_str("\nHome › World › Talks\nRelated: more here\n© 2024 x\n11:04 - 29/10/2024\n");
        let lines = super::super::features::lines(&text, &Normalizer::default());
        assert!(lines.len() > 100);
        let back = unpack(&pack(&lines).unwrap());
        assert_eq!(back.len(), lines.len());
        for (a, b) in lines.iter().zip(&back) {
            assert_eq!((a.start, a.end, a.number), (b.start, b.end, b.number));
            assert_eq!(a.f, b.f);
        }
    }

    #[test]
    fn pages_beyond_the_budget_are_not_kept() {
        let lines = super::super::features::lines("a b\nc d\n", &Normalizer::default());
        let kept = Kept::new(cost(2) * 2 + 2);
        for doc in 0..3 {
            kept.add(doc, "d", Some("s"), pack(&lines));
        }
        assert!(!kept.open() && !kept.complete());
        assert!(kept.take(0).is_some());
        assert!(kept.take(1).is_some());
        assert!(kept.take(2).is_none());
    }

    #[test]
    fn a_page_whose_lines_do_not_pack_leaves_the_store_incomplete() {
        let lines = super::super::features::lines("a b\nc d\n", &Normalizer::default());
        let kept = Kept::new(1 << 20);
        kept.add(0, "a", None, pack(&lines));
        assert!(kept.complete());
        kept.add(1, "b", None, None);
        assert!(kept.open() && !kept.complete());
        let pages = kept.take_front(5);
        assert_eq!(pages.len(), 1);
        assert_eq!(&*pages[0].id, "a");
    }
}
