//! A stand-in for PyO3 0.28.3: only its version and features matter here.
