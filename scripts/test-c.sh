#!/usr/bin/env bash
# The C library's tests: build libescalint, check that the committed header is current,
# compile the C tests (tests/c/) with -Wall -Wextra -Werror against include/escalint.h, and
# run them plainly (shared library), under AddressSanitizer+UBSan with leak checking (static
# library), under ThreadSanitizer (static library; the many-threads test) and under valgrind
# (shared library; skipped with a message if valgrind is absent).
# Also installs into a temporary prefix and builds examples/c/validate.c with pkg-config.
# Ends with "c-tests: N passed, M failed" (every test of every run).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)"
CC="${CC:-gcc}"
CFLAGS=(-std=c11 -g -O1 -Wall -Wextra -Werror -I"$root/include" -I"$root/tests/c")
# What the Rust standard library needs when linking the static archive
# (rustc --print native-static-libs).
STATIC_LIBS=(-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc)

passed=0
failed=0
# run NAME CMD...: run one test binary, show its output, add its summary line to the totals.
run() {
  local name="$1"; shift
  echo "-- $name"
  local log="$work/$name.log" status=0
  "$@" >"$log" 2>"$work/$name.err" || status=$?
  cat "$log"
  local summary p f
  summary="$(grep -E '^[a-z_]+: [0-9]+ passed, [0-9]+ failed$' "$log" | tail -n1 || true)"
  if [ -z "$summary" ] || [ "$status" -ne 0 ]; then
    echo "!! $name exited with status $status; its stderr:"
    cat "$work/$name.err"
  fi
  if [ -n "$summary" ]; then
    p="$(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$summary")"
    f="$(sed -E 's/.* ([0-9]+) failed$/\1/' <<<"$summary")"
  else
    p=0; f=1
  fi
  # A clean summary with a non-zero exit (a sanitizer or valgrind finding) is a failure.
  if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; p=$((p > 0 ? p - 1 : 0)); fi
  passed=$((passed + p))
  failed=$((failed + f))
}

echo "== build (fault-injection variant for the panic test, then the shipped library)"
cp include/escalint.h "$work/escalint.h.committed"
cargo build -q -p escalint-c --release --features fault-injection
mkdir -p "$work/lib-fi" "$work/lib"
cp target/release/libescalint.so target/release/libescalint.a "$work/lib-fi/"
cargo build -q -p escalint-c --release
cp target/release/libescalint.so target/release/libescalint.a "$work/lib/"
# Programs linked with -lescalint load the library by its SONAME, libescalint.so.<major>.
major="${version%%.*}"
for d in lib lib-fi; do ln -s libescalint.so "$work/$d/libescalint.so.$major"; done

echo "== header: include/escalint.h is what cbindgen generates from bindings-c/src/lib.rs"
header_ok=1
if ! cmp -s "$work/escalint.h.committed" include/escalint.h; then
  header_ok=0
  echo "!! include/escalint.h is out of date with bindings-c/src/lib.rs; the build regenerated it:"
  diff -u "$work/escalint.h.committed" include/escalint.h || true
  echo "!! commit the regenerated include/escalint.h"
fi
# The header stands alone in C and in C++.
echo '#include "escalint.h"' > "$work/alone.c"
"$CC" "${CFLAGS[@]}" -pedantic -c "$work/alone.c" -o "$work/alone.o"
if command -v g++ >/dev/null; then
  g++ -std=c++11 -Wall -Wextra -Werror -I"$root/include" -x c++ -c "$work/alone.c" -o "$work/alone-cxx.o"
fi

echo "== the Rust core's answers for the example cases"
case_dirs=(tests/c/cases)
for d in examples/cases tests/fixtures/rules; do
  [ -d "$d" ] && case_dirs+=("$d")
done
cargo run -q -p escalint-c --release --example core_answers -- "$work/golden" tests/c/proposal.json "${case_dirs[@]}"
args=("$work/golden/manifest.tsv" "$root/core/policy/default.json" "$version")

