//! Locality-sensitive hashing by banding (Indyk & Motwani 1998; Leskovec, Rajaraman & Ullman,
//! *Mining of Massive Datasets*, ch. 3).
//!
//! A signature of k slots is cut into b bands of r rows; two documents become candidates when
//! any band is identical, which happens with probability 1 - (1 - J^r)^b. [`Params::optimal`]
//! chooses b and r for a threshold by minimizing the weighted area of false positives below the
//! threshold and false negatives above it, as datasketch does; the default weights favour recall
//! because every candidate is confirmed afterwards, so a false positive costs only time.
//!
//! Candidates are found by sorting (band key, document) pairs band by band rather than by
//! keeping hash-table buckets: memory stays at one band's keys at a time and the result does not
//! depend on thread count or hash-map iteration order.

use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Banding parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Params {
    /// Number of bands (b).
    pub bands: usize,
    /// Rows per band (r).
    pub rows: usize,
}

/// Probability that a pair with Jaccard `j` shares at least one band.
pub fn detection_probability(j: f64, p: Params) -> f64 {
    1.0 - (1.0 - j.powi(p.rows as i32)).powi(p.bands as i32)
}

/// The slots a banding search looks at: never more than [`crate::minhash::MAX_SLOTS`], so that
/// asking for the banding of an absurd slot count (before validation refuses it) returns in
/// milliseconds instead of searching for ever; every banding found still fits `num_perm`.
fn searched_slots(num_perm: usize) -> usize {
    num_perm.min(crate::minhash::MAX_SLOTS)
}

fn integrate(f: impl Fn(f64) -> f64, from: f64, to: f64) -> f64 {
    // Simpson's rule; the integrands are smooth polynomials.
    let n = 200;
    let h = (to - from) / n as f64;
    let mut s = f(from) + f(to);
    for i in 1..n {
        let x = from + i as f64 * h;
        s += if i % 2 == 1 { 4.0 } else { 2.0 } * f(x);
    }
    s * h / 3.0
}

impl Params {
    /// Refuses a banding that reads past a signature of `num_perm` slots (`bands × rows` above
    /// it) or that has no rows or no bands; `field` names the setting in the caller's
    /// configuration.
    pub fn validate(&self, field: &'static str, num_perm: usize) -> Result<(), crate::ConfigError> {
        let slots = self.bands.checked_mul(self.rows);
        if self.bands == 0 || self.rows == 0 || slots.is_none_or(|s| s > num_perm) {
            return Err(crate::ConfigError::new(
                field,
                format!("{} x {}", self.bands, self.rows),
                format!("at least 1 x 1, and at most {num_perm} (the MinHash slots) in all"),
            ));
        }
        Ok(())
    }

    /// The b × r (with b·r ≤ `num_perm`) minimizing
    /// `fp_weight · ∫₀ᵗ P(j) dj + fn_weight · ∫ₜ¹ (1 − P(j)) dj`.
    pub fn optimal(threshold: f64, num_perm: usize, fp_weight: f64, fn_weight: f64) -> Params {
        let mut best = Params { bands: 1, rows: 1 };
        let mut best_err = f64::INFINITY;
        let t = threshold.clamp(0.0, 1.0);
        let num_perm = searched_slots(num_perm);
        for bands in 1..=num_perm {
            for rows in 1..=num_perm / bands {
                let p = Params { bands, rows };
                let fp = integrate(|j| detection_probability(j, p), 0.0, t);
                let fneg = integrate(|j| 1.0 - detection_probability(j, p), t, 1.0);
                let err = fp_weight * fp + fn_weight * fneg;
                if err < best_err - 1e-12 {
                    best_err = err;
                    best = p;
                }
            }
        }
        best
    }

    /// The default choice for a threshold: the banding with the least false-positive area
    /// among those that make a pair *at* the threshold a candidate with probability ≥ 0.99.
    /// Candidates are verified, so a false positive costs time while a false negative is a
    /// duplicate lost for good; the weighted optimum (`optimal`) finds only ~40–85% of pairs at
    /// the threshold, which is why peers at default settings miss so many.
    pub fn for_threshold(threshold: f64, num_perm: usize) -> Params {
        let t = threshold.clamp(0.0, 1.0);
        let num_perm = searched_slots(num_perm);
        let mut best: Option<(f64, Params)> = None;
        for bands in 1..=num_perm {
            for rows in 1..=num_perm / bands {
                let p = Params { bands, rows };
                if detection_probability(t, p) < 0.99 {
                    continue;
                }
                let fp = integrate(|j| detection_probability(j, p), 0.0, t);
                if best.is_none_or(|(b, _)| fp < b - 1e-12) {
                    best = Some((fp, p));
                }
            }
        }
        best.map(|(_, p)| p)
            .unwrap_or_else(|| Params::optimal(t, num_perm, 0.1, 0.9))
    }

