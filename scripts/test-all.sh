#!/usr/bin/env bash
# Every test of the project: Rust (core, CLI, C ABI), C (with sanitizers), Python, the
# Request Tracker 5 integration (a throwaway RT driven through REST 2.0), and a bounded fuzz
# run of every fuzz target.
# Installs what it needs itself (rustfmt and clippy if missing; a virtual environment under
# target/venv for maturin/pytest).
set -euo pipefail
cd "$(dirname "$0")/.."

suites=0
# The suites check behaviour, not speed: release builds in the tests skip the shipped profile's
# fat LTO and single codegen unit (Cargo.toml), which would triple the build time on 2 cores.
# Benchmarks (benches/) build the shipped profile. ESCALINT_TEST_SHIPPED_PROFILE=1 tests it too.
if [ -z "${ESCALINT_TEST_SHIPPED_PROFILE:-}" ]; then
  export CARGO_PROFILE_RELEASE_LTO="${CARGO_PROFILE_RELEASE_LTO:-false}"
  export CARGO_PROFILE_RELEASE_CODEGEN_UNITS="${CARGO_PROFILE_RELEASE_CODEGEN_UNITS:-16}"
  export CARGO_PROFILE_RELEASE_DEBUG="${CARGO_PROFILE_RELEASE_DEBUG:-0}"
fi
# Habits first, they fail in seconds: the tree is formatted (rustfmt.toml) and clippy-clean.
echo "== Rust: cargo fmt --all --check"
if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
  rustup component add rustfmt clippy
fi
cargo fmt --all --check
suites=$((suites + 1))
echo "== Rust: cargo clippy --workspace --all-targets -- -D warnings"
cargo clippy --workspace --all-targets -- -D warnings
suites=$((suites + 1))

echo "== Rust: cargo test --workspace"
start=$SECONDS
cargo test --workspace --exclude escalint-python
echo "== Rust: cargo test --workspace: passed in $((SECONDS - start)) s (fmt and clippy before it: $start s)"
suites=$((suites + 1))

for part in scripts/test-c.sh scripts/test-python.sh scripts/test-report.sh scripts/test-rt.sh scripts/soak.sh scripts/fuzz-smoke.sh; do
  if [ -f "$part" ]; then
    echo "== $part"
    start=$SECONDS
    bash "$part"
    echo "== $part: passed in $((SECONDS - start)) s"
    suites=$((suites + 1))
  fi
done
echo "== all tests passed in $SECONDS s"
# set -e stops at the first failing suite, so every suite counted here passed.
echo "suites: $suites passed, 0 failed"
