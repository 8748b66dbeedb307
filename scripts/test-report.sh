#!/usr/bin/env bash
# The HTML audit report in a real browser: `escalint report examples/` rendered by headless
# Chromium (Debian's package, installed here if missing) must log no console error, make no
# network request, show every chart, and show the headline numbers and per-rule counts that
# this script counts itself from `escalint validate --format jsonl`. A canary page first
# proves that the console and network checks catch what they look for. Screenshots (wide and
# narrow) and a PDF print land in target/report/.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  echo "== installing chromium (Debian package)"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
fi

cargo build -q -p escalint-cli
bin=target/debug/escalint
out=target/report
rm -rf "$out"
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

now=2026-11-22T12:00:00-05:00
"$bin" report --now "$now" --no-progress examples/ -o "$out/audit.html"
"$bin" validate --now "$now" --format jsonl --no-progress examples/ > "$work/reports.jsonl" || test $? -eq 1

# Chromium, as the brief's flags say, with a fresh profile for every run.
browse() {
  local profile
  profile=$(mktemp -d "$work/profile.XXXX")
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --enable-logging=stderr --log-level=0 "$@"
}

# The canary: a console error and a fetch. Both must be caught, or the checks prove nothing.
cat > "$work/canary.html" <<'EOF'
<!DOCTYPE html><html lang="en"><head><title>canary</title></head><body><p>canary</p>
<script>console.error("canary-error"); fetch("http://127.0.0.1:9/canary").catch(function () {});</script></body></html>
EOF
browse --virtual-time-budget=3000 --log-net-log="$work/canary-net.json" --dump-dom "file://$work/canary.html" \
  > "$work/canary-dom.html" 2> "$work/canary-console.log"

browse --virtual-time-budget=3000 --log-net-log="$work/net.json" --dump-dom "file://$PWD/$out/audit.html" \
  > "$work/dom.html" 2> "$work/console.log"
browse --virtual-time-budget=3000 --hide-scrollbars --window-size=1280,1700 --screenshot="$PWD/$out/audit.png" \
  "file://$PWD/$out/audit.html" 2>/dev/null
browse --virtual-time-budget=3000 --hide-scrollbars --window-size=390,1500 --screenshot="$PWD/$out/audit-narrow.png" \
  "file://$PWD/$out/audit.html" 2>/dev/null
browse --virtual-time-budget=3000 --no-pdf-header-footer --print-to-pdf="$PWD/$out/audit.pdf" \
  "file://$PWD/$out/audit.html" 2>/dev/null

python3 - "$work" "$out" <<'EOF'
import json, re, sys
from html.parser import HTMLParser

work, out = sys.argv[1], sys.argv[2]

def console_errors(path):
    """Console messages of the page (Chromium logs them as CONSOLE lines) and page errors."""
    lines = open(path, encoding="utf-8", errors="replace").read().splitlines()
    return [l for l in lines if ":CONSOLE" in l or "Uncaught" in l]

def page_requests(path):
    """Requests the page made: initiated by it (the browser's own have no origin) or in its
    network partition (file://); file: and data: URLs are not network requests."""
    log = json.load(open(path))
    names = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    found = []
    for e in log["events"]:
        p = e.get("params", {})
        if names.get(e["type"]) != "URL_REQUEST_START_JOB" or "url" not in p:
            continue
        if p["url"].startswith(("file:", "data:", "about:", "chrome:")):
            continue
        if p.get("initiator") != "not an origin" or "file://" in p.get("network_isolation_key", ""):
            found.append(p["url"])
    return found

assert any("canary-error" in l for l in console_errors(f"{work}/canary-console.log")), "the console check caught nothing"
assert any("127.0.0.1:9/canary" in u for u in page_requests(f"{work}/canary-net.json")), "the network check caught nothing"

errors = console_errors(f"{work}/console.log")
assert not errors, f"console messages: {errors}"
requests = page_requests(f"{work}/net.json")
assert not requests, f"network requests: {requests}"

# Counts made here from the reports.
reports = [json.loads(l) for l in open(f"{work}/reports.jsonl")]
cases = len(reports)
valid = sum(r["valid"] for r in reports)
with_errors = sum(any(v["severity"] == "error" for v in r["violations"]) for r in reports)
warnings_only = sum(bool(r["violations"]) and not any(v["severity"] == "error" for v in r["violations"]) for r in reports)
findings = sum(len(r["violations"]) for r in reports)
rule_cases, rule_findings = {}, {}
for r in reports:
    for rule in {v["rule"] for v in r["violations"]}:
        rule_cases[rule] = rule_cases.get(rule, 0) + 1
    for v in r["violations"]:
        rule_findings[v["rule"]] = rule_findings.get(v["rule"], 0) + 1

class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.metrics, self.rules, self.charts, self.stack = {}, {}, {}, []
        self.drill_count = ""
        self.in_count = False
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "data-metric" in a and "data-value" in a:
            self.metrics[a["data-metric"]] = int(a["data-value"])
        if tag == "tr" and "data-rule" in a:
            self.rules[a["data-rule"]] = (int(a["data-cases"]), int(a["data-findings"]))
        if tag == "figure" and "data-chart" in a:
            self.stack.append(a["data-chart"])
            self.charts[a["data-chart"]] = {"svg": 0, "marks": 0, "table": 0}
        if self.stack:
            chart = self.charts[self.stack[-1]]
            if tag == "svg":
                chart["svg"] += 1
            if tag in ("rect", "path", "circle"):
                chart["marks"] += 1
            if tag == "table":
                chart["table"] += 1
        self.in_count = a.get("id") == "drill-count"
    def handle_endtag(self, tag):
        if tag == "figure" and self.stack:
            self.stack.pop()
        self.in_count = False
    def handle_data(self, data):
        if self.in_count:
            self.drill_count += data

page = Page()
page.feed(open(f"{work}/dom.html", encoding="utf-8").read())

expected_charts = ["trend-error-rate", "trend-violations", "rules", "by-servicer", "by-region", "by-closer",
                   "by-responsibility", "by-reason", "first-touch", "longest-gap"]
for c in expected_charts:
    got = page.charts.get(c)
    assert got and got["svg"] == 1 and got["marks"] > 0 and got["table"] >= 1, f"chart {c}: {got}"
assert page.metrics == {"cases": cases, "valid": valid, "with-errors": with_errors,
                        "warnings-only": warnings_only, "findings": findings}, (page.metrics, cases, valid)
assert page.rules == {r: (rule_cases[r], rule_findings[r]) for r in rule_cases}, (page.rules, rule_cases)
# The drill-down's script ran (it fills in the count of rows shown).
assert re.fullmatch(r"\d+ of \d+ findings shown", page.drill_count.strip()), page.drill_count
pdf = open(f"{out}/audit.pdf", "rb").read()
assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") > 2, "the print has no pages"
print(f"report: {cases} cases, {len(page.rules)} rules, {len(expected_charts)} charts, "
      f"no console message, no network request; screenshots in {out}/")
EOF
