//! Synthetic news sites: a template per site (which chrome elements, in which order, with which
//! wording and separators) drawn from the site's own seed, and the rendering of one page.
//!
//! Sites differ in language, in the subset and order of elements, in the wording chosen from the
//! pools of `pools.rs`, in decorations, separators, date formats and digit scripts. Pages of one
//! site differ in dates, counters, related headlines, tags, the breadcrumb's section and title, and
//! in optional elements shown on only some pages. A second corpus generated with another seed gets
//! sites no detector has seen (the held-out-sites setting).

use super::article::{headline, sentence, Article, Style, TeaserSpan};
use super::pools::{Pools, AR, EN, FA};
use super::truth::Page;
use super::vocab::{latin_name, Lang, Pack};
use rand::seq::SliceRandom;
use rand::Rng;

/// A kind of chrome block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Element {
    SiteName,
    TopNav,
    Date,
    Breadcrumb,
    Section,
    Views,
    NewsCode,
    Share,
    Print,
    Byline,
    Tags,
    ShortLink,
    Related,
    AuthorBox,
    Comments,
    ReadMore,
    Newsletter,
    FooterNav,
    Copyright,
    BackTop,
    Close,
}

const HEADER: [Element; 10] = [
    Element::TopNav,
    Element::Date,
    Element::Breadcrumb,
    Element::Section,
    Element::Views,
    Element::NewsCode,
    Element::Share,
    Element::Print,
    Element::Byline,
    Element::ReadMore,
];
const FOOTER_BODY: [Element; 9] = [
    Element::Tags,
    Element::ShortLink,
    Element::Share,
    Element::Related,
    Element::AuthorBox,
    Element::Comments,
    Element::ReadMore,
    Element::Newsletter,
    Element::Views,
];
const FOOTER_END: [Element; 4] = [
    Element::FooterNav,
    Element::Copyright,
    Element::BackTop,
    Element::Close,
];

/// The wording one site uses for each label.
#[derive(Debug, Clone)]
struct Labels {
    read_more: String,
    share: String,
    back_top: String,
    print: String,
    related: String,
    views: String,
    comments_head: String,
    comment_lines: Vec<String>,
    news_code: String,
    tags: String,
    short_link: String,
    newsletter: String,
    close: String,
    byline: String,
    read_also: String,
}

/// One synthetic news site.
#[derive(Debug, Clone)]
pub(crate) struct Site {
    /// The `source` field of its documents (ASCII, unique within a corpus).
    pub(crate) source: String,
    /// Display name in the site's language.
    pub(crate) name: String,
    pub(crate) lang: Lang,
    /// Relative share of the corpus's documents.
    pub(crate) weight: u32,
    /// The boilerplate sentence planted in many of its pages.
    pub(crate) disclaimer: String,
    /// Percent of pages carrying the disclaimer.
    pub(crate) disclaimer_pct: u32,
    /// Paragraphs separated by a blank line (else by a single newline).
    pub(crate) blank_between: bool,
    header: Vec<(Element, u32)>,
    footer: Vec<(Element, u32)>,
    style: Style,
    date_format: u32,
    crumb_sep: &'static str,
    crumb_leading_sep: bool,
    crumb_title: bool,
    home: String,
    sections: Vec<String>,
    labels: Labels,
    decoration: (&'static str, &'static str),
    bullet: &'static str,
    related_count: (usize, usize),
    related_dates: bool,
    top_nav: String,
    footer_nav: String,
    copyright: String,
    authors: Vec<(String, String)>,
    blank_after_chrome: bool,
    read_also_pct: u32,
}

fn pools(lang: Lang) -> &'static Pools {
    match lang {
        Lang::Fa => &FA,
        Lang::Ar => &AR,
        Lang::En => &EN,
    }
}

fn pick<'a>(pool: &[&'a str], rng: &mut impl Rng) -> &'a str {
    pool[rng.gen_range(0..pool.len())]
}

