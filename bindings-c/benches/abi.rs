//! escalint_validate through the C ABI versus the Rust JSON path, on the same case.
//!
//! `cargo bench -p escalint-c --bench abi` (on demand only; not part of the tests).
//!
//! The ABI functions are compiled in from src/lib.rs (the library has no rlib, see
//! Cargo.toml) and called through an opaque function pointer, as a C caller would: argument
//! checks, UTF-8 decoding, `now` parsing, panic guard, C string out and
//! `escalint_string_free` are all measured. The Rust path is what a Rust caller does with
//! JSON text: `validate(text, now).to_json()`.

#[allow(dead_code)]
#[path = "../src/lib.rs"]
mod abi;

use std::ffi::{c_char, c_int, CString};
use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use escalint_core::{parse_now, Engine};

const CASE: &str = include_str!("../../tests/c/cases/fms_contract_example.json");
const NOW: &str = "2026-11-22T12:00:00-05:00";

type ValidateFn =
    unsafe extern "C" fn(*const abi::escalint_engine, *const c_char, *const c_char, *mut *mut c_char) -> c_int;

fn validate(c: &mut Criterion) {
    let mut group = c.benchmark_group("validate_fms_contract_example");
    group.warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3)).sample_size(50);

    let engine = Engine::new();
    let now = parse_now(NOW).unwrap();
    group.bench_function("rust_validate_json_to_json", |b| {
        b.iter(|| black_box(engine.validate(black_box(CASE), Some(now)).to_json()))
    });
    group.bench_function("rust_parse_now_validate_json_to_json", |b| {
        b.iter(|| black_box(engine.validate(black_box(CASE), Some(parse_now(black_box(NOW)).unwrap())).to_json()))
    });

    let c_engine = abi::escalint_engine_new();
    let (case_c, now_c) = (CString::new(CASE).unwrap(), CString::new(NOW).unwrap());
    let validate_c: ValidateFn = black_box(abi::escalint_validate);
    group.bench_function("c_abi_escalint_validate", |b| {
        b.iter(|| unsafe {
            let mut out = std::ptr::null_mut();
            let rc = validate_c(c_engine, case_c.as_ptr(), now_c.as_ptr(), &mut out);
            assert_eq!(rc, 0);
            abi::escalint_string_free(black_box(out));
        })
    });
    group.finish();
    unsafe { abi::escalint_engine_free(c_engine) };
}

criterion_group!(benches, validate);
criterion_main!(benches);
