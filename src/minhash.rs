//! MinHash signatures: a fixed-size sketch whose slot agreement estimates Jaccard similarity.
//!
//! Two schemes are offered, both giving an unbiased estimate of Jaccard similarity J whose
//! variance is J(1-J)/k for k slots (one-permutation hashing reaches that bound once sets are
//! larger than k; below it, densification adds a little variance):
//!
//! * [`Scheme::OnePermutation`] (default): one-permutation hashing (Li, Owen & Zhang 2012) with
//!   optimal densification (Shrivastava 2017). Each shingle is hashed once; its top bits choose a
//!   slot and its low bits compete for the minimum there. Empty slots borrow the value of a slot
//!   chosen by a seeded probe sequence, so the estimate stays unbiased on small documents.
//! * [`Scheme::Classic`]: k independent multiply-shift hash functions (Broder 1997), the textbook
//!   scheme that datasketch uses; k times slower, kept for comparison and as a reference.
//!
//! Slots hold 32-bit values: a collision between two different minima has probability 2^-32.

use crate::shingle::Shingle;
use crate::text::mix64;
use std::sync::Arc;
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Slot value of a document that has no shingle at all.
pub const EMPTY_SLOT: u32 = u32::MAX;

/// Which MinHash construction to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Scheme {
    /// One-permutation hashing with optimal densification (default; one hash per shingle).
    #[default]
    OnePermutation,
    /// k independent permutations approximated by multiply-shift hashing.
    Classic,
}

/// A MinHash signature: one 32-bit minimum per slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// The slot values; all [`EMPTY_SLOT`] when the document had no shingle.
    pub slots: Vec<u32>,
}

impl Signature {
    /// True when the document had no shingle: such a signature matches nothing.
    pub fn is_empty(&self) -> bool {
        self.slots.iter().all(|&s| s == EMPTY_SLOT)
    }

    /// Estimated Jaccard similarity: the fraction of slots that agree. Empty signatures give 0.
    pub fn jaccard(&self, other: &Signature) -> f64 {
        estimate(&self.slots, &other.slots)
    }
}

/// Estimated Jaccard similarity of two signatures given as slot slices.
pub fn estimate(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() || a.len() != b.len() || a[0] == EMPTY_SLOT || b[0] == EMPTY_SLOT {
        return 0.0;
    }
    let equal = a.iter().zip(b).filter(|(x, y)| x == y).count();
    equal as f64 / a.len() as f64
}

/// Fewest MinHash slots a configuration may ask for: below 8 the estimate's spread (±0.15 at
/// J = 0.8) is wider than any useful threshold band.
pub const MIN_SLOTS: usize = 8;

/// Most MinHash slots a configuration may ask for: each slot costs 4 bytes per document in
/// memory and in an index, and the banding search grows with the slot count.
pub const MAX_SLOTS: usize = 1024;

/// Computes signatures; cheap to clone, shareable across threads.
#[derive(Debug, Clone)]
pub struct Signer {
    scheme: Scheme,
    num_perm: usize,
    seed: u64,
    /// Multiply-shift parameters of the classic scheme: (odd multiplier, addend) per slot.
    params: Vec<(u64, u64)>,
    /// Densification probes of one-permutation hashing, [`PROBES`] per slot (see
    /// [`probe_table`]); shared, since they depend on the seed and the slot count only.
    probes: Arc<[u32]>,
}

impl Signer {
    /// A signer with `num_perm` slots (at least 1), seeded for reproducibility.
    pub fn new(scheme: Scheme, num_perm: usize, seed: u64) -> Signer {
        let num_perm = num_perm.max(1);
        let params = match scheme {
            Scheme::Classic => (0..num_perm as u64)
                .map(|i| {
                    let a = xxh3_64_with_seed(&i.to_le_bytes(), seed ^ 0xA5A5_5A5A) | 1;
                    let b = xxh3_64_with_seed(&i.to_le_bytes(), seed ^ 0x5A5A_A5A5);
                    (a, b)
                })
                .collect(),
            Scheme::OnePermutation => Vec::new(),
        };
        let probes = match scheme {
            Scheme::OnePermutation => probe_table(num_perm, seed).into(),
            Scheme::Classic => Arc::from([]),
        };
        Signer {
            scheme,
            num_perm,
            seed,
            params,
            probes,
        }
    }

