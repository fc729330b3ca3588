//! minhash
