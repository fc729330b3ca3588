//! The line model: a calibrated probability that a line is chrome.
//!
//! The rules of [`super::classify`] propose (a cue, a region, the article body); this model
//! decides. Each line becomes a vector of features — its own shape (length, function-word
//! density in whichever language's list fits it best, sentence and clause punctuation,
//! separators, dates, UI words), its neighbourhood (position, distance to the body, how much of
//! what surrounds it is prose), the corpus evidence (recurrence on the source's pages, syndicated
//! copies) and the rules' cue as one input per cue — and a logistic regression over them gives
//! the probability. The weights are versioned data (`data/line_model.json`) fitted by
//! `scripts/chrome_dev/train.py` on real pages with line labels (see `data/chrome-dev/`), with
//! whole sites held out to choose the threshold.
//!
//! Two pieces are not learned, because the labeled pages carry one page per site and no
//! syndicated copies: a line whose shape recurs on a share of its source's pages gains
//! `TEMPLATE_LOGIT` × that share in log-odds, a line that syndicated copies lack gains
//! `SYNDICATION_LOGIT`, and a line that is the title of another page of the corpus (a link to
//! it) gains `OTHER_TITLE_LOGIT`; the items of a related list after the article gain
//! `TEMPLATE_LOGIT` × the share of the source's pages carrying the list's heading. And one
//! guard is not left to the weights: a line that reads as prose whose only cue is its position
//! is capped at `PROSE_CAP`, below any sensible threshold, unless the model's own-text stage,
//! which weighs what the line reads and nothing of where it stands, calls its text chrome
//! ("Sign up for our daily email.") and the line either ends a sentence or stands after the
//! article (a headline before it may be the article's own title). The same cap holds, on
//! position alone, the heading beside the title (a kicker, a subtitle), a list the article's
//! own clause introduces ("...جاء فيها:") and verse (a run of lines that rhyme), whatever
//! their items look like. What lifts the cap is evidence beyond position: the line's own text,
//! or, for a headline after most of the article, chrome on both sides of it (the item of a list
//! of links whose other lines are times, counts or buttons; see [`amid_chrome`]), or, after
//! most of the article, a record shape repeated three times or more (a teaser's headline and
//! blurb closed each time by the same labels; see [`repeated_records`]).
//!
//! A rule's precision on the training pages is a floor under its lines' scores, except for the
//! list rules inside the article and before it, for a list the article's own sentence
//! introduces, and for any line that reads as prose: a run of short lines, or a paragraph in a
//! section a rule found, is judged by the model, not by the rule that found it.
//!
//! Guarantees: the score depends only on the page, the evidence given and the model file; it
//! lies in `[0, 1]`.

use super::classify::{self, Class, Cue, Evidence, Judgement, Region};
use super::features::Line;
use super::vocabulary::Vocabulary;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::sync::{Arc, OnceLock};

/// The `format` string of a line-model file.
pub const LINE_MODEL_FORMAT: &str = "chaff-line-model";
/// The line-model file version read and written.
pub const LINE_MODEL_VERSION: u32 = 1;

fn first_normalization() -> u32 {
    1
}

/// Log-odds a line gains per unit of the share of its source's pages carrying its shape. Not
/// learned (the labeled pages hold few pages per site): a prior strong enough that a line on
/// every page of its source clears the default threshold (log-odds 3.0) even when its text
/// reads as prose to the model (log-odds down to −4.9). At 4 it no longer did once the default
/// threshold rose to keep content losses within budget; the labeled pages of the 71 sites with
/// several pages score the same held out at 4 and at 8.
const TEMPLATE_LOGIT: f64 = 8.0;
/// Log-odds a line gains when syndicated copies of the article lack it.
const SYNDICATION_LOGIT: f64 = 2.0;
/// Log-odds a line gains when it is the title of another page of the corpus.
const OTHER_TITLE_LOGIT: f64 = 6.0;
/// Interface words that make a prose line's own text evidence of chrome (the prose cap then does
/// not apply): on the labeled pages, capped lines with three or more are 96% chrome.
const INTERFACE_WORDS: u32 = 3;
/// The highest score of a prose line whose only cue is its position.
pub const PROSE_CAP: f64 = 0.3;

/// The line's own inputs (before the one-per-cue inputs), in order, each with whether it says
/// where the line stands or what surrounds it rather than what it reads: the own-text stage may
/// weigh none of those, nor any rule's cue, so that a prose line's place is never the evidence
/// that lifts its cap.
const OWN_INPUT_NAMES: [(&str, bool); OWN_INPUTS] = [
    ("ln_words", false),
    ("ln_chars", false),
    ("stop_density", false),
    ("has_stop", false),
    ("prose", false),
    ("ends_sentence", false),
    ("ends_colon", false),
    ("commas_per_word", false),
    ("bullet", false),
    ("separators", false),
    ("leading_separator", false),
    ("path_separator", false),
    ("clock_or_date", false),
    ("copyright", false),
    ("ui_share", false),
    ("date_share", false),
    ("number_share", false),
    ("label", false),
    ("label_ui", false),
    ("ln_chars_per_word", false),
    ("rel_pos", true),
    ("header", true),
    ("footer", true),
    ("ln_dist_body", true),
    ("is_title", true),
    ("prev_good", true),
    ("next_good", true),
    ("window_good", true),
    ("window_ln_words", true),
    ("headline_like", false),
    ("ln_page_repeats", false),
    ("ln_page_lines", true),
    ("no_body", true),
    ("capitalized_share", false),
    ("starts_lower", false),
    ("address", false),
    ("ln_table_run", true),
    ("truncated", false),
    ("vocab_mean", false),
    ("vocab_min", false),
    ("vocab_max", false),
    ("vocab_share", false),
];

/// Names of the model's inputs, in order. A model file names its weights the same way, and a
/// file whose names differ is refused.
pub fn feature_names() -> Vec<String> {
    OWN_INPUT_NAMES
        .iter()
        .map(|&(name, _)| name.to_string())
        .chain(Cue::RULES.iter().map(|c| format!("cue_{}", c.name())))
        .collect()
}