    /// Number of slots in each signature.
    pub fn num_perm(&self) -> usize {
        self.num_perm
    }

    /// The scheme in use.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The signature of a shingle multiset (repeats do not matter).
    pub fn sign(&self, shingles: &[Shingle]) -> Signature {
        let mut slots = vec![EMPTY_SLOT; self.num_perm];
        self.sign_into(shingles.iter().copied(), &mut slots);
        Signature { slots }
    }

    /// Writes the signature of `shingles` into `slots` (length `num_perm`), reusing its storage.
    pub fn sign_into(&self, shingles: impl IntoIterator<Item = Shingle>, slots: &mut [u32]) {
        let mut acc = self.accumulator(slots);
        for s in shingles {
            acc.add(s);
        }
        acc.finish();
    }

    /// A streaming accumulator writing into `slots`, for callers that produce shingles one by one.
    pub fn accumulator<'a>(&'a self, slots: &'a mut [u32]) -> Accumulator<'a> {
        assert_eq!(
            slots.len(),
            self.num_perm,
            "slot buffer must have num_perm entries"
        );
        slots.fill(EMPTY_SLOT);
        Accumulator {
            signer: self,
            slots,
            any: false,
        }
    }
}

/// Collects shingles into a signature one at a time.
pub struct Accumulator<'a> {
    signer: &'a Signer,
    slots: &'a mut [u32],
    any: bool,
}

impl Accumulator<'_> {
    /// Adds one shingle.
    #[inline(always)]
    pub fn add(&mut self, shingle: Shingle) {
        self.any = true;
        match self.signer.scheme {
            Scheme::OnePermutation => {
                // Shingles from chaff are already finalized, but library callers may pass any u64s
                // (small integers, say): a finalizer mix makes slot choice uniform regardless.
                let shingle = mix64(shingle ^ self.signer.seed);
                // Fast range reduction of the high half picks the slot; the low half is the value.
                let slot = (((shingle >> 32) * self.slots.len() as u64) >> 32) as usize;
                // Keep EMPTY_SLOT out of the value range so it can mark empty slots.
                let value = (shingle as u32).min(EMPTY_SLOT - 1);
                // A conditional move, not a branch: whether a shingle lowers its slot's minimum
                // is a coin toss early in every document, a misprediction each time.
                let cell = &mut self.slots[slot];
                *cell = (*cell).min(value);
            }
            Scheme::Classic => {
                let x = shingle as u32 as u64 ^ (shingle >> 32);
                for (cell, &(a, b)) in self.slots.iter_mut().zip(&self.signer.params) {
                    let v = ((a.wrapping_mul(x).wrapping_add(b)) >> 32) as u32;
                    let v = v.min(EMPTY_SLOT - 1);
                    if v < *cell {
                        *cell = v;
                    }
                }
            }
        }
    }

    /// Completes the signature (densifies empty slots of one-permutation hashing).
    pub fn finish(self) {
        if !self.any || self.signer.scheme == Scheme::Classic {
            return;
        }
        densify(self.slots, &self.signer.probes);
    }
}

/// Random probes an empty slot makes before falling back to a scan (see [`densify`]). Eight
/// misses in a row happen with probability `(1 - m/k)^8` for `m` filled slots out of `k`: under
/// 10% once a quarter of the slots are filled, so larger documents keep the variance of optimal
/// densification and only tiny ones (where the scan is what bounds the cost) use it much.
const RANDOM_PROBES: usize = 8;

/// Entries per slot in the probe table: the random probes, then where the scan starts.
const PROBES: usize = RANDOM_PROBES + 1;

/// Slots whose filled-slot bitset lives on the stack; larger signatures allocate it once per
/// document (`k / 64` words, next to the `k` slots the caller already holds).
const STACK_SLOTS: usize = 4096;

