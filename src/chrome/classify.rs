//! Deciding, line by line, what is chrome: jusText-style classification of each line from its own
//! features, then context (Pomikálek 2011, "Removing Boilerplate and Duplicate Content from Web
//! Corpora", ch. 3), adapted to plain text and strengthened with corpus evidence.
//!
//! 1. Each line gets a class from its own features: *bad* when it carries a specific cue (a date
//!    line, a number or ID, separators of a menu or breadcrumb, a form field, a copyright, UI
//!    words making up the line, a short label repeated on the page), *good* when it reads as
//!    prose (enough words, enough function words of its language), *short* otherwise. Rows of a
//!    table (three or more lines split into the same number of cells) lose a date, number or
//!    menu cue: a date in a row is data the table lists.
//! 2. Lists: three or more items sharing a bullet or a two-word prefix, or three or more
//!    headline-like lines in a row, are a related-article list unless a line ending in `:`
//!    introduces them or their items end like sentences (a list of content points).
//! 3. The article body runs from the first to the last good line that is not a template line;
//!    its tail is cut back while a block of chrome separates it from a little trailing prose (an
//!    author box, a disclaimer), which is what "context-sensitive" smoothing amounts to when
//!    whole regions, not single lines, are uncertain. Entries after the article, each opened by
//!    a name line and a date line (user comments, bylined links to other articles), end the body
//!    where they begin and are chrome by that structure.
//! 4. Just before the body, the longest headline-like line is the title (content; not one that
//!    is another candidate behind a breadcrumb or before the site's name); every other line
//!    there is header chrome, and copies of the title outside the body are chrome. After the
//!    body, every line is footer chrome except a footnote that answers a `*` marker of the body.
//!    Inside the body only lines with a cue, list items and short template lines are chrome, so
//!    subheadings and formulaic prose survive.
//! 5. Titles of other pages: after the body opens, a line that is the title of another page of
//!    the corpus (one that is not a copy of this article) is a link to it, whatever its shape.
//! 6. Syndication: lines before the first and after the last line shared with another copy of
//!    the same article are chrome of this page.
//!
//! Guarantees: the decision depends only on the page, the per-line evidence given, and the
//! constants below; never on a list of known sites or known lines.

use super::features::Line;
use std::fmt;

/// Where on the page a chrome line was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    /// Before the article body.
    Header,
    /// Inside the article body.
    Body,
    /// After the article body.
    Footer,
}

/// The evidence that made a line chrome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cue {
    /// No words, only symbols or punctuation.
    NoWords,
    /// Only numbers (a counter or an ID).
    Number,
    /// A date or time line.
    Date,
    /// Items separated by | • / and the like (a menu).
    Navigation,
    /// A path of sections separated by » › > (a breadcrumb).
    Breadcrumb,
    /// A form field (a line ending in a required-field `*`).
    Form,
    /// A copyright line.
    Copyright,
    /// Made up of user-interface words (buttons, links).
    Interface,
    /// A short line repeated on the page (a label).
    RepeatedLabel,
    /// An item of a list of links to other articles.
    RelatedList,
    /// A link to another article inside the text ("Related: ...", "Read more: ...").
    InlineLink,
    /// The heading of such a list.
    RelatedHeading,
    /// A copy of the title.
    TitleCopy,
    /// A line outside the article body with no more specific cue.
    OutsideArticle,
    /// Prose after chrome that closes the page (author box, disclaimer).
    AfterArticle,
    /// A line recurring on many pages of the source.
    Template,
    /// A line that syndicated copies of this article do not carry.
    Syndication,
    /// A line of the entries after the article, each opened by a name and a date: user
    /// comments, or links to other articles with their bylines.
    Entries,
    /// The title of another page of the corpus: a link to that page (a related headline, a
    /// teaser), whatever its shape.
    OtherTitle,
    /// A headline standing between lines scored as chrome: an item of a list of links whose
    /// other lines (times, counts, buttons) are chrome.
    AmidChrome,
    /// A teaser of a list repeated after the article: the same block of two or more labels
    /// ("Save", "More like this") closes each of three or more records in a row.
    Records,
    /// No rule's cue, but the line model finds it unlike article text (short, no sentence, no
    /// function words, among other such lines).
    LineModel,
}

