#!/usr/bin/env bash
# The audit report's cost: `escalint report -o FILE` and `escalint validate -q --by <all nine>`
# against `escalint validate -q` on the same history, in interleaved rounds (REPEAT, default 7),
# each run under /usr/bin/time. Prints each contender's best and median wall time, its peak
# RSS, and the medians of the same-round ratios to `validate -q` of wall and of CPU time (the
# CPU ratio is the steadier on a shared machine).
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
    /usr/bin/time -f "%e %M %U %S" -o "$work/time" bash -c "$(declare -f run); bin=$bin work=$work run $name > /dev/null" || true
    echo "$round $name $(tail -n 1 "$work/time")" >> "$work/runs"
  done
done

python3 - "$work/runs" <<'EOF'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    r, name, wall, rss, user, system = line.split()
    runs.setdefault(name, {})[int(r)] = (float(wall), int(rss) / 1024, float(user) + float(system))
print(f"{'run':<11} {'best wall s':>11} {'median wall s':>13} {'median CPU s':>12} {'peak RSS MiB':>12} "
      f"{'wall / validate -q':>18} {'CPU / validate -q':>17}")
base = runs["validate"]
for name, by_round in runs.items():
    walls = [w for w, _, _ in by_round.values()]
    cpus = [c for _, _, c in by_round.values()]
    wall_ratio = statistics.median(by_round[r][0] / base[r][0] for r in by_round)
    cpu_ratio = statistics.median(by_round[r][2] / base[r][2] for r in by_round)
    print(f"{name:<11} {min(walls):>11.2f} {statistics.median(walls):>13.2f} {statistics.median(cpus):>12.2f} "
          f"{max(m for _, m, _ in by_round.values()):>12.1f} {wall_ratio:>18.2f} {cpu_ratio:>17.2f}")
EOF
