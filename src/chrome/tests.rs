//! Unit tests of chrome detection on single pages.

use super::*;

fn flagged(text: &str) -> Vec<(u32, String)> {
    flagged_at(text, None)
}

/// Lines flagged at `threshold` (`None`: the model's default, which keeps related lists that
/// only their shape gives away; 0.9 takes them).
fn flagged_at(text: &str, threshold: Option<f64>) -> Vec<(u32, String)> {
    let config = Config {
        threshold,
        ..Config::default()
    };
    detect_text(text, None, &Model::default(), &config)
        .expect("the default configuration is valid")
        .into_iter()
        .map(|s| (s.line, s.reason.to_string()))
        .collect()
}

/// Lines flagged at threshold 0 (every line the rules and the model judge) whose reason
/// names one of `reasons`.
fn flagged_for(text: &str, reasons: &[&str]) -> Vec<u32> {
    flagged_at(text, Some(0.0))
        .into_iter()
        .filter(|(_, reason)| reasons.iter().any(|r| reason.contains(r)))
        .map(|(l, _)| l)
        .collect()
}

/// The opening of the article of the tests of entries after it: a title and three paragraphs.
const HARBOUR_INTRO: &str = "Council approves the new harbour plan\n\
The city council approved the plan for the harbour on Monday after a debate that lasted most of the day.\n\
The mayor said that the work would start in the spring and that the port would stay open during it.\n\
Opponents of the plan said that they would ask the court to stop the work before it begins.\n";

/// Headlines of other articles of the harbour tests' site, for teasers after (or before) its
/// article.
const HARBOUR_TEASERS: [&str; 4] = [
    "Ferry fares rise for the summer season",
    "New lighthouse keeper appointed for the islands",
    "Fish market to move to the old station",
    "Storm damage repairs finished on the coast road",
];

#[test]
fn a_content_list_introduced_by_a_colon_survives() {
    let text = "The committee met on Monday and agreed on the following points of the plan:\n\
- Schools will reopen in the spring for all of the pupils.\n\
- The budget of the program is raised by a tenth this year.\n\
- A review of the program will be held in the autumn.\n\
The minister said that the plan would be published in full by the end of the week.";
    assert_eq!(flagged(text), vec![]);
}

#[test]
fn a_related_list_after_the_article_is_chrome_with_its_heading() {
    let text = "Talks resume in the capital\n\
The two delegations met again on Tuesday and said that they would continue the talks in the spring.\n\
The ministers also agreed that the next round would be held in the capital of the region.\n\
Related\n\
- Storm closes ports along the coast\n\
- Markets rally after the rate decision\n\
- New museum opens its doors downtown";
    let lines: Vec<u32> = flagged_at(text, Some(0.9))
        .into_iter()
        .map(|(l, _)| l)
        .collect();
    assert_eq!(lines, vec![4, 5, 6, 7]);
    // Alone, a short list's shape is not evidence enough for the default; the heading is.
    assert_eq!(
        flagged(text)
            .into_iter()
            .map(|(l, _)| l)
            .collect::<Vec<_>>(),
        vec![4]
    );
}

/// On real pages a second copy of the title next to it is as often the article's own (a
/// headline and its page title) as chrome (13 such lines in the labeled pages, half of them
/// chrome): the copy is not evidence enough, the breadcrumb is.
#[test]
fn the_title_and_its_copy_are_kept_and_the_breadcrumb_is_not() {
    let text = "Home › World › Talks resume\nTalks resume in the capital\nTalks resume in the capital\n\
The two delegations met again on Tuesday and said that they would continue the talks in the spring.";
    let got = flagged_at(text, Some(0.9));
    assert_eq!(got.iter().map(|(l, _)| *l).collect::<Vec<_>>(), vec![1]);
    assert!(got[0].1.starts_with("header: "), "{got:?}");
}

#[test]
fn template_evidence_flags_a_recurring_line_but_not_recurring_body_prose() {
    let mut model = Model::default();
    let words = [
        "harbour", "market", "school", "river", "bridge", "garden", "museum", "station", "library",
        "stadium", "theatre",
    ];
    let page = |n: usize| {
        let w = words[n % words.len()];
        format!(
            "Daily Courier newsletter signup\nNew {w} opens in the north\n\
This is the story of the {w} and it says that the {w} was busy in the morning.\n\
As always, the editors remind readers that the views of the columnists are their own.\n\
It was the busiest day of the year for the {w} and for all of the workers there."
        )
    };
    for n in 0..10 {
        let lines = features::lines(
            &page(n),
            &Normalizer::default(),
            &LineModel::builtin().vocabulary,
        );
        model.add_page(Some("courier"), page_keys(&lines));
    }
    let text = page(10);
    let got = detect_text(&text, Some("courier"), &model, &Config::default()).unwrap();
    let lines: Vec<u32> = got.iter().map(|s| s.line).collect();
    assert_eq!(lines, vec![1], "{got:?}");
    assert!(got[0].reason.template.is_some());
}

#[test]
fn without_chrome_keeps_line_structure() {
    let text = "menu | a | b\nbody text\nfooter";
    assert_eq!(without_chrome(text, &[0..12, 23..29]), "\nbody text\n");
    assert_eq!(without_chrome(text, &[]), text);
}

