//! The ids of the documents named by the passages kept in pass 2, held compactly until the pass
//! ends: a bit per document number says whether its id is held, and the ids lie end to end in
//! one buffer. About 12 bytes per id beside its text, where a map of `String`s costs ~90 (its
//! entry, the table's spare room, a heap block per id); at 3M documents some 2M documents are
//! named, and the map was among what grew through pass 2.

use std::collections::HashMap;

/// Ids by document number, each held once, in the order first named.
#[derive(Debug, Default)]
pub(super) struct NamedIds {
    /// One bit per document number: set when its id is held.
    held: Vec<u64>,
    /// The document numbers held, in the order added.
    numbers: Vec<u32>,
    /// End of each id in `text`, in the order of `numbers`.
    ends: Vec<u64>,
    text: String,
}

impl NamedIds {
    /// True when the id of document `n` is held.
    pub(super) fn contains(&self, n: u32) -> bool {
        let (word, bit) = (n as usize / 64, n % 64);
        self.held.get(word).is_some_and(|w| w & (1 << bit) != 0)
    }

    /// Holds `id` as document `n`'s unless one is held already (the first stands, as with
    /// a map's `entry().or_insert`).
    pub(super) fn insert(&mut self, n: u32, id: &str) {
        if self.contains(n) {
            return;
        }
        let word = n as usize / 64;
        if self.held.len() <= word {
            self.held.resize(word + 1, 0);
        }
        self.held[word] |= 1 << (n % 64);
        self.numbers.push(n);
        self.text.push_str(id);
        self.ends.push(self.text.len() as u64);
    }

    /// The ids as the map [`super::Outcome::ids`] holds.
    pub(super) fn into_map(self) -> HashMap<u32, String> {
        let mut map = HashMap::with_capacity(self.numbers.len());
        let mut start = 0;
        for (&n, &end) in self.numbers.iter().zip(&self.ends) {
            map.insert(n, self.text[start as usize..end as usize].to_string());
            start = end;
        }
        map
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_id_given_for_a_document_stands() {
        let mut ids = NamedIds::default();
        ids.insert(70, "b");
        ids.insert(3, "a");
        ids.insert(70, "other");
        ids.insert(0, "");
        assert!(ids.contains(3) && ids.contains(70) && ids.contains(0) && !ids.contains(4));
        let map = ids.into_map();
        let expected: HashMap<u32, String> = [(70, "b"), (3, "a"), (0, "")]
            .into_iter()
            .map(|(n, id)| (n, id.to_string()))
            .collect();
        assert_eq!(map, expected);
    }
}
