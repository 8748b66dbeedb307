#!/usr/bin/env bash
# Whole-run benchmark: escalint validate over a generated history, against a parse-only floor
# and a pydantic v2 peer. Prints a Markdown table (cases/s, MB/s, peak RSS, ratios).
#
#   benches/whole-run.sh [CASES] [SEED]        # default 200000 cases, seed 7; REPEAT=5 rounds
#
# Needs: cargo, python3 (a venv with pydantic is created in target/peer-venv), /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
CASES=${1:-200000}
SEED=${2:-7}
OUT=target/whole-run
mkdir -p "$OUT"

cargo build --release -q -p escalint-cli -p escalint-gen --bins --example parse_floor
BIN=target/release
HISTORY="$OUT/history-$CASES-$SEED.jsonl"
[ -s "$HISTORY" ] || "$BIN/escalint-gen" --cases "$CASES" --seed "$SEED" > "$HISTORY"
# A 4x larger file (the same history four times) for the constant-memory check.
BIG="$OUT/history-$CASES-$SEED-x4.jsonl"
[ -s "$BIG" ] || for _ in 1 2 3 4; do cat "$HISTORY"; done > "$BIG"

VENV=${PEER_VENV:-target/peer-venv}  # a venv with pydantic v2; created when missing
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q 'pydantic>=2,<3'
fi

LINES=$(wc -l < "$HISTORY")
BYTES=$(stat -c %s "$HISTORY")
MB=$(awk -v b="$BYTES" 'BEGIN{printf "%.1f", b/1e6}')
echo "history: $HISTORY, $LINES lines, $MB MB; $(nproc) cores; $(date -u +%FT%TZ)" >&2