/// Prose reads as prose in languages chaff has no hand-made list for: their function words come
/// from the stop-words crate (NLTK, stopwords-iso), and Chinese and Japanese count single
/// characters, as they are tokenized.
#[test]
fn prose_is_recognized_in_eight_languages_without_lists_of_ours() {
    let prose = [
        ("fa", "این دیدار در حالی انجام شد که روابط دو کشور در سال‌های اخیر گسترش یافته است."),
        ("ar", "وقال الوزير في مؤتمر صحفي إن المحادثات مع الجانب الآخر كانت بناءة وإنها ستستمر."),
        ("en", "The minister said that the talks with the other side had been useful and would go on."),
        ("de", "Der Minister sagte, dass die Gespräche mit der anderen Seite nützlich waren und weitergehen."),
        ("fr", "Le ministre a dit que les discussions avec l'autre partie avaient été utiles et qu'elles continueraient."),
        ("es", "El ministro dijo que las conversaciones con la otra parte habían sido útiles y que seguirían."),
        ("ru", "Министр сказал, что переговоры с другой стороной были полезными и что они будут продолжены."),
        ("pt", "O ministro disse que as conversas com o outro lado foram úteis e que elas vão continuar."),
        ("zh", "部长说，与对方的会谈是有益的，并且会谈将会继续进行下去。"),
        ("ja", "大臣は、相手側との協議は有益であり、今後も続けられると述べた。"),
    ];
    let normalizer = Normalizer::default();
    for (lang, line) in prose {
        let line = features::lines(line, &normalizer, &LineModel::builtin().vocabulary).remove(0);
        assert_eq!(
            classify::own_class(&line),
            classify::Class::Good,
            "{lang}: {} words, function-word density {:.2}",
            line.f.words,
            line.f.stop_density()
        );
    }
}

fn cues(text: &str) -> Vec<(u32, &'static str)> {
    detect_text(text, None, &Model::default(), &Config::default())
        .expect("the default configuration is valid")
        .into_iter()
        .map(|s| (s.line, s.reason.cue.name()))
        .collect()
}

const ARTICLE: &str = "Talks resume in the capital\n\
The two delegations met again on Tuesday and said that they would continue the talks in the spring.\n\
The ministers also agreed that the next round would be held in the capital of the region.\n\
Both sides said that the meeting had been useful and that the work of the experts would go on.\n\
The talks are expected to last for several weeks, according to the officials of both countries.\n";

/// Comments read as prose, but the section is known by its shape: a name line and a date line
/// open each one. Its lines go with that cue; the article's own lines stay.
#[test]
fn a_comment_section_after_the_article_is_chrome_by_its_structure() {
    let comments = "3 thoughts on this story\n\
Jane Smith\n\
November 19, 2019 at 9:47 am\n\
I think that the talks will fail again, as they did in the autumn of the last year.\n\
bob_the_reader says:\n\
November 19, 2019 at 10:01 am\n\
This is the best news that I have read in a long time, and I hope that it lasts.\n\
Anita\n\
November 20, 2019 at 8:15 pm\n\
Thanks for the report, it was clear and it told me what I wanted to know about it.\n";
    let got = cues(&format!("{ARTICLE}{comments}"));
    let entries: Vec<u32> = got
        .iter()
        .filter(|(_, c)| *c == "entries")
        .map(|(l, _)| *l)
        .collect();
    assert!(
        got.iter().all(|&(l, _)| l > 5),
        "article lines flagged: {got:?}"
    );
    // The heading, each name and each comment but the first; the date lines keep their own
    // cue.
    assert_eq!(entries, vec![6, 7, 10, 12, 13, 15], "{got:?}");
    assert!(got.iter().any(|&(l, c)| l == 8 && c == "date"), "{got:?}");
    // The first comment reads as the article's prose to the vocabulary ("talks", "again",
    // "autumn"), which takes it under the removal threshold; it is still an entry of the
    // section, left out when documents are compared.
    let compare = LineModel::builtin().compare_threshold;
    let at_compare = flagged_at(&format!("{ARTICLE}{comments}"), compare);
    assert!(
        at_compare
            .iter()
            .any(|(l, reason)| *l == 9 && reason.contains("comment")),
        "{at_compare:?}"
    );
}

/// The same shape with the article going on after it (dated entries of a timeline the article
/// tells) is not a section that closes the page, and names over figures ("Day 1") are no
/// commenters.
#[test]
fn dated_entries_inside_the_article_are_not_comments() {
    let timeline = "Jane Smith\n\
November 19, 2019 at 9:47 am\n\
She said that the talks would fail again, as they did in the autumn of the last year.\n\
John Brown\n\
November 19, 2019 at 10:01 am\n\
He said that it was the best news that he had heard in a long time, and that it would last.\n\
Anita Desai\n\
November 20, 2019 at 8:15 pm\n\
She thanked the delegations and said that the report was clear about what was agreed.\n";
    let openers = ["In", "By", "After", "During", "Within"];
    let resumes: String = (0..25)
        .map(|k| {
            let opener = openers[k % openers.len()];
            format!("{opener} the {k}th hour of the talks the delegations went on with the work of the experts.\n")
        })
        .collect();
    let got = cues(&format!("{ARTICLE}{timeline}{resumes}"));
    assert!(got.iter().all(|&(_, c)| c != "entries"), "{got:?}");
    assert!(got.iter().all(|&(l, _)| l <= 14), "{got:?}");

    let plan = "Day one\n\
Day 1\n\
Eat every 2–3 hours\n\
A bowl of oats with the berries and a cup of milk, and a glass of water with it.\n\
Day 2\n\
Eat every 2–3 hours\n\
A salad of the tomatoes with the cucumber and a piece of the fish that is left.\n\
Day 3\n\
Eat every 2–3 hours\n\
A plate of the chili with a side of the salad and a slice of the bread that is left.\n";
    let got = cues(&format!("{ARTICLE}{plan}"));
    assert!(got.iter().all(|&(_, c)| c != "entries"), "{got:?}");
}