impl Cue {
    fn describe(self) -> &'static str {
        match self {
            Cue::NoWords => "no words (symbols only)",
            Cue::Number => "number or ID line",
            Cue::Date => "date line",
            Cue::Navigation => "navigation menu (separators)",
            Cue::Breadcrumb => "breadcrumb (section path)",
            Cue::Form => "form field",
            Cue::Copyright => "copyright line",
            Cue::Interface => "buttons or links (interface words)",
            Cue::RepeatedLabel => "label repeated on the page",
            Cue::RelatedList => "related-article list",
            Cue::InlineLink => "link to another article (label and headline)",
            Cue::RelatedHeading => "heading of a related-article list",
            Cue::TitleCopy => "copy of the title",
            Cue::OutsideArticle => "short line outside the article",
            Cue::AfterArticle => "text after the article's closing chrome (author box, disclaimer)",
            Cue::Template => "template line",
            Cue::Syndication => "not carried by syndicated copies of this article",
            Cue::OtherTitle => "title of another page of the corpus (a link to it)",
            Cue::Entries => "entries opened by a name and a date (comments, bylined links)",
            Cue::AmidChrome => "headline between chrome lines (a list of links)",
            Cue::Records => "record of a list repeated with the same labels (teasers)",
            Cue::LineModel => "unlike the article's text (line model)",
        }
    }

    /// Every cue the rules give, in a fixed order (the line model has one input per cue).
    pub(crate) const RULES: [Cue; 18] = [
        Cue::NoWords,
        Cue::Number,
        Cue::Date,
        Cue::Navigation,
        Cue::Breadcrumb,
        Cue::Form,
        Cue::Copyright,
        Cue::Interface,
        Cue::RepeatedLabel,
        Cue::RelatedList,
        Cue::InlineLink,
        Cue::RelatedHeading,
        Cue::TitleCopy,
        Cue::OutsideArticle,
        Cue::AfterArticle,
        Cue::Template,
        Cue::Syndication,
        Cue::Entries,
    ];

    /// The cues whose precision on the training pages can be a floor under their lines' scores:
    /// the rules' cues, and the records of a repeated list, which the scoring finds.
    pub(crate) const FLOORED: [Cue; Cue::RULES.len() + 1] = {
        let mut all = [Cue::Records; Cue::RULES.len() + 1];
        let mut k = 0;
        while k < Cue::RULES.len() {
            all[k] = Cue::RULES[k];
            k += 1;
        }
        all
    };

    /// A stable machine name (the `cue` field of a chrome record).
    pub fn name(self) -> &'static str {
        match self {
            Cue::NoWords => "no_words",
            Cue::Number => "number",
            Cue::Date => "date",
            Cue::Navigation => "navigation",
            Cue::Breadcrumb => "breadcrumb",
            Cue::Form => "form",
            Cue::Copyright => "copyright",
            Cue::Interface => "interface",
            Cue::RepeatedLabel => "repeated_label",
            Cue::RelatedList => "related_list",
            Cue::InlineLink => "inline_link",
            Cue::RelatedHeading => "related_heading",
            Cue::TitleCopy => "title_copy",
            Cue::OutsideArticle => "outside_article",
            Cue::AfterArticle => "after_article",
            Cue::Template => "template",
            Cue::Syndication => "syndication",
            Cue::OtherTitle => "other_title",
            Cue::Entries => "entries",
            Cue::AmidChrome => "amid_chrome",
            Cue::Records => "records",
            Cue::LineModel => "line_model",
        }
    }

    /// Whether the cue says only where the line is, not what it is: such a cue never removes a
    /// line that reads as prose.
    pub fn positional(self) -> bool {
        matches!(
            self,
            Cue::OutsideArticle | Cue::AfterArticle | Cue::LineModel | Cue::RelatedList
        )
    }
}

impl Region {
    /// A stable machine name (the `region` field of a chrome record).
    pub fn name(self) -> &'static str {
        match self {
            Region::Header => "header",
            Region::Body => "inline",
            Region::Footer => "footer",
        }
    }
}

/// Why a line was removed: where it was, the main cue, and the corpus evidence behind it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reason {
    /// Where on the page.
    pub region: Region,
    /// The main cue.
    pub cue: Cue,
    /// `(pages carrying this line's shape, pages of the source)` when the line recurs, or else
    /// the counts of the part of it that does: its label, its breadcrumb's root, or the heading
    /// of the related list it is an item of.
    pub template: Option<(u32, u32)>,
    /// Number of syndicated copies compared, when they lack this line.
    pub copies: Option<u32>,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.region.name(), self.cue.describe())?;
        if let Some((n, of)) = self.template {
            write!(f, "; recurs on {n} of {of} pages of the source")?;
        }
        if let Some(k) = self.copies {
            write!(
                f,
                "; absent from {k} syndicated cop{}",
                if k == 1 { "y" } else { "ies" }
            )?;
        }
        Ok(())
    }
}

/// A line, or the label opening it, recurring on many pages of the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Recurrence {
    /// Pages of the source carrying it.
    pub(crate) pages: u32,
    /// Pages of the source.
    pub(crate) of: u32,
    /// Only a part of the line recurs, not the whole line: its label ("Related:") or its
    /// breadcrumb root ("Home" of "Home › World › ...").
    pub(crate) label: bool,
}

impl Recurrence {
    /// The share of the source's pages carrying it.
    pub(crate) fn share(&self) -> f64 {
        self.pages as f64 / self.of.max(1) as f64
    }
}

/// Corpus evidence about the lines of one page, index-aligned with its lines.
pub(crate) struct Evidence<'a> {
    /// Lines whose shape (or opening label) recurs enough on the source's pages.
    pub(crate) template: &'a [Option<Recurrence>],
    /// Whether each line is shared with a syndicated copy; `None` when the page has no copies.
    pub(crate) shared: Option<&'a [bool]>,
    /// Number of syndicated copies.
    pub(crate) copies: u32,
    /// Whether each line is the title of another page of the corpus; `None` when the corpus's
    /// titles are not known (a page judged on its own).
    pub(crate) titles: Option<&'a [bool]>,
}

impl Evidence<'_> {
    /// `(pages carrying line i or its label, pages of the source)` when it recurs.
    pub(crate) fn recurs(&self, i: usize) -> Option<(u32, u32)> {
        self.template
            .get(i)
            .copied()
            .flatten()
            .map(|r| (r.pages, r.of))
    }
}

/// A line's class from its own features and its lists (step 1 and 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    Blank,
    Good,
    Short,
    Bad(Cue),
}

/// Prose: at least this many words with at least `GOOD_DENSITY` function words...
const GOOD_WORDS: u32 = 8;
const GOOD_DENSITY: f64 = 0.18;
/// ...or a long line with a lower share (Arabic glues articles and prepositions to words).
const LONG_WORDS: u32 = 20;
const LONG_DENSITY: f64 = 0.08;
/// ...or a sentence of this many words, whatever its function words (see `reads_as_sentence`).
const SENTENCE_WORDS: u32 = 10;
/// The largest share of capitalized words in such a sentence.
const SENTENCE_CAPITALIZED: f64 = 0.5;
/// The title is looked for among this many lines (blanks skipped) before the article opens.
const TITLE_WINDOW: usize = 20;
/// Trailing prose cut off by a chrome block must weigh less than this share of the body.
const TAIL_MASS: f64 = 0.3;
const TAIL_MAX_GOOD: usize = 3;

/// A sentence in any language: at least `SENTENCE_WORDS` words, ending a sentence, not cut off,
/// and not a run of capitalized words (a headline or a list of names). Function words miss
/// prose in languages whose particles are glued to the words (Turkish, Korean) or whose list
/// is short; on the held-out fundus pages, such article paragraphs outside the rules' body were
/// removed as "outside the article" until this counted them as prose.
fn reads_as_sentence(f: &super::features::Features) -> bool {
    f.words >= SENTENCE_WORDS
        && f.ends_sentence
        && !f.truncated
        && f.capitalized as f64 <= SENTENCE_CAPITALIZED * f.words as f64
}

