#!/usr/bin/env bash
# Every test of the project: Rust (core, CLI, C ABI), C (with sanitizers), Python, and a
# bounded fuzz run of every fuzz target.
# Installs what it needs itself (a virtual environment under .venv for maturin/pytest).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== Rust: cargo test --workspace"
cargo test --workspace --exclude escalint-python

for part in scripts/test-c.sh scripts/test-python.sh scripts/fuzz-smoke.sh; do
  if [ -f "$part" ]; then
    echo "== $part"
    bash "$part"
  fi
done
echo "== all tests passed"
