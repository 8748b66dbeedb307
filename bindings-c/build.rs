//! Generates the C header with cbindgen from `src/lib.rs`.
//!
//! The header is committed as `include/escalint.h` (at the repository root) and rewritten
//! here whenever it differs, so `scripts/test-c.sh` can tell a stale committed header (it
//! compares the committed file with a fresh build). Outside the repository (a packaged
//! crate, where `../include` does not exist) only the copy in `OUT_DIR` is written.

use std::path::PathBuf;

fn main() {
    let crate_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    println!("cargo:rerun-if-changed=src/lib.rs");
    println!("cargo:rerun-if-changed=cbindgen.toml");

    // A SONAME, so programs linked against libescalint.so load a compatible version
    // (libescalint.so.<major>) after an upgrade; scripts/install-c.sh installs the links.
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        let major = std::env::var("CARGO_PKG_VERSION_MAJOR").expect("cargo sets CARGO_PKG_VERSION_MAJOR");
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libescalint.so.{major}");
    }

    let config =
        cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).expect("bindings-c/cbindgen.toml is readable");
    let bindings = cbindgen::Builder::new()
        .with_config(config)
        .with_src(crate_dir.join("src/lib.rs"))
        .generate()
        .expect("cbindgen generates the header from src/lib.rs");

    bindings.write_to_file(out_dir.join("escalint.h"));
    let include_dir = crate_dir.join("../include");
    if include_dir.is_dir() {
        println!("cargo:rerun-if-changed=../include/escalint.h");
        bindings.write_to_file(include_dir.join("escalint.h"));
    }
}