/// `count` distinct items of `pool` in random order.
fn pick_many(pool: &[&str], count: usize, rng: &mut impl Rng) -> Vec<String> {
    pool.choose_multiple(rng, count.min(pool.len()))
        .map(|s| s.to_string())
        .collect()
}

/// The elements a site shows, each with the percent of pages that show it.
fn layout(pool: &[Element], keep: f64, min: usize, rng: &mut impl Rng) -> Vec<(Element, u32)> {
    let mut chosen: Vec<Element> = pool
        .iter()
        .copied()
        .filter(|_| rng.gen_bool(keep))
        .collect();
    while chosen.len() < min {
        let e = pool[rng.gen_range(0..pool.len())];
        if !chosen.contains(&e) {
            chosen.push(e);
        }
    }
    chosen.shuffle(rng);
    chosen
        .into_iter()
        .map(|e| {
            let pct = if rng.gen_bool(0.75) {
                100
            } else {
                rng.gen_range(40..95)
            };
            (e, pct)
        })
        .collect()
}

impl Site {
    /// Draws site number `index` from `rng`; its language is `lang`.
    pub(crate) fn generate(index: u32, lang: Lang, rng: &mut impl Rng) -> Site {
        let p = pools(lang);
        let style = Style::pick(lang, rng);
        let prefix = pick(p.site_prefix, rng);
        let mut name = String::from(prefix);
        for _ in 0..rng.gen_range(1..=2) {
            if !name.is_empty() {
                name.push(' ');
            }
            name.push_str(pick(p.site_words, rng));
        }
        let slug = latin_name(rng).to_ascii_lowercase();
        let tld = match lang {
            Lang::Fa => [".ir", ".com", ".news"][rng.gen_range(0..3)],
            Lang::Ar => [".com", ".net", ".news"][rng.gen_range(0..3)],
            Lang::En => [".com", ".org", ".co.uk"][rng.gen_range(0..3)],
        };
        let suffix = ["news", "press", "daily", "online", "24", ""][rng.gen_range(0..6)];
        let source = format!("{slug}{suffix}{tld}-{index}");

        let mut mid = pick_many(p.comment_notes, rng.gen_range(1..=2), rng);
        mid.extend(pick_many(p.comment_fields, rng.gen_range(2..=4), rng));
        let labels = Labels {
            read_more: pick(p.read_more, rng).into(),
            share: pick(p.share, rng).into(),
            back_top: pick(p.back_top, rng).into(),
            print: pick(p.print, rng).into(),
            related: pick(p.related, rng).into(),
            views: pick(p.views, rng).into(),
            comments_head: pick(p.comments_head, rng).into(),
            comment_lines: mid,
            news_code: pick(p.news_code, rng).into(),
            tags: pick(p.tags, rng).into(),
            short_link: pick(p.short_link, rng).into(),
            newsletter: pick(p.newsletter, rng).into(),
            close: pick(p.close, rng).into(),
            byline: pick(p.byline, rng).into(),
            read_also: pick(p.read_also, rng).into(),
        };
        let nav_sep = [" | ", " - ", " • ", " / ", "  "][rng.gen_range(0..5)];
        let footer_nav = pick_many(p.nav, rng.gen_range(3..=8), rng).join(nav_sep);
        let top_nav = pick_many(p.sections, rng.gen_range(4..=9), rng).join(nav_sep);
        let year = match lang {
            Lang::Fa => rng.gen_range(1398..1405),
            _ => rng.gen_range(2018..2027),
        };
        let mut year_text = String::new();
        style.digits.push(&mut year_text, year, 0);
        let copyright = pick(p.copyright, rng)
            .replace("{site}", &name)
            .replace("{year}", &year_text);
        let authors = (0..rng.gen_range(1..=6))
            .map(|_| {
                let pack = Pack::get(lang);
                let author = format!("{} {}", pack.name.uniform(rng), pack.name.uniform(rng));
                let mut bio = String::new();
                for _ in 0..rng.gen_range(1..=2) {
                    if !bio.is_empty() {
                        bio.push(' ');
                    }
                    sentence(&mut bio, rng.gen_range(10..=20), &style, rng);
                }
                (author, bio)
            })
            .collect();
        let mut disclaimer = pick(p.disclaimers, rng).replace("{site}", &name);
        if rng.gen_bool(0.5) {
            // A site-specific tail keeps two sites that drew the same template apart.
            disclaimer.push(' ');
            sentence(&mut disclaimer, rng.gen_range(8..=14), &style, rng);
        }
        let mut header = vec![];
        if rng.gen_bool(0.7) {
            header.push((Element::SiteName, 100));
        }
        header.extend(layout(&HEADER, 0.45, 2, rng));
        let mut footer = layout(&FOOTER_BODY, 0.5, 2, rng);
        footer.extend(layout(&FOOTER_END, 0.6, 1, rng));
        header.dedup_by_key(|(e, _)| *e);
        let decorations: [(&str, &str); 8] = [
            ("", ""),
            ("", ""),
            ("", ""),
            ("» ", ""),
            ("", " »"),
            ("• ", ""),
            ("[", "]"),
            ("◄ ", ""),
        ];
        Site {
            source,
            name,
            lang,
            weight: rng.gen_range(1..=10),
            disclaimer,
            disclaimer_pct: rng.gen_range(20..=90),
            blank_between: rng.gen_bool(0.7),
            header,
            footer,
            style,
            date_format: rng.gen_range(0..6),
            crumb_sep: [" » ", " / ", " | ", " > ", " › ", " ← "][rng.gen_range(0..6)],
            crumb_leading_sep: rng.gen_bool(0.3),
            crumb_title: rng.gen_bool(0.6),
            home: pick(p.home, rng).into(),
            sections: pick_many(p.sections, rng.gen_range(3..=8), rng),
            labels,
            decoration: decorations[rng.gen_range(0..decorations.len())],
            bullet: ["", "- ", "• ", "» ", "▪ "][rng.gen_range(0..5)],
            related_count: {
                let lo = rng.gen_range(3..=5);
                (lo, rng.gen_range(lo..=8))
            },
            related_dates: rng.gen_bool(0.3),
            top_nav,
            footer_nav,
            copyright,
            authors,
            blank_after_chrome: rng.gen_bool(0.4),
            read_also_pct: if rng.gen_bool(0.4) {
                rng.gen_range(5..25)
            } else {
                0
            },
        }
    }