/// The densification probes of every slot, `PROBES` per slot: slots drawn by a hash of
/// `(seed, slot, attempt)`, with replacement as in the paper, so that different empty slots
/// borrow independently. Computed once per signer: a document then densifies with table
/// lookups and bit tests only, no hashing.
fn probe_table(k: usize, seed: u64) -> Vec<u32> {
    // Seeded apart from the slot choice in `Accumulator::add`, which mixes the same seed.
    let seed = mix64(seed ^ 0xD1B5_4A32_D192_ED03);
    let mut table = Vec::with_capacity(k * PROBES);
    for i in 0..k as u64 {
        for attempt in 0..PROBES as u64 {
            let h = mix64(seed ^ (i << 32 | attempt));
            table.push((((h >> 32) * k as u64) >> 32) as u32);
        }
    }
    table
}

/// Densification (Shrivastava 2017, "Optimal densification for fast and accurate minwise
/// hashing"): every empty slot copies the value of the first filled slot met by a probe sequence
/// that depends on the slot's index and the seed only, never on the document. Two documents whose
/// same slot is empty thus walk the same sequence; the first slot of it filled in either holds
/// the minimum of the union there, which lies in the intersection with probability J, and then
/// both copy it — so the estimate stays unbiased for any such sequence.
///
/// The sequence of slot `i` is its `RANDOM_PROBES` drawn slots (`probes`, from [`probe_table`]),
/// then every slot in circular order from one more drawn slot, found with a bitset of the filled
/// slots. Nothing is allocated (up to `STACK_SLOTS` slots), and each empty slot costs at most
/// `RANDOM_PROBES + k / 64` steps, whereas probing at random until a hit costs `k / m` hashed
/// probes per empty slot: `k²` for a one-word document.
fn densify(slots: &mut [u32], probes: &[u32]) {
    let k = slots.len();
    debug_assert_eq!(probes.len(), k * PROBES);
    if !slots.contains(&EMPTY_SLOT) || !slots.iter().any(|&v| v != EMPTY_SLOT) {
        return;
    }
    let words = k.div_ceil(64);
    let mut on_stack = [0u64; STACK_SLOTS / 64];
    let mut on_heap = Vec::new();
    let filled: &mut [u64] = if k <= STACK_SLOTS {
        &mut on_stack[..words]
    } else {
        on_heap.resize(words, 0);
        &mut on_heap
    };
    for (j, &v) in slots.iter().enumerate() {
        if v != EMPTY_SLOT {
            filled[j / 64] |= 1 << (j % 64);
        }
    }
    let is_filled = |j: usize| filled[j / 64] & (1 << (j % 64)) != 0;
    for (i, own) in probes.chunks_exact(PROBES).enumerate() {
        if slots[i] != EMPTY_SLOT {
            continue;
        }
        let (random, scan_from) = own.split_at(RANDOM_PROBES);
        let source = random
            .iter()
            .map(|&j| j as usize)
            .find(|&j| is_filled(j))
            .unwrap_or_else(|| next_filled(filled, scan_from[0] as usize, k));
        // `source` was filled before densification began (the bitset says so), so this copies
        // an original minimum, never a value borrowed by another empty slot.
        slots[i] = slots[source];
    }
}

