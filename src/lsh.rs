//! lsh
