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
  apt-get -o DPkg::Lock::Timeout=600 update -q
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q chromium
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

# The drill-down, used: a probe script added to a copy of the page types into the search box
# (one input event per character, as typing makes) a rule id and a case id taken from the jsonl
# reports, then clears it, then clicks the "errors" and "rule" headers twice each, and records
# the rows actually rendered after each step; the checks below compare them with what the jsonl
# says. Keyboard use: every header must be a focusable <button>, which Enter and Space activate.
python3 - "$work" "$out" <<'EOF'
import html, json, re, sys
work, out = sys.argv[1], sys.argv[2]
page = open(f"{out}/audit.html", encoding="utf-8").read()
body = page[page.index('<table id="drill"'):]
body = body[body.index("<tbody>"):body.index("</tbody>")]
rows = [[html.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td[^>]*>(.*?)</td>", r)]
        for r in re.findall(r"<tr>(.*?)</tr>", body)]
# Keyed by where they came from (ids may repeat across files), as the "where" column shows it.
reports = {f'{r["source"]["file"]}:{r["source"]["line"]}': r for r in (json.loads(l) for l in open(f"{work}/reports.jsonl"))}
wheres = sorted({r[1] for r in rows})
assert wheres and all(w in reports for w in wheres), "drill-down cases not in the jsonl reports"
text = lambda r: " ".join(r).lower()
def only_in(q, col):
    """q matches (as a substring of the row's text) exactly the rows whose column col equals it."""
    return [r for r in rows if q.lower() in text(r)] == [r for r in rows if r[col] == q]
rules = sorted({v["rule"] for w in wheres for v in reports[w]["violations"]})
rule = next(q for q in rules if only_in(q, 4) and 0 < sum(r[4] == q for r in rows) < len(rows))
case, where = next((r[0], r[1]) for r in rows if only_in(r[0], 0) and len(reports[r[1]]["violations"]) > 1)
assert reports[where]["id"] == case
expect = {
    "rows": len(rows),
    "rule": rule, "rule_rows": sum(v["rule"] == rule for w in wheres for v in reports[w]["violations"]),
    "case": case, "case_rows": len(reports[where]["violations"]),
}
json.dump(expect, open(f"{work}/expect.json", "w"))
probe = """<script>(function(){
  var table=document.getElementById('drill'),search=document.getElementById('drill-search'),
      count=document.getElementById('drill-count'),heads=table.tHead.rows[0].cells,out={steps:{},keys:[]};
  function shown(){return Array.prototype.filter.call(table.tBodies[0].rows,function(r){return r.offsetParent!==null;})
    .map(function(r){return Array.prototype.map.call(r.cells,function(c){return c.textContent;});});}
  function record(step){out.steps[step]={rows:shown(),count:count.textContent,
    sort:Array.prototype.map.call(heads,function(h){return h.getAttribute('aria-sort')||'';})};}
  function type(q){search.focus();for(var k=0;k<q.length;k++){search.value+=q[k];
    search.dispatchEvent(new InputEvent('input',{bubbles:true,data:q[k],inputType:'insertText'}));}}
  function clear(){search.value='';search.dispatchEvent(new InputEvent('input',{bubbles:true,inputType:'deleteContentBackward'}));}
  function head(name){return Array.prototype.filter.call(heads,function(h){return h.textContent===name;})[0].querySelector('button');}
  record('start');
  type(Q.rule);record('rule');clear();
  type(Q.case.toLowerCase());record('case');clear();record('cleared');
  ['errors','rule'].forEach(function(c){head(c).click();record(c+'-1');head(c).click();record(c+'-2');});
  Array.prototype.forEach.call(heads,function(h){var b=h.querySelector('button');if(b)b.focus();
    out.keys.push({name:h.textContent,tag:b?b.tagName:'',type:b?b.type:'',tabindex:b?b.tabIndex:-1,
      focused:!!b&&document.activeElement===b});});
  var pre=document.createElement('pre');pre.id='probe';pre.textContent=JSON.stringify(out);document.body.appendChild(pre);
})();</script>""".replace("Q.", "Q_").replace("Q_rule", json.dumps(rule)).replace("Q_case", json.dumps(case))
i = page.rindex("</body>")
open(f"{work}/probe.html", "w", encoding="utf-8").write(page[:i] + probe + page[i:])
EOF
browse --virtual-time-budget=3000 --window-size=1280,1700 --dump-dom "file://$work/probe.html" \
  > "$work/probe-dom.html" 2> "$work/probe-console.log"
python3 - "$work" <<'EOF'
import html, json, re, sys
work = sys.argv[1]
dom = open(f"{work}/probe-dom.html", encoding="utf-8").read()
m = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
assert m, "the probe script did not run: " + " ".join(l for l in open(f"{work}/probe-console.log") if "CONSOLE" in l)
got, expect = json.loads(html.unescape(m.group(1))), json.load(open(f"{work}/expect.json"))
steps, n = got["steps"], expect["rows"]
start = steps["start"]["rows"]
assert len(start) == n and steps["start"]["count"] == f"{n} of {n} findings shown", steps["start"]["count"]
def shown(step, want, col, value):
    rows = steps[step]["rows"]
    assert len(rows) == want and all(r[col] == value for r in rows), (step, value, len(rows), want)
    assert rows == [r for r in start if r[col] == value], f"{step}: not the matching rows in page order"
    assert steps[step]["count"] == f"{want} of {n} findings shown", steps[step]["count"]
shown("rule", expect["rule_rows"], 4, expect["rule"])
shown("case", expect["case_rows"], 0, expect["case"])
assert steps["cleared"]["rows"] == start, "clearing the search does not bring every row back"
cols = [h["name"] for h in got["keys"]]
def sorted_by(step, name, key, descending):
    i = cols.index(name)
    rows, keys = steps[step]["rows"], [key(r[i]) for r in steps[step]["rows"]]
    assert sorted(map(tuple, rows)) == sorted(map(tuple, start)), f"{step}: sorting lost or added rows"
    assert keys == sorted(keys, reverse=descending) and len(set(keys)) > 1, f"{step}: not sorted by {name}"
    assert steps[step]["sort"][i] == ("descending" if descending else "ascending"), steps[step]["sort"]
    assert sum(bool(s) for s in steps[step]["sort"]) == 1, steps[step]["sort"]
for name, key in (("errors", int), ("rule", str)):
    sorted_by(f"{name}-1", name, key, False)
    sorted_by(f"{name}-2", name, key, True)
bad = [k for k in got["keys"] if not (k["tag"] == "BUTTON" and k["type"] == "button" and k["tabindex"] >= 0 and k["focused"])]
assert not bad, f"headers keyboard users cannot sort with: {bad}"
print(f"drill-down: search {expect['rule']!r} -> {expect['rule_rows']} rows, {expect['case'].lower()!r} -> "
      f"{expect['case_rows']} rows, cleared -> {n}; errors and rule sort both ways; {len(cols)} headers are focusable buttons")
EOF
