#!/usr/bin/env bash
# The Python wheel's tests: build the abi3 wheel with maturin, install it into the tests' own
# virtual environment (target/venv, with maturin, pytest and pandas), write the Rust core's answers for the
# example cases (the core_answers example), and run pytest on bindings-python/tests.
# Needs only Rust, a C compiler (for the linker), Python >= 3.9 with venv, and pip.
# ESCALINT_SKIP_PANDAS=1 leaves pandas out (its round-trip test is then skipped); pyarrow,
# polars, pyspark and a Java runtime (scripts/java-runtime.sh) are installed for the Arrow and
# Spark tests.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
python="${PYTHON:-python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The tests' environment: a virtual environment of their own under target/ (never a .venv the
# user made), created on the first run and reused after. Every package the tests need is
# installed into it here, and only here.
venv="$root/target/venv"
echo "== virtual environment $venv"
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
venv_python="$venv/bin/python"
"$venv_python" -m pip install -q --upgrade pip
"$venv_python" -m pip install -q "maturin>=1.9.4,<2" "pytest>=7"
if [ "${ESCALINT_SKIP_PANDAS:-0}" != 1 ]; then
  "$venv_python" -m pip install -q pandas || echo "!! pandas could not be installed; its round-trip test will be skipped"
fi
# The Arrow path's tests need pyarrow and polars; escalint.spark's, pyspark and Java (pip keeps
# pyspark's built wheel in its cache: only a fresh machine downloads and builds it).
# ESCALINT_SKIP_SPARK=1 leaves pyspark and Java out (the Spark tests are then skipped).
"$venv_python" -m pip install -q "pyarrow>=14" polars
spark_required=0
if [ "${ESCALINT_SKIP_SPARK:-0}" != 1 ]; then
  "$venv_python" -m pip install -q "pyspark>=3.5"
  bash scripts/java-runtime.sh
  spark_required=1
fi

echo "== wheel (maturin build --release)"
"$venv/bin/maturin" build --release -q -m bindings-python/Cargo.toml -i "$venv_python" -o "$work/wheels"
wheel="$(ls "$work"/wheels/escalint-*.whl)"
echo "built $(basename "$wheel")"
"$venv_python" -m pip install -q --force-reinstall "$wheel"

echo "== the core's answers for the example cases"
cases=(bindings-python/tests/cases)
for d in examples/cases tests/fixtures/rules tests/c/cases; do
  if [ -d "$d" ]; then cases+=("$d"); fi
done
cargo run -q --release -p escalint-python --example core_answers -- "$work/golden" "${cases[@]}"

echo "== pytest bindings-python/tests"
# Run from a neutral folder so `import escalint` finds the installed wheel, not the sources.
cd "$work"
ESCALINT_GOLDEN_DIR="$work/golden" ESCALINT_REQUIRE_SPARK=$spark_required "$venv_python" -m pytest -q -p no:cacheprovider "$root/bindings-python/tests" "$@"