pub(crate) fn own_class(line: &Line) -> Class {
    let f = &line.f;
    if f.is_empty() {
        return if f.chars > 0 {
            Class::Bad(Cue::NoWords)
        } else {
            Class::Blank
        };
    }
    if f.words == 0 {
        return Class::Bad(if f.clock_or_date {
            Cue::Date
        } else {
            Cue::Number
        });
    }
    if f.copyright {
        return Class::Bad(Cue::Copyright);
    }
    // "32M ago": an amount with its unit counts as the figure of a date.
    let figures = f.numbers + f.quantities;
    let datey = f.clock_or_date || (f.date_words >= 1 && figures >= 1);
    if f.tokens <= 12 && !f.ends_sentence && datey && (f.date_words + figures) * 2 >= f.tokens {
        return Class::Bad(Cue::Date);
    }
    if f.words <= 25 && (f.separators >= 2 || (f.leading_separator && f.words <= 12)) {
        return Class::Bad(if f.leading_separator {
            Cue::Breadcrumb
        } else {
            Cue::Navigation
        });
    }
    if f.label_ui && !f.ends_sentence && f.words <= 25 {
        return Class::Bad(Cue::InlineLink);
    }
    if f.ends_star && f.words <= 20 {
        return Class::Bad(Cue::Form);
    }
    if f.words <= 8 && ((f.ui >= 2 && f.ui * 2 >= f.words) || (f.words <= 2 && f.ui == f.words)) {
        return Class::Bad(Cue::Interface);
    }
    let d = f.stop_density();
    if (f.words >= GOOD_WORDS && d >= GOOD_DENSITY)
        || (f.words >= LONG_WORDS && d >= LONG_DENSITY)
        || reads_as_sentence(f)
    {
        Class::Good
    } else {
        Class::Short
    }
}

pub(crate) fn headline_like(line: &Line) -> bool {
    let f = &line.f;
    f.words >= 3 && f.words <= 20 && !f.ends_sentence && !f.ends_colon && f.chars <= 160
}

/// What the rules make of one page: each line's class, where the article body lies, the title,
/// and the lines the rules call chrome with their reasons (in line order). The rules propose;
/// the line model (`score`) decides.
pub(crate) struct Judgement {
    /// Class of each line.
    pub(crate) class: Vec<Class>,
    /// First and last line of the article body, when the page has prose.
    pub(crate) body: Option<(usize, usize)>,
    /// The title line.
    pub(crate) title: Option<usize>,
    /// Lines of the article's heading beside the title (a kicker, a subtitle): see
    /// [`beside_title`].
    pub(crate) heading: Vec<usize>,
    /// The lines the rules call chrome, `(line index, reason)` in line order.
    pub(crate) flagged: Vec<(usize, Reason)>,
}

impl Judgement {
    /// The rules' reason for each of `n` lines, `None` where no rule fired.
    pub(crate) fn reasons(&self, n: usize) -> Vec<Option<Reason>> {
        let mut out = vec![None; n];
        for &(i, reason) in &self.flagged {
            out[i] = Some(reason);
        }
        out
    }

    /// Where line `i` lies relative to the body.
    pub(crate) fn region(&self, i: usize) -> Region {
        match self.body {
            Some((a, _)) if i < a => Region::Header,
            Some((_, b)) if i > b => Region::Footer,
            _ => Region::Body,
        }
    }
}

/// What the title needs of a page: each line's class, the prose lines outside the template
/// (`body_good`), and where the article opens (`body_start`, the line count without prose).
struct Opening {
    class: Vec<Class>,
    body_good: Vec<usize>,
    body_start: usize,
}

/// The first steps of [`classify`]: classes, prose lines, the body's first line.
fn opening(lines: &[Line], evidence: &Evidence) -> Opening {
    let n = lines.len();
    let mut class: Vec<Class> = lines.iter().map(own_class).collect();
    table_rows(lines, &mut class);
    repeated_labels(lines, &mut class);
    related_lists(lines, &mut class);

    let recurrence = |i: usize| evidence.template.get(i).copied().flatten();
    // A recurring label followed by a headline is an inline link whatever its length; a
    // recurring path followed by one, a breadcrumb.
    for (i, c) in class.iter_mut().enumerate() {
        if matches!(*c, Class::Good | Class::Short)
            && recurrence(i).is_some_and(|r| r.label)
            && !lines[i].f.ends_sentence
            && lines[i].f.words <= 25
        {
            *c = Class::Bad(if lines[i].f.label.is_some() {
                Cue::InlineLink
            } else {
                Cue::Breadcrumb
            });
        }
    }
    let template = |i: usize| recurrence(i).filter(|r| !r.label);
    let body_good: Vec<usize> = (0..n)
        .filter(|&i| class[i] == Class::Good && template(i).is_none())
        .collect();
    let body_start = match body_good.first() {
        Some(&a) => lead_start(lines, &class, a, |i| template(i).is_some()),
        None => n, // no prose: only lines with their own cue are chrome
    };
    Opening {
        class,
        body_good,
        body_start,
    }
}

/// The title line of a page judged on its own evidence (no template, no copies, no other
/// pages' titles): [`classify`]'s `title` with such evidence, without the steps after it.
pub(crate) fn own_title(lines: &[Line]) -> Option<usize> {
    let evidence = Evidence {
        template: &[],
        shared: None,
        copies: 0,
        titles: None,
    };
    let o = opening(lines, &evidence);
    title(lines, &o.class, o.body_start, &|_| false)
}

