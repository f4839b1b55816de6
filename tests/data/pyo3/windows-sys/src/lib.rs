//! The windows-sys 0.36 items parking_lot_core 0.9 uses, with the values of
//! the Windows SDK headers (winnt.h, ntstatus.h, winerror.h, winbase.h).
#![no_std]
#![allow(non_snake_case, non_camel_case_types)]

pub mod Win32 {
    pub mod Foundation {
        pub type BOOL = i32;
        pub type BOOLEAN = u8;
        pub type HANDLE = isize;
        pub type HINSTANCE = isize;
        pub type NTSTATUS = i32;
        pub type WIN32_ERROR = u32;
        pub type PCSTR = *const u8;
        pub type FARPROC = Option<unsafe extern "system" fn() -> isize>;

        pub const STATUS_SUCCESS: NTSTATUS = 0;
        pub const STATUS_TIMEOUT: NTSTATUS = 0x102;
        pub const ERROR_TIMEOUT: WIN32_ERROR = 1460;

        #[link(name = "kernel32")]
        extern "system" {
            pub fn CloseHandle(hobject: HANDLE) -> BOOL;
            pub fn GetLastError() -> WIN32_ERROR;
        }
    }

    pub mod System {
        pub mod LibraryLoader {
            use super::super::Foundation::{FARPROC, HINSTANCE, PCSTR};

            #[link(name = "kernel32")]
            extern "system" {
                pub fn GetModuleHandleA(lpmodulename: PCSTR) -> HINSTANCE;
                pub fn GetProcAddress(hmodule: HINSTANCE, lpprocname: PCSTR) -> FARPROC;
            }
        }

        pub mod SystemServices {
            pub const GENERIC_READ: u32 = 0x8000_0000;
            pub const GENERIC_WRITE: u32 = 0x4000_0000;
        }

        pub mod WindowsProgramming {
            pub const INFINITE: u32 = 0xFFFF_FFFF;
        }
    }
}
