//! What the suite calls from CPython for Windows: a value, None, a raised
//! TypeError, a class, and a parking_lot wait that runs the Windows thread
//! parker (and with it the windows-sys stand-in's declarations).

use std::time::Duration;

use parking_lot::{Condvar, Mutex};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;

/// answer() -> 42
#[pyfunction]
fn answer() -> i64 {
    42
}

/// twice(x) -> 2 * x; a str argument raises TypeError (PyO3's conversion)
#[pyfunction]
fn twice(x: i64) -> i64 {
    2 * x
}

/// nothing() -> None
#[pyfunction]
fn nothing() {}

/// refuse() raises TypeError("refused by implib_pyo3")
#[pyfunction]
fn refuse() -> PyResult<()> {
    Err(PyTypeError::new_err("refused by implib_pyo3"))
}

/// wait_briefly() -> True once a 20 ms Condvar wait has timed out
#[pyfunction]
fn wait_briefly(py: Python<'_>) -> bool {
    py.allow_threads(|| {
        let mutex = Mutex::new(());
        let condvar = Condvar::new();
        let mut guard = mutex.lock();
        condvar
            .wait_for(&mut guard, Duration::from_millis(20))
            .timed_out()
    })
}

/// Counter(start): add(n) adds n and returns the count; .count reads it
#[pyclass]
struct Counter {
    #[pyo3(get)]
    count: i64,
}

#[pymethods]
impl Counter {
    #[new]
    fn new(start: i64) -> Self {
        Counter { count: start }
    }

    fn add(&mut self, n: i64) -> i64 {
        self.count += n;
        self.count
    }
}

#[pymodule]
fn implib_pyo3(_py: Python<'_>, m: &PyModule) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(answer, m)?)?;
    m.add_function(wrap_pyfunction!(twice, m)?)?;
    m.add_function(wrap_pyfunction!(nothing, m)?)?;
    m.add_function(wrap_pyfunction!(refuse, m)?)?;
    m.add_function(wrap_pyfunction!(wait_briefly, m)?)?;
    m.add_class::<Counter>()?;
    m.add("ABI3", cfg!(feature = "abi3"))?;
    Ok(())
}
