#!/usr/bin/env bash
# The Arrow path and Spark next to the CLI, side by side in one run: escalint validate --jobs 2
# on a generated history, Engine.validate_arrow on the same cases in a pyarrow Table, and
# escalint.spark.validate on a local[2] Spark session (JVM start-up timed apart); then the
# Arrow path's peak memory on a ~1 GB history. Prints Markdown tables.
#
#   benches/arrow-spark.sh [CASES] [SEED]     # default 200000 cases, seed 7; REPEAT=3 rounds
#
# VENV: a virtual environment with the escalint wheel (release build), pyarrow and pyspark;
# default target/arrow-bench-venv, created (wheel built with maturin) when missing. Needs Java.
set -euo pipefail
cd "$(dirname "$0")/.."
CASES=${1:-200000}
SEED=${2:-7}
OUT=target/arrow-spark
mkdir -p "$OUT"

cargo build --release -q -p escalint-cli -p escalint-gen --bins
BIN=target/release
HISTORY="$OUT/history-$CASES-$SEED.jsonl"
[ -s "$HISTORY" ] || "$BIN/escalint-gen" --cases "$CASES" --seed "$SEED" > "$HISTORY"
# ~1 GB: the same generator, 4.4x the cases.
BIG="$OUT/history-880000-$SEED.jsonl"
[ -s "$BIG" ] || "$BIN/escalint-gen" --cases 880000 --seed "$SEED" > "$BIG"

VENV=${VENV:-target/arrow-bench-venv}
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "maturin>=1.9.4,<2" "pyarrow>=14" "pyspark>=3.5"
  "$VENV/bin/maturin" build --release -q -m bindings-python/Cargo.toml -i "$VENV/bin/python" -o "$OUT/wheels"
  "$VENV/bin/pip" install -q --force-reinstall "$OUT"/wheels/escalint-*.whl
fi
bash scripts/java-runtime.sh
PY="$VENV/bin/python"

LINES=$(wc -l < "$HISTORY")
MB=$(awk -v b="$(stat -c %s "$HISTORY")" 'BEGIN{printf "%.1f", b/1e6}')
echo "history: $HISTORY, $LINES lines, $MB MB; $(nproc) cores; $(date -u +%FT%TZ)" >&2

NOW=2026-11-25T12:00:00-05:00
REPEAT=${REPEAT:-3}
: > "$OUT/rounds.txt"
for round in $(seq "$REPEAT"); do
  /usr/bin/time -f "%e %M" -o "$OUT/cli.time" "$BIN/escalint" validate --no-progress --format jsonl --now $NOW \
    --jobs 2 "$HISTORY" > /dev/null || [ $? -eq 1 ]
  arrow=$(/usr/bin/time -f "%e %M" -o "$OUT/arrow.time" "$PY" benches/arrow/run.py arrow "$HISTORY")
  spark=$("$PY" benches/arrow/run.py spark "$HISTORY" 2> "$OUT/spark.err")
  echo "$round $(tail -1 "$OUT/cli.time" | cut -d" " -f1) $(tail -1 "$OUT/arrow.time" | cut -d" " -f1) $arrow $spark" >> "$OUT/rounds.txt"
  echo "round $round: cli $(tail -1 "$OUT/cli.time" | cut -d" " -f1) s; arrow $arrow; spark $spark; load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
done
/usr/bin/time -f "%e %M" -o "$OUT/big-stream.time" "$PY" benches/arrow/run.py stream "$BIG" > "$OUT/big-stream.json"
/usr/bin/time -f "%e %M" -o "$OUT/big-table.time" "$PY" benches/arrow/run.py arrow "$BIG" > "$OUT/big-table.json"
/usr/bin/time -f "%e %M" -o "$OUT/big-cli.time" "$BIN/escalint" validate --no-progress --format jsonl --now $NOW \
  --jobs 2 "$BIG" > /dev/null || [ $? -eq 1 ]

"$PY" - "$OUT" "$LINES" "$(stat -c %s "$BIG")" <<'PYEOF'
import json, statistics, sys
out, lines, big_bytes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rounds = []
for line in open(f"{out}/rounds.txt"):
    n, cli, arrow_wall, rest = line.split(" ", 3)
    arrow, spark = [json.loads(x) for x in rest.replace("} {", "}\n{").splitlines()]
    rounds.append(dict(cli=float(cli), arrow_wall=float(arrow_wall), **{"arrow_" + k: v for k, v in arrow.items()},
                       **{"spark_" + k: v for k, v in spark.items()}))
med = lambda key: statistics.median(r[key] for r in rounds)
ratio = lambda key: statistics.median(r["cli"] / r[key] for r in rounds)
print(f"| run | median s ({len(rounds)} rounds) | cases/s | throughput / CLI --jobs 2 (median of rounds) |")
print("|---|---:|---:|---:|")
print(f"| escalint validate --jobs 2 --format jsonl | {med('cli'):.2f} | {lines / med('cli'):,.0f} | 1.00 |")
print(f"| validate_arrow on a Table in memory | {med('arrow_validate'):.2f} | {lines / med('arrow_validate'):,.0f} | {ratio('arrow_validate'):.2f} |")
print(f"| read into Arrow (pyarrow CSV reader) | {med('arrow_read'):.2f} | | |")
print(f"| whole Python process: start, import, read, validate_arrow | {med('arrow_wall'):.2f} | {lines / med('arrow_wall'):,.0f} | {ratio('arrow_wall'):.2f} |")
print(f"| Spark local[2] start-up (JVM, session) | {med('spark_startup'):.2f} | | |")
print(f"| Spark local[2] job, first (Python workers start) | {med('spark_job1'):.2f} | {lines / med('spark_job1'):,.0f} | {ratio('spark_job1'):.2f} |")
print(f"| Spark local[2] job, second | {med('spark_job2'):.2f} | {lines / med('spark_job2'):,.0f} | {ratio('spark_job2'):.2f} |")
print()
def t(name):
    wall, rss = open(f"{out}/{name}.time").read().split()[-2:]
    return float(wall), int(rss) / 1024
print(f"| ~1 GB history ({big_bytes / 1e9:.2f} GB) | wall s | peak RSS MiB |")
print("|---|---:|---:|")
print("| validate_arrow on pyarrow's streaming CSV reader | %.2f | %.0f |" % t("big-stream"))
print("| validate_arrow on the whole file read into a Table | %.2f | %.0f |" % t("big-table"))
print("| escalint validate --jobs 2 (reference) | %.2f | %.0f |" % t("big-cli"))
answer = json.load(open(f"{out}/big-stream.json"))
print(f"\nThe answer table itself: {answer['answer_bytes'] / 2**20:.0f} MiB for {answer['rows']:,} cases.")
PYEOF
