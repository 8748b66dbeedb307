//! A plain timing loop for the benchmark note, steadier than criterion on a busy machine
//! when run under `valgrind --tool=callgrind` (instruction counts):
//!
//! ```text
//! cargo run -p escalint-c --release --example validate_loop -- rust|c CASE_FILE NOW N
//! ```
//!
//! `rust`: `Engine::validate_json(text, now).to_json()`; `c`: `escalint_validate` through a
//! function pointer plus `escalint_string_free` (src/lib.rs compiled in, as in benches/abi.rs).

#[allow(dead_code)]
#[path = "../src/lib.rs"]
mod abi;

use std::ffi::{c_char, c_int, CString};
use std::hint::black_box;
use std::time::Instant;

use escalint_core::{parse_now, Engine};

type ValidateFn =
    unsafe extern "C" fn(*const abi::escalint_engine, *const c_char, *const c_char, *mut *mut c_char) -> c_int;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [mode, case, now, n] = args.as_slice() else {
        eprintln!("usage: validate_loop rust|c CASE_FILE NOW N");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(case).expect("read CASE_FILE");
    let n: u32 = n.parse().expect("N");
    let start = Instant::now();
    let mut bytes = 0usize;
    match mode.as_str() {
        "rust" => {
            let engine = Engine::new();
            let now = parse_now(now).expect("NOW");
            for _ in 0..n {
                bytes += black_box(engine.validate(black_box(&text), Some(now)).to_json()).len();
            }
        }
        "c" => {
            let engine = abi::escalint_engine_new();
            let (text_c, now_c) = (CString::new(text).unwrap(), CString::new(now.as_str()).unwrap());
            let validate: ValidateFn = black_box(abi::escalint_validate);
            for _ in 0..n {
                unsafe {
                    let mut out = std::ptr::null_mut();
                    assert_eq!(validate(engine, text_c.as_ptr(), now_c.as_ptr(), &mut out), 0);
                    bytes += std::ffi::CStr::from_ptr(out).to_bytes().len();
                    abi::escalint_string_free(out);
                }
            }
            unsafe { abi::escalint_engine_free(engine) };
        }
        other => panic!("mode {other}: expected rust or c"),
    }
    let per_call = start.elapsed().as_secs_f64() / f64::from(n) * 1e6;
    println!("{mode}: {n} calls, {per_call:.2} µs per call ({bytes} bytes out)");
}
