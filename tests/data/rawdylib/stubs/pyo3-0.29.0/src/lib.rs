//! A stand-in for PyO3 0.29.0: only its version and features matter here.