/// The rules' judgement of one page (see the module documentation).
pub(crate) fn classify(lines: &[Line], evidence: &Evidence) -> Judgement {
    let n = lines.len();
    let Opening {
        class,
        body_good,
        body_start,
    } = opening(lines, evidence);
    let recurrence = |i: usize| evidence.template.get(i).copied().flatten();
    let template = |i: usize| recurrence(i).filter(|r| !r.label);
    let other_title = |i: usize| {
        evidence
            .titles
            .is_some_and(|t| t.get(i).copied().unwrap_or(false))
    };
    let body_end = match (body_good.first(), body_good.last()) {
        (Some(&a), Some(&b)) => trim_tail(lines, &class, &body_good, a, b),
        _ => n,
    };
    let has_body = body_start < n;
    // Entries after the article (comments, bylined links) close it: the body ends before them,
    // and their lines are chrome by their structure, not by where they are.
    let entries = if has_body {
        let by_name = entries_section(lines, &class, &body_good);
        let by_date = dated_records(lines, &class, &body_good);
        match (by_name, by_date) {
            (Some((a, b)), Some((c, d))) => Some((a.min(c), b.max(d))),
            (one, other) => one.or(other),
        }
    } else {
        None
    };
    let body_end = match entries {
        Some((first, _)) => body_good
            .iter()
            .rev()
            .copied()
            .find(|&g| g < first)
            .map_or(body_start, |g| g.min(body_end)),
        None => body_end,
    };
    let in_entries = |i: usize| entries.is_some_and(|(a, b)| (a..=b).contains(&i));

    let title = title(lines, &class, body_start, &|i| template(i).is_some());
    let heading = title.map_or_else(Vec::new, |t| {
        beside_title(lines, &class, t, |i| {
            recurrence(i).is_some() || other_title(i)
        })
    });
    let footnote_marker = has_body && (body_start..=body_end).any(|i| lines[i].f.star_marker);

    let region_of = |i: usize| {
        if !has_body || (body_start..=body_end).contains(&i) {
            Region::Body
        } else if i < body_start {
            Region::Header
        } else {
            Region::Footer
        }
    };
    let mut out = Vec::new();
    for i in 0..n {
        if class[i] == Class::Blank || Some(i) == title {
            continue;
        }
        let region = region_of(i);
        let is_title_copy = title.is_some_and(|t| lines[t].f.exact == lines[i].f.exact);
        let cue = match (region, class[i]) {
            (_, Class::Bad(cue)) => Some(cue),
            _ if in_entries(i) => Some(Cue::Entries),
            (Region::Body, c) => {
                if is_title_copy && c != Class::Good {
                    Some(Cue::TitleCopy)
                } else if template(i).is_some() && c != Class::Good {
                    Some(Cue::Template)
                } else {
                    None
                }
            }
            (Region::Footer, _) if lines[i].f.starts_star && footnote_marker => None,
            (_, c) => Some(if is_title_copy {
                Cue::TitleCopy
            } else if region == Region::Footer && c == Class::Good {
                Cue::AfterArticle
            } else if template(i).is_some() {
                Cue::Template
            } else {
                Cue::OutsideArticle
            }),
        };
        if let Some(cue) = cue {
            out.push((
                i,
                Reason {
                    region,
                    cue,
                    template: evidence.recurs(i),
                    copies: None,
                },
            ));
        }
    }
    if has_body {
        // Only after the body opens: before it, a copy of this article elsewhere in the corpus
        // makes the page's own headline "another page's title" whenever the rules picked another
        // line as the title.
        let after_start = |i: usize| i > body_start && other_title(i);
        other_titles(lines, title, &after_start, &mut out, region_of);
    }
    syndication(lines, evidence, title, &mut out);
    Judgement {
        class,
        body: has_body.then_some((body_start, body_end)),
        title,
        heading,
        flagged: out,
    }
}

/// The title: the longest headline-like line of those just before the body (or opening it), given
/// the lines' classes, the body's first line (`body_start`, the line count without prose) and
/// which lines recur as the source's template (`template`). A line that ends a sentence is taken
/// only when none does not: it is more often the lead ("CAIRO - The festival opened on
/// Friday.") than the headline.
fn title(
    lines: &[Line],
    class: &[Class],
    body_start: usize,
    template: &dyn Fn(usize) -> bool,
) -> Option<usize> {
    let n = lines.len();
    let mut title: Option<usize> = None;
    if body_start < n {
        // The headline stands near where the article opens: a longer headline-like line further
        // up is a menu's or a teaser's.
        let from = (0..body_start)
            .rev()
            .filter(|&i| class[i] != Class::Blank)
            .nth(TITLE_WINDOW - 1)
            .unwrap_or(0);
        let window = (from..body_start).chain(std::iter::once(body_start));
        let rank = |i: usize| (!lines[i].f.ends_sentence, lines[i].f.words);
        let candidates: Vec<usize> = window
            .filter(|&i| {
                let f = &lines[i].f;
                match class[i] {
                    Class::Short => f.words >= 2 && (!template(i) || f.words >= 3),
                    // The headline printed twice at the top (over the picture, in the share
                    // box) is a label repeated on the page, and still the headline.
                    Class::Bad(Cue::RepeatedLabel) => f.words >= 4 && !template(i),
                    Class::Good => i == body_start && headline_like(&lines[i]),
                    _ => false,
                }
            })
            .collect();
        // A candidate that opens or closes (first or last three words) with another, shorter one
        // is that headline with a breadcrumb before it or the site's name after it
        // ("HomeNews550 Kinder gezeugt: ...", "... in Pension | wdr aktuell"): the shorter one is
        // the title; of two the same length, the later, nearer the article.
        let extends = |a: usize| {
            candidates.iter().any(|&b| {
                let (fa, fb) = (&lines[a].f, &lines[b].f);
                fb.tokens >= 3
                    && (fb.tokens < fa.tokens || (fb.tokens == fa.tokens && b > a))
                    && (fa.head3 == fb.head3 || fa.tail3 == fb.tail3)
            })
        };
        for &i in candidates.iter().filter(|&&i| !extends(i)) {
            if title.is_none_or(|t| rank(i) > rank(t)) {
                title = Some(i);
            }
        }
    }
    title
}

