//! The one table from library configuration fields to the flags that set them.
//!
//! The library names a refused setting by its field (`dups.threshold`), because a library user
//! never typed a flag; the binary reports the same refusal in terms of what its user typed.

use chaff::ConfigError;

/// Each library field and the flag (or flags) that set it. A field missing here has no flag of
/// its own and is reported under its library name.
const FLAGS: &[(&str, &str)] = &[
    ("corpus.max_doc_bytes", "--max-doc-bytes"),
    ("corpus.lossy", "--lossy"),
    ("corpus.fields.text", "--text-field"),
    ("index.wait", "--wait"),
    ("dups.shingling", "--ngram / --char-ngram"),
    ("dups.num_perm", "--num-perm"),
    ("dups.threshold", "--threshold"),
    ("dups.containment", "--containment"),
    ("dups.bands", "--bands x --rows"),
    ("passages.min_tokens", "--min-tokens"),
    ("passages.shingle", "--ngram"),
    ("passages.near.seed_tokens", "--near-seed"),
    ("passages.memory", "--memory"),
    ("scan.memory", "--memory"),
    ("chrome.memory", "--memory"),
    ("dups.memory", "--memory"),
    ("chrome.min_share", "--min-share"),
    ("chrome.threshold", "--chrome-threshold"),
    ("index.passage_min_tokens", "--min-tokens"),
    ("index.shingling", "--ngram/--char-ngram"),
    ("index.shingling.words", "--ngram"),
    ("index.shingling.chars", "--char-ngram"),
    ("index.seed", "--seed"),
    ("index.folds", "--no-fold"),
    ("index.num_perm", "--num-perm"),
    ("index.scheme", "--minhash"),
    ("index.threshold", "--threshold"),
    ("index.containment", "--containment"),
    ("index.bands", "--bands/--rows"),
    ("check.max_duplicate_ratio", "--max-duplicate-ratio"),
    ("check.max_passage_ratio", "--max-passage-ratio"),
    ("check.max_chrome_ratio", "--max-chrome-ratio"),
    ("check.bucket_limit", "--bucket-limit"),
];

/// Each library operation an error advises and the command that performs it.
const COMMANDS: &[(&str, &str)] = &[
    (
        chaff::index::CREATE,
        "`chaff index add CORPUS --index PATH`",
    ),
    (chaff::index::ADD, "`chaff index add`"),
];

/// The flag that sets library field `field`, when there is one.
pub(crate) fn flag_of(field: &str) -> Option<&'static str> {
    FLAGS
        .iter()
        .find(|(f, _)| *f == field)
        .map(|&(_, flag)| flag)
}

/// A configuration refusal as the command line reports it: the flag, the value, what it takes.
pub(crate) fn describe(e: &ConfigError) -> String {
    format!(
        "{}: got {}; must be {}",
        flag_of(e.field).unwrap_or(e.field),
        e.value,
        e.allowed
    )
}

/// The flag that sets library field `field` (or the command that performs library operation
/// `field`), or the field itself when neither does.
pub(crate) fn name_of(field: &'static str) -> &'static str {
    flag_of(field)
        .or_else(|| {
            COMMANDS
                .iter()
                .find(|(op, _)| *op == field)
                .map(|&(_, command)| command)
        })
        .unwrap_or(field)
}

/// An index's settings as the flags that reproduce them.
pub(crate) fn settings_flags(settings: &chaff::index::Settings) -> String {
    settings.described(name_of)
}

/// The message for an error of a command: a configuration refusal, an index built with other
/// settings or advice to change a setting anywhere in its chain is told in flag names, anything
/// else as it is (with its context chain).
pub fn message(e: &anyhow::Error) -> String {
    let mut chain = Vec::new();
    let mut advised = false;
    for cause in e.chain() {
        match cause.downcast_ref::<chaff::Error>() {
            Some(c) if c.advice().is_some() => {
                chain.push(c.describe(name_of));
                advised = true;
                // The library error ends the chain: its own sources are in its message.
                break;
            }
            _ => chain.push(cause.to_string()),
        }
    }
    for cause in e.chain() {
        if let Some(chaff::Error::IndexSettings {
            path,
            stored,
            differences,
        }) = cause.downcast_ref::<chaff::Error>()
        {
            let lines: Vec<String> = differences
                .iter()
                .map(|d| d.describe(name_of(d.field)))
                .collect();
            return format!(
                "{}: the index was built with other settings; pass the same options as when it \
                 was built ({}), or build a new index:\n  {}",
                path.display(),
                settings_flags(stored),
                lines.join("\n  ")
            );
        }
        let refused = match cause.downcast_ref::<chaff::Error>() {
            Some(chaff::Error::Config(c)) => Some(c),
            _ => cause.downcast_ref::<ConfigError>(),
        };
        if let Some(c) = refused {
            return describe(c);
        }
    }
    if advised {
        return chain.join(": ");
    }
    format!("{e:#}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_named_once_and_flags_look_like_flags() {
        for (i, (field, flag)) in FLAGS.iter().enumerate() {
            assert!(flag.starts_with("--"), "{field}: {flag}");
            assert!(
                FLAGS[i + 1..].iter().all(|(f, _)| f != field),
                "{field} is listed twice"
            );
        }
    }

    #[test]
    fn library_operations_are_reported_as_commands() {
        let err = anyhow::Error::from(chaff::Error::Index {
            path: "k.chaff".into(),
            message: "no index here".into(),
            advice: Some(Box::new(chaff::Advice::new(
                " (create one with ",
                chaff::index::CREATE,
                ")",
            ))),
        });
        assert_eq!(
            message(&err),
            "k.chaff: no index here (create one with `chaff index add CORPUS --index PATH`)"
        );
        for (op, command) in COMMANDS {
            assert!(flag_of(op).is_none(), "{op} is also a field");
            assert!(command.starts_with("`chaff "), "{op}: {command}");
        }
    }

    #[test]
    fn library_advice_is_reported_with_the_flag() {
        let err = anyhow::Error::from(chaff::Error::InvalidUtf8 {
            path: "a.txt".into(),
            line: None,
            byte_offset: 3,
        })
        .context("reading the corpus");
        assert_eq!(
            message(&err),
            "reading the corpus: a.txt: invalid UTF-8 at byte 3 (use --lossy to replace invalid \
             bytes)"
        );
    }

    #[test]
    fn a_library_refusal_is_reported_with_the_flag() {
        let config = chaff::dups::Config {
            containment: Some(7.0),
            ..Default::default()
        };
        let err = anyhow::Error::from(chaff::Error::from(config.validate().unwrap_err()));
        assert_eq!(
            message(&err),
            "--containment: got 7; must be above 0 and at most 1"
        );
    }
}