/// Whether the input `name` says where a line stands (see [`OWN_INPUT_NAMES`]) or is a rule's cue.
fn says_where_it_stands(name: &str) -> bool {
    name.starts_with("cue_")
        || OWN_INPUT_NAMES
            .iter()
            .any(|&(n, stands)| stands && n == name)
}

/// Names of the second stage's extra inputs: the first stage's probability of the line and of
/// its neighbours (as jusText's context smoothing, but learned), appended to the line's own.
pub fn context_names() -> Vec<String> {
    [
        "ctx_self",
        "ctx_prev",
        "ctx_next",
        "ctx_w2",
        "ctx_w5",
        "ctx_content_before",
        "ctx_content_after",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// The second stage of a line model: weights over the line's inputs followed by
/// [`context_names`].
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ContextStage {
    /// One weight per input of [`feature_names`] then of [`context_names`].
    pub weights: Vec<f64>,
    /// The intercept.
    pub bias: f64,
}

/// The own-text stage of a line model: logistic-regression weights over some of the line's
/// inputs, named, none of which says where the line stands.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct OwnTextStage {
    /// Names of the inputs it weighs, from [`feature_names`].
    pub inputs: Vec<String>,
    /// One weight per input of `inputs`.
    pub weights: Vec<f64>,
    /// The intercept.
    pub bias: f64,
    /// `inputs` as positions in [`feature_names`].
    #[serde(skip)]
    slots: Vec<usize>,
}

impl OwnTextStage {
    /// Whether the line's inputs `x` read as chrome, by its text alone.
    fn reads_as_chrome(&self, x: &[f64]) -> bool {
        let logit = self.bias
            + self
                .slots
                .iter()
                .zip(&self.weights)
                .map(|(&k, w)| w * x[k])
                .sum::<f64>();
        logit > 0.0
    }
}

/// A fitted line model: logistic-regression weights and the default threshold.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LineModel {
    /// Always [`LINE_MODEL_FORMAT`].
    pub format: String,
    /// Always [`LINE_MODEL_VERSION`].
    pub version: u32,
    /// The [`crate::text::NORMALIZATION_VERSION`] of the fold tables that shaped the inputs
    /// (function words and dates are looked up folded); absent from files fitted before it was
    /// recorded, under version 1. Another version is refused: the weights would read other words.
    #[serde(default = "first_normalization")]
    pub normalization: u32,
    /// Input names, in the order of [`feature_names`].
    pub features: Vec<String>,
    /// One weight per input.
    pub weights: Vec<f64>,
    /// The intercept.
    pub bias: f64,
    /// The context stage, fed with the first stage's probabilities of the line's neighbours.
    #[serde(default)]
    pub context: Option<ContextStage>,
    /// Share of the lines each rule (`region:cue`, as in records) flagged on the training pages
    /// that were chrome (smoothed, rules that flagged at least a few dozen lines only): the
    /// probability a rule alone is worth. A line's score is at least its rule's: the labeled
    /// pages hold no Persian and little Arabic, and there the rules know more than the weights
    /// (`train.py --rule-floors` says what dropping the weaker floors costs).
    #[serde(default)]
    pub rule_precision: std::collections::BTreeMap<String, f64>,
    /// The stage over what a line reads alone (never where it stands): a prose line whose only
    /// other cue is its position is capped unless this stage calls its text chrome. Absent
    /// (files fitted before it): every such line is capped.
    #[serde(default)]
    pub own_text: Option<OwnTextStage>,
    /// The words whose presence is evidence of chrome or content ([`Vocabulary`]), learned
    /// with the weights. Absent (files fitted before it): no word is weighed.
    #[serde(default, skip_serializing_if = "Vocabulary::is_empty")]
    pub vocabulary: Vocabulary,
    /// Default removal threshold (`--chrome-threshold`), chosen on held-out sites.
    pub threshold: f64,
    /// Default threshold for leaving a line out of a comparison of documents (`scan`,
    /// `dups --chrome`), where nothing is deleted: the lowest at which 97% of the lines left out
    /// on held-out sites are chrome, without the content budget of removal. Absent: `threshold`.
    #[serde(default)]
    pub compare_threshold: Option<f64>,
    /// How the model was fitted and what it scored on held-out sites, for people.
    #[serde(default)]
    pub note: serde_json::Value,
    /// `rule_precision` by region and by cue (in `Cue::FLOORED` order), looked up per line.
    #[serde(skip)]
    rule_floor: [[f64; Cue::FLOORED.len()]; 3],
}