/// Sentences opening a lead directly before the first prose line.
const LEAD_LINES: usize = 2;

/// Where the article opens, given its first prose line `first`: earlier when the lines just
/// before it (up to `LEAD_LINES`, blanks skipped) are sentences of `GOOD_WORDS` words or more with
/// no cue of their own and no recurrence on the source's pages (`recurs`). Such a line reads as a
/// sentence of the article whatever its share of function words: a dateline opening the lead
/// ("CAIRO - The festival opened on Friday with poets from twelve countries."), in a language
/// whose articles and prepositions are glued to the words, counts few.
fn lead_start(
    lines: &[Line],
    class: &[Class],
    first: usize,
    recurs: impl Fn(usize) -> bool,
) -> usize {
    let mut start = first;
    for _ in 0..LEAD_LINES {
        match (0..start).rev().find(|&i| class[i] != Class::Blank) {
            Some(i)
                if class[i] == Class::Short
                    && lines[i].f.ends_sentence
                    && lines[i].f.words >= GOOD_WORDS
                    && !recurs(i) =>
            {
                start = i;
            }
            _ => break,
        }
    }
    start
}

/// The lines of the article's heading beside its title `t`: the nearest line before it (a
/// kicker) and the nearest after it (a subtitle, a standfirst), when each reads as a headline,
/// carries no cue of its own and is neither a line of the source's template nor the title of
/// another page (`elsewhere`). Which of a headline and its subtitle is "the title" is a guess
/// (the longer one): the other stands beside it, and on real pages a menu item or a teaser there
/// gives itself away by its cue, its recurrence or its shape far more often than a subtitle is
/// chrome.
fn beside_title(
    lines: &[Line],
    class: &[Class],
    t: usize,
    elsewhere: impl Fn(usize) -> bool,
) -> Vec<usize> {
    let filled = |i: &usize| class[*i] != Class::Blank;
    let before = (0..t).rev().find(filled);
    let after = (t + 1..lines.len()).find(filled);
    [before, after]
        .into_iter()
        .flatten()
        .filter(|&i| {
            class[i] == Class::Short
                && headline_like(&lines[i])
                && lines[i].f.label.is_none()
                && !elsewhere(i)
        })
        .collect()
}

/// Whether the `k`th of the lines `filled` (indices into `lines`, blanks left out) is the article
/// resuming after a section that looked like entries: a sentence next to another sentence, a
/// paragraph. A lone prose line between lines that are not (a sidebar's blurb, a form's note)
/// is not, nor is a line that ends no sentence (a list of headlines, of comment excerpts, a
/// teaser's title).
fn resumes(lines: &[Line], filled: &[usize], k: usize) -> bool {
    let sentence = |k: usize| {
        let line = &lines[filled[k]];
        own_class(line) == Class::Good && line.f.ends_sentence
    };
    sentence(k) && ((k > 0 && sentence(k - 1)) || (k + 1 < filled.len() && sentence(k + 1)))
}

/// Entry headers (a name line, then a date line) needed to call a run the entries section.
const ENTRY_HEADERS: usize = 3;
/// The most lines from one entry header to the next (a long comment, replies between).
const ENTRY_GAP: usize = 20;
/// How many times the prose of every later entry the first entry of a run must hold to be taken
/// for the article resuming (see [`entries_section`]), and the prose lines it needs at least.
const ENTRY_OUTLIER: usize = 3;
const ENTRY_OUTLIER_MIN: usize = 6;
/// Prose lines of the article the section must follow: a page that is all comments (a forum
/// thread) is left to the other rules.
const ENTRIES_AFTER_GOOD: usize = 3;

/// The entries after the article, `(first line, last line)`: user comments or links to other
/// articles with their bylines. They are the last run of three or more entry headers, each a
/// short line without figures (the commenter, "name says:", the author) directly followed by a
/// date line and then by words, at most `ENTRY_GAP` lines apart; the section runs from the first
/// header (with up to two short lines just before it, its heading) to the last prose line. The
/// structure is what counts, not any word, so it holds in any language whose dates the features
/// read. Not a section: headers with the article resuming after them (more paragraph lines after
/// the last header than an entry holds, see [`resumes`], or more than a record's worth beyond the
/// last entry's reach), or fewer than `ENTRIES_AFTER_GOOD` prose lines before the first.
fn entries_section(lines: &[Line], class: &[Class], good: &[usize]) -> Option<(usize, usize)> {
    let (&body_start, &body_end, n) = (good.first()?, good.last()?, lines.len());
    let filled_before = |j: usize| (0..j).rev().find(|&p| class[p] != Class::Blank);
    // A name has no figures of its own: "Meal 1" over "Eat every 2–3 hours" is a plan.
    let name = |p: usize| {
        let f = &lines[p].f;
        matches!(class[p], Class::Short | Class::Bad(Cue::RepeatedLabel))
            && (1..=5).contains(&f.words)
            && f.tokens <= 6
            && f.numbers == 0
            && !f.ends_sentence
    };
    // `(name line, date line)`.
    let pairs: Vec<(usize, usize)> = (body_start + 1..n)
        .filter(|&j| class[j] == Class::Bad(Cue::Date))
        .filter_map(|j| {
            filled_before(j)
                .filter(|&p| p > body_start && name(p))
                .map(|p| (p, j))
        })
        .collect();
    // An entry has words after its header: a table of labels, times and figures (market data)
    // is not a list of entries.
    let headers: Vec<usize> = pairs
        .iter()
        .enumerate()
        .filter(|&(k, &(_, date))| {
            let next = pairs.get(k + 1).map_or(n, |&(p, _)| p);
            (date + 1..next.min(date + 1 + ENTRY_GAP))
                .any(|t| matches!(class[t], Class::Good | Class::Short) && lines[t].f.words >= 2)
        })
        .map(|(_, &(p, _))| p)
        .collect();
    // The last run of at least `ENTRY_HEADERS` headers close enough to one another: a lone
    // name and date further down (a product calendar, an event box) is no comment section.
    let mut runs: Vec<&[usize]> = headers.chunk_by(|a, b| b - a <= ENTRY_GAP).collect();
    runs.retain(|r| r.len() >= ENTRY_HEADERS);
    let mut run = runs.last().copied().unwrap_or(&[]);
    // A first "entry" holding many times the prose of any other is the article resuming after a
    // box with a label and a date (a video teaser inside it), not the first comment.
    let prose_between = |a: usize, b: usize| (a..b).filter(|&t| class[t] == Class::Good).count();
    while run.len() > ENTRY_HEADERS {
        let longest_other = run[1..]
            .windows(2)
            .map(|w| prose_between(w[0], w[1]))
            .max()
            .unwrap_or(0);
        let opening = prose_between(run[0], run[1]);
        if opening >= ENTRY_OUTLIER_MIN && opening >= ENTRY_OUTLIER * longest_other.max(1) {
            run = &run[1..];
        } else {
            break;
        }
    }
    let (&first, &last) = (run.first()?, run.last()?);
    if first > body_end {
        return None;
    }
    if good.iter().take_while(|&&g| g < first).count() < ENTRIES_AFTER_GOOD {
        return None;
    }
    // Paragraphs by their own text, in or out of a list: the article resuming after the last
    // header. Teasers' blurbs between their titles are not paragraphs.
    let after: Vec<usize> = (last + 1..n)
        .filter(|&i| class[i] != Class::Blank)
        .collect();
    // Past the last entry's reach, paragraphs are no entry's text: more of them than a record
    // holds are the article further down the page (after a block of dated teasers and a menu),
    // which the section would otherwise take in up to the body's last prose line.
    let (mut prose_after, mut prose_beyond) = (0, 0);
    for k in (0..after.len()).filter(|&k| resumes(lines, &after, k)) {
        prose_after += 1;
        prose_beyond += usize::from(after[k] > last + ENTRY_GAP);
    }
    if prose_after > ENTRY_GAP || prose_beyond > RECORD_LINES {
        return None;
    }
    let mut start = first;
    for _ in 0..2 {
        match filled_before(start) {
            Some(p) if p > body_start && class[p] != Class::Good => start = p,
            _ => break,
        }
    }
    Some((start, body_end.max(last)))
}