    /// The keys of every band of a signature, in band order; none for the signature of a
    /// document without shingles.
    pub fn band_keys(&self, slots: &[u32]) -> Vec<u64> {
        if slots
            .first()
            .is_none_or(|&s| s == crate::minhash::EMPTY_SLOT)
        {
            return Vec::new();
        }
        (0..self.bands).map(|b| self.band_key(slots, b)).collect()
    }

    /// The 64-bit key of band `band` of a signature.
    #[inline]
    pub fn band_key(&self, slots: &[u32], band: usize) -> u64 {
        let rows = &slots[band * self.rows..(band + 1) * self.rows];
        let mut bytes = [0u8; 4 * 64];
        if rows.len() <= 64 {
            for (i, v) in rows.iter().enumerate() {
                bytes[i * 4..i * 4 + 4].copy_from_slice(&v.to_le_bytes());
            }
            xxh3_64_with_seed(&bytes[..rows.len() * 4], band as u64)
        } else {
            let all: Vec<u8> = rows.iter().flat_map(|v| v.to_le_bytes()).collect();
            xxh3_64_with_seed(&all, band as u64)
        }
    }
}

/// A banded index over a set of signatures, identified by dense `u32` document numbers.
#[derive(Debug)]
pub struct Index {
    params: Params,
    /// Band keys, document-major: `keys[doc * bands + band]`.
    keys: Vec<u64>,
    /// Documents that had no shingle; they never become candidates.
    empty: Vec<bool>,
}

/// Buckets larger than this are linked as a chain instead of all pairs, so a thousand identical
/// pages cost a thousand candidate pairs and not half a million; clusters come out the same.
/// Public so that a distributed run grouping band keys itself (the Python `chaff.spark`) applies
/// the same bound as [`bucket_pairs`].
pub const FULL_PAIRS_UP_TO: usize = 16;

impl Index {
    /// An empty index with the given banding.
    pub fn new(params: Params) -> Index {
        Index {
            params,
            keys: Vec::new(),
            empty: Vec::new(),
        }
    }

    /// The banding in use.
    pub fn params(&self) -> Params {
        self.params
    }

    /// Number of documents inserted.
    pub fn len(&self) -> usize {
        self.empty.len()
    }

    /// True when nothing was inserted.
    pub fn is_empty(&self) -> bool {
        self.empty.is_empty()
    }

    /// Adds the next document (its number is the count of documents inserted before it).
    pub fn insert(&mut self, slots: &[u32]) {
        let empty = slots.first() == Some(&crate::minhash::EMPTY_SLOT) || slots.is_empty();
        if empty {
            self.insert_keys(&[]);
        } else {
            for band in 0..self.params.bands {
                self.keys.push(self.params.band_key(slots, band));
            }
            self.empty.push(false);
        }
    }

    /// Adds the next document by its band keys, computed elsewhere ([`Params::band_keys`]):
    /// one per band, or none for a document without shingles (it never becomes a candidate).
    ///
    /// # Panics
    ///
    /// When `keys` is neither empty nor one key per band: band keys of another banding would
    /// pair documents by accident.
    pub fn insert_keys(&mut self, keys: &[u64]) {
        if keys.is_empty() {
            self.keys.extend(std::iter::repeat_n(0, self.params.bands));
            self.empty.push(true);
        } else {
            assert_eq!(
                keys.len(),
                self.params.bands,
                "band keys of another banding"
            );
            self.keys.extend_from_slice(keys);
            self.empty.push(false);
        }
    }

    /// The band keys of document `doc`, for storing in a persistent index.
    pub fn keys_of(&self, doc: u32) -> &[u64] {
        let b = self.params.bands;
        &self.keys[doc as usize * b..(doc as usize + 1) * b]
    }

