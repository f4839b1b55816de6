//! An extension on PyO3 0.29.2's stand-in: what it imports from python3.dll is
//! read back from the DLL rustc and GNU ld make.

#[no_mangle]
pub extern "C" fn initialized() -> i32 {
    unsafe { pyo3::Py_IsInitialized() }
}

#[no_mangle]
pub extern "C" fn version() -> *const u8 {
    unsafe { pyo3::Py_GetVersion() }
}
