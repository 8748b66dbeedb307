#!/usr/bin/env bash
# The audit report's cost: `escalint report -o FILE` and `escalint validate -q --by <all nine>`
# against `escalint validate -q` on the same history, in interleaved rounds (REPEAT, default 7),
# each run under /usr/bin/time. Prints each contender's best wall time and peak RSS, and the
# median of the same-round ratios to `validate -q`.
#   benches/report-vs-validate.sh [CASES] [SEED]      (default 200000 7)
set -euo pipefail
cd "$(dirname "$0")/.."
cases=${1:-200000}
seed=${2:-7}
repeat=${REPEAT:-7}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build -q --release -p escalint-cli -p escalint-gen
bin=target/release/escalint
target/release/escalint-gen --cases "$cases" --seed "$seed" > "$work/history.jsonl"
echo "history: $cases cases, $(du -m "$work/history.jsonl" | cut -f1) MB; $repeat rounds"

names=(validate breakdowns report)
run() {
  case $1 in
    validate) "$bin" validate -q --no-progress "$work/history.jsonl" ;;
    breakdowns) "$bin" validate -q --no-progress --by month,week,procedure,rule,servicer,region,closer,responsibility,reason "$work/history.jsonl" ;;
    report) "$bin" report --no-progress "$work/history.jsonl" -o "$work/audit.html" ;;
  esac
}
for round in $(seq "$repeat"); do
  for name in "${names[@]}"; do
    /usr/bin/time -f "%e %M" -o "$work/time" bash -c "$(declare -f run); bin=$bin work=$work run $name > /dev/null" || true
    echo "$round $name $(tail -n 1 "$work/time")" >> "$work/runs"
  done
done

python3 - "$work/runs" <<'EOF'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    r, name, wall, rss = line.split()
    runs.setdefault(name, {})[int(r)] = (float(wall), int(rss) / 1024)
print(f"{'run':<12} {'best wall s':>11} {'median wall s':>13} {'peak RSS MiB':>12} {'median ratio to validate -q':>28}")
for name, by_round in runs.items():
    walls = [w for w, _ in by_round.values()]
    ratios = [by_round[r][0] / runs["validate"][r][0] for r in by_round]
    print(f"{name:<12} {min(walls):>11.2f} {statistics.median(walls):>13.2f} "
          f"{max(m for _, m in by_round.values()):>12.1f} {statistics.median(ratios):>28.2f}")
EOF