    /// Renders `article` as one page of this site; see [`Article::render`] for `marks`.
    pub(crate) fn render(
        &self,
        article: &Article,
        page: &mut Page,
        marks: &mut [(usize, usize)],
        rng: &mut impl Rng,
    ) -> Option<TeaserSpan> {
        let section = self.sections[rng.gen_range(0..self.sections.len())].clone();
        let author = rng.gen_range(0..self.authors.len());
        for &(element, pct) in &self.header {
            if rng.gen_range(0..100) < pct {
                self.element(element, page, &article.title, &section, author, rng);
            }
        }
        if !self.blank_after_chrome && self.blank_between {
            page.line("", true);
        }
        let teaser = article.render(page, self.blank_between, marks, |page, _| {
            if self.read_also_pct > 0 && rng.gen_range(0..100) < self.read_also_pct {
                let head = headline(&self.style, 5, 11, rng);
                page.line(&format!("{} {}", self.labels.read_also, head), true);
                if self.blank_between {
                    page.line("", false);
                }
            }
        });
        if self.blank_between {
            page.line("", true);
        }
        for &(element, pct) in &self.footer {
            if rng.gen_range(0..100) < pct {
                self.element(element, page, &article.title, &section, author, rng);
            }
        }
        teaser
    }

    fn button(&self, label: &str) -> String {
        format!("{}{}{}", self.decoration.0, label, self.decoration.1)
    }

