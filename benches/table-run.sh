#!/usr/bin/env bash
# Tables against JSON Lines: `escalint validate --select CL --format csv` over an N-row CSV
# closing export (read through examples/exports/closings.map.toml) and over the same cases as
# JSON Lines (`escalint import` of that CSV). Peak RSS at N/4 and N rows shows whether memory
# stays constant. Prints a Markdown table; medians of REPEAT rounds (default 3), run in turns.
#
#   benches/table-run.sh [ROWS]        # default 1000000
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}
REPEAT=${REPEAT:-3}
OUT=target/table-run
mkdir -p "$OUT"
cargo build --release -q -p escalint-cli
BIN=target/release/escalint
MAP=examples/exports/closings.map.toml

# The example export's ten rows over and over, each with its own ticket id.
make_csv() {
  python3 - "$1" "$2" <<'PY'
import sys
rows, out = int(sys.argv[1]), sys.argv[2]
lines = open("examples/exports/closings.csv", encoding="utf-8").read().splitlines()
header, body = lines[0], lines[1:]
with open(out, "w", encoding="utf-8") as f:
    f.write(header + "\n")
    for i in range(rows):
        row = body[i % len(body)]
        f.write(f"ESC-{i:08d}" + row[row.index(","):] + "\n")
PY
}
for n in $((ROWS / 4)) "$ROWS"; do
  [ -s "$OUT/closings-$n.csv" ] || make_csv "$n" "$OUT/closings-$n.csv"
  [ -s "$OUT/closings-$n.jsonl" ] || "$BIN" import --map "$MAP" "$OUT/closings-$n.csv" > "$OUT/closings-$n.jsonl" 2>/dev/null || true
done

# One timed run: wall seconds and peak RSS (KiB) on one line.
measure() {
  /usr/bin/time -f "%e %M" -o "$OUT/time" "$@" > /dev/null 2>&1 || true
  tail -n 1 "$OUT/time"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

declare -A wall rss
for n in $((ROWS / 4)) "$ROWS"; do
  for kind in csv jsonl; do : > "$OUT/$kind-$n.runs"; done
  for _ in $(seq "$REPEAT"); do
    measure "$BIN" validate --select CL --format csv --map "$MAP" "$OUT/closings-$n.csv" >> "$OUT/csv-$n.runs"
    measure "$BIN" validate --select CL --format csv "$OUT/closings-$n.jsonl" >> "$OUT/jsonl-$n.runs"
  done
  for kind in csv jsonl; do
    wall[$kind-$n]=$(cut -d' ' -f1 "$OUT/$kind-$n.runs" | median)
    rss[$kind-$n]=$(cut -d' ' -f2 "$OUT/$kind-$n.runs" | median)
  done
done

echo "| input ($ROWS rows, --select CL --format csv) | median s | rows/s | peak RSS at $((ROWS / 4)) rows | peak RSS at $ROWS rows |"
echo "|---|---:|---:|---:|---:|"
for kind in csv jsonl; do
  w=${wall[$kind-$ROWS]}
  printf '| %s | %s | %.0f | %.1f MiB | %.1f MiB |\n' \
    "$([ $kind = csv ] && echo "CSV through the mapping" || echo "the same cases as JSON Lines")" \
    "$w" "$(echo "$ROWS / $w" | bc -l)" \
    "$(echo "${rss[$kind-$((ROWS / 4))]} / 1024" | bc -l)" "$(echo "${rss[$kind-$ROWS]} / 1024" | bc -l)"
done
printf '\nCSV / JSON Lines wall time: %.2f\n' "$(echo "${wall[csv-$ROWS]} / ${wall[jsonl-$ROWS]}" | bc -l)"
