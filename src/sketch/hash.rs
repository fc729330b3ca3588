//! The one hash configuration every sketch, search and index shares.

use crate::minhash::Scheme;
use crate::shingle::Shingling;
use crate::text::Folds;
use serde::{Deserialize, Serialize};

/// Everything that decides the value of a shingle, a signature and a band key: documents
/// hashed under two different hash configurations cannot be compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HashConfig {
    /// Shingle kind and length.
    pub shingling: Shingling,
    /// Seed of shingle hashing and MinHash.
    pub seed: u64,
    /// Normalization folds switched on.
    pub folds: Folds,
    /// MinHash slots.
    pub num_perm: usize,
    /// MinHash construction.
    pub scheme: Scheme,
    /// Version of the fold tables ([`crate::text::NORMALIZATION_VERSION`] of the build that
    /// hashed): the same folds switched on may fold differently in another version. Absent
    /// from what was stored before it was recorded, which used version 1.
    #[serde(default = "first_normalization")]
    pub normalization: u32,
}

fn first_normalization() -> u32 {
    1
}

impl Default for HashConfig {
    /// The hashing of [`crate::dups::Config::default`]: what every stage uses unless told
    /// otherwise.
    fn default() -> Self {
        HashConfig {
            shingling: Shingling::Words(5),
            seed: 0,
            folds: Folds::default(),
            num_perm: 128,
            scheme: Scheme::OnePermutation,
            normalization: crate::text::NORMALIZATION_VERSION,
        }
    }
}

impl HashConfig {
    /// `Ok` when these fold tables are this build's ([`crate::text::NORMALIZATION_VERSION`]),
    /// otherwise the error naming `field`: a build cannot fold the way another version did,
    /// so hashing under another version would silently mean something else.
    pub fn check_normalization(&self, field: &'static str) -> Result<(), crate::ConfigError> {
        let version = crate::text::NORMALIZATION_VERSION;
        if self.normalization == version {
            Ok(())
        } else {
            Err(crate::ConfigError::new(
                field,
                self.normalization,
                format!("{version}, the normalization version of this build's fold tables"),
            ))
        }
    }

    /// The settings of `other` that differ from these, each as "name: X here, Y there".
    pub fn differences(&self, other: &HashConfig) -> Vec<String> {
        let mut out = Vec::new();
        let mut differ = |name: &str, ours: String, theirs: String| {
            if ours != theirs {
                out.push(format!("{name}: {ours} here, {theirs} there"));
            }
        };
        differ(
            "shingling",
            format!("{:?}", self.shingling),
            format!("{:?}", other.shingling),
        );
        differ("seed", self.seed.to_string(), other.seed.to_string());
        differ(
            "folds",
            format!("{:?}", self.folds),
            format!("{:?}", other.folds),
        );
        differ(
            "num_perm",
            self.num_perm.to_string(),
            other.num_perm.to_string(),
        );
        differ(
            "scheme",
            format!("{:?}", self.scheme),
            format!("{:?}", other.scheme),
        );
        differ(
            "normalization version",
            self.normalization.to_string(),
            other.normalization.to_string(),
        );
        out
    }
}
