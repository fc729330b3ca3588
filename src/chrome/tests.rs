//! Unit tests of chrome detection on single pages.

use super::*;

fn flagged(text: &str) -> Vec<(u32, String)> {
    detect_text(text, None, &Model::default(), &Config::default())
        .expect("the default configuration is valid")
        .into_iter()
        .map(|s| (s.line, s.reason.to_string()))
        .collect()
}

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
    let lines: Vec<u32> = flagged(text).into_iter().map(|(l, _)| l).collect();
    assert_eq!(lines, vec![4, 5, 6, 7]);
}

/// On real pages a second copy of the title next to it is as often the article's own (a
/// headline and its page title) as chrome (13 such lines in the labeled pages, half of them
/// chrome): the copy is not evidence enough, the breadcrumb is.
#[test]
fn the_title_and_its_copy_are_kept_and_the_breadcrumb_is_not() {
    let text = "Home › World › Talks resume\nTalks resume in the capital\nTalks resume in the capital\n\
The two delegations met again on Tuesday and said that they would continue the talks in the spring.";
    let got = flagged(text);
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
        let lines = features::lines(&page(n), &Normalizer::default());
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
        let line = features::lines(line, &normalizer).remove(0);
        assert_eq!(
            classify::own_class(&line),
            classify::Class::Good,
            "{lang}: {} words, function-word density {:.2}",
            line.f.words,
            line.f.stop_density()
        );
    }
}
