#!/usr/bin/env bash
# Soak test (SECURITY.md, "Memory"): a generated history of SOAK_LINES short lines (default
# 1,000,000) through `escalint validate --format jsonl`: as many reports out as lines in, and
# the peak resident memory (GNU time -v) under SOAK_MAX_RSS_MB (default 64; 18-22 MiB measured). Twice: every
# case alike, and every case closed with a reason of its own (each a CL finding with a
# distinct text, which a summary keyed by text would keep); the second also through the text
# summary (-q), which counts by rule and code in bounded tables.
set -euo pipefail
cd "$(dirname "$0")/.."
lines="${SOAK_LINES:-1000000}"
max_mb="${SOAK_MAX_RSS_MB:-64}"
if [ ! -x /usr/bin/time ]; then
  echo "installing GNU time"
  apt-get -o DPkg::Lock::Timeout=600 update -qq && apt-get -o DPkg::Lock::Timeout=600 install -y -qq time >/dev/null
fi
[ -n "${SOAK_BIN:-}" ] || cargo build -q --release -p escalint-cli
bin="${SOAK_BIN:-$PWD/target/release/escalint}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

awk -v n="$lines" 'BEGIN { for (i = 0; i < n; i++)
  printf "{\"id\":\"S-%d\",\"procedure\":\"leadership_request\",\"opened_at\":\"2026-11-20T09:15:00Z\",\"events\":[]}\n", i }' \
  > "$work/alike.jsonl"
awk -v n="$lines" 'BEGIN { for (i = 0; i < n; i++)
  printf "{\"id\":\"R-%d\",\"procedure\":\"installs_escalation\",\"opened_at\":\"2026-11-20T09:15:00Z\",\"order\":{\"id\":\"O\"},\"escalation\":{},\"events\":[],\"closing\":{\"closed_at\":\"2026-11-21T09:00:00Z\",\"closed_by\":{\"role\":\"Resolution Care Back Office\"},\"basis\":\"resolved\",\"resolved_by\":\"INSTALLS Inc\",\"final_responsibility\":\"customer\",\"reason\":\"reason number %d\"}}\n", i, i }' \
  > "$work/distinct.jsonl"

# Run the command with its output in $work/out; print its peak RSS in MiB.
peak_mb() {
  /usr/bin/time -v -o "$work/time" "$@" > "$work/out" || [ $? -eq 1 ]
  awk '/Maximum resident set size/ { printf "%d", $NF / 1024 }' "$work/time"
}

status=0
for f in alike distinct; do
  rss=$(peak_mb "$bin" validate --format jsonl --now 2026-11-22T00:00:00Z "$work/$f.jsonl")
  out=$(wc -l < "$work/out")
  echo "soak $f: $lines lines in, $out reports out, peak RSS ${rss} MiB (bound ${max_mb} MiB)"
  if [ "$out" -ne "$lines" ] || [ "$rss" -ge "$max_mb" ]; then status=1; fi
done
rss=$(peak_mb "$bin" validate -q --now 2026-11-22T00:00:00Z "$work/distinct.jsonl")
echo "soak distinct, text summary: peak RSS ${rss} MiB (bound ${max_mb} MiB); $(grep -m1 'cases:' "$work/out")"
if [ "$rss" -ge "$max_mb" ] || ! grep -q "cases: $lines " "$work/out"; then status=1; fi
if [ "$status" -ne 0 ]; then echo "soak test FAILED"; fi
exit "$status"
