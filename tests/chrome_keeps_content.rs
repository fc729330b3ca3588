//! What chrome removal must never take: a poem, a list inside the article and a subtitle survive
//! `clean` on a source whose other pages carry real, recurring chrome (which is removed).

mod common;

use common::*;
use std::fs;
use std::path::PathBuf;

/// Appends each of `lines` to `page`, a line each.
fn push_lines<S: AsRef<str>>(page: &mut String, lines: impl IntoIterator<Item = S>) {
    for line in lines {
        page.push_str(line.as_ref());
        page.push('\n');
    }
}

/// Writes a source `site` of eight pages, `first` and seven of `other(n)`, cleans it with
/// chrome removal alone and returns the directory (kept alive), the input and the first page
/// as cleaned.
fn clean_source(
    site: &str,
    first: &str,
    other: impl Fn(usize) -> String,
) -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir_all(input.join(site)).unwrap();
    fs::write(input.join(site).join("a00.txt"), first).unwrap();
    for n in 1..=7 {
        fs::write(input.join(site).join(format!("a{n:02}.txt")), other(n)).unwrap();
    }
    let out = dir.path().join("out");
    chaff()
        .arg("clean")
        .arg(&input)
        .args([
            "--source-from",
            "dir",
            "--quiet",
            "--no-dups",
            "--no-passages",
        ])
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let cleaned = fs::read_to_string(out.join("in").join(site).join("a00.txt")).unwrap();
    (dir, input, cleaned)
}

const HEADER: &str = "Home | World | Business | Culture | Sport | Opinion\n\
Culture › Books\n\
Sign in\n";
const FOOTER: &str = "Most read\n\
Storm closes ports along the coast\n\
Markets rally after the rate decision\n\
New museum opens its doors downtown\n\
About us | Contact | Privacy policy | Terms of use\n\
© 2025 The Evening Ledger. All rights reserved.\n";

fn prose(n: usize) -> String {
    format!(
        "The festival opened on Friday with a reading that drew a larger crowd than the \
         organisers had expected, and the queue reached the end of the street by noon ({n}).\n\
         Critics said that the programme was the most ambitious in years, although some of \
         them were worried about the cost of the new venue and the price of the tickets.\n"
    )
}

const POEM: [&str; 12] = [
    "The river keeps the names we lose",
    "and gives them back as stones,",
    "it does not ask us what we choose",
    "it carries us like bones",
    "",
    "and when the winter closes in",
    "the water learns to wait,",
    "it holds the light beneath its skin",
    "and lets it go too late",
    "",
    "So sing the river, sing it slow,",
    "the current knows the way we go.",
];

const LIST: [&str; 4] = [
    "- two eggs, beaten with a pinch of salt",
    "- a cup of flour, sifted twice",
    "- half a cup of milk, warmed",
    "- butter for the pan",
];

const SUBTITLE: &str = "A reading by the river opens the autumn season";

fn page_with_content() -> String {
    let mut page = String::from(HEADER);
    page.push_str("Poets gather for the river festival\n");
    page.push_str(SUBTITLE);
    page.push('\n');
    page.push_str(&prose(0));
    page.push_str("She read the poem that gave the festival its name:\n");
    push_lines(&mut page, POEM);
    page.push_str(&prose(1));
    page.push_str("The recipe for the festival pancakes, handed out at the gate, needs:\n");
    push_lines(&mut page, LIST);
    page.push_str(&prose(2));
    page.push_str(FOOTER);
    page
}

fn other_page(n: usize) -> String {
    format!(
        "{HEADER}Council approves the new library budget {n}\n{}{}{FOOTER}",
        prose(10 + n),
        prose(20 + n)
    )
}

#[test]
fn a_poem_a_list_and_a_subtitle_survive_clean_beside_real_chrome() {
    let (_dir, _, cleaned) = clean_source("ledger", &page_with_content(), other_page);
    let kept: Vec<&str> = cleaned.lines().collect();
    for line in POEM.iter().chain(LIST.iter()).chain([&SUBTITLE]) {
        if !line.is_empty() {
            assert!(kept.contains(line), "lost {line:?}; kept:\n{cleaned}");
        }
    }
    // The source's chrome is real and recurs on every page: it goes.
    for chrome in [
        "Home | World | Business | Culture | Sport | Opinion",
        "About us | Contact | Privacy policy | Terms of use",
        "© 2025 The Evening Ledger. All rights reserved.",
    ] {
        assert!(!kept.contains(&chrome), "kept {chrome:?}:\n{cleaned}");
    }
}

