//! A crate on PyO3 0.28.3 (its decisions are tested, it is not built).