/// Paragraphs of the article opening with the same two words are a list by their shape, but
/// they read as prose: inside the article they stay.
#[test]
fn paragraphs_opening_alike_inside_the_article_stay() {
    let anaphora =
        "We will meet again in the spring, and we will bring the experts with us to the talks.\n\
We will not give up on the plan, whatever the others say about it in the press this week.\n\
We will ask the ministers of the region to join the next round of the talks in the capital.\n\
The minister then left the room, and the talks went on for the rest of the afternoon.\n\
Both delegations said that they were pleased with the progress that had been made so far.\n\
The next round of the talks is expected to open in the capital at the end of the month.\n";
    let got = cues(&format!("{ARTICLE}{anaphora}"));
    assert_eq!(got, vec![], "{got:?}");
    // Whatever threshold a user picks: the list rule proposes them, the prose cap holds them.
    let everything = Config {
        threshold: Some(0.0),
        ..Config::default()
    };
    let scored = detect_text(
        &format!("{ARTICLE}{anaphora}"),
        None,
        &Model::default(),
        &everything,
    )
    .unwrap();
    let listed: Vec<&Span> = scored
        .iter()
        .filter(|s| s.reason.cue == Cue::RelatedList)
        .collect();
    assert!(
        !listed.is_empty(),
        "the list rule no longer proposes them: {scored:?}"
    );
    assert!(
        listed.iter().all(|s| s.score <= score::PROSE_CAP),
        "{listed:?}"
    );
}

/// A table of the article (cells split by `|`, a date in every row) is data, not a row of date
/// lines or a menu: without the table step, every row is a date line.
#[test]
fn a_table_with_dates_inside_the_article_survives() {
    let text = "Outages of the service this month\n\
The operators published the list of outages of the service, with the time each one started and how long it lasted.\n\
2020-08-01 11:28 | Frankfurt | 42 minutes\n\
2020-08-03 07:20 | Dublin | 12 minutes\n\
2020-08-09 17:59 | Virginia | 95 minutes\n\
2020-08-14 18:00 | Singapore | 8 minutes\n\
The operators said that all of the outages were caused by the same fault in the storage layer of the service.";
    assert_eq!(flagged(text), vec![]);
    let table = features::lines(
        text,
        &crate::text::Normalizer::default(),
        &LineModel::builtin().vocabulary,
    );
    let mut class: Vec<classify::Class> = table.iter().map(classify::own_class).collect();
    assert!(class[2..6]
        .iter()
        .all(|c| *c == classify::Class::Bad(Cue::Date)));
    classify::table_rows(&table, &mut class);
    assert!(class[2..6].iter().all(|c| *c == classify::Class::Short));
}

/// A list after the article that the article's last sentence introduces (the offers it
/// announces) is the article's, though it sits where related lists do; the same list under a
/// heading is a related list.
#[test]
fn a_list_after_the_article_introduced_by_its_last_sentence_survives() {
    let body = "Black Friday for the nostalgic\n\
The shops have started their sales a week early this year, and many of the offers are for toys and films of the eighties.\n\
We have looked through all of them, and these are the offers that readers of this site should not miss on the store:\n";
    let items = "1) Star Wars bomber of the Resistance, building set\n\
2) Electric racing track with two cars and a bridge\n\
3) Box set of the films of a director, seven discs\n\
4) Blade Runner, the final cut on a new disc\n";
    assert_eq!(flagged(&format!("{body}{items}")), vec![]);
    let closed = body.replace("store:", "store.");
    let got = flagged_at(&format!("{closed}More from the shop\n{items}"), Some(0.9));
    assert!(got.len() >= 4, "{got:?}");
}

/// Comments opened by one line with the commenter and the date: the last comment's text goes
/// with the section however long it runs within the longest comment's length, and a sidebar's
/// lone blurb after them is no sign that the article resumes.
#[test]
fn a_comment_thread_ends_with_its_last_comment_and_a_sidebar_blurb_does_not_resume_the_article() {
    let comments = "Jane Smith · March 10, 2017 at 12:20 AM\n\
I think that the talks will fail again, as they did in the autumn of the last year.\n\
Reply\n\
Bob Jones · March 10, 2017 at 1:26 AM\n\
This is the best news that I have read in a long time, and I hope that it lasts.\n\
It would be good to know what the experts think of it, and when they will report.\n\
Reply\n\
Anita · March 11, 2017 at 8:41 PM\n\
Thanks for the report, it was clear and it told me what I wanted to know about it.\n\
Reply\n\
Rick Rottman · March 12, 2017 at 6:16 PM\n\
The talks have failed before, and the people of both countries have paid for it.\n\
If the experts cannot agree this time, the ministers should meet again in the summer.\n\
And they should say in public what they have agreed, so that everyone can judge it.\n\
Subscribe\n\
Enter your email address to subscribe to this blog and receive notifications of new posts by email.\n\
Email Address\n";
    // An article with more to say than its comments (a live blog is dated from the top).
    let more = "The experts will meet first, and their report will be sent to both governments.\n\
The governments have said that they will publish the report once they have read it in full.\n\
Observers from the region will also be invited to attend the next round of the talks.\n";
    let got = flagged_at(&format!("{ARTICLE}{more}{comments}"), Some(0.0));
    let cue = |line: u32| {
        got.iter()
            .find(|(l, _)| *l == line)
            .map_or("", |(_, r)| r.as_str())
    };
    // The last comment's three lines (20-22) are the section's, as the first comments are.
    for line in [10, 13, 14, 17, 20, 21, 22] {
        assert!(cue(line).contains("entries"), "line {line}: {got:?}");
    }
    for line in 2..=8 {
        assert!(
            !cue(line).contains("entries"),
            "article line {line}: {got:?}"
        );
    }
}

/// Teasers after the article, each a headline, a blurb and its time ("32M ago"), are entries by
/// their structure, though the blurbs read as prose; the same dated structure from the top of
/// the page (a live blog) is the article.
#[test]
fn dated_teasers_after_the_article_are_entries_but_a_live_blog_is_not() {
    let article = "Council approves the new harbour plan\n\
The city council approved the plan for the harbour on Monday after a debate that lasted most of the day.\n\
The mayor said that the work would start in the spring and that the port would stay open during it.\n\
Opponents of the plan said that they would ask the court to stop the work before it begins.\n\
The council will publish the full plan and its costs on its website later this week.\n";
    let teasers = "Storm closes the coastal road\n\
Drivers were told to avoid the road until the water had gone down and the damage was checked.\n\
32M ago\n\
Museum opens a new wing\n\
The new wing shows the work of painters from the region and it will be open every day.\n\
1H ago\n\
School year starts early\n\
Pupils will go back a week early this year because of the new holidays in the spring.\n\
2H ago\n";
    let entries = |text: &str| flagged_for(text, &["entries", "date line"]);
    let got = entries(&format!("{article}{teasers}"));
    assert_eq!(got, (6..=14).collect::<Vec<u32>>(), "{got:?}");
    // A live blog: dated updates from the first line on.
    let live = format!("Live: the harbour vote\n{teasers}{teasers}");
    let got = entries(&live);
    assert!(got.iter().all(|&l| l % 3 == 1), "only the dates: {got:?}");
}

