#!/usr/bin/env bash
# Bounded fuzzing of every target (cargo-fuzz / libFuzzer with AddressSanitizer), seeded with
# the example cases and rule fixtures. Short in CI (FUZZ_SECONDS, default 15 per target); run
# long locally with e.g. FUZZ_SECONDS=600 bash scripts/fuzz-smoke.sh.
# cargo-fuzz needs nightly flags; RUSTC_BOOTSTRAP=1 lets the stable toolchain accept them
# (its sanitizer runtimes ship with rust-std).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-15}"
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "installing cargo-fuzz"
  cargo install cargo-fuzz --locked --quiet
fi

# FUZZ_TARGETS="stream policy_json" runs some of them (e.g. two long runs side by side).
read -r -a targets <<< "${FUZZ_TARGETS:-validate_json next_steps_json can_close_json policy_json mutate_case stream}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Seed corpus: every example case and fixture record as raw JSON text; the embedded policy
# for the policy target.
mkdir -p "$work/seeds"
i=0
while IFS= read -r -d '' f; do
  cp "$f" "$work/seeds/case-$i.json"; i=$((i + 1))
done < <(find examples tests/fixtures -name '*.json' -print0 2>/dev/null)

# The instrumented builds (ASan, coverage) share nothing with target/; they are kept per machine,
# in a directory of escalint's own (ESCALINT_FUZZ_TARGET_DIR, default ~/.cache/escalint/fuzz-target),
# so another clone on the same machine rebuilds only escalint itself. A fresh machine builds it all.
fuzz_target_dir="${ESCALINT_FUZZ_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/escalint/fuzz-target}"
mkdir -p "$fuzz_target_dir"
(cd fuzz && cargo fuzz build -O --target-dir "$fuzz_target_dir")

total=0
for t in "${targets[@]}"; do
  corpus="$work/corpus-$t"
  mkdir -p "$corpus"
  if [ "$t" = policy_json ]; then
    cp core/policy/default.json "$corpus/"
    # Structured: '#' then every threshold and limit (4 bytes each), then the cases' times.
    printf '#\377\377\377\377\000\000\000\000\030\000\000\000\340\042\000\000\001\002\003' > "$corpus/edges"
  elif [ "$t" = stream ]; then
    # A history file, after the two bytes that choose how the target reads it.
    # (The 30 lines go through a file: `head -n 30 | head -c 5000` under pipefail failed
    # whenever the second head closed the pipe before the first had written everything.)
    head -n 30 examples/history.jsonl > "$work/history-30"
    { printf '\003\005'; cat "$work/history-30"; } > "$corpus/lines"
    { printf '\001\000'; head -c 5000 "$work/history-30"; } > "$corpus/lines-cut"
    { printf '\007\042['; head -n 3 examples/history.jsonl | paste -sd, -; printf ']\n'; } > "$corpus/array"
    for f in "$work"/seeds/*; do { printf '\002\003'; cat "$f"; } > "$corpus/pretty-$(basename "$f")"; done
    # Generated histories: 'G', layout, cases, where (2 bytes), the byte, how it is damaged.
    for layout in 0 1 2 3; do printf "G\\00$layout\\007\\000\\100}\\00$layout" > "$corpus/generated-$layout"; done
  else
    cp "$work"/seeds/* "$corpus/" 2>/dev/null || true
  fi
  # Inputs that once crashed a target stay in its corpus (fuzz/regressions/<target>-*).
  cp fuzz/regressions/"$t"-* "$corpus/" 2>/dev/null || true
  log="$work/$t.log"
  if ! (cd fuzz && cargo fuzz run -O --target-dir "$fuzz_target_dir" "$t" "$corpus" -- -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=65536) >"$log" 2>&1; then
    echo "fuzz target $t FAILED:"; tail -40 "$log"; exit 1
  fi
  runs=$(grep -Eo 'Done [0-9]+ runs' "$log" | tail -1 | grep -Eo '[0-9]+' || echo 0)
  echo "fuzz $t: $runs executions in ${seconds}s, no crash"
  total=$((total + runs))
done
echo "fuzz: ${#targets[@]} targets, $total executions, 0 crashes"