/// The same promise on an Arabic news source, with what real Arabic pages lost before: a long
/// poem (48 distinct verses, introduced by a short clause of the article), the bank accounts the
/// article asks readers to donate to, "this day in history" entries, the headline with its
/// subtitle, and a lead opening with its dateline. None of them may go through `clean`, nor
/// be left out when `scan` compares documents (the comparison threshold), while the source's
/// recurring chrome goes.
mod arabic {
    use super::*;

    const HEADER: &str = "آسياأخبار العالمالشرق الأوسط\nالرئيسية | سياسة | اقتصاد | ثقافة | رياضة\n";
    const WHO: [&str; 8] = [
        "وزير الثقافة",
        "محافظ المدينة",
        "رئيس اللجنة",
        "مدير المهرجان",
        "نائب الوزير",
        "رئيس الاتحاد",
        "عميد الكلية",
        "مدير المكتبة",
    ];
    const WHERE: [&str; 8] = [
        "المحافظات",
        "القرى",
        "المدن الساحلية",
        "الجامعات",
        "المدارس",
        "الأحياء القديمة",
        "المناطق الحدودية",
        "الضواحي",
    ];
    const VERSES: [&str; 8] = [
        "يا ليلُ طُلْ أو لا تَطُلْ فالصبحُ آتٍ لا محالْ",
        "والنهرُ يحفظُ سرَّنا ويعيدُهُ عندَ الرِّمالْ",
        "كم من غريبٍ مرَّ بي يشكو الحنينَ إلى الجبالْ",
        "فأجبتُهُ إنَّ المدى بيتٌ لمن عرفَ السؤالْ",
        "لا تسألِ الريحَ التي حملتْ حكاياتِ الرجالْ",
        "واسألْ عن الزرعِ الذي نبتَ على كفِّ الخيالْ",
        "إنَّ القصيدةَ نخلةٌ والحرفُ فيها كالظلالْ",
        "تمضي السنونُ وتبقى في القلبِ أسماءُ الجمالْ",
    ];
    const ACCOUNTS: [&str; 4] = [
        "البنك الأهلي: حساب رقم 1002345678901",
        "بنك مصر: حساب رقم 2004567123098",
        "البنك العربي: حساب رقم 0123-456789-500",
        "بنك القاهرة: حساب رقم 7788990011223",
    ];
    const THIS_DAY: [&str; 4] = [
        "1952 - إعلان تأسيس أول جمعية للأدباء في المدينة",
        "1969 - افتتاح المكتبة العامة بعد ترميمها",
        "1987 - صدور العدد الأول من مجلة الفنون",
        "2003 - تسجيل السوق القديمة في قائمة التراث",
    ];
    const TITLE: &str = "افتتاح مهرجان الشعر العربي في القاهرة";
    const SUBTITLE: &str = "أمسية شعرية على ضفاف النيل تفتتح الموسم الثقافي";
    const LEAD: &str =
        "القاهرة - افتتح مساء أمس مهرجان الشعر العربي بمشاركة شعراء من اثنتي عشرة دولة.";

    fn footer(n: usize) -> String {
        format!(
            "اظهر المزيد\nمقالات ذات صلة\nارتفاع أسعار الذهب في الأسواق المحلية خلال الأسبوع {n}\n\
             افتتاح معرض الكتاب الدولي بمشاركة واسعة\nمنتخب الشباب يتأهل إلى الدور النهائي\n\
             زر الذهاب إلى الأعلى\nإغلاق\n"
        )
    }

