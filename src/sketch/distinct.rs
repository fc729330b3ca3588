//! Exact distinct counting of one document's shingles at a time, for the signing loop.

/// Counts the distinct shingles of one document at a time: open addressing with linear probing
/// over a table that keeps its size between documents, with generation stamps so that clearing
/// is O(1). Cheaper than sorting the document's shingles (the profile's biggest pass-1 cost
/// after tokenizing) and exact, unlike a sketch.
#[derive(Default)]
pub(super) struct Distinct {
    keys: Vec<u64>,
    stamps: Vec<u32>,
    generation: u32,
    len: usize,
}

impl Distinct {
    pub(super) fn clear(&mut self) {
        self.len = 0;
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            // Stamps from 2^32 documents ago could look current: wipe them once per wrap.
            self.stamps.fill(0);
            self.generation = 1;
        }
    }

    pub(super) fn len(&self) -> usize {
        self.len
    }

    #[inline]
    pub(super) fn insert(&mut self, key: u64) {
        if (self.len + 1) * 2 > self.keys.len() {
            self.grow();
        }
        let mask = self.keys.len() - 1;
        // Shingles leave the murmur3 finalizer: their low bits are already uniform.
        let mut i = key as usize & mask;
        loop {
            if self.stamps[i] != self.generation {
                self.stamps[i] = self.generation;
                self.keys[i] = key;
                self.len += 1;
                return;
            }
            if self.keys[i] == key {
                return;
            }
            i = (i + 1) & mask;
        }
    }

    fn grow(&mut self) {
        let size = (self.keys.len() * 2).max(1024);
        let old_keys = std::mem::replace(&mut self.keys, vec![0; size]);
        let old_stamps = std::mem::replace(&mut self.stamps, vec![0; size]);
        let current = self.generation;
        self.len = 0;
        for (key, stamp) in old_keys.into_iter().zip(old_stamps) {
            if stamp == current {
                self.insert(key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_counts_match_a_set_across_documents_and_growth() {
        let mut d = Distinct::default();
        for doc in 0..50u64 {
            d.clear();
            let mut set = std::collections::HashSet::new();
            for i in 0..(doc * 97 % 3000) {
                let s = xxhash_rust::xxh3::xxh3_64(&(i % 700 + doc).to_le_bytes());
                d.insert(s);
                set.insert(s);
            }
            assert_eq!(d.len(), set.len());
        }
    }
}