/// Teasers after an article can carry more prose than the article itself (here twice as much)
/// and are still entries; a live blog whose dated updates carry many times the prose of its
/// introduction is the article.
#[test]
fn teasers_outweighing_a_short_article_are_entries_but_a_live_blog_after_its_intro_is_not() {
    let intro = HARBOUR_INTRO;
    let teaser = |n: usize| {
        format!(
            "Storm number {n} closes the coastal road\n\
Drivers were told to avoid the road until the water had gone down and the damage was checked by the crews.\n\
{n}H ago\n"
        )
    };
    let teasers: String = (1..=6).map(teaser).collect();
    let text = format!("{intro}{teasers}");
    let flagged: Vec<u32> = flagged_for(&text, &["entries", "date line"]);
    assert_eq!(flagged, (5..=22).collect::<Vec<u32>>(), "{flagged:?}");
    // The same introduction followed by twenty dated updates: the blog itself.
    let updates: String = (1..=20).map(teaser).collect();
    let live = format!("{intro}{updates}");
    let entries: Vec<u32> = flagged_for(&live, &["entries"]);
    assert_eq!(entries, Vec::<u32>::new(), "a live blog's updates are kept");
}

/// Comments after an article stay entries when a sidebar of headlines and comment excerpts
/// follows them: lines that end no sentence are not the article resuming. Paragraphs after the
/// comments are.
#[test]
fn comments_followed_by_a_sidebar_of_headlines_are_entries_but_not_when_the_article_resumes() {
    let article = HARBOUR_INTRO;
    let comment = |n: usize| {
        format!(
            "Reader {n} · March {n}, 2017 at 12:20 AM\n\
I think that the plan is a good one, but the council should have asked the people who live near the port.\n\
Reply\n"
        )
    };
    let comments: String = (1..=5).map(comment).collect();
    let sidebar = "Most read\n\
What the council said about the plans for the old harbour wall\n\
Why the new ferry to the islands will not run in the winter\n\
How the storm of last year changed the coast of the north\n\
The best places to eat fish by the water in the old town\n\
A walk along the harbour with the last of the old fishermen\n\
Where the money for the new bridge over the river comes from\n";
    let entries = |text: &str| flagged_for(text, &["entries"]);
    let got = entries(&format!("{article}{comments}{sidebar}"));
    // Every comment's text (lines 6, 9, ...) is an entry.
    assert!(
        (0..5).all(|k| got.contains(&(6 + 3 * k))),
        "comment text: {got:?}"
    );
    let resumed =
        "The council will publish the full plan and its costs on its website later this week.\n\
Work on the first part of the wall is due to begin in April if the court does not stop it.\n\
The port authority said that ships would be able to use the harbour during the work.\n\
Fishermen said that they had not been asked about the plan and would protest on Friday.\n\
The mayor will meet them next week to hear what they have to say about the work.\n\
The plan was first put forward four years ago, when a storm broke the old wall in two places.\n\
Since then the council has spent more than it had hoped on repairs that did not last.\n\
A decision on the second part of the work is expected at the end of the year.\n";
    let got = entries(&format!("{article}{comments}{resumed}"));
    assert_eq!(got, Vec::<u32>::new(), "the article resumes after them");
}

/// A comment section whose entries are too long for dated records is found by its name and date
/// headers even when a lone name and date (an event box) follows it further down the page.
#[test]
fn comments_are_entries_despite_a_lone_name_and_date_after_them() {
    let article = HARBOUR_INTRO;
    let said = [
        "I think that the plan is a good one, but the council should have asked the people who live near the port.",
        "The wall has needed work for years and nobody did anything about it until the storm.",
        "Who is going to pay for all of this when the money from the state runs out next year?",
        "My father worked in that port for forty years and he would have liked to see this.",
        "It is about time, the old wall was falling apart and the boats could not get in.",
        "We will see what the court says, but I do not think that it will stop the work.",
    ];
    let names = ["Woyzeck", "Nick A", "fmcshan", "tjedora", "harbourfan"];
    let comments: String = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let body: Vec<&str> = (0..5).map(|k| said[(i + k) % said.len()]).collect();
            format!(
                "{name}\n2 days ago at 07:5{i} am\n{}\nRating: {} Votes\n",
                body.join("\n"),
                9 - i
            )
        })
        .collect();
    let guides = "Guides\nHarbour walks\n\
The old harbour has three walks that start at the station and end at the lighthouse.\nFerry times\n\
The ferries to the islands run every hour in the summer and twice a day in the winter.\nWhere to eat\n\
There are more than twenty places to eat fish by the water in the old town.\n";
    let events = "Events\nHarbour Day\nMarch 3, 2018\nA day of music and boats by the water.\n";
    let text = format!("{article}{comments}{guides}{events}");
    let entries: Vec<u32> = flagged_for(&text, &["entries"]);
    // Each comment is 8 lines from line 5 on: name, date, five lines of text, rating.
    let text_lines: Vec<u32> = (0..5)
        .flat_map(|c| (0..5).map(move |k| 7 + 8 * c + k))
        .collect();
    assert!(
        text_lines.iter().all(|l| entries.contains(l)),
        "{entries:?}"
    );
}