/// Lines a record between two dates holds at most (a headline, a teaser, a byline).
const RECORD_LINES: usize = 4;
/// Dates a run of records needs.
const RECORD_DATES: usize = 3;
/// How many times the prose before them the runs of records may hold. A live blog's dated
/// updates outweigh its introduction many times over, and they are the article; teasers and
/// comments after an article outweigh it too when the article is short, but by less (held out:
/// at 1, teasers after a ten-paragraph article were kept; from 4 on no labeled page changes).
const MASS_RATIO: u64 = 4;

/// Dated records after the article, `(first line, last line)`: teasers of other articles each
/// with its time ("32M ago", "Nov 18") and comments each with its date, where no name line of
/// its own opens the entry ([`entries_section`] reads those). A run is three or more date lines,
/// consecutive ones one to `RECORD_LINES` lines apart with words between; it reaches back over
/// the lines before its first date only as far as they repeat the shape of the lines before its
/// second (a record's headline and teaser), and forward likewise, then over the last record's
/// prose (as many lines as the longest record holds). The section opens at the first run after
/// which the article does not resume (no more prose lines outside runs than one record holds,
/// counting only sentences next to sentences: paragraphs, not a sidebar's blurbs or its list of
/// headlines), with at least
/// `ENTRIES_AFTER_GOOD` prose lines before it, and no more than `MASS_RATIO` times as much prose
/// in the runs as before them: a live blog is dated entries from the top, or after a short
/// introduction, and those are the article.
fn dated_records(lines: &[Line], class: &[Class], good: &[usize]) -> Option<(usize, usize)> {
    let (&body_start, &body_end) = (good.first()?, good.last()?);
    let filled: Vec<usize> = (0..lines.len())
        .filter(|&i| class[i] != Class::Blank)
        .collect();
    let is_date = |k: usize| class[filled[k]] == Class::Bad(Cue::Date);
    let worded = |k: usize| {
        matches!(class[filled[k]], Class::Good | Class::Short) && lines[filled[k]].f.words >= 2
    };
    // Coarse shape of a line for comparing records: prose, short, or the rules' cue.
    let shape = |k: usize| match class[filled[k]] {
        Class::Bad(c) => Some(c),
        Class::Good | Class::Short => None,
        Class::Blank => Some(Cue::NoWords),
    };
    let dates: Vec<usize> = (0..filled.len())
        .filter(|&k| filled[k] > body_start && is_date(k))
        .collect();
    // Runs of dates, as ranges of `dates`.
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut open = 0;
    for j in 1..=dates.len() {
        let joined = j < dates.len() && {
            let (a, b) = (dates[j - 1], dates[j]);
            b - a >= 2 && b - a <= RECORD_LINES + 1 && (a + 1..b).any(worded)
        };
        if !joined {
            if j - open >= RECORD_DATES {
                runs.push((open, j - 1));
            }
            open = j;
        }
    }
    // Most pages hold no run: what follows only ever opens a section at a run, and its
    // per-line sums cost more than the rest of the function (1.5% of a scan).
    if runs.is_empty() {
        return None;
    }
    // Each run's span in `filled`, widened over the lines that repeat its records' shape.
    let spans: Vec<(usize, usize)> = runs
        .iter()
        .map(|&(first, last)| {
            let d = &dates[first..=last];
            let min_gap = d.windows(2).map(|w| w[1] - w[0]).min().unwrap_or(1);
            let back = (1..min_gap)
                .take_while(|&t| d[0] >= t && shape(d[0] - t) == shape(d[1] - t))
                .count();
            let (prev, end) = (d[d.len() - 2], d[d.len() - 1]);
            let forward = (1..min_gap)
                .take_while(|&t| {
                    end + t < filled.len() && !is_date(end + t) && shape(end + t) == shape(prev + t)
                })
                .count();
            // The last record's text: prose after its date, as long as the longest record.
            let stop = end + forward;
            let longest = d.windows(2).map(|w| w[1] - w[0]).max().unwrap_or(1);
            let text = (1..longest)
                .take_while(|&t| {
                    stop + t < filled.len() && own_class(&lines[filled[stop + t]]) == Class::Good
                })
                .count();
            (d[0] - back, stop + text)
        })
        .collect();
    let n = filled.len();
    let mut covered = vec![false; n];
    for &(a, b) in &spans {
        covered[a..=b].fill(true);
    }
    let prose_chars = |k: usize| {
        let i = filled[k];
        if own_class(&lines[i]) == Class::Good {
            u64::from(lines[i].f.chars)
        } else {
            0
        }
    };
    // From each line to the end: prose lines outside runs, and prose inside them; before it:
    // all prose. One pass each, however many runs a page holds.
    let mut resumed_from = vec![0usize; n + 1];
    let mut mass_in_from = vec![0u64; n + 1];
    for k in (0..n).rev() {
        resumed_from[k] =
            resumed_from[k + 1] + (resumes(lines, &filled, k) && !covered[k]) as usize;
        mass_in_from[k] = mass_in_from[k + 1] + if covered[k] { prose_chars(k) } else { 0 };
    }
    let mut mass_before = vec![0u64; n + 1];
    for k in 0..n {
        mass_before[k + 1] = mass_before[k] + prose_chars(k);
    }
    for &(a, _) in &spans {
        let before = good.partition_point(|&g| g < filled[a]);
        if before < ENTRIES_AFTER_GOOD {
            continue;
        }
        if resumed_from[a] <= RECORD_LINES && mass_in_from[a] <= MASS_RATIO * mass_before[a] {
            let last = spans.last().map_or(a, |&(_, b)| b);
            return Some((filled[a], body_end.max(filled[last])));
        }
    }
    None
}