    fn number(&self, n: u64) -> String {
        let mut s = String::new();
        self.style.digits.push(&mut s, n, 0);
        s
    }

    fn element(
        &self,
        element: Element,
        page: &mut Page,
        title: &str,
        section: &str,
        author: usize,
        rng: &mut impl Rng,
    ) {
        let l = &self.labels;
        match element {
            Element::SiteName => {
                page.line(&self.name, true);
            }
            Element::TopNav => {
                page.line(&self.top_nav, true);
            }
            Element::Date => {
                let date = self.date(rng);
                page.line(&date, true);
            }
            Element::Breadcrumb => {
                let mut crumb = String::new();
                if self.crumb_leading_sep {
                    crumb.push_str(self.crumb_sep.trim_start());
                } else {
                    crumb.push_str(&self.home);
                    crumb.push_str(self.crumb_sep);
                }
                crumb.push_str(section);
                if self.crumb_title {
                    crumb.push_str(self.crumb_sep);
                    crumb.push_str(title);
                }
                page.line(&crumb, true);
            }
            Element::Section => {
                page.line(section, true);
            }
            Element::Views => {
                let n = self.number(rng.gen_range(3..250_000));
                page.line(&l.views.replace("{n}", &n), true);
            }
            Element::NewsCode => {
                let n = self.number(rng.gen_range(100_000..9_999_999));
                page.line(&l.news_code.replace("{n}", &n), true);
            }
            Element::Share => {
                page.line(&self.button(&l.share), true);
            }
            Element::Print => {
                page.line(&self.button(&l.print), true);
            }
            Element::ReadMore => {
                page.line(&self.button(&l.read_more), true);
            }
            Element::Byline => {
                page.line(&format!("{} {}", l.byline, self.authors[author].0), true);
            }
            Element::Tags => {
                let pack = Pack::get(self.lang);
                let sep = if self.lang == Lang::En { ", " } else { "، " };
                let tags: Vec<&str> = (0..rng.gen_range(2..=5))
                    .map(|_| pack.noun.uniform(rng))
                    .collect();
                page.line(&format!("{} {}", l.tags, tags.join(sep)), true);
            }
            Element::ShortLink => {
                let code = latin_name(rng).to_ascii_lowercase();
                let host = self.source.rsplit_once('-').map_or("", |(h, _)| h);
                page.line(&format!("{} https://{host}/x/{code}", l.short_link), true);
            }
            Element::Related => {
                page.line(&self.button(&l.related), true);
                let (lo, hi) = self.related_count;
                for _ in 0..rng.gen_range(lo..=hi) {
                    let mut line = String::from(self.bullet);
                    line.push_str(&headline(&self.style, 5, 12, rng));
                    if self.related_dates {
                        line.push_str(" - ");
                        line.push_str(&self.date(rng));
                    }
                    page.line(&line, true);
                }
            }
            Element::AuthorBox => {
                let (name, bio) = &self.authors[author];
                page.line(name, true);
                page.line(bio, true);
            }
            Element::Comments => {
                page.line(&l.comments_head, true);
                for line in &l.comment_lines {
                    page.line(line, true);
                }
            }
            Element::Newsletter => {
                page.line(&self.button(&l.newsletter), true);
            }
            Element::FooterNav => {
                page.line(&self.footer_nav, true);
            }
            Element::Copyright => {
                page.line(&self.copyright, true);
            }
            Element::BackTop => {
                page.line(&self.button(&l.back_top), true);
            }
            Element::Close => {
                page.line(&l.close, true);
            }
        }
        if self.blank_after_chrome {
            page.line("", true);
        }
    }