/// The prose cap holds a sentence after the article whose only evidence is where it stands, but
/// not one whose own text says chrome: the model's own-text stage, which weighs nothing of
/// where a line stands, calls it chrome.
#[test]
fn prose_after_the_article_is_capped_unless_its_own_text_says_chrome() {
    let score_after_article = |line: &str| {
        let text =
            format!("Home\nNews\nSport\nWeather\n{ARTICLE}{line}\nContact us\nTerms of use\n");
        let everything = Config {
            threshold: Some(0.0),
            ..Config::default()
        };
        let scored = detect_text(&text, None, &Model::default(), &everything).unwrap();
        let score_of = |n: u32| scored.iter().find(|s| s.line == n).map_or(0.0, |s| s.score);
        let article: Vec<f64> = (6..=9).map(score_of).collect();
        assert!(
            article.iter().all(|&s| s <= score::PROSE_CAP),
            "{article:?}"
        );
        score_of(10)
    };
    let chrome = "Don't miss a brief. Sign up for our daily email.";
    let score = score_after_article(chrome);
    assert!(score > score::PROSE_CAP, "{chrome}: {score}");
    for article in [
        "The next round of the talks is expected to open in the capital at the end of the month.",
        "The experts will meet again in the spring, and the ministers will follow in the summer.",
    ] {
        let score = score_after_article(article);
        assert!(score <= score::PROSE_CAP, "{article}: {score}");
    }
}

#[test]
fn titles_found_through_their_runs_are_those_a_search_of_all_finds() {
    // Titles spread over the whole hash range, some carried by several pages, and a few at
    // the ends of the range where a run's bounds are easiest to get wrong.
    let mut titles = Titles::default();
    let mut all = Vec::new();
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    for doc in 0..3000u32 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let title = match doc % 50 {
            0 => 0,
            1 => u64::MAX,
            2..=9 => (x % 64) << 58,
            _ => x,
        };
        titles.add(doc, title, [0; 6]);
        all.push(title);
    }
    let titles = titles.sorted();
    let mut probes = all.clone();
    probes.extend([1, u64::MAX - 1, 1 << 63, (1 << 63) - 1, 12345]);
    for t in probes {
        let start = titles.keys.partition_point(|&k| k < t);
        let end = titles.keys.partition_point(|&k| k <= t);
        let expected: Vec<u32> = titles.pages[start..end].iter().map(|p| p.1).collect();
        let found: Vec<u32> = titles.pages(t).iter().map(|p| p.1).collect();
        assert_eq!(found, expected, "title {t:#x}");
        assert_eq!(found.is_empty(), !all.contains(&t));
    }
}

/// The article's heading is a headline and often a kicker or subtitle beside it; which of them
/// the rules take for "the title" is a guess, and the other must not go as "a short line outside
/// the article" on its position alone. A menu label and a button before them still go.
#[test]
fn a_title_and_its_subtitle_both_survive_before_the_article() {
    let text = "Culture › Books\nSign in\nPoets gather for the river festival\n\
A reading by the river opens the autumn season\n\
The festival opened on Friday with a reading that drew a larger crowd than the organisers had expected.\n\
Critics said that the programme was the most ambitious in years, although some of them were worried.\n\
The readings go on until Sunday, and most of them are free for the pupils of the schools of the city.";
    let got = flagged_at(text, Some(0.85));
    let lines: Vec<u32> = got.iter().map(|(l, _)| *l).collect();
    assert!(!lines.contains(&3) && !lines.contains(&4), "{got:?}");
    assert!(lines.contains(&2), "{got:?}");
}

/// A lead opening with its dateline reads as a sentence of the article even in a language that
/// glues its articles and prepositions to the words (few function words of its own count): it
/// is neither taken for the title nor removed as a line outside the article, and the headline
/// and its subtitle above it stay too.
#[test]
fn an_arabic_dateline_lead_and_the_heading_above_it_survive() {
    let text = "الرئيسية | سياسة | اقتصاد | ثقافة | رياضة\n\
افتتاح مهرجان الشعر العربي في القاهرة\n\
أمسية شعرية على ضفاف النيل تفتتح الموسم الثقافي\n\
قسم الثقافة 23/10/2024\n\
القاهرة - افتتح مساء أمس مهرجان الشعر العربي بمشاركة واسعة.\n\
وقال وزير الثقافة في كلمته خلال حفل الافتتاح إن المهرجان يمثل فرصة لتعزيز الحوار بين الكتاب والقراء من مختلف الأجيال.\n\
وأضاف أن الوزارة تعمل على دعم المبادرات الثقافية في المحافظات، وأن برنامج هذا العام يتضمن ندوات وأمسيات شعرية.\n\
وأكد أن الدورة الحالية تشهد مشاركة أوسع من الدورات السابقة، وأن الجمهور سيتمكن من حضور الأمسيات مجانا.";
    let lead = features::lines(
        text,
        &Normalizer::default(),
        &LineModel::builtin().vocabulary,
    )
    .remove(4);
    assert_eq!(
        classify::own_class(&lead),
        classify::Class::Short,
        "the lead reads as prose by its function words: the test no longer tests the dateline"
    );
    let got = flagged_at(text, Some(0.85));
    let lines: Vec<u32> = got.iter().map(|(l, _)| *l).collect();
    for l in [2, 3, 5, 6, 7, 8] {
        assert!(!lines.contains(&l), "line {l} flagged: {got:?}");
    }
    assert!(lines.contains(&1) && lines.contains(&4), "{got:?}");
}