/// Runs of table rows among the non-blank lines `filled` (ranges of indices into `filled`):
/// three or more consecutive lines split by the same number, at least `min_cells`, of
/// separators. A menu is one line, or lines with differing counts.
pub(crate) fn table_runs(
    lines: &[Line],
    filled: &[usize],
    min_cells: u32,
) -> Vec<std::ops::Range<usize>> {
    let cells = |k: usize| lines[filled[k]].f.separators;
    let mut runs = Vec::new();
    let mut k = 0;
    while k < filled.len() {
        let mut end = k + 1;
        while end < filled.len() && cells(k) >= min_cells && cells(end) == cells(k) {
            end += 1;
        }
        if end - k >= 3 {
            runs.push(k..end);
        }
        k = end;
    }
    runs
}

/// Rows of a table with two or more cell separators each. A row carrying a date or a figure is
/// data the table lists, not a date line or a menu; what it is depends on where the table sits,
/// which the later steps judge.
pub(crate) fn table_rows(lines: &[Line], class: &mut [Class]) {
    let filled: Vec<usize> = (0..lines.len())
        .filter(|&i| class[i] != Class::Blank)
        .collect();
    for run in table_runs(lines, &filled, 2) {
        for &i in &filled[run] {
            if matches!(
                class[i],
                Class::Bad(Cue::Date | Cue::Number | Cue::Navigation | Cue::Breadcrumb)
            ) {
                class[i] = Class::Short;
            }
        }
    }
}

/// Short lines (six words or fewer) occurring three or more times on the page are labels.
fn repeated_labels(lines: &[Line], class: &mut [Class]) {
    let mut counts: std::collections::HashMap<u64, u32> = std::collections::HashMap::new();
    for l in lines.iter().filter(|l| l.f.words > 0 && l.f.tokens <= 6) {
        *counts.entry(l.f.exact).or_insert(0) += 1;
    }
    for (i, l) in lines.iter().enumerate() {
        if l.f.words > 0
            && l.f.tokens <= 6
            && counts[&l.f.exact] >= 3
            && !matches!(class[i], Class::Bad(_))
        {
            class[i] = Class::Bad(Cue::RepeatedLabel);
        }
    }
}

/// Marks related-article lists (see the module documentation, step 2).
fn related_lists(lines: &[Line], class: &mut [Class]) {
    let n = lines.len();
    // Groups of consecutive non-blank lines.
    let mut i = 0;
    while i < n {
        if class[i] == Class::Blank {
            i += 1;
            continue;
        }
        let start = i;
        while i < n && class[i] != Class::Blank {
            i += 1;
        }
        keyed_lists(lines, class, start, i);
    }
    // Runs of headline-like lines, blank lines allowed between them.
    let mut run: Vec<usize> = Vec::new();
    for i in 0..=n {
        let extends = i < n
            && (class[i] == Class::Blank
                || (matches!(class[i], Class::Short | Class::Good) && headline_like(&lines[i])));
        if extends {
            if class[i] != Class::Blank {
                run.push(i);
            }
            continue;
        }
        if run.len() >= 3 {
            for &j in &run {
                class[j] = Class::Bad(Cue::RelatedList);
            }
            mark_heading(lines, class, run[0]);
        }
        run.clear();
    }
}

fn keyed_lists(lines: &[Line], class: &mut [Class], start: usize, end: usize) {
    let key = |l: &Line| -> Option<u64> {
        if l.f.bullet {
            Some(1)
        } else if l.f.words >= 4 {
            Some(l.f.prefix2 | 2)
        } else {
            None
        }
    };
    // Runs of items with one key, consecutive but for repeated labels between them.
    let mut i = start;
    while i < end {
        let Some(k) = key(&lines[i]).filter(|_| class[i] != Class::Bad(Cue::RepeatedLabel)) else {
            i += 1;
            continue;
        };
        let mut items = vec![i];
        let mut j = i + 1;
        while j < end {
            if class[j] == Class::Bad(Cue::RepeatedLabel) {
                j += 1;
            } else if key(&lines[j]) == Some(k) {
                items.push(j);
                j += 1;
            } else {
                break;
            }
        }
        i = items[items.len() - 1] + 1;
        if items.len() < 3 {
            continue;
        }
        let first = items[0];
        let introduced = (0..first)
            .rev()
            .find(|&j| class[j] != Class::Blank)
            .is_some_and(|j| lines[j].f.ends_colon);
        let sentences = items.iter().filter(|&&j| lines[j].f.ends_sentence).count();
        if !introduced && (k != 1 || sentences * 2 < items.len()) {
            for &j in &items {
                if !matches!(class[j], Class::Bad(_)) {
                    class[j] = Class::Bad(Cue::RelatedList);
                }
            }
            mark_heading(lines, class, first);
        }
    }
}