    /// Candidate pairs `(a, b)` with `a < b`, sorted and without repeats.
    pub fn candidates(&self) -> Vec<(u32, u32)> {
        let b = self.params.bands;
        let mut pairs: Vec<(u32, u32)> = (0..b)
            .into_par_iter()
            .flat_map_iter(|band| {
                let mut column: Vec<(u64, u32)> = (0..self.len())
                    .filter(|&d| !self.empty[d])
                    .map(|d| (self.keys[d * b + band], d as u32))
                    .collect();
                column.sort_unstable();
                let mut out = Vec::new();
                for bucket in column.chunk_by(|x, y| x.0 == y.0) {
                    push_bucket_pairs(bucket.iter().map(|&(_, d)| d), bucket.len(), &mut out);
                }
                out
            })
            .collect();
        pairs.par_sort_unstable();
        pairs.dedup();
        pairs
    }
}

/// The candidate pairs `(a, b)`, `a < b`, that one bucket (the documents sharing one key of one
/// band, in increasing number order) contributes: every pair up to 16 members, past that a chain
/// of neighbours plus every member paired with the first, which joins the same cluster at a
/// linear cost. A distributed run that groups band keys itself gets the candidates of
/// [`Index::candidates`] as the union, without repeats, of this over its buckets.
pub fn bucket_pairs(members: &[u32]) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    push_bucket_pairs(members.iter().copied(), members.len(), &mut out);
    out
}

fn push_bucket_pairs(members: impl Iterator<Item = u32>, len: usize, out: &mut Vec<(u32, u32)>) {
    if len < 2 {
        return;
    }
    let members: Vec<u32> = members.collect();
    if len <= FULL_PAIRS_UP_TO {
        for i in 0..len {
            for j in i + 1..len {
                out.push((members[i], members[j]));
            }
        }
    } else {
        for w in members.windows(2) {
            out.push((w[0], w[1]));
        }
        for &m in &members[2..] {
            out.push((members[0], m));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::minhash::{Scheme, Signer};

    #[test]
    fn default_banding_catches_pairs_at_the_threshold() {
        let p = Params::for_threshold(0.8, 128);
        assert!(p.bands * p.rows <= 128);
        assert!(detection_probability(0.8, p) >= 0.99, "{p:?}");
        assert!(detection_probability(0.3, p) <= 0.05, "{p:?}");
    }

    #[test]
    fn equal_weights_reproduce_the_classic_tradeoff() {
        let p = Params::optimal(0.5, 128, 0.5, 0.5);
        let at = detection_probability(0.5, p);
        assert!(
            (0.2..0.9).contains(&at),
            "{p:?} gives {at} at the threshold"
        );
    }

    #[test]
    fn near_duplicates_are_candidates_and_strangers_are_not() {
        let signer = Signer::new(Scheme::OnePermutation, 128, 1);
        let a: Vec<u64> = (0..500).collect();
        let mut b = a.clone();
        b[0] = 10_000;
        let c: Vec<u64> = (20_000..20_500).collect();
        let mut index = Index::new(Params::for_threshold(0.8, 128));
        for set in [&a, &b, &c] {
            index.insert(&signer.sign(set).slots);
        }
        index.insert(&signer.sign(&[]).slots);
        index.insert(&signer.sign(&[]).slots);
        assert_eq!(index.candidates(), vec![(0, 1)]);
    }

    #[test]
    fn huge_buckets_are_chained_not_squared() {
        let mut out = Vec::new();
        push_bucket_pairs(0..100u32, 100, &mut out);
        assert!(out.len() < 200);
        let mut uf = crate::cluster::UnionFind::new(100);
        for (a, b) in out {
            uf.union(a, b);
        }
        assert!((0..100).all(|d| uf.find(d) == uf.find(0)));
    }

    #[test]
    fn buckets_switch_from_all_pairs_to_a_chain_past_the_bound() {
        let n = FULL_PAIRS_UP_TO as u32;
        let small: Vec<u32> = (0..n).collect();
        assert_eq!(bucket_pairs(&small).len(), (n * (n - 1) / 2) as usize);
        let big: Vec<u32> = (0..n + 1).collect();
        let pairs = bucket_pairs(&big);
        assert_eq!(pairs.len(), 2 * big.len() - 3);
        assert!(pairs.iter().all(|&(a, b)| a < b));
    }
}