impl LineModel {
    /// The model shipped with chaff.
    pub fn builtin() -> Arc<LineModel> {
        static BUILTIN: OnceLock<Arc<LineModel>> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                let model = LineModel::from_json(include_str!("data/line_model.json"), "builtin")
                    .expect("the shipped line model matches the features (tested)");
                Arc::new(model)
            })
            .clone()
    }

    /// Reads a model from JSON text; `origin` names it in errors.
    pub fn from_json(text: &str, origin: &str) -> Result<LineModel> {
        let bad = |message: String| Error::Incompatible {
            path: origin.into(),
            message,
        };
        let mut model: LineModel =
            serde_json::from_str(text).map_err(|e| bad(format!("not a line model: {e}")))?;
        if model.format != LINE_MODEL_FORMAT || model.version != LINE_MODEL_VERSION {
            return Err(bad(format!(
                "format {:?} version {} is not {LINE_MODEL_FORMAT:?} version {LINE_MODEL_VERSION}",
                model.format, model.version
            )));
        }
        if model.normalization != crate::text::NORMALIZATION_VERSION {
            return Err(bad(format!(
                "line model fitted with normalization version {} (fold tables); this chaff folds \
                 text as version {} (refit it with scripts/chrome_dev/train.py)",
                model.normalization,
                crate::text::NORMALIZATION_VERSION
            )));
        }
        let names = feature_names();
        if model.features != names || model.weights.len() != names.len() {
            return Err(bad(format!(
                "the model's {} inputs are not the {} this chaff computes (retrain it with \
                 scripts/chrome_dev/train.py)",
                model.weights.len(),
                names.len()
            )));
        }
        if let Some(c) = &model.context {
            if c.weights.len() != names.len() + context_names().len() {
                return Err(bad(format!(
                    "the model's context stage has {} weights, not {}",
                    c.weights.len(),
                    names.len() + context_names().len()
                )));
            }
        }
        if let Some(stage) = &mut model.own_text {
            if stage.weights.len() != stage.inputs.len() {
                return Err(bad(format!(
                    "the model's own-text stage has {} weights for {} inputs",
                    stage.weights.len(),
                    stage.inputs.len()
                )));
            }
            stage.slots = Vec::with_capacity(stage.inputs.len());
            for input in &stage.inputs {
                if says_where_it_stands(input) {
                    return Err(bad(format!(
                        "the model's own-text stage weighs {input:?}, which says where a line \
                         stands, not what it reads"
                    )));
                }
                let Some(k) = names.iter().position(|n| n == input) else {
                    return Err(bad(format!(
                        "the model's own-text stage weighs {input:?}, not an input of this chaff"
                    )));
                };
                stage.slots.push(k);
            }
        }
        for t in std::iter::once(model.threshold).chain(model.compare_threshold) {
            if !(0.0..=1.0).contains(&t) {
                return Err(bad(format!("threshold {t} is not in [0, 1]")));
            }
        }
        for (key, &p) in &model.rule_precision {
            let found = [Region::Header, Region::Body, Region::Footer]
                .iter()
                .enumerate()
                .flat_map(|(r, region)| {
                    Cue::FLOORED
                        .iter()
                        .enumerate()
                        .map(move |(c, cue)| (r, c, format!("{}:{}", region.name(), cue.name())))
                })
                .find(|(_, _, name)| name == key);
            let Some((r, c, _)) = found else {
                return Err(bad(format!("unknown rule {key:?} in rule_precision")));
            };
            if !(0.0..=1.0).contains(&p) {
                return Err(bad(format!("rule {key:?}: precision {p} is not in [0, 1]")));
            }
            model.rule_floor[r][c] = p;
        }
        Ok(model)
    }

    /// Reads a model file.
    pub fn load(path: &std::path::Path) -> Result<LineModel> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        LineModel::from_json(&text, &path.display().to_string())
    }

    fn logit(&self, x: &[f64]) -> f64 {
        self.bias + dot(&self.weights, x)
    }

    fn rule_floor(&self, region: Region, cue: Cue) -> Option<f64> {
        let r = match region {
            Region::Header => 0,
            Region::Body => 1,
            Region::Footer => 2,
        };
        let c = Cue::FLOORED.iter().position(|&x| x == cue)?;
        Some(self.rule_floor[r][c])
    }

    /// The log-odds of every filled line (`filled` in line order, `xs` by line index).
    fn logits(&self, filled: &[usize], xs: &Inputs) -> Vec<f64> {
        let first: Vec<f64> = filled.iter().map(|&i| self.logit(xs.row(i))).collect();
        let Some(stage) = &self.context else {
            return first;
        };
        let p: Vec<f64> = first.iter().map(|&l| sigmoid(l)).collect();
        let ctx = context_inputs(&p);
        let own = if xs.values.is_empty() { 0 } else { xs.width };
        filled
            .iter()
            .zip(ctx)
            .map(|(&i, c)| {
                stage.bias + dot(&stage.weights[..own], xs.row(i)) + dot(&stage.weights[own..], &c)
            })
            .collect()
    }
}

/// Inputs before the one-per-cue inputs.
const OWN_INPUTS: usize = 42;

fn dot(w: &[f64], x: &[f64]) -> f64 {
    w.iter().zip(x).map(|(w, v)| w * v).sum()
}

fn sigmoid(logit: f64) -> f64 {
    1.0 / (1.0 + (-logit).exp())
}

/// The context inputs of each filled line from the first stage's probabilities `p` (in the
/// order of [`context_names`]); a missing neighbour counts as 0.5, no evidence either way.
pub fn context_inputs(p: &[f64]) -> Vec<[f64; 7]> {
    let n = p.len();
    let mean = |k: usize, r: usize| {
        let lo = k.saturating_sub(r);
        let hi = (k + r).min(n.saturating_sub(1));
        let count = hi - lo; // the window without the line itself
        if count == 0 {
            0.5
        } else {
            (p[lo..=hi].iter().sum::<f64>() - p[k]) / count as f64
        }
    };
    let content: Vec<f64> = p.iter().map(|&v| (v < 0.5) as u8 as f64).collect();
    let total = n.max(1) as f64;
    let mut before = 0.0;
    let all: f64 = content.iter().sum();
    (0..n)
        .map(|k| {
            let after = all - before - content[k];
            let row = [
                p[k],
                if k > 0 { p[k - 1] } else { 0.5 },
                if k + 1 < n { p[k + 1] } else { 0.5 },
                mean(k, 2),
                mean(k, 5),
                before / total,
                after / total,
            ];
            before += content[k];
            row
        })
        .collect()
}

fn ln1(x: f64) -> f64 {
    (1.0 + x).ln()
}

fn is_good(c: Class) -> bool {
    c == Class::Good
}

/// Lines that carry any character (blank lines are never scored).
fn filled(lines: &[Line]) -> Vec<usize> {
    (0..lines.len())
        .filter(|&i| !lines[i].f.is_empty() || lines[i].f.chars > 0)
        .collect()
}

/// The input vectors of a page's lines, one row of `width` values per line, in one array: a
/// vector per line was a tenth of the allocations of a chrome run.
pub(crate) struct Inputs {
    pub(crate) width: usize,
    pub(crate) values: Vec<f64>,
}

impl Inputs {
    /// The input vector of line `i`.
    pub(crate) fn row(&self, i: usize) -> &[f64] {
        &self.values[i * self.width..(i + 1) * self.width]
    }

    /// One vector per line.
    pub(crate) fn into_rows(self) -> Vec<Vec<f64>> {
        self.values
            .chunks(self.width)
            .map(<[f64]>::to_vec)
            .collect()
    }
}

