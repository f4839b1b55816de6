//! A stand-in for PyO3 0.29.2: its FFI links python3.dll through raw-dylib, as
//! pyo3-ffi does, in a dependency rlib of the extension (rustc 1.63 needs
//! `feature(raw_dylib)`, with RUSTC_BOOTSTRAP=1, which `implib run` sets).
#![cfg_attr(windows, feature(raw_dylib))]

#[cfg_attr(windows, link(name = "python3", kind = "raw-dylib"))]
extern "C" {
    pub fn Py_IsInitialized() -> i32;
    pub fn Py_GetVersion() -> *const u8;
}
