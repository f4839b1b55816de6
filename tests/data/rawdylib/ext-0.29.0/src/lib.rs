//! A crate on PyO3 0.29.0 (its decisions are tested, it is not built).