/// The input vector of every line of a page (blank lines get an all-zero vector).
/// `reasons` are the rules' reasons by line ([`Judgement::reasons`]).
pub(crate) fn vectors(
    lines: &[Line],
    judged: &Judgement,
    reasons: &[Option<classify::Reason>],
) -> Inputs {
    let n_inputs = OWN_INPUTS + Cue::RULES.len();
    let filled = filled(lines);
    let mut repeats: nohash_hasher::IntMap<u64, u32> = Default::default();
    for &i in &filled {
        *repeats.entry(lines[i].f.exact).or_insert(0) += 1;
    }
    let m = filled.len().max(1) as f64;
    // Rows of a table: consecutive lines split by the same number of separators (a menu is one
    // line, or lines with differing counts).
    let mut table_run = vec![0usize; filled.len()];
    for run in classify::table_runs(lines, &filled, 1) {
        let len = run.len();
        table_run[run].fill(len);
    }
    let mut out = Inputs {
        width: n_inputs,
        values: vec![0.0; n_inputs * lines.len()],
    };
    for (k, &i) in filled.iter().enumerate() {
        let f = &lines[i].f;
        let words = f.words as f64;
        let tokens = f.tokens.max(1) as f64;
        let region = judged.region(i);
        let dist_body = match judged.body {
            Some((a, _)) if i < a => (a - i) as f64,
            Some((_, b)) if i > b => (i - b) as f64,
            _ => 0.0,
        };
        let neighbour = |d: isize| {
            let j = k as isize + d;
            (j >= 0 && (j as usize) < filled.len()).then(|| filled[j as usize])
        };
        // The up to six filled lines around, in a fixed array rather than a vector per line.
        let mut around = [0usize; 6];
        let mut n_around = 0;
        for j in (-3..=3).filter(|&d| d != 0).filter_map(neighbour) {
            around[n_around] = j;
            n_around += 1;
        }
        let window = &around[..n_around];
        let window_good = if window.is_empty() {
            0.0
        } else {
            window.iter().filter(|&&j| is_good(judged.class[j])).count() as f64
                / window.len() as f64
        };
        let window_words = if window.is_empty() {
            0.0
        } else {
            window
                .iter()
                .map(|&j| ln1(lines[j].f.words as f64))
                .sum::<f64>()
                / window.len() as f64
        };
        let x = &mut out.values[i * n_inputs..(i + 1) * n_inputs];
        let mut put = |slot: usize, v: f64| x[slot] = v;
        put(0, ln1(words));
        put(1, ln1(f.chars as f64));
        put(2, f.stop_density());
        put(3, f.stop_lang.is_some() as u8 as f64);
        put(4, is_good(classify::own_class(&lines[i])) as u8 as f64);
        put(5, f.ends_sentence as u8 as f64);
        put(6, f.ends_colon as u8 as f64);
        put(7, f.commas as f64 / words.max(1.0));
        put(8, f.bullet as u8 as f64);
        put(9, ln1(f.separators as f64));
        put(10, f.leading_separator as u8 as f64);
        put(11, f.path_separator as u8 as f64);
        put(12, f.clock_or_date as u8 as f64);
        put(13, f.copyright as u8 as f64);
        put(14, f.ui as f64 / words.max(1.0));
        put(15, f.date_words as f64 / tokens);
        put(16, f.numbers as f64 / tokens);
        put(17, f.label.is_some() as u8 as f64);
        put(18, f.label_ui as u8 as f64);
        put(19, ln1(f.chars as f64 / words.max(1.0)));
        put(20, k as f64 / m);
        put(21, (region == classify::Region::Header) as u8 as f64);
        put(22, (region == classify::Region::Footer) as u8 as f64);
        put(23, ln1(dist_body));
        put(24, (judged.title == Some(i)) as u8 as f64);
        put(
            25,
            neighbour(-1).is_some_and(|j| is_good(judged.class[j])) as u8 as f64,
        );
        put(
            26,
            neighbour(1).is_some_and(|j| is_good(judged.class[j])) as u8 as f64,
        );
        put(27, window_good);
        put(28, window_words);
        put(29, classify::headline_like(&lines[i]) as u8 as f64);
        put(30, ln1((repeats[&f.exact] - 1) as f64));
        put(31, ln1(filled.len() as f64));
        put(32, judged.body.is_none() as u8 as f64);
        put(33, f.capitalized as f64 / words.max(1.0));
        put(34, f.starts_lower as u8 as f64);
        put(35, f.address as u8 as f64);
        put(36, ln1(table_run[k] as f64));
        put(37, f.truncated as u8 as f64);
        let [mean, least, most, share] = f.vocab.inputs();
        put(38, mean);
        put(39, least);
        put(40, most);
        put(41, share);
        if let Some(reason) = &reasons[i] {
            if let Some(c) = Cue::RULES.iter().position(|&r| r == reason.cue) {
                put(OWN_INPUTS + c, 1.0);
            }
        }
    }
    out
}

/// What [`scores`] finds of each line of a page.
pub(crate) struct Scores {
    /// The chrome probability (0 for blank lines).
    pub(crate) score: Vec<f64>,
    /// `(pages carrying the heading, pages of the source)` for an item of a related list after
    /// the article whose heading recurs across the source's pages: the evidence the item's own
    /// text, which changes from page to page, does not carry.
    pub(crate) heading: Vec<Option<(u32, u32)>>,
    /// Lines scored by the chrome around them (see [`amid_chrome`]).
    pub(crate) amid: Vec<bool>,
    /// Lines of the records of a repeated list (see [`repeated_records`]).
    pub(crate) records: Vec<bool>,
}

