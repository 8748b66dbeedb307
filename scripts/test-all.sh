#!/usr/bin/env bash
# Every test of the project: Rust (core, CLI, C ABI), C (with sanitizers), Python, the
# Request Tracker 5 integration (a throwaway RT driven through REST 2.0), and a bounded fuzz
# run of every fuzz target.
# Installs what it needs itself (a virtual environment under .venv for maturin/pytest).
set -euo pipefail
cd "$(dirname "$0")/.."

suites=0
echo "== Rust: cargo test --workspace"
cargo test --workspace --exclude escalint-python
suites=$((suites + 1))

for part in scripts/test-c.sh scripts/test-python.sh scripts/test-report.sh scripts/test-rt.sh scripts/fuzz-smoke.sh; do
  if [ -f "$part" ]; then
    echo "== $part"
    bash "$part"
    suites=$((suites + 1))
  fi
done
echo "== all tests passed"
# set -e stops at the first failing suite, so every suite counted here passed.
echo "suites: $suites passed, 0 failed"