    /// A publication date in this site's format and calendar.
    fn date(&self, rng: &mut impl Rng) -> String {
        let p = pools(self.lang);
        let d = self.style.digits;
        let num = |n: u64, w: usize| {
            let mut s = String::new();
            d.push(&mut s, n, w);
            s
        };
        let weekday = pick(p.weekdays, rng);
        let month = rng.gen_range(1..=12u64);
        let day = rng.gen_range(1..=29u64);
        let (hh, mm) = (num(rng.gen_range(0..24), 2), num(rng.gen_range(0..60), 2));
        let native_year = match self.lang {
            Lang::Fa => rng.gen_range(1400..1406),
            _ => rng.gen_range(2019..2027),
        };
        let month_name = p.months[month as usize - 1];
        let (y, m, dd) = (num(native_year, 0), num(month, 2), num(day, 2));
        match (self.lang, self.date_format) {
            (Lang::Fa, 0) => format!("{weekday} {} {month_name} {y} - {hh}:{mm}", num(day, 0)),
            (Lang::Fa, 1) => format!("{y}/{m}/{dd}"),
            (Lang::Fa, 2) => format!(
                "{weekday}، {} {month_name} {y}، ساعت {hh}:{mm}",
                num(day, 0)
            ),
            (Lang::Fa, 3) => format!("تاریخ انتشار: {} {month_name} {y}", num(day, 0)),
            (Lang::Fa, 4) => format!("{hh}:{mm} - {y}/{m}/{dd}"),
            (Lang::Fa, _) => {
                let g = num(native_year + 621, 0);
                format!(
                    "{weekday} {} {} {g}",
                    num(day, 0),
                    p.months_alt[month as usize - 1]
                )
            }
            (Lang::Ar, 0) => format!("{weekday} {} {month_name} {y}", num(day, 0)),
            (Lang::Ar, 1) => format!("{dd}/{m}/{y}"),
            (Lang::Ar, 2) => format!("نشر في: {} {month_name} {y} - {hh}:{mm}", num(day, 0)),
            (Lang::Ar, 3) => {
                let hijri = num(rng.gen_range(1443..1448), 0);
                format!(
                    "{} {} {hijri} هـ",
                    num(day, 0),
                    p.months_alt[month as usize - 1]
                )
            }
            (Lang::Ar, 4) => format!("{y}-{m}-{dd} {hh}:{mm}"),
            (Lang::Ar, _) => format!("آخر تحديث: {weekday}، {dd}/{m}/{y}"),
            (Lang::En, 0) => format!("{weekday}, {month_name} {day}, {y}"),
            (Lang::En, 1) => format!("{dd}/{m}/{y}"),
            (Lang::En, 2) => format!(
                "Published: {day} {} {y} {hh}:{mm}",
                p.months_alt[month as usize - 1]
            ),
            (Lang::En, 3) => format!("{y}-{m}-{dd}T{hh}:{mm}"),
            (Lang::En, 4) => format!(
                "Updated {month_name} {day}, {y} at {}:{mm} {}",
                rng.gen_range(1..=12),
                if rng.gen_bool(0.5) { "AM" } else { "PM" }
            ),
            (Lang::En, _) => format!("{weekday} {day} {month_name} {y}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::vocab::Digits;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn sites_from_different_seeds_differ() {
        let a = Site::generate(0, Lang::Fa, &mut ChaCha8Rng::seed_from_u64(1));
        let b = Site::generate(0, Lang::Fa, &mut ChaCha8Rng::seed_from_u64(2));
        assert_ne!(a.source, b.source);
        assert!(a.header != b.header || a.footer != b.footer || a.labels.share != b.labels.share);
    }

    #[test]
    fn persian_dates_use_site_digits() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut site = Site::generate(0, Lang::Fa, &mut rng);
        site.style.digits = Digits::Persian;
        site.date_format = 0;
        let date = site.date(&mut rng);
        assert!(date.chars().any(|c| ('۰'..='۹').contains(&c)), "{date}");
        assert!(!date.chars().any(|c| c.is_ascii_digit()), "{date}");
    }
}