/// The chrome probability of every line of a page, and the recurring heading of the related
/// lists' items; `reasons` as for [`vectors`].
pub(crate) fn scores(
    lines: &[Line],
    judged: &Judgement,
    reasons: &[Option<classify::Reason>],
    evidence: &Evidence,
    model: &LineModel,
) -> Scores {
    let xs = vectors(lines, judged, reasons);
    let filled = filled(lines);
    let logits = model.logits(&filled, &xs);
    let introduced = introduced_lists(lines, judged, reasons);
    // The lines the rules did not call blank: runs of verse and of numbered points run over
    // blank lines.
    let written: Vec<usize> = (0..lines.len())
        .filter(|&i| judged.class[i] != Class::Blank)
        .collect();
    let verse = verse(lines, judged, &written);
    let numbered = numbered_points(lines, judged, &written);
    let headed = under_template_heading(lines, judged, reasons, evidence);
    let mut out = vec![0.0; lines.len()];
    // Lines the prose cap held on their position alone.
    let mut held = vec![false; lines.len()];
    for (&i, mut logit) in filled.iter().zip(logits) {
        let template = evidence.template.get(i).copied().flatten();
        // The items of a list after the article change from page to page, but the heading the
        // source puts over them on page after page ("Related stories") says what they are.
        if let Some(h) = headed[i] {
            logit += TEMPLATE_LOGIT * h.share();
        }
        // Inside the article, sentences that a list rule took in (paragraphs opening with the
        // same two words) still read as prose; after it, such a list is a list of teasers.
        let prose = judged.class[i] == Class::Good
            || (judged.region(i) == Region::Body
                && lines[i].f.ends_sentence
                && classify::own_class(&lines[i]) == Class::Good);
        let reason = reasons[i].as_ref();
        // A recurring label ("Related:", "Link:") is as much the site's as a recurring line;
        // recurring prose only when the rules put it outside the article (a tagline, a
        // footer blurb), never formulaic prose inside the body.
        if let Some(r) = template.filter(|_| !prose || reason.is_some()) {
            logit += TEMPLATE_LOGIT * r.share();
        }
        match reason.map(|r| r.cue) {
            Some(Cue::Syndication) => logit += SYNDICATION_LOGIT,
            Some(Cue::OtherTitle) => logit += OTHER_TITLE_LOGIT,
            _ => {}
        }
        let rule = reason
            .filter(|r| !matches!(r.cue, Cue::Syndication | Cue::OtherTitle))
            // A list is judged by the model, which weighs what its items read like and what
            // surrounds them: a run of short lines alone is no evidence of chrome. After the
            // article, where related lists live, the rule's own precision still counts, unless
            // a sentence of the article introduces the list ("...on sale this week:").
            .filter(|r| {
                !introduced[i]
                    && (!matches!(r.cue, Cue::RelatedList | Cue::RelatedHeading)
                        || r.region == Region::Footer)
            })
            // Nor is any rule's record a floor under a line that reads as prose: the model,
            // which sees the prose, judges it (an article resuming after a box of links).
            .filter(|_| !prose)
            .and_then(|r| model.rule_floor(r.region, r.cue))
            .unwrap_or(0.0);
        let p = sigmoid(logit).max(rule);
        // Interface words in the line itself ("comment", "subscribe", "email") are evidence of
        // what it is, not of where it is.
        let says_interface = lines[i].f.ui >= INTERFACE_WORDS;
        // A line cut off mid-text ("...from a Silicon Valle...") says it is an excerpt of
        // another page, a teaser, whatever its prose.
        let says_excerpt = lines[i].f.truncated;
        let positional_only = !says_interface
            && !says_excerpt
            && reason.is_none_or(|r| r.cue.positional() && template.is_none());
        // The line's own text says chrome ("Sign up for our daily email."): then where it
        // stands is not the only evidence. A line that ends no sentence reads like the article's
        // own title, so there its text counts only beside its place after the article.
        // Asked only of the lines the cap would hold.
        let text_says_chrome = || {
            (lines[i].f.ends_sentence || judged.body.is_some_and(|(_, b)| i > b))
                && model
                    .own_text
                    .as_ref()
                    .is_some_and(|stage| stage.reads_as_chrome(xs.row(i)))
        };
        // A kicker or subtitle beside the title is the article's heading, whose only cue is
        // where it stands: as with prose, that alone does not remove it.
        let heading = judged.heading.contains(&i);
        // A list inside the article that its own sentence introduces (a poem, the accounts to
        // donate to, the points of a plan) is the article's, whatever its items look like: a
        // run of short lines is no evidence of chrome. Nor is a poem, wherever it stands.
        let article_list = (introduced[i] && judged.region(i) == Region::Body) || verse[i];
        // The article's own numbered points (a ranking, steps, "1." to "10." between its
        // paragraphs) stay, even when their items read like buttons (a ranking of apps names
        // "WhatsApp" and "Telegram") or like a list of links.
        let own_points = numbered[i]
            && template.is_none()
            && reason.is_none_or(|r| {
                r.cue.positional() || matches!(r.cue, Cue::Interface | Cue::Number)
            });
        let held_as_prose = positional_only && prose && !heading && !article_list;
        out[i] = if own_points
            || positional_only && (heading || article_list || (prose && !text_says_chrome()))
        {
            held[i] = held_as_prose && !own_points && p > PROSE_CAP;
            p.min(PROSE_CAP)
        } else {
            p
        };
    }
    let amid = amid_chrome(lines, judged, &written, &held, &mut out, model.threshold);
    let records = repeated_records(lines, judged, &written);
    for (i, _) in records.iter().enumerate().filter(|(_, &r)| r) {
        if let Some(floor) = model.rule_floor(judged.region(i), Cue::Records) {
            out[i] = out[i].max(floor);
        }
    }
    Scores {
        score: out,
        amid,
        records,
        heading: headed
            .into_iter()
            .map(|h| h.map(|r| (r.pages, r.of)))
            .collect(),
    }
}