/// A poem that closes the article stands where related lists stand, after the last paragraph,
/// with no sentence introducing it; its rhyme (here a ghazal's "...ام نیست") says it is verse.
/// The tags and the copyright after it still go.
#[test]
fn a_ghazal_closing_a_persian_article_survives_by_its_rhyme() {
    let text = "صفحه اصلی | سیاست | اقتصاد | فرهنگ | ورزش\n\
شب شعر در تالار وحدت برگزار شد\n\
شاعران جوان در شب شعر پاییزی تهران از تازه‌ترین سروده‌های خود رونمایی کردند و جمعیت زیادی از علاقه‌مندان در سالن حضور داشتند.\n\
به گفته برگزارکنندگان، این برنامه با همکاری انجمن ادبی شهر و با حضور استادان دانشگاه برگزار شد و تا پاسی از شب ادامه داشت.\n\
در پایان برنامه، شاعر جوان غزلی را برای حاضران خواند که مورد استقبال گرم آنان قرار گرفت و بارها تشویق شد.\n\
دل در هوای کوی تو آرام نیست\n\
جز یاد روی تو مرا پیغام نیست\n\
هر شب به بام خانه نشستم به انتظار\n\
اما نشان روشنی از بام نیست\n\
این راه را به پای دل خسته رفته‌ام\n\
در هیچ منزلی سخن از نام نیست\n\
ساقی بیا که باده به پیمانه ریختند\n\
ما را دگر به غیر تو در جام نیست\n\
از شهر و کوی و خانه گذشتیم بی‌قرار\n\
جز عشق در جهان سخن عام نیست\n\
برچسب‌ها: شعر، تهران، فرهنگ\n\
تمامی حقوق این سایت محفوظ است © ۱۴۰۴";
    let got = flagged_at(text, Some(0.85));
    let lines: Vec<u32> = got.iter().map(|(l, _)| *l).collect();
    for l in 2..=15 {
        assert!(!lines.contains(&l), "line {l} flagged: {got:?}");
    }
    assert!(lines.contains(&16) && lines.contains(&17), "{got:?}");
}

/// Turkish glues its particles to the words, so few of an article's words are in any list of
/// function words: its paragraphs after a box of buttons, outside the body the rules found, read
/// as prose by their sentences and are not removed for where they stand. The page's buttons,
/// its copyright and its footer menu still go.
#[test]
fn turkish_paragraphs_outside_the_body_survive_as_sentences() {
    let text = "Anasayfa | Gündem | Ekonomi | Spor | Dünya\n\
Son Dakika\n\
Orman yangınları birçok ilde sürüyor\n\
İzmir'in Menderes ilçesinde dün öğleden sonra başlayan orman yangınına havadan ve karadan müdahale ediliyor.\n\
Yangın bölgesine çok sayıda helikopter, uçak, arazöz ve iş makinesi sevk edildiği bildirildi.\n\
Bölgedeki bazı evler ise önlem amacıyla boşaltıldı ve vatandaşlar güvenli alanlara taşındı.\n\
Paylaş\n\
Tweetle\n\
Yorum Yap\n\
BALIKESİR\n\
Balıkesir'in Kepsut ilçesinde arazide çıkan yangın kısa sürede ormanlık alana sıçradı.\n\
İhbar üzerine bölgeye Orman Bölge Müdürlüğü ekipleri itfaiye araçlarıyla birlikte hızla yönlendirildi.\n\
Yangın yaklaşık iki saatlik yoğun çalışmanın ardından tamamen kontrol altına alındı.\n\
SAMSUN\n\
Samsun'un Kavak ilçesinde bahçe temizliği sırasında çıkan örtü yangınında iki dönüm alan zarar gördü.\n\
Alevler kısa sürede yakındaki ağaçlara sıçradı ancak ekipler yangının büyümesini engelledi.\n\
Copyright © 2024 Haber Sitesi. Tüm hakları saklıdır.\n\
Künye | İletişim | Gizlilik";
    let sentence = features::lines(
        text,
        &Normalizer::default(),
        &LineModel::builtin().vocabulary,
    )
    .remove(10);
    assert!(
        sentence.f.stop_density() < 0.18,
        "the sentence reads as prose by its function words: the test no longer tests sentences"
    );
    let got = flagged_at(text, None);
    let lines: Vec<u32> = got.iter().map(|(l, _)| *l).collect();
    for l in [3, 4, 5, 6, 11, 12, 13, 15, 16] {
        assert!(!lines.contains(&l), "line {l} flagged: {got:?}");
    }
    for l in [7, 8, 9, 17, 18] {
        assert!(lines.contains(&l), "line {l} kept: {got:?}");
    }
}

/// A scraper joins a breadcrumb's links to the headline they end with ("HomeNews" + the title).
/// That longer line is not the title: the headline itself is, and it stays.
#[test]
fn the_headline_beats_its_copy_behind_a_breadcrumb() {
    let text = "Startseite | Politik | Sport | Kultur\n\
Zurück\n\
Artikel teilen mit:\n\
HomeNews400 Bäume gefällt: Gericht stoppt Bauprojekt am Stadtpark\n\
400 Bäume gefällt: Gericht stoppt Bauprojekt am Stadtpark\n\
Ein Bauunternehmen hatte im Stadtpark mehr Bäume gefällt, als die Genehmigung erlaubte. Die Stadt wusste davon nichts.\n\
AFP\n\
28.04.2023 | 17:52 Uhr\n\
Nach der Fällung von mindestens 400 Bäumen hat ein Gericht das Bauprojekt gestoppt. Das Gericht untersagte dem Unternehmen jede weitere Arbeit im Park.\n\
Die Anwohner hatten gegen das Projekt geklagt, weil der Park für viele Familien der einzige grüne Ort im Viertel ist.\n\
Impressum | Datenschutz | Kontakt";
    let got = flagged_at(text, None);
    let lines: Vec<u32> = got.iter().map(|(l, _)| *l).collect();
    for l in [5, 6, 9, 10] {
        assert!(!lines.contains(&l), "line {l} flagged: {got:?}");
    }
}