echo "== compile the C tests"
"$CC" "${CFLAGS[@]}" tests/c/test_escalint.c -o "$work/test_shared" -L"$work/lib" -lescalint -lpthread -Wl,-rpath,"$work/lib"
"$CC" "${CFLAGS[@]}" tests/c/test_faults.c -o "$work/faults_shared" -L"$work/lib-fi" -lescalint -Wl,-rpath,"$work/lib-fi"
SAN=(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
"$CC" "${CFLAGS[@]}" "${SAN[@]}" tests/c/test_escalint.c -o "$work/test_asan" "$work/lib/libescalint.a" "${STATIC_LIBS[@]}"
"$CC" "${CFLAGS[@]}" "${SAN[@]}" tests/c/test_faults.c -o "$work/faults_asan" "$work/lib-fi/libescalint.a" "${STATIC_LIBS[@]}"
# ThreadSanitizer for the many-threads test (one engine, no locks on the hot path).
"$CC" "${CFLAGS[@]}" -fsanitize=thread tests/c/test_escalint.c -o "$work/test_tsan" "$work/lib/libescalint.a" "${STATIC_LIBS[@]}"

echo "== run"
run plain "$work/test_shared" "${args[@]}" 8 2000
run plain_faults "$work/faults_shared"
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=0:exitcode=23"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
run asan "$work/test_asan" "${args[@]}" 8 1000
run asan_faults "$work/faults_asan"
unset ASAN_OPTIONS UBSAN_OPTIONS
TSAN_OPTIONS="halt_on_error=1 exitcode=66" run tsan "$work/test_tsan" "${args[@]}" 8 500
if command -v valgrind >/dev/null; then
  VG=(valgrind -q --error-exitcode=1 --leak-check=full --show-leak-kinds=definite,indirect,possible
      --errors-for-leak-kinds=definite,indirect,possible --suppressions="$root/tests/c/valgrind.supp")
  run valgrind "${VG[@]}" "$work/test_shared" "${args[@]}" 4 500
  run valgrind_faults "${VG[@]}" "$work/faults_shared"
else
  echo "-- valgrind not installed: valgrind run skipped (AddressSanitizer ran)"
fi

echo "== install into a temporary prefix; build examples/c/validate.c with pkg-config"
example_ok=1
ESCALINT_NO_BUILD=1 bash scripts/install-c.sh "$work/prefix" >/dev/null
export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig"
# shellcheck disable=SC2046
"$CC" -Wall -Wextra -Werror examples/c/validate.c -o "$work/validate" $(pkg-config --cflags --libs escalint)
# shellcheck disable=SC2046
"$CC" -Wall -Wextra -Werror examples/c/validate.c -o "$work/validate-static" $(pkg-config --cflags --libs escalint-static)
sample=tests/c/cases/installs_closed.json
expected="$(awk -F'\t' -v src="$sample" '$1=="validate" && $3!="-" && $6==src {print $5; exit}' "$work/golden/manifest.tsv")"
if [ -z "$expected" ] || [ ! -f "$expected" ]; then
  example_ok=0
  echo "!! no Rust answer for $sample in the manifest"
  expected=/dev/null
fi
for exe in validate validate-static; do
  got="$(LD_LIBRARY_PATH="$work/prefix/lib" "$work/$exe" "$sample" 2026-11-22T12:00:00-05:00 || true)"
  if [ "$got" != "$(cat "$expected")" ]; then
    example_ok=0
    echo "!! examples/c/$exe printed: $got"
    echo "!! expected (Rust core):   $(cat "$expected")"
  fi
done
if ! readelf -d "$work/validate" | grep -q 'NEEDED.*libescalint\.so'; then
  example_ok=0; echo "!! the shared build of validate.c does not load libescalint.so"
fi
# What README and docs/c-api.md say the static build needs at run time: the C library and
# libgcc_s (unwinding), present on every glibc system; nothing else, no libescalint.
needed="$(readelf -d "$work/validate-static" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | grep -v '^ld-linux' | sort | tr '\n' ' ')"
case "$needed" in
  "libc.so.6 libgcc_s.so.1 ") ;;
  *) example_ok=0; echo "!! the static build of validate.c needs: $needed(documented: libc.so.6 libgcc_s.so.1)" ;;
esac
if [ "$example_ok" = 1 ]; then
  echo "example validate.c (shared and static, via pkg-config): same report as the Rust core"
fi

[ "$header_ok" = 1 ] || failed=$((failed + 1))
[ "$example_ok" = 1 ] || failed=$((failed + 1))
echo "c-tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