/// Headlines in a run of chrome: a headline-like line (or two in a row) that the prose cap held
/// on its position alone, after the article opens, between two lines scored at or above
/// `bar`. A list of related headlines, each under its time and comment count or between share
/// buttons, is a run of chrome that its items interrupt; that the lines on both sides are
/// chrome is evidence beyond where the headline stands, which a headline of the article (its
/// subheadings sit between paragraphs) does not have. Such a line takes the lower of its two
/// neighbours' scores: it is as sure as the weaker of them. Returns which lines it rescored.
///
/// It is held to headlines after most of the article's sentences: a page that opens with
/// teasers and comments puts the article's own headline between chrome lines too. Measured
/// (`scripts/chrome_dev/heldout.sh`): on the development pages, sites held out, 263 more
/// chrome lines and 6 more content lines removed; on the fundus pages no fit saw, 135 more
/// chrome lines and no content line.
fn amid_chrome(
    lines: &[Line],
    judged: &Judgement,
    written: &[usize],
    held: &[bool],
    out: &mut [f64],
    bar: f64,
) -> Vec<bool> {
    let mut amid = vec![false; lines.len()];
    if !held.contains(&true) {
        return amid;
    }
    // The article's own headline, between its breadcrumb and its byline, has the same shape; it
    // stands before most of the article's sentences, a related headline after them.
    let Some(before) = Sentences::before(lines, judged) else {
        return amid;
    };
    let headline = |i: usize| {
        held[i]
            && before.count[i] >= AMID_AFTER_SENTENCES
            && before.after_most(i)
            && Some(i) != judged.title
            && classify::headline_like(&lines[i])
            // Two sentences are a paragraph whatever ends the line (a source tag, a footnote
            // mark), even between two advertisements.
            && !lines[i].f.inner_sentence
    };
    let mut k = 0;
    while k < written.len() {
        if !headline(written[k]) {
            k += 1;
            continue;
        }
        let end = (k..written.len())
            .find(|&e| !headline(written[e]))
            .unwrap_or(written.len());
        if k > 0 && end < written.len() && end - k <= AMID_RUN {
            let (before, after) = (out[written[k - 1]], out[written[end]]);
            if before >= bar && after >= bar {
                for &i in &written[k..end] {
                    out[i] = before.min(after);
                    amid[i] = true;
                }
            }
        }
        k = end;
    }
    amid
}

/// How much of the article's text stands before each line: its sentences (lines of prose from
/// the body's start on that end one) and their characters.
struct Sentences {
    /// Sentences before line `i`, at `i`; one more entry than lines.
    count: Vec<usize>,
    /// Their characters, likewise.
    mass: Vec<u64>,
}

impl Sentences {
    /// `None` for a page where the rules found no article body.
    fn before(lines: &[Line], judged: &Judgement) -> Option<Sentences> {
        let (body_start, _) = judged.body?;
        let (mut count, mut mass) = (vec![0usize; lines.len() + 1], vec![0u64; lines.len() + 1]);
        for i in 0..lines.len() {
            let sentence =
                i >= body_start && judged.class[i] == Class::Good && lines[i].f.ends_sentence;
            count[i + 1] = count[i] + usize::from(sentence);
            mass[i + 1] = mass[i]
                + if sentence {
                    u64::from(lines[i].f.chars)
                } else {
                    0
                };
        }
        Some(Sentences { count, mass })
    }

    /// Whether at least half of the article's sentence characters stand before line `i`.
    fn after_most(&self, i: usize) -> bool {
        2 * self.mass[i] >= self.mass[self.mass.len() - 1]
    }
}

/// Records of a list repeated after the article: a block of two or more labels repeated on the
/// page (Yahoo's "Good Morning America", "Save", "More like this", "Fewer like this") closing
/// each of `RECORDS` or more records in a row, each record a few lines long (its headline, its
/// blurb). The recurring shape of the record is evidence beyond where its headline and blurb
/// stand, which is all the prose cap lets count otherwise; the same shape inside an article
/// (code repeating `FROM` / `WHERE`, a meal plan repeating its meals) stands before most of the
/// article's sentences, so the records must open after them, as in [`amid_chrome`]. Returns
/// which lines are part of such records: the blocks, the lines between them, and as many
/// lines before the first block as a record usually spans.
///
/// Measured on the labeled pages (held-out scores of `scripts/chrome_dev/heldout.sh`, before
/// this rule): of the lines it marks that the threshold did not already remove, 1 602 tokens of
/// chrome and none of content on the development pages, 478 and none on fundus. With a single
/// repeated label as the block, it marked content too (a newspaper's "Advertisement" between
/// paragraphs, a column of image credits).
fn repeated_records(lines: &[Line], judged: &Judgement, written: &[usize]) -> Vec<bool> {
    let mut marked = vec![false; lines.len()];
    let label = |k: usize| judged.class[written[k]] == Class::Bad(Cue::RepeatedLabel);
    // Blocks of labels in a row, by the sequence of their texts: `(first, end)` in `written`.
    let mut blocks: std::collections::HashMap<Vec<u64>, Vec<(usize, usize)>> =
        std::collections::HashMap::new();
    let mut k = 0;
    while k < written.len() {
        if !label(k) {
            k += 1;
            continue;
        }
        let end = (k..written.len())
            .find(|&e| !label(e))
            .unwrap_or(written.len());
        if end - k >= RECORD_LABELS {
            let key = written[k..end].iter().map(|&i| lines[i].f.exact).collect();
            blocks.entry(key).or_default().push((k, end));
        }
        k = end;
    }
    if blocks.is_empty() {
        return marked;
    }
    let Some(before) = Sentences::before(lines, judged) else {
        return marked;
    };
    for places in blocks.values() {
        // Occurrences a record apart, in chains.
        let mut chain: Vec<(usize, usize)> = Vec::new();
        for (n, &(first, end)) in places.iter().enumerate() {
            if chain
                .last()
                .is_some_and(|&(_, last_end)| !(1..=RECORD_GAP).contains(&(first - last_end)))
            {
                chain.clear();
            }
            chain.push((first, end));
            let closes = places
                .get(n + 1)
                .is_none_or(|&(next, _)| !(1..=RECORD_GAP).contains(&(next - end)));
            if closes && chain.len() >= RECORDS && before.after_most(written[chain[0].0]) {
                let mut gaps: Vec<usize> = chain.windows(2).map(|w| w[1].0 - w[0].1).collect();
                gaps.sort_unstable();
                let lead = gaps[gaps.len() / 2];
                for &i in &written[chain[0].0.saturating_sub(lead)..end] {
                    marked[i] = true;
                }
            }
        }
    }
    marked
}