/// The short line just before a related list (blank lines and repeated labels between allowed)
/// is its heading.
fn mark_heading(lines: &[Line], class: &mut [Class], first_item: usize) {
    let before = (0..first_item)
        .rev()
        .find(|&j| !matches!(class[j], Class::Blank | Class::Bad(Cue::RepeatedLabel)));
    if let Some(j) = before {
        let f = &lines[j].f;
        if class[j] == Class::Short && f.words <= 8 && !f.ends_colon && !f.ends_sentence {
            class[j] = Class::Bad(Cue::RelatedHeading);
        }
    }
}

/// Moves the end of the body back over trailing prose that a chrome block separates from it.
fn trim_tail(
    lines: &[Line],
    class: &[Class],
    good: &[usize],
    body_start: usize,
    mut end: usize,
) -> usize {
    let mass = |from: usize, to: usize| -> f64 {
        good.iter()
            .filter(|&&g| g >= from && g <= to)
            .map(|&g| lines[g].f.chars as f64)
            .sum()
    };
    loop {
        let goods: Vec<usize> = good.iter().copied().filter(|&g| g <= end).collect();
        // The last gap between good lines that holds something other than blank lines.
        let gap = (1..goods.len()).rev().find_map(|k| {
            let block: Vec<usize> = (goods[k - 1] + 1..goods[k])
                .filter(|&j| class[j] != Class::Blank)
                .collect();
            (!block.is_empty()).then_some((k, block))
        });
        let Some((k, block)) = gap else {
            return end;
        };
        let bad = block
            .iter()
            .filter(|&&j| matches!(class[j], Class::Bad(_)))
            .count();
        let before = goods[k - 1];
        if block.len() >= 2
            && bad >= 1
            && goods.len() - k <= TAIL_MAX_GOOD
            && mass(goods[k], end) < TAIL_MASS * mass(body_start, before)
        {
            end = before;
        } else {
            return end;
        }
    }
}

/// Lines that are the title of another page of the corpus, other than this page's own title,
/// are links to that page: that evidence replaces a cue that only says where the line is.
/// `other_title` says which lines qualify.
fn other_titles(
    lines: &[Line],
    title: Option<usize>,
    other_title: &dyn Fn(usize) -> bool,
    out: &mut Vec<(usize, Reason)>,
    region: impl Fn(usize) -> Region,
) {
    let own = title.map(|t| lines[t].f.exact);
    for (i, line) in lines.iter().enumerate() {
        if !other_title(i) || Some(i) == title || own == Some(line.f.exact) {
            continue;
        }
        let reason = Reason {
            region: region(i),
            cue: Cue::OtherTitle,
            template: None,
            copies: None,
        };
        match out.binary_search_by_key(&i, |(j, _)| *j) {
            Ok(k) if out[k].1.cue.positional() => {
                out[k].1 = Reason {
                    template: out[k].1.template,
                    ..reason
                }
            }
            Ok(_) => {}
            Err(k) => out.insert(k, (i, reason)),
        }
    }
}

/// Whether a line could be a page's title that other pages link to: headline-like, and long
/// enough that it is not a generic section name ("History", "Contact us").
pub(crate) fn linkable_title(line: &Line) -> bool {
    headline_like(line) && line.f.words >= 4
}

/// Step 6: lines outside the span shared with syndicated copies.
fn syndication(
    lines: &[Line],
    evidence: &Evidence,
    title: Option<usize>,
    out: &mut Vec<(usize, Reason)>,
) {
    let Some(shared) = evidence.shared else {
        return;
    };
    let is_shared = |i: usize| shared.get(i).copied().unwrap_or(false) && lines[i].f.words > 0;
    let (Some(first), Some(last)) = (
        (0..lines.len()).find(|&i| is_shared(i)),
        (0..lines.len()).rev().find(|&i| is_shared(i)),
    ) else {
        return;
    };
    // A copy that is a truncated version of this page leaves this page's own closing
    // paragraphs unshared: unshared prose weighing as much as a good part of the shared body is
    // article, not chrome, and that side is left alone.
    let prose = |i: usize| {
        let f = &lines[i].f;
        if f.words >= GOOD_WORDS && f.stop_density() >= GOOD_DENSITY {
            f.chars as f64
        } else {
            0.0
        }
    };
    let shared_mass: f64 = (first..=last).filter(|&i| is_shared(i)).map(prose).sum();
    let head_ok = (0..first).map(prose).sum::<f64>() < TAIL_MASS * shared_mass;
    let tail_ok = (last + 1..lines.len()).map(prose).sum::<f64>() < TAIL_MASS * shared_mass;
    let flagged: std::collections::HashSet<usize> = out.iter().map(|(i, _)| *i).collect();
    let head = if head_ok { 0..first } else { 0..0 };
    let tail = if tail_ok { last + 1..lines.len() } else { 0..0 };
    for i in head.chain(tail) {
        if lines[i].f.is_empty() || Some(i) == title || flagged.contains(&i) || is_shared(i) {
            continue;
        }
        out.push((
            i,
            Reason {
                region: if i < first {
                    Region::Header
                } else {
                    Region::Footer
                },
                cue: Cue::Syndication,
                template: evidence.recurs(i),
                copies: Some(evidence.copies),
            },
        ));
    }
    out.sort_by_key(|(i, _)| *i);
}
