//! dups