    /// Two sentences of an article, distinct for every `n` below 64: article text does not
    /// recur across the source's pages (numbers are folded when lines are compared).
    fn prose(n: usize) -> String {
        format!(
            "قال {} في كلمته خلال حفل الافتتاح في {} إن المهرجان يمثل فرصة لتعزيز الحوار بين \
             الكتاب والقراء من مختلف الأجيال، وإن الدورة رقم {n} تشهد مشاركة أوسع من السابقة.\n\
             وأضاف {} أن الوزارة تعمل على دعم المبادرات الثقافية في {}، وأن برنامج العام يتضمن \
             ندوات وأمسيات شعرية وورشا للكتابة موجهة إلى الشباب.\n",
            WHO[n % 8],
            WHERE[(n / 8) % 8],
            WHO[(n / 8) % 8],
            WHERE[n % 8],
        )
    }

    /// 48 distinct verses: the first half of each verse with the second half of another.
    fn poem() -> Vec<String> {
        let halves = |v: &str| {
            let words: Vec<&str> = v.split(' ').collect();
            let mid = words.len() / 2;
            (words[..mid].join(" "), words[mid..].join(" "))
        };
        (0..6)
            .flat_map(|k| {
                (0..8).map(move |i| {
                    format!("{} {}", halves(VERSES[i]).0, halves(VERSES[(i + k) % 8]).1)
                })
            })
            .collect()
    }

    fn page() -> String {
        let mut page = format!("{HEADER}{TITLE}\n{SUBTITLE}\nقسم الثقافة 23/10/2024\n{LEAD}\n");
        page.push_str(&prose(0));
        page.push_str("وألقى الشاعر قصيدة بعنوان النهر جاء فيها:\n");
        push_lines(&mut page, poem());
        page.push_str(&prose(1));
        page.push_str(
            "ودعت اللجنة المنظمة إلى التبرع لصندوق دعم الكتاب الشباب عبر الحسابات التالية:\n",
        );
        push_lines(&mut page, ACCOUNTS);
        page.push_str(&prose(2));
        page.push_str("في مثل هذا اليوم:\n");
        push_lines(&mut page, THIS_DAY);
        page.push_str(&prose(3));
        page.push_str(&footer(0));
        page
    }

    fn other_page(n: usize) -> String {
        format!(
            "{HEADER}مجلس المدينة يقر ميزانية المكتبات الجديدة {n}\nقسم الأخبار المحلية {}/10/2024\n{}{}{}",
            10 + n,
            prose(10 + n),
            prose(20 + n),
            footer(n)
        )
    }

    fn must_survive() -> Vec<String> {
        let mut lines = poem();
        lines.extend(ACCOUNTS.iter().chain(&THIS_DAY).map(|s| s.to_string()));
        lines.extend([TITLE, SUBTITLE, LEAD].map(String::from));
        lines
    }

    #[test]
    fn a_long_poem_accounts_history_and_the_heading_survive_on_an_arabic_source() {
        let (_dir, input, cleaned) = clean_source("akhbar", &page(), other_page);
        let kept: Vec<&str> = cleaned.lines().collect();
        for line in must_survive() {
            assert!(
                kept.contains(&line.as_str()),
                "lost {line:?}; kept:\n{cleaned}"
            );
        }
        for chrome in [
            "الرئيسية | سياسة | اقتصاد | ثقافة | رياضة",
            "زر الذهاب إلى الأعلى",
        ] {
            assert!(!kept.contains(&chrome), "kept {chrome:?}:\n{cleaned}");
        }
        // What `scan` leaves out when it compares documents: lines at or above the comparison
        // threshold, which is lower than the removal threshold.
        let records = json_records(&[
            "chrome",
            input.to_str().unwrap(),
            "--source-from",
            "dir",
            "--chrome-threshold",
            &chaff::chrome::Config::default()
                .compare_threshold()
                .to_string(),
        ]);
        let text = page();
        let lines: Vec<&str> = text.lines().collect();
        let compared_without: Vec<&str> = records
            .iter()
            .filter(|r| {
                r["kind"] == "chrome" && r["id"].as_str().is_some_and(|id| id.ends_with("a00.txt"))
            })
            .map(|r| lines[r["line"].as_u64().unwrap() as usize - 1])
            .collect();
        for line in must_survive() {
            assert!(
                !compared_without.contains(&line.as_str()),
                "{line:?} left out of comparisons: {compared_without:?}"
            );
        }
    }
}