# The machine is shared and its speed drifts within minutes, so the runs are interleaved:
# REPEAT rounds (default 5), each running every command once. Reported: the fastest run of
# each command (wall and its CPU seconds), the highest peak RSS (KiB) of all its runs, and for
# the ratios also the median of the same-round ratios.
REPEAT=${REPEAT:-5}
declare -A SECS RSS CPU WALLS
once() {
  local name=$1; shift
  local wall rss user sys
  /usr/bin/time -f "%e %M %U %S" -o "$OUT/$name.time" "$@" > /dev/null 2> "$OUT/$name.err" || [ $? -eq 1 ]
  read -r wall rss user sys < <(tail -1 "$OUT/$name.time")
  if [ -z "${SECS[$name]:-}" ] || awk -v a="$wall" -v b="${SECS[$name]}" 'BEGIN{exit !(a<b)}'; then
    SECS[$name]=$wall
    CPU[$name]=$(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%.2f", u+s}')
  fi
  if [ -z "${RSS[$name]:-}" ] || [ "$rss" -gt "${RSS[$name]}" ]; then RSS[$name]=$rss; fi
  WALLS[$name]="${WALLS[$name]:-} $wall"
}
NOW=2026-11-25T12:00:00-05:00
for round in $(seq "$REPEAT"); do
  once floor    "$BIN/examples/parse_floor" "$HISTORY"
  once value    "$BIN/examples/parse_floor" --value-only "$HISTORY"
  # Two independent single-thread floors at once: how much of 2x two vCPUs give here.
  once floorpair bash -c '"$0" "$1" > /dev/null & "$0" "$1" > /dev/null; wait' "$BIN/examples/parse_floor" "$HISTORY"
  once jobs1    "$BIN/escalint" validate --no-progress --format jsonl --now $NOW --jobs 1 "$HISTORY"
  once jobs2    "$BIN/escalint" validate --no-progress --format jsonl --now $NOW --jobs 2 "$HISTORY"
  once text2    "$BIN/escalint" validate --no-progress --format text -q --now $NOW --jobs 2 "$HISTORY"
  once jobs2x4  "$BIN/escalint" validate --no-progress --format jsonl --now $NOW --jobs 2 "$BIG"
  once pydantic "$VENV/bin/python" benches/peer/pydantic_peer.py "$HISTORY"
  echo "round $round:$(for n in floor jobs1 jobs2 pydantic; do printf ' %s %s' "$n" "${WALLS[$n]##* }"; done); load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
done
# median_ratio A B: the median over rounds of (B's wall / A's wall) in the same round.
median_ratio() {
  awk -v a="${WALLS[$1]}" -v b="${WALLS[$2]}" 'BEGIN{n=split(a,x," "); split(b,y," ");
    for(i=1;i<=n;i++) r[i]=y[i]/x[i];
    for(i=1;i<=n;i++) for(j=i+1;j<=n;j++) if(r[j]<r[i]){t=r[i];r[i]=r[j];r[j]=t}
    printf "%.2f", (n%2 ? r[(n+1)/2] : (r[n/2]+r[n/2+1])/2)}'
}
rate() { awk -v n="$1" -v s="$2" 'BEGIN{printf "%.0f", n/s}'; }
mbs()  { awk -v b="$BYTES" -v s="$1" 'BEGIN{printf "%.1f", b/1e6/s}'; }
ratio(){ awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", b/a}'; }
echo "| run | wall s | CPU s | cases/s | MB/s | peak RSS MiB |"
echo "|---|---:|---:|---:|---:|---:|"
for n in value floor floorpair jobs1 jobs2 text2 pydantic; do
  printf "| %s | %s | %s | %s | %s | %s |\n" "$n" "${SECS[$n]}" "${CPU[$n]}" "$(rate "$LINES" "${SECS[$n]}")" "$(mbs "${SECS[$n]}")" "$(awk -v k="${RSS[$n]}" 'BEGIN{printf "%.1f", k/1024}')"
done
printf "| jobs2x4 (4x file) | %s | %s | %s | %s | %s |\n" "${SECS[jobs2x4]}" "${CPU[jobs2x4]}" "$(rate $((LINES*4)) "${SECS[jobs2x4]}")" "$(awk -v b="$BYTES" -v s="${SECS[jobs2x4]}" 'BEGIN{printf "%.1f", 4*b/1e6/s}')" "$(awk -v k="${RSS[jobs2x4]}" 'BEGIN{printf "%.1f", k/1024}')"
echo
echo "- escalint 1 job / parse-only floor (throughput): $(ratio "${SECS[jobs1]}" "${SECS[floor]}") best runs, $(median_ratio jobs1 floor) median of rounds"
echo "- 2 jobs / 1 job (speed-up): $(ratio "${SECS[jobs2]}" "${SECS[jobs1]}") best runs, $(median_ratio jobs2 jobs1) median of rounds"
echo "- the machine's own scaling, two floors at once / one floor (2 x floor wall / pair wall): $(awk -v a="${SECS[floor]}" -v b="${SECS[floorpair]}" 'BEGIN{printf "%.2f", 2*a/b}') best runs, $(awk -v a="${WALLS[floor]}" -v b="${WALLS[floorpair]}" 'BEGIN{n=split(a,x," "); split(b,y," "); for(i=1;i<=n;i++) r[i]=2*x[i]/y[i]; for(i=1;i<=n;i++) for(j=i+1;j<=n;j++) if(r[j]<r[i]){t=r[i];r[i]=r[j];r[j]=t}; printf "%.2f", (n%2 ? r[(n+1)/2] : (r[n/2]+r[n/2+1])/2)}') median of rounds"
echo "- CPU time, pydantic peer / escalint 1 job: $(ratio "${CPU[jobs1]}" "${CPU[pydantic]}")x; escalint 1 job share of the floor's throughput: $(ratio "${CPU[jobs1]}" "${CPU[floor]}")"
echo "- escalint 1 job / pydantic peer: $(ratio "${SECS[jobs1]}" "${SECS[pydantic]}")x ($(median_ratio jobs1 pydantic)x median); 2 jobs: $(ratio "${SECS[jobs2]}" "${SECS[pydantic]}")x ($(median_ratio jobs2 pydantic)x median)"
echo "- escalint 2 jobs printing only the summary (text -q, as the peer prints only counts) / pydantic peer: $(ratio "${SECS[text2]}" "${SECS[pydantic]}")x ($(median_ratio text2 pydantic)x median)"
echo "- peak RSS 4x file / 1x file (2 jobs): $(awk -v a="${RSS[jobs2]}" -v b="${RSS[jobs2x4]}" 'BEGIN{printf "%.2f", b/a}')"