/// Labels in a row that close each record of [`repeated_records`], at least.
const RECORD_LABELS: usize = 2;
/// Records in a row that [`repeated_records`] asks for.
const RECORDS: usize = 3;
/// Lines between one record's labels and the next record's, at most (a headline, a blurb, an
/// advertiser's line or two).
const RECORD_GAP: usize = 6;

/// Headlines in a row that [`amid_chrome`] rescores at most.
const AMID_RUN: usize = 2;
/// Sentences of the article that stand before a headline [`amid_chrome`] rescores.
const AMID_AFTER_SENTENCES: usize = 3;

/// For each item of a related list after the article, the recurrence of the list's heading
/// across its source's pages (the nearest line before the list's run, labels repeated on the
/// page skipped, or the run's first line) when that heading recurs across them; `None` for
/// every other line. A list
/// inside the article (ingredients under a recurring "Ingredients") is not after it.
fn under_template_heading(
    lines: &[Line],
    judged: &Judgement,
    reasons: &[Option<classify::Reason>],
    evidence: &Evidence,
) -> Vec<Option<classify::Recurrence>> {
    let cue = |i: usize| reasons[i].as_ref().map(|r| (r.region, r.cue));
    let item = |i: usize| cue(i) == Some((Region::Footer, Cue::RelatedList));
    let mut out = vec![None; lines.len()];
    // The recurrence of the current run's heading, and the last line that is no item or label.
    let (mut recurrence, mut heading): (Option<classify::Recurrence>, Option<usize>) = (None, None);
    let mut in_run = false;
    for i in (0..lines.len()).filter(|&i| judged.class[i] != Class::Blank) {
        if item(i) {
            if !in_run {
                // The heading may open the run itself when the rules took it for an item.
                recurrence = [heading, Some(i)]
                    .into_iter()
                    .flatten()
                    .filter_map(|h| evidence.template.get(h).copied().flatten())
                    .max_by(|a, b| a.share().total_cmp(&b.share()));
                in_run = true;
            }
            out[i] = recurrence;
        } else if judged.class[i] != Class::Bad(Cue::RepeatedLabel) {
            heading = Some(i);
            in_run = false;
        }
    }
    out
}

/// Whether a line introduces the list after it as the article's own: a clause ending in a
/// colon ("He read the poem that gave the festival its name:"), prose or a short clause of
/// `INTRO_WORDS` words or more with no interface word (a menu's "Related:" or "Read more:" is
/// not one). Short clauses count because in a language that glues its articles and
/// prepositions to the words such a clause does not read as prose by its function words.
fn introduces(line: &Line, class: Class) -> bool {
    let f = &line.f;
    f.ends_colon
        && (class == Class::Good || (class == Class::Short && f.words >= INTRO_WORDS && f.ui == 0))
}

/// Words a short clause needs to introduce a list (see [`introduces`]).
const INTRO_WORDS: u32 = 4;

/// Points a run of numbered points needs (see [`numbered_points`]).
const POINTS: usize = 3;

/// Which lines are the article's numbered points: a run of `POINTS` or more lines numbered one
/// after another from 1 ("1. ...", "2. ..."), each point at most `POINT_GAP` lines after the
/// one before (an item's link or price line between), with the lines between them. The run lies
/// inside the body (its prose goes on after it), or opens right after the body's last line (a
/// list of gifts the article ends on). Chrome numbers its lists too (most read, top stories),
/// but further down, under a heading of its own.
fn numbered_points(lines: &[Line], judged: &Judgement, written: &[usize]) -> Vec<bool> {
    let mut out = vec![false; lines.len()];
    let Some((_, body_end)) = judged.body else {
        return out;
    };
    let point = |k: usize| u16::from(lines[written[k]].f.point);
    let mut k = 0;
    while k < written.len() {
        if point(k) != 1 {
            k += 1;
            continue;
        }
        // The run's last point and the one before it, as indices into `written`.
        let (mut at, mut before, mut points) = (k, k, 1);
        while let Some(next) = (at + 1..written.len().min(at + 2 + POINT_GAP))
            .find(|&j| point(j) != 0)
            .filter(|&j| point(j) == point(at) + 1)
        {
            (before, at, points) = (at, next, points + 1);
        }
        let (first, last) = (written[k], written[at]);
        let opens_in_body = judged.region(first) == Region::Body
            || k.checked_sub(1).is_some_and(|b| written[b] == body_end);
        let in_body = judged.region(last) == Region::Body;
        if points >= POINTS && (in_body || opens_in_body) {
            // The last item's own lines too, as many as the one before it had.
            let tail = at - before - 1;
            for &j in &written[k..written.len().min(at + 1 + tail)] {
                if j <= written[at] || lines[j].f.point == 0 {
                    out[j] = true;
                }
            }
        }
        k = at + 1;
    }
    out
}

/// Lines between two numbered points of one run at most (see [`numbered_points`]).
const POINT_GAP: usize = 2;

/// Lines a run needs to be read as verse: in a shorter run, endings shared by chance (plural
/// and verb endings) pass for rhymes too often (on the labeled pages, four-line menus and lists
/// of headlines did).
const VERSE_LINES: usize = 8;

/// Which lines belong to a poem: a run of `VERSE_LINES` or more short lines (`Class::Short`, or
/// items the related-list rule took in) of which three in five rhyme (see [`rhymes`]). Arabic and
/// Persian verse keeps one rhyme through the poem, and much verse elsewhere rhymes in pairs; the
/// headlines of a list of other articles end however their words do.
fn verse(lines: &[Line], judged: &Judgement, written: &[usize]) -> Vec<bool> {
    let short = |i: usize| {
        matches!(judged.class[i], Class::Short | Class::Bad(Cue::RelatedList))
            && lines[i].f.words >= 2
    };
    let mut out = vec![false; lines.len()];
    for run in written.chunk_by(|&a, &b| short(a) == short(b)) {
        if run.len() >= VERSE_LINES && short(run[0]) && rhymes(lines, run) {
            for &i in run {
                out[i] = true;
            }
        }
    }
    out
}