#[test]
fn headlines_between_chrome_lines_after_the_article_are_a_list_but_its_title_is_not() {
    let text = format!(
        "Home | World | Business | Sport\n\
Council approves the new harbour plan\n\
By Jane Doe | 14 hours ago\n\
{}\
The harbour master said that the ships would be guided around the works by a pilot boat.\n\
Recommended\n\
12h | 261 comments\n\
Five questions about the new ferry timetable for the islands\n\
9h | 104 comments\n\
The fishermen who kept the old lighthouse running for a decade\n\
13h | 267 comments\n\
Why the price of a house by the water keeps rising this year\n\
17h | 1715 comments\n\
Share | Tweet | Email",
        HARBOUR_INTRO.split_once('\n').unwrap().1
    );
    let all = flagged_at(&text, Some(0.0));
    let reason = |line: u32| all.iter().find(|(l, _)| *l == line).map(|(_, r)| r.clone());
    for line in [10, 12, 14] {
        assert!(
            reason(line).is_some_and(|r| r.contains("between chrome lines")),
            "line {line}: {:?}\n{all:?}",
            reason(line)
        );
    }
    let removed: Vec<u32> = flagged(&text).into_iter().map(|(l, _)| l).collect();
    assert!(
        [10, 12, 14].iter().all(|l| removed.contains(l)),
        "{removed:?}"
    );
    // The article's own headline stands between a menu and a byline too, before its sentences.
    assert!(!removed.contains(&2), "{removed:?}");
    assert!((4..=7).all(|l| !removed.contains(&l)), "{removed:?}");
}

#[test]
fn the_article_resuming_after_a_labeled_and_dated_video_box_is_no_comment() {
    let resumed = [
        "The harbour authority will receive an extra four million over three years for the works.",
        "Part of the money will pay for a new pier on the north side of the old harbour.",
        "The rest will go to dredging the channel, which has not been dredged since the storm.",
        "The authority said that it would hire two hundred workers for the first year of the plan.",
        "Most of them will be hired from the towns along the coast, the mayor said on Monday.",
        "The council will review the progress of the works every six months until they end.",
        "The first review is due in the autumn, after the summer season of the ferries.",
    ];
    let teasers: String = HARBOUR_TEASERS
        .iter()
        .enumerate()
        .map(|(i, t)| format!("Business\n{} hours ago\n{t}\n", i + 2))
        .collect();
    let text = format!(
        "{HARBOUR_INTRO}WATCH | The mayor presents the harbour plan\nPolitics\n22 hours ago\n{}\nREAD MORE:\n{teasers}",
        resumed.join("\n")
    );
    let entries = flagged_for(&text, &["entries"]);
    // The article resumes on lines 8 to 14, after the video box on lines 5 to 7.
    assert!((8..=14).all(|l| !entries.contains(&l)), "{entries:?}");
    let removed: Vec<u32> = flagged(&text).into_iter().map(|(l, _)| l).collect();
    assert!((8..=14).all(|l| !removed.contains(&l)), "{removed:?}");
    // The teasers after it are still entries.
    assert!(
        [18, 21, 24, 27].iter().all(|l| entries.contains(l)),
        "{entries:?}"
    );
}

#[test]
fn a_headline_printed_three_times_is_still_the_title() {
    // Over the picture, as the heading, and in the share box: a short line repeated on the page.
    let headline = "Harbour plan wins council vote";
    let text = format!(
        "Home | News | Sport | Weather\nEconomy\n{headline}\n{headline}\nBy Jane Doe\n{}Share this article\n{headline}\n",
        HARBOUR_INTRO.split_once('\n').unwrap().1
    );
    let removed: Vec<u32> = flagged(&text).into_iter().map(|(l, _)| l).collect();
    assert!(
        !removed.contains(&3) || !removed.contains(&4),
        "every copy of the headline removed: {removed:?}"
    );
}

#[test]
fn numbered_points_the_article_ends_on_survive_with_the_lines_between_them() {
    let gifts = [
        "Model of the time machine from the film, scale 1:24",
        "Box set of the three films with the director's cut",
        "Board game of the eighties with the original pieces",
        "Vinyl of the album remastered from the original tapes",
        "Pocket knife with fifteen tools in the classic red",
        "Instant camera in the style of the eighties",
    ];
    let list: String = gifts
        .iter()
        .enumerate()
        .map(|(i, g)| format!("{}) {g}\nhttp://shop.example/item{}\n", i + 1, 100 + i))
        .collect();
    let text = format!(
        "Gifts for those who miss the eighties\n\
Black Friday is here, and the shops have cut their prices on many things that the eighties loved.\n\
We looked through the offers of the week and chose the ones that we would buy for ourselves.\n\
The prices below were checked on Thursday and may change during the weekend of the sales.\n\
{list}Leave a comment\nYou must be logged in to post a comment.\nSearch\nPrivacy policy | Cookies | Contact"
    );
    // At 0.9, which takes a related list after the article on its shape alone.
    let removed: Vec<u32> = flagged_at(&text, Some(0.9))
        .into_iter()
        .map(|(l, _)| l)
        .collect();
    assert!(removed.contains(&18), "{removed:?}");
    // The points and their links are lines 5 to 16.
    assert!((5..=16).all(|l| !removed.contains(&l)), "{removed:?}");
}

/// The teasers after the article, each closed by the same block of labels, are records of one
/// list; the same shape before most of the article's sentences is the article's.
#[test]
fn teasers_closed_by_the_same_labels_after_the_article_are_records_but_not_before_it() {
    let teaser = |n: usize| {
        format!(
            "Ferry number {n} will change its timetable next month\n\
The operator of ferry number {n} said on Monday that the crossings would be fewer in winter.\n\
Good Morning America\n\
More like this\n"
        )
    };
    let teasers: String = (1..=4).map(teaser).collect();
    let after = format!("{ARTICLE}Recommended for you\n{teasers}Terms of use");
    let records = |text: &str| flagged_for(text, &["repeated with the same labels"]);
    let found = records(&after);
    // The first record's headline, and every line from there to the last block of labels.
    assert_eq!(found, (7..=22).collect::<Vec<u32>>(), "{after}");
    let removed: Vec<u32> = flagged(&after).into_iter().map(|(l, _)| l).collect();
    assert!((7..=22).all(|l| removed.contains(&l)), "{removed:?}");
    assert!((1..=5).all(|l| !removed.contains(&l)), "{removed:?}");
    // Before the article's sentences, the same records are no evidence of a list.
    let (title, body) = ARTICLE.split_once('\n').unwrap();
    let before = format!("{title}\n{teasers}{body}{body}Terms of use");
    assert_eq!(records(&before), Vec::<u32>::new(), "{before}");
}

