//! Deterministic corpus generator (filled in by its own change).