/// Whether three in five of the lines `run` end in one rhyme with words of their own, or in one
/// refrain with a rhyme before it. The same last word is no rhyme ("Boys Bowling", "Girls
/// Bowling"; a "[members only]" after every headline) unless the words before it rhyme, as a
/// ghazal's do before its refrain.
fn rhymes(lines: &[Line], run: &[usize]) -> bool {
    // Three in five: a poem rhyming in pairs is left to the other evidence.
    let most = (3 * run.len()).div_ceil(5);
    // The most common value of `key` over `of` (0 is no value), and the lines carrying it.
    let modal = |of: &[usize], key: &dyn Fn(usize) -> u16| -> Vec<usize> {
        let mut keyed: Vec<(u16, usize)> = of
            .iter()
            .map(|&i| (key(i), i))
            .filter(|&(k, _)| k != 0)
            .collect();
        keyed.sort_unstable();
        keyed
            .chunk_by(|a, b| a.0 == b.0)
            .max_by_key(|c| c.len())
            .map_or_else(Vec::new, |c| c.iter().map(|&(_, i)| i).collect())
    };
    // Four in five of `of` differ in `key`: rhymes are other words that end alike.
    let distinct = |of: &[usize], key: &dyn Fn(usize) -> u16| {
        let mut keys: Vec<u16> = of.iter().map(|&i| key(i)).collect();
        keys.sort_unstable();
        keys.dedup();
        5 * keys.len() >= 4 * of.len()
    };
    // A verse is a line of words; a menu's items are a word or two ("Japanese diet", "China's
    // Richest") whose endings agree by grammar, not by rhyme.
    let mut words: Vec<u32> = run.iter().map(|&i| lines[i].f.words).collect();
    words.sort_unstable();
    if words[words.len() / 2] < VERSE_WORDS {
        return false;
    }
    let rhyming = modal(run, &|i| lines[i].f.ending.rhyme);
    if rhyming.len() >= most && distinct(&rhyming, &|i| lines[i].f.ending.word) {
        return true;
    }
    let refrain = modal(run, &|i| lines[i].f.ending.word);
    let rhyming = modal(&refrain, &|i| lines[i].f.ending.before);
    refrain.len() >= most
        && rhyming.len() >= most
        && distinct(&rhyming, &|i| lines[i].f.tail3 as u16)
}

/// Words the median line of a run needs to be read as verse.
const VERSE_WORDS: u32 = 4;

/// Which lines belong to a list that a sentence of the article introduces: the nearest line
/// before the list's run (items, headings, labels and menus the rules flagged) introduces it
/// (see [`introduces`]).
fn introduced_lists(
    lines: &[Line],
    judged: &Judgement,
    reasons: &[Option<classify::Reason>],
) -> Vec<bool> {
    let listy = |i: usize| {
        reasons[i].as_ref().is_some_and(|r| {
            matches!(
                r.cue,
                Cue::RelatedList
                    | Cue::RelatedHeading
                    | Cue::RepeatedLabel
                    | Cue::Navigation
                    | Cue::Number
            )
        })
    };
    let mut out = vec![false; lines.len()];
    // Whether the run that the current line extends is introduced.
    let mut run_introduced = false;
    let mut last_filled: Option<usize> = None;
    for i in (0..lines.len()).filter(|&i| judged.class[i] != Class::Blank) {
        if listy(i) {
            let opens = last_filled.is_none_or(|p| !listy(p));
            if opens {
                run_introduced =
                    last_filled.is_some_and(|p| introduces(&lines[p], judged.class[p]));
            }
            out[i] = run_introduced;
        }
        last_filled = Some(i);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_model_of_another_normalization_version_is_refused_by_name() {
        let mut file: serde_json::Value =
            serde_json::from_str(include_str!("data/line_model.json")).unwrap();
        file["normalization"] = (crate::text::NORMALIZATION_VERSION + 1).into();
        let err = LineModel::from_json(&file.to_string(), "m.json").unwrap_err();
        assert!(err.to_string().contains("normalization version"), "{err}");
        // The fitting script writes the version this build folds with.
        let train = include_str!("../../scripts/chrome_dev/train.py");
        let line = format!(
            "NORMALIZATION_VERSION = {}",
            crate::text::NORMALIZATION_VERSION
        );
        assert!(train.contains(&line), "train.py must say {line}");
    }

    #[test]
    fn the_shipped_model_names_every_input_this_code_computes() {
        assert_eq!(feature_names().len(), OWN_INPUTS + Cue::RULES.len());
        let model = LineModel::builtin();
        assert_eq!(model.features, feature_names());
        assert!(model.context.is_some());
        assert!(
            model.threshold > PROSE_CAP,
            "a capped prose line is never removed by default"
        );
    }

    #[test]
    fn an_own_text_stage_weighing_where_a_line_stands_is_refused() {
        let mut model: serde_json::Value =
            serde_json::from_str(include_str!("data/line_model.json")).unwrap();
        let stage = serde_json::json!({"inputs": ["ui_share", "footer"], "weights": [1.0, 2.0], "bias": 0.0});
        model["own_text"] = stage;
        let err = LineModel::from_json(&model.to_string(), "test").unwrap_err();
        assert!(err.to_string().contains("\"footer\""), "{err}");
        model["own_text"]["inputs"] = serde_json::json!(["ui_share", "cue_entries"]);
        assert!(LineModel::from_json(&model.to_string(), "test").is_err());
        model["own_text"]["inputs"] = serde_json::json!(["ui_share", "truncated"]);
        let fine = LineModel::from_json(&model.to_string(), "test").unwrap();
        assert_eq!(fine.own_text.unwrap().slots.len(), 2);
    }

    #[test]
    fn context_inputs_are_means_of_the_neighbours() {
        let rows = context_inputs(&[0.0, 1.0, 0.0, 1.0]);
        assert_eq!(rows[0][1], 0.5, "no line before the first");
        assert_eq!(rows[1][1], 0.0);
        assert_eq!(rows[1][3], (0.0 + 0.0 + 1.0) / 3.0);
        assert_eq!(rows[3][2], 0.5, "no line after the last");
        assert_eq!(rows[2][5], 1.0 / 4.0, "one content line before the third");
    }
}