/// The title pass 1 keeps of a page is the one the whole classification finds on the page's own
/// evidence.
#[test]
fn the_own_title_is_the_title_of_the_whole_classification() {
    let pages = [
        include_str!("../../fixtures/000_dd423545696842a4.txt"),
        include_str!("../../fixtures/001_dfcaded73e2712bd.txt"),
        include_str!("../../fixtures/002_4ae7452aa70c5ae9.txt"),
        include_str!("../../fixtures/003_9bda5c3c3a79a8c8.txt"),
        include_str!("../../fixtures/004_92515b26929f40ee.txt"),
        HARBOUR_INTRO,
        "",
        "Home | News | Sport\nno prose here",
    ];
    let mut titled = 0;
    for page in pages {
        let lines = features::lines(
            page,
            &Normalizer::default(),
            &LineModel::builtin().vocabulary,
        );
        let judged = classify::classify(
            &lines,
            &classify::Evidence {
                template: &[],
                shared: None,
                copies: 0,
                titles: None,
            },
        );
        assert_eq!(classify::own_title(&lines), judged.title);
        titled += judged.title.is_some() as usize;
    }
    assert!(titled >= 5, "{titled} pages with a title");
}

/// A block of dated teasers, each under a section label ("Sport" / "28.04.2023 03:02 min" / a
/// headline), sits between the top of the page and the article, which follows a long menu
/// further down. The teasers look like a section of entries, but the paragraphs beyond any
/// entry's reach are the article, not the text of the last teaser: with more of them than a
/// record holds there is no section, and the article stays.
#[test]
fn an_article_far_below_a_block_of_dated_teasers_is_no_entry() {
    let teasers: String = HARBOUR_TEASERS
        .iter()
        .enumerate()
        .map(|(i, t)| format!("Business\n28.04.2023 0{i}:12 min\n{t}\n"))
        .collect();
    let menu: String = [
        "Weather",
        "Forecast",
        "Radar",
        "Video",
        "Top videos",
        "Politics",
        "Economy",
        "Markets",
        "Sport",
        "Panorama",
        "Culture",
        "Technology",
        "Advice",
        "Science",
        "Cars",
        "Audio",
        "Live TV",
        "Programme",
        "Magazines",
        "Presenters",
        "Teletext",
        "Newsletter",
        "Podcasts",
        "Archive",
        "Contact",
    ]
    .join("\n");
    let article = [
        "Harbour town celebrates forty years of its gallery",
        "By Jane Doe 28.04.2023, 18:11",
        "The gallery opened forty years ago in a small flat behind the old harbour of the town.",
        "Its founder says that he never planned to sell art, only to show what his friends painted.",
        "Today twenty-five people work for the gallery, which has rooms in three cities of the country.",
        "The first show was seen by a few dozen people, most of them neighbours of the founder.",
        "Collectors came later, when the painters of the town began to be known abroad.",
        "The founder still opens the door himself on most mornings and talks to every visitor.",
        "He says that the next forty years will be harder, because rents in the town keep rising.",
        "The town council has offered the gallery a building on the harbour for a low rent.",
    ];
    let text = format!("{HARBOUR_INTRO}{teasers}{menu}\n{}\n", article.join("\n"));
    // The introduction, the teasers and the menu take lines 1 to 41; the article's title and
    // byline 42 and 43.
    let first = 4 + 12 + 25 + 3;
    let paragraphs: Vec<u32> = (first..first + 8).collect();
    let entries = flagged_for(&text, &["entries"]);
    assert!(
        paragraphs.iter().all(|l| !entries.contains(l)),
        "article lines taken for entries: {entries:?}"
    );
    let removed: Vec<u32> = flagged(&text).into_iter().map(|(l, _)| l).collect();
    assert!(
        paragraphs.iter().all(|l| !removed.contains(l)),
        "article lines removed: {removed:?}"
    );
}

/// A paragraph of two sentences that a source tag ends ("[AP]"), between two advertisements
/// late in the article, is the article's: a headline between chrome lines is one sentence at
/// most.
#[test]
fn a_paragraph_between_two_advertisements_is_no_headline_whatever_ends_it() {
    let paragraphs = [
        "Work on the first part of the wall is due to begin in April if the court does not stop it.",
        "The port authority said that ships would be able to use the harbour during the work.",
        "Fishermen said that they had not been asked about the plan and would protest on Friday.",
        "The mayor will meet them next week to hear what they have to say about the work.",
        "The plan was first put forward four years ago, when a storm broke the old wall in two places.",
        "Since then the council has spent more than it had hoped on repairs that did not last.",
    ];
    let tagged =
        "A dangerous plan was agreed upon. The crews landed on the island at dawn [MP3 SP]";
    let mut text = String::from(HARBOUR_INTRO);
    for p in paragraphs {
        text.push_str(p);
        text.push_str("\nAdvertisement\n");
    }
    text.push_str(tagged);
    text.push_str("\nAdvertisement\nA decision on the second part of the work is expected at the end of the year.\n");
    let line = 4 + 2 * paragraphs.len() as u32 + 1;
    let flagged = flagged(&text);
    assert!(
        flagged.iter().any(|(l, _)| *l == line - 1),
        "the advertisements are chrome: {flagged:?}"
    );
    assert!(
        flagged.iter().all(|(l, _)| *l != line),
        "the paragraph is the article's: {flagged:?}"
    );
}