/// The first slot at or after `from` (circularly) whose bit is set in `filled`; at least one is.
fn next_filled(filled: &[u64], from: usize, k: usize) -> usize {
    let words = filled.len();
    let (w0, b0) = (from / 64, from % 64);
    // The first word without the bits before `from`, then the others in circular order, then the
    // first word's low bits again.
    let head = filled[w0] & (u64::MAX << b0);
    if head != 0 {
        return w0 * 64 + head.trailing_zeros() as usize;
    }
    for step in 1..=words {
        let w = (w0 + step) % words;
        let bits = if w == w0 {
            filled[w] & !(u64::MAX << b0)
        } else {
            filled[w]
        };
        if bits != 0 {
            let j = w * 64 + bits.trailing_zeros() as usize;
            debug_assert!(j < k);
            return j;
        }
    }
    unreachable!("densify checks that some slot is filled")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn random_pair(seed: u64, size: usize, overlap: usize) -> (Vec<u64>, Vec<u64>, f64) {
        let mut next = seed;
        let mut draw = move || {
            next = next.wrapping_add(0x9E37_79B9_7F4A_7C15);
            xxh3_64_with_seed(&next.to_le_bytes(), 99)
        };
        let shared: Vec<u64> = (0..overlap).map(|_| draw()).collect();
        let mut a = shared.clone();
        let mut b = shared;
        a.extend((0..size - overlap).map(|_| draw()));
        b.extend((0..size - overlap).map(|_| draw()));
        let j = overlap as f64 / (2 * size - overlap) as f64;
        (a, b, j)
    }

    /// Mean and spread of the estimate over many independent pairs with the same true J.
    /// Mean and spread of the estimate over `trials` random pairs (each with its own signer
    /// seed), and the pairs' true Jaccard; `stride` spreads the pairs' seeds.
    fn estimate_moments(
        scheme: Scheme,
        k: usize,
        (size, overlap): (usize, usize),
        trials: u64,
        stride: u64,
    ) -> (f64, f64, f64) {
        let (mut sum, mut sq, mut truth) = (0.0, 0.0, 0.0);
        for t in 0..trials {
            let signer = Signer::new(scheme, k, t);
            let (a, b, j) = random_pair(t * stride + size as u64, size, overlap);
            truth = j;
            let e = signer.sign(&a).jaccard(&signer.sign(&b));
            sum += e;
            sq += e * e;
        }
        let n = trials as f64;
        let mean = sum / n;
        (mean, (sq / n - mean * mean).max(0.0).sqrt(), truth)
    }

    fn check_estimator(scheme: Scheme, size: usize, overlap: usize, trials: u64) {
        let k = 128;
        let (mean, sd, truth) = estimate_moments(scheme, k, (size, overlap), trials, 7919);
        let n = trials as f64;
        let expected_sd = (truth * (1.0 - truth) / k as f64).sqrt();
        // The mean of n estimates has standard error sd/sqrt(n): allow 4 of them.
        assert!(
            (mean - truth).abs() <= 4.0 * expected_sd / n.sqrt() + 1e-9,
            "{scheme:?}: mean {mean} vs J {truth}"
        );
        assert!(
            sd <= expected_sd * 1.3 + 0.005 && sd >= expected_sd * 0.7 - 0.005,
            "{scheme:?}: spread {sd} vs expected {expected_sd} (J {truth}, size {size})"
        );
    }

    #[test]
    fn one_permutation_estimate_is_unbiased_with_binomial_spread() {
        for (size, overlap) in [(1000, 900), (1000, 500), (500, 100), (2000, 1900)] {
            check_estimator(Scheme::OnePermutation, size, overlap, 400);
        }
    }

    /// Tiny documents (far fewer shingles than slots) are where densification does the work:
    /// the estimate must stay unbiased there, with a spread not far above the binomial one.
    #[test]
    fn densified_estimate_is_unbiased_on_tiny_documents() {
        for (size, overlap) in [(1, 1), (2, 1), (5, 3), (12, 6), (40, 30), (100, 20)] {
            let (k, trials) = (128, 2000u64);
            let (mean, sd, truth) =
                estimate_moments(Scheme::OnePermutation, k, (size, overlap), trials, 104_729);
            let n = trials as f64;
            // With m filled slots the estimate is at worst a mean of m independent agreements.
            let worst_sd = (truth * (1.0 - truth) / (size.min(k) as f64)).sqrt();
            assert!(
                (mean - truth).abs() <= 4.0 * worst_sd / n.sqrt() + 1e-9,
                "size {size}: mean {mean} vs J {truth}"
            );
            assert!(
                sd <= worst_sd * 1.2 + 0.005,
                "size {size}: spread {sd} vs at most {worst_sd} (J {truth})"
            );
        }
    }

    /// The probe sequence of `densify` written out plainly: slot `i` hashes `(seed, i, attempt)`
    /// for its random probes, then scans circularly from one more drawn slot.
    fn densify_reference(slots: &mut [u32], seed: u64) {
        let original = slots.to_vec();
        let k = slots.len();
        if original.iter().all(|&v| v == EMPTY_SLOT) {
            return;
        }
        let seed = mix64(seed ^ 0xD1B5_4A32_D192_ED03);
        for (i, cell) in slots.iter_mut().enumerate() {
            if *cell != EMPTY_SLOT {
                continue;
            }
            let probe = |attempt: u64| {
                let h = mix64(seed ^ ((i as u64) << 32 | attempt));
                (((h >> 32) * k as u64) >> 32) as usize
            };
            let mut seq = (0..RANDOM_PROBES as u64).map(probe).collect::<Vec<_>>();
            let from = probe(RANDOM_PROBES as u64);
            seq.extend((0..k).map(|s| (from + s) % k));
            let j = seq
                .into_iter()
                .find(|&j| original[j] != EMPTY_SLOT)
                .unwrap();
            *cell = original[j];
        }
    }

    #[test]
    fn densifies_one_word_documents_quickly_and_fully() {
        // The case that used to cost k² hashed probes with an allocation each.
        let s = Signer::new(Scheme::OnePermutation, 4096, 5);
        let sig = s.sign(&[42]);
        assert!(sig.slots.iter().all(|&v| v == sig.slots[0]));
        assert!(!sig.is_empty());
        let big = Signer::new(Scheme::OnePermutation, 5000, 5);
        let sig = big.sign(&[42, 43]);
        assert!(!sig.slots.contains(&EMPTY_SLOT));
    }

    #[test]
    fn classic_estimate_is_unbiased_with_binomial_spread() {
        for (size, overlap) in [(1000, 900), (300, 150)] {
            check_estimator(Scheme::Classic, size, overlap, 300);
        }
    }

    #[test]
    fn empty_documents_never_match() {
        let s = Signer::new(Scheme::OnePermutation, 64, 1);
        let e = s.sign(&[]);
        assert!(e.is_empty());
        assert_eq!(e.jaccard(&s.sign(&[])), 0.0);
    }

    proptest! {
        #[test]
        fn identical_sets_estimate_one(v in proptest::collection::vec(any::<u64>(), 1..300)) {
            for scheme in [Scheme::OnePermutation, Scheme::Classic] {
                let s = Signer::new(scheme, 128, 3);
                prop_assert_eq!(s.sign(&v).jaccard(&s.sign(&v)), 1.0);
            }
        }

        /// A signature is a function of the set: shingle order and repeats change nothing (the
        /// streaming signer takes shingles in text order, repeats included).
        #[test]
        fn signature_ignores_order_and_repeats(
            v in proptest::collection::vec(any::<u64>(), 0..400),
            rotate in any::<usize>(),
            seed in any::<u64>(),
        ) {
            let s = Signer::new(Scheme::OnePermutation, 128, seed);
            let mut shuffled: Vec<u64> = v.iter().rev().copied().collect();
            shuffled.extend(v.iter().step_by(3));
            if !shuffled.is_empty() {
                let at = rotate % shuffled.len();
                shuffled.rotate_left(at);
            }
            prop_assert_eq!(s.sign(&v), s.sign(&shuffled));
        }

        #[test]
        fn densify_follows_its_probe_sequence(
            filled in proptest::collection::vec((0usize..300, any::<u32>()), 1..40),
            k in 1usize..300,
            seed in any::<u64>(),
        ) {
            let mut slots = vec![EMPTY_SLOT; k];
            for (j, v) in filled {
                slots[j % k] = v.min(EMPTY_SLOT - 1);
            }
            let mut expected = slots.clone();
            densify_reference(&mut expected, seed);
            densify(&mut slots, &probe_table(k, seed));
            prop_assert_eq!(&slots, &expected);
            prop_assert!(!slots.contains(&EMPTY_SLOT));
        }

        #[test]
        fn estimate_tracks_exact_jaccard(size in 200usize..1500, frac in 0.0f64..1.0, seed in any::<u64>()) {
            let overlap = ((size as f64) * frac) as usize;
            let (a, b, j) = random_pair(seed, size, overlap);
            let s = Signer::new(Scheme::OnePermutation, 128, seed);
            let e = s.sign(&a).jaccard(&s.sign(&b));
            // Six standard deviations of the binomial estimate, plus densification slack.
            let bound = 6.0 * (j * (1.0 - j) / 128.0).sqrt() + 0.03;
            prop_assert!((e - j).abs() <= bound, "estimate {} vs exact {}", e, j);
        }
    }
}
