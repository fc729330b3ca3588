//! Clusters of near-duplicates: connected components of the confirmed pairs, by union-find
//! (Tarjan 1975) with path halving and union by index.
//!
//! Union always makes the smaller document number the root, so a cluster's root is its first
//! document in corpus order whatever order the pairs arrive in: results do not depend on thread
//! count.

/// Disjoint sets over documents `0..n`.
#[derive(Debug, Clone)]
pub struct UnionFind {
    parent: Vec<u32>,
}

impl UnionFind {
    /// `n` singleton sets.
    pub fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n as u32).collect(),
        }
    }

    /// The root of `x`'s set: the smallest document number in it.
    pub fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let grand = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = grand;
            x = grand;
        }
        x
    }

    /// Joins the sets of `a` and `b`.
    pub fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[hi as usize] = lo;
        }
    }
}

/// A group of documents that are near-duplicates of each other (directly or through a chain).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Cluster {
    /// 1-based cluster number, in order of the clusters' first documents.
    pub number: usize,
    /// The document kept by `clean`.
    pub representative: u32,
    /// All members in corpus order, representative included.
    pub members: Vec<u32>,
}

/// Which document of a cluster is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Keep {
    /// The first document in corpus order (input paths in the order given, directories walked in
    /// file-name order, JSONL lines in order).
    #[default]
    First,
    /// The document with the most shingles (ties: the first), so a truncated copy never wins.
    Longest,
}

/// Builds clusters from confirmed pairs over `n` documents; `sizes[d]` is document d's shingle
/// count, used by [`Keep::Longest`]. Singletons are not returned.
pub fn clusters(n: usize, pairs: &[(u32, u32)], sizes: &[usize], keep: Keep) -> Vec<Cluster> {
    let mut uf = UnionFind::new(n);
    for &(a, b) in pairs {
        uf.union(a, b);
    }
    let mut members: std::collections::BTreeMap<u32, Vec<u32>> = Default::default();
    for &(a, b) in pairs {
        for d in [a, b] {
            members.entry(uf.find(d)).or_default().push(d);
        }
    }
    members
        .into_values()
        .enumerate()
        .map(|(i, mut m)| {
            m.sort_unstable();
            m.dedup();
            let representative = match keep {
                Keep::First => m[0],
                Keep::Longest => *m
                    .iter()
                    .max_by_key(|&&d| {
                        (
                            sizes.get(d as usize).copied().unwrap_or(0),
                            std::cmp::Reverse(d),
                        )
                    })
                    .expect("a cluster has at least two members"),
            };
            Cluster {
                number: i + 1,
                representative,
                members: m,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clusters_do_not_depend_on_pair_order() {
        let pairs = vec![(3, 4), (0, 3), (5, 6)];
        let mut rev = pairs.clone();
        rev.reverse();
        let a = clusters(7, &pairs, &[1; 7], Keep::First);
        assert_eq!(a, clusters(7, &rev, &[1; 7], Keep::First));
        assert_eq!(a[0].members, vec![0, 3, 4]);
        assert_eq!(a[0].representative, 0);
        assert_eq!(a[1].number, 2);
    }

    #[test]
    fn keep_longest_prefers_the_fuller_copy() {
        let c = clusters(3, &[(0, 2)], &[10, 0, 50], Keep::Longest);
        assert_eq!(c[0].representative, 2);
    }
}