/// The issue's own case: two weekly rankings of a source, each the article's numbered points
/// ("1. تطبيق واتساب", ...) opened by a sentence, whose items name apps that are also share
/// buttons. Left out of the comparison, they made the two articles "duplicates"; they are the
/// articles' own text and stay in it.
#[test]
fn two_rankings_of_one_source_are_not_duplicates_of_each_other() {
    const HEADER: &str = "الرئيسية | تقنية | ألعاب | تطبيقات\n";
    const FOOTER: &str =
        "اقرأ أيضا\nأفضل الهواتف لعام 2024\nمراجعة سماعات جديدة\nجميع الحقوق محفوظة © 2024\n";
    let ranking = |week: usize, apps: [&str; 10]| {
        let mut page = format!(
            "{HEADER}التطبيقات الأكثر تحميلا هذا الأسبوع ({week})\n\
             تعرض لكم تقنية نيوز في هذا التقرير الأسبوعي قائمة التطبيقات الأكثر تحميلا في متجر \
             التطبيقات خلال الأسبوع الماضي، وفق بيانات المتجر الرسمية.\n"
        );
        push_lines(
            &mut page,
            apps.iter()
                .enumerate()
                .map(|(i, a)| format!("{}. تطبيق {a}", i + 1)),
        );
        page.push_str(
            "ويتم تحديث هذه القائمة كل أسبوع اعتمادا على عدد مرات التحميل والتقييمات التي يضعها \
             المستخدمون في المتجر.\n",
        );
        page.push_str(FOOTER);
        page
    };
    let news = [
        "شركة ناشئة تطلق خدمة جديدة لتوصيل الطلبات في المدن الكبرى بأسعار منافسة للمستخدمين.",
        "أعلنت الشركة عن تحديث نظام التشغيل الذي يضيف مزايا جديدة للخصوصية وتحسينات في أداء البطارية.",
        "كشفت دراسة حديثة أن استخدام الهواتف الذكية بين الأطفال ارتفع بشكل ملحوظ خلال السنوات الأخيرة.",
        "أطلقت الحكومة منصة رقمية جديدة لتسهيل الخدمات الإلكترونية للمواطنين في جميع المحافظات.",
        "قدمت الشركة نسخة تجريبية من تطبيقها الجديد الذي يعتمد على الذكاء الاصطناعي في تحرير الصور.",
        "شهد معرض التقنية السنوي مشاركة واسعة من الشركات المحلية والعالمية هذا العام في العاصمة.",
    ];
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("in").join("tech");
    fs::create_dir_all(&site).unwrap();
    let first = [
        "واتساب",
        "تيك توك",
        "إنستغرام",
        "سناب شات",
        "تلغرام",
        "يوتيوب",
        "نتفليكس",
        "شاهد",
        "أنغامي",
        "كريم",
    ];
    let second = [
        "فيسبوك",
        "ماسنجر",
        "زووم",
        "تيمز",
        "جيميل",
        "خرائط جوجل",
        "أمازون",
        "نون",
        "طلبات",
        "أوبر",
    ];
    fs::write(site.join("w1.txt"), ranking(1, first)).unwrap();
    fs::write(site.join("w2.txt"), ranking(2, second)).unwrap();
    for (n, line) in news.iter().enumerate() {
        let page = format!(
            "{HEADER}خبر تقني رقم {n}\n{line}\n{} وأضاف المتحدث أن الخطوة تأتي ضمن خطة أوسع.\n{FOOTER}",
            line.replace("الشركة", "المؤسسة")
        );
        fs::write(site.join(format!("o{n}.txt")), page).unwrap();
    }
    let records = json_records(&[
        "scan",
        dir.path().join("in").to_str().unwrap(),
        "--source-from",
        "dir",
    ]);
    let duplicates: Vec<_> = records
        .iter()
        .filter(|r| r["kind"] == "duplicate")
        .collect();
    assert!(duplicates.is_empty(), "{duplicates:?}");
}
