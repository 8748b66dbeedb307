//! Breakdowns of validation results — per month, week, procedure, rule, servicer, Market
//! Manager region, closer role, final responsibility and closing reason — counted while
//! streaming, in memory bounded independently of the input.
//!
//! Every table keeps at most [`Limits::tracked_keys`] distinct keys exactly; a case whose key
//! is not tracked once that many are is counted under `other`, so the totals always add up.
//! Keys are cut to [`MAX_KEY_CHARS`] characters. The drill-down keeps the
//! [`Limits::worst_cases`] worst cases, each with at most [`MAX_FINDINGS_PER_CASE`] findings.
//!
//! ```
//! use escalint::summary::{Dimension, Facts, Summary};
//! let engine = escalint::Engine::new();
//! let parsed = engine.read(r#"{"id": "ESC-1", "procedure": "leadership_request",
//!     "opened_at": "2026-11-20T09:15:00-05:00"}"#).unwrap();
//! let report = engine.validate(&parsed, None);
//! let mut summary = Summary::new(&[Dimension::Month, Dimension::Rule], Default::default());
//! summary.add(Some(&Facts::of(&parsed.record)), &report);
//! assert_eq!(summary.table(Dimension::Month, 20).rows[0].key, "2026-11");
//! ```

use std::cmp::Ordering;
use std::collections::{BTreeMap, BinaryHeap};

use chrono::{Datelike, NaiveDate};
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::labels::key;
use crate::record::{MarketManagerLookup, Record, Text};
use crate::report::{Severity, ValidationReport, Violation};

/// Keys longer than this many characters are cut (a table's memory must not follow its input).
pub const MAX_KEY_CHARS: usize = 80;
/// Findings kept per drill-down case.
pub const MAX_FINDINGS_PER_CASE: usize = 50;
/// Most frequent rules listed per row.
pub(crate) const TOP_RULES: usize = 3;
/// The key of cases that have no value for a dimension.
pub const NONE_KEY: &str = "(none)";
/// The row of cases whose key is not listed (not tracked, or beyond the top N).
pub const OTHER_KEY: &str = "(other)";

/// What a breakdown is by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// The month of the local opening date (`2026-11`).
    Month,
    /// The ISO week of the local opening date (`2026-W47`).
    Week,
    /// The case's procedure.
    Procedure,
    /// Each rule a case breaks (a case counts once under every rule it breaks).
    Rule,
    /// The order's servicer (its name, else its A number).
    Servicer,
    /// The Market Manager's region from the look-up.
    Region,
    /// The closer's role.
    Closer,
    /// The closing's final responsibility party.
    Responsibility,
    /// The closing's reason.
    Reason,
}

impl Dimension {
    /// Every dimension, in the order of the `--by` help.
    pub const ALL: [Dimension; 9] = [
        Dimension::Month,
        Dimension::Week,
        Dimension::Procedure,
        Dimension::Rule,
        Dimension::Servicer,
        Dimension::Region,
        Dimension::Closer,
        Dimension::Responsibility,
        Dimension::Reason,
    ];

    /// The name used by `--by` and in every output.
    pub fn name(self) -> &'static str {
        match self {
            Dimension::Month => "month",
            Dimension::Week => "week",
            Dimension::Procedure => "procedure",
            Dimension::Rule => "rule",
            Dimension::Servicer => "servicer",
            Dimension::Region => "region",
            Dimension::Closer => "closer",
            Dimension::Responsibility => "responsibility",
            Dimension::Reason => "reason",
        }
    }

    /// A dimension by name; the error names the closest one.
    pub fn parse(name: &str) -> Result<Dimension, String> {
        let folded = name.trim().to_ascii_lowercase();
        if let Some(d) = Dimension::ALL.iter().find(|d| d.name() == folded) {
            return Ok(*d);
        }
        let closest = Dimension::ALL
            .iter()
            .min_by_key(|d| strsim::levenshtein(d.name(), &folded))
            .map(|d| d.name())
            .unwrap_or("month");
        Err(format!(
            "unknown breakdown {name:?}; did you mean {closest}? (one of {})",
            Dimension::ALL.map(|d| d.name()).join(", ")
        ))
    }

    /// A comma-separated list (`month,rule`); repeats are dropped, the order kept.
    pub fn parse_list(text: &str) -> Result<Vec<Dimension>, String> {
        let mut out = Vec::new();
        for part in text.split(',').filter(|p| !p.trim().is_empty()) {
            let d = Dimension::parse(part)?;
            if !out.contains(&d) {
                out.push(d);
            }
        }
        if out.is_empty() {
            return Err(format!("--by needs at least one of {}", Dimension::ALL.map(|d| d.name()).join(", ")));
        }
        Ok(out)
    }

    /// Whether rows are periods, listed in time order rather than worst first.
    pub(crate) fn is_period(self) -> bool {
        matches!(self, Dimension::Month | Dimension::Week)
    }
}

/// What a summary needs of a case besides its report: the keys of its breakdowns and its
/// timeliness. Small: the texts are short and held inline.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    /// The local date of opening.
    pub opened_on: Option<NaiveDate>,
    /// Its month (`2026-11`) and ISO week (`2026-W47`); `(none)` without a date.
    month: Text,
    week: Text,
    /// The procedure's code.
    pub procedure: Option<&'static str>,
    /// The order's servicer: its name, else its A number.
    pub servicer: Option<Text>,
    /// The Market Manager's region.
    pub region: Option<Text>,
    /// The closer's role, as its key (`resolution_care_back_office`).
    pub closer: Option<Text>,
    /// The final responsibility party, as its key.
    pub responsibility: Option<Text>,
    /// The closing reason, as its key.
    pub reason: Option<Text>,
    /// Minutes from opening to the first agent action at or after it.
    pub first_touch_minutes: Option<i64>,
    /// The longest time without an agent action between opening and closing (or the last
    /// event of an open case), in minutes.
    pub longest_gap_minutes: Option<i64>,
}

fn cut(text: &str) -> Text {
    match text.char_indices().nth(MAX_KEY_CHARS) {
        Some((at, _)) => Text::from(&text[..at]),
        None => Text::from(text),
    }
}

fn key_of(text: Option<&Text>) -> Option<Text> {
    // Codes are usually written as codes already: those are kept as they are, unfolded.
    let is_key = |t: &str| t.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    text.map(|t| if is_key(t) && t.len() <= MAX_KEY_CHARS { t.clone() } else { cut(&key(t)) }).filter(|k| !k.is_empty())
}

impl Facts {
    /// The facts of a record.
    pub fn of(record: &Record) -> Facts {
        let servicer = record.order.as_ref().and_then(|o| o.servicer.as_ref()).and_then(|s| {
            s.name.as_deref().filter(|n| !n.trim().is_empty()).or(s.a_number.as_deref()).map(|n| cut(n.trim()))
        });
        let region = match &record.market_manager {
            MarketManagerLookup::Manager { region: Some(r), .. } if !r.trim().is_empty() => Some(cut(r.trim())),
            MarketManagerLookup::Manager { .. } => Some(Text::from("(region not given)")),
            MarketManagerLookup::NoManager => Some(Text::from("(no Market Manager)")),
            MarketManagerLookup::NotDone => None,
        };
        let closing = record.closing.as_ref();
        let (first_touch_minutes, longest_gap_minutes) = timeliness(record);
        let opened_on = record.opened_at.map(|t| record.zone().local_date(&t));
        let (month, week) = periods(opened_on);
        Facts {
            opened_on,
            month,
            week,
            procedure: record.procedure.map(|p| p.code()),
            servicer,
            region,
            closer: key_of(closing.and_then(|c| c.closed_by.as_ref()).and_then(|b| b.role.as_ref())),
            responsibility: key_of(closing.and_then(|c| c.final_responsibility.as_ref())),
            reason: key_of(closing.and_then(|c| c.reason.as_ref())),
            first_touch_minutes,
            longest_gap_minutes,
        }
    }

    /// The key of a case in a dimension (not for [`Dimension::Rule`], which is per finding).
    fn key(&self, dimension: Dimension) -> &str {
        let text = match dimension {
            Dimension::Month => return if self.month.is_empty() { NONE_KEY } else { &self.month },
            Dimension::Week => return if self.week.is_empty() { NONE_KEY } else { &self.week },
            Dimension::Procedure => self.procedure,
            Dimension::Rule => None,
            Dimension::Servicer => self.servicer.as_deref(),
            Dimension::Region => self.region.as_deref(),
            Dimension::Closer => self.closer.as_deref(),
            Dimension::Responsibility => self.responsibility.as_deref(),
            Dimension::Reason => self.reason.as_deref(),
        };
        text.unwrap_or(NONE_KEY)
    }
}

/// The month and ISO week of a date, formatted once, on the worker that read the case (not
/// where the summary is counted).
fn periods(date: Option<NaiveDate>) -> (Text, Text) {
    match date {
        Some(d) => {
            let w = d.iso_week();
            (
                compact_str::format_compact!("{:04}-{:02}", d.year(), d.month()),
                compact_str::format_compact!("{:04}-W{:02}", w.year(), w.week()),
            )
        }
        None => (Text::from(NONE_KEY), Text::from(NONE_KEY)),
    }
}

/// Minutes to the first agent action, and the longest stretch without one.
fn timeliness(record: &Record) -> (Option<i64>, Option<i64>) {
    let Some(opened) = record.opened_at else { return (None, None) };
    let end = record.closing.as_ref().and_then(|c| c.closed_at).or_else(|| record.events.last().map(|e| e.at));
    let mut first = None;
    let mut last = opened;
    let mut gap = 0i64;
    for e in record.events.iter().filter(|e| e.is_agent_action() && e.at >= opened) {
        first.get_or_insert_with(|| (e.at - opened).num_minutes());
        gap = gap.max((e.at - last).num_minutes());
        last = e.at;
    }
    if let Some(end) = end.filter(|end| *end > last) {
        gap = gap.max((end - last).num_minutes());
    }
    (first, Some(gap))
}

/// Counts of one row.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Counts {
    /// Cases.
    pub cases: u64,
    /// Cases with at least one error.
    pub with_errors: u64,
    /// Cases with warnings and no error.
    pub warnings_only: u64,
    /// Findings (errors and warnings).
    pub violations: u64,
    /// Findings per rule, most frequent first once listed.
    #[serde(skip)]
    rules: Vec<(&'static str, u64)>,
}

impl Counts {
    fn add(&mut self, report: &ValidationReport, errors: bool) {
        self.cases += 1;
        if errors {
            self.with_errors += 1;
        } else if !report.violations.is_empty() {
            self.warnings_only += 1;
        }
        self.violations += report.violations.len() as u64;
        for v in &report.violations {
            // Rules are a fixed catalogue: this list never outgrows it.
            match self.rules.iter_mut().find(|(r, _)| *r == v.rule) {
                Some(entry) => entry.1 += 1,
                None => self.rules.push((v.rule, 1)),
            }
        }
    }

    fn merge(&mut self, other: &Counts) {
        self.cases += other.cases;
        self.with_errors += other.with_errors;
        self.warnings_only += other.warnings_only;
        self.violations += other.violations;
        for (rule, n) in &other.rules {
            match self.rules.iter_mut().find(|(r, _)| r == rule) {
                Some(entry) => entry.1 += n,
                None => self.rules.push((rule, *n)),
            }
        }
    }

    /// The share of cases with errors (0 for no cases).
    pub fn error_rate(&self) -> f64 {
        if self.cases == 0 {
            0.0
        } else {
            self.with_errors as f64 / self.cases as f64
        }
    }

    /// The most frequent rules, with their findings (ties by rule id).
    pub fn top_rules(&self, n: usize) -> Vec<(&'static str, u64)> {
        let mut rules = self.rules.clone();
        rules.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        rules.truncate(n);
        rules
    }
}

/// Counts per key, exact for the first `capacity` distinct keys; the rest go to `other`.
#[derive(Debug, Clone)]
struct Tally {
    capacity: usize,
    keys: FxHashMap<Text, Counts>,
    other: Counts,
}

impl Tally {
    fn new(capacity: usize) -> Self {
        Tally { capacity, keys: FxHashMap::default(), other: Counts::default() }
    }

    /// Count a case under `key`. A key already counted is found in one look-up, without
    /// building a `Text` (long ones allocate).
    fn add(&mut self, key: &str, report: &ValidationReport, errors: bool) {
        let room = self.keys.len() < self.capacity;
        match self.keys.get_mut(key) {
            Some(counts) => counts.add(report, errors),
            None if room => self.keys.entry(Text::from(key)).or_default().add(report, errors),
            None => self.other.add(report, errors),
        }
    }
}

/// The bounds of a summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Distinct keys counted exactly per table.
    pub tracked_keys: usize,
    /// Cases kept for the drill-down (0: none).
    pub worst_cases: usize,
    /// Also keep the trend (per month and procedure), the timeliness distributions, the
    /// policy versions and the period covered.
    pub details: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { tracked_keys: 10_000, worst_cases: 0, details: false }
    }
}

/// One row of a table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// The key (`(none)`: no value; `(other)`: every key not listed).
    pub key: String,
    /// The counts.
    #[serde(flatten)]
    pub counts: Counts,
    /// Cases with errors per case.
    pub error_rate: f64,
    /// The most frequent rules and their findings.
    pub top_rules: Vec<RuleCount>,
}

/// A rule and its findings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleCount {
    /// The rule id.
    pub rule: &'static str,
    /// Its findings.
    pub count: u64,
}

/// A breakdown by one dimension.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    /// What it is by.
    pub dimension: Dimension,
    /// Every case counted (the rows add up to it, except for [`Dimension::Rule`], where a case
    /// counts under each rule it breaks and `cases` is the denominator of every row).
    pub cases: u64,
    /// Distinct keys seen, when all were tracked; `None` once the table was full.
    pub distinct_keys: Option<usize>,
    /// Periods in time order; rules by cases; other dimensions worst first (error rate, then
    /// cases).
    pub rows: Vec<Row>,
}

/// A case kept for the drill-down.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorstCase {
    /// The input it came from (as named by the caller).
    pub source: String,
    /// Its line.
    pub line: usize,
    /// The case id.
    pub id: String,
    /// Its procedure's code.
    pub procedure: Option<&'static str>,
    /// Its errors.
    pub errors: usize,
    /// Its findings (at most [`MAX_FINDINGS_PER_CASE`]).
    pub findings: Vec<Violation>,
    /// Findings beyond those kept.
    pub findings_left_out: usize,
    #[serde(skip)]
    order: u64,
}

impl WorstCase {
    fn rank(&self) -> (usize, usize, std::cmp::Reverse<u64>) {
        (self.errors, self.findings.len() + self.findings_left_out, std::cmp::Reverse(self.order))
    }
}

/// Heap order: the least bad case on top, to be dropped first.
struct Kept(WorstCase);

impl PartialEq for Kept {
    fn eq(&self, other: &Self) -> bool {
        self.0.rank() == other.0.rank()
    }
}
impl Eq for Kept {}
impl PartialOrd for Kept {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Kept {
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.rank().cmp(&self.0.rank())
    }
}

/// The bucket bounds of the timeliness distributions, in minutes (a bucket holds the values
/// below its bound and at or above the previous one).
pub(crate) const FIRST_TOUCH_BUCKETS: [(i64, &str); 8] = [
    (15, "under 15 min"),
    (60, "15–60 min"),
    (4 * 60, "1–4 h"),
    (8 * 60, "4–8 h"),
    (24 * 60, "8–24 h"),
    (48 * 60, "1–2 days"),
    (7 * 24 * 60, "2–7 days"),
    (i64::MAX, "7 days or more"),
];
/// Buckets of the longest gap without an agent action.
pub(crate) const GAP_BUCKETS: [(i64, &str); 7] = [
    (4 * 60, "under 4 h"),
    (12 * 60, "4–12 h"),
    (24 * 60, "12–24 h"),
    (48 * 60, "24–48 h"),
    (72 * 60, "2–3 days"),
    (7 * 24 * 60, "3–7 days"),
    (i64::MAX, "7 days or more"),
];

/// A distribution over fixed buckets, and the cases without a value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Distribution {
    /// Each bucket's label and cases.
    pub buckets: Vec<(&'static str, u64)>,
    /// Cases without a value (no opening time, or no agent action).
    pub missing: u64,
}

impl Distribution {
    fn new(bounds: &[(i64, &'static str)]) -> Self {
        Distribution { buckets: bounds.iter().map(|(_, l)| (*l, 0)).collect(), missing: 0 }
    }

    fn add(&mut self, bounds: &[(i64, &'static str)], minutes: Option<i64>) {
        match minutes.and_then(|m| bounds.iter().position(|(bound, _)| m < *bound)) {
            Some(i) => self.buckets[i].1 += 1,
            None => self.missing += 1,
        }
    }
}

/// The totals of a run, its breakdowns, and (if asked) its worst cases.
pub struct Summary {
    limits: Limits,
    totals: Counts,
    valid: u64,
    dimensions: Vec<Dimension>,
    tallies: Vec<Tally>,
    /// Per month and procedure, for the trend (at most `tracked_keys` pairs; the rest in
    /// `trend_other`).
    trend: FxHashMap<(Text, &'static str), Counts>,
    trend_other: Counts,
    /// Closing problems (CL003–CL006) by rule and the value judged.
    closing_problems: Tally,
    policy_versions: BTreeMap<String, u64>,
    period: Option<(NaiveDate, NaiveDate)>,
    first_touch: Distribution,
    longest_gap: Distribution,
    worst: BinaryHeap<Kept>,
    seen: u64,
}

/// Policy versions listed at most (the rest are counted as other).
const MAX_POLICY_VERSIONS: usize = 64;

impl Summary {
    /// A summary with these breakdowns (repeats are ignored).
    pub fn new(dimensions: &[Dimension], limits: Limits) -> Self {
        let mut dims: Vec<Dimension> = Vec::new();
        for d in dimensions {
            if !dims.contains(d) {
                dims.push(*d);
            }
        }
        Summary {
            limits,
            totals: Counts::default(),
            valid: 0,
            tallies: dims.iter().map(|_| Tally::new(limits.tracked_keys)).collect(),
            dimensions: dims,
            trend: FxHashMap::default(),
            trend_other: Counts::default(),
            closing_problems: Tally::new(limits.tracked_keys),
            policy_versions: BTreeMap::new(),
            period: None,
            first_touch: Distribution::new(&FIRST_TOUCH_BUCKETS),
            longest_gap: Distribution::new(&GAP_BUCKETS),
            worst: BinaryHeap::new(),
            seen: 0,
        }
    }

    /// The breakdowns asked for.
    pub fn dimensions(&self) -> &[Dimension] {
        &self.dimensions
    }

    /// Count one case (`facts`: None when the case could not be read).
    pub fn add(&mut self, facts: Option<&Facts>, report: &ValidationReport) {
        self.add_from(facts, report, "", 0);
    }

    /// [`Summary::add`], naming where the case came from (for the drill-down).
    pub fn add_from(&mut self, facts: Option<&Facts>, report: &ValidationReport, source: &str, line: usize) {
        self.seen += 1;
        let errors = report.violations.iter().filter(|v| v.severity == Severity::Error).count();
        self.totals.add(report, errors > 0);
        if report.valid {
            self.valid += 1;
        }
        let none = Facts::default();
        let facts = facts.unwrap_or(&none);
        for (d, tally) in self.dimensions.iter().zip(&mut self.tallies) {
            if *d == Dimension::Rule {
                let mut seen: Vec<&'static str> = Vec::new();
                for v in &report.violations {
                    if !seen.contains(&v.rule) {
                        seen.push(v.rule);
                        tally.add(v.rule, report, errors > 0);
                    }
                }
            } else {
                tally.add(facts.key(*d), report, errors > 0);
            }
        }
        if self.limits.details {
            let pair = (Text::from(facts.key(Dimension::Month)), facts.procedure.unwrap_or(NONE_KEY));
            let room = self.trend.len() < self.limits.tracked_keys;
            match self.trend.get_mut(&pair) {
                Some(counts) => counts.add(report, errors > 0),
                None if room => self.trend.entry(pair).or_default().add(report, errors > 0),
                None => self.trend_other.add(report, errors > 0),
            }
            self.first_touch.add(&FIRST_TOUCH_BUCKETS, facts.first_touch_minutes);
            self.longest_gap.add(&GAP_BUCKETS, facts.longest_gap_minutes);
            if !report.policy_version.is_empty() {
                if let Some(n) = self.policy_versions.get_mut(&report.policy_version) {
                    *n += 1;
                } else if self.policy_versions.len() < MAX_POLICY_VERSIONS {
                    self.policy_versions.insert(report.policy_version.clone(), 1);
                }
            }
            if let Some(d) = facts.opened_on {
                self.period = Some(match self.period {
                    None => (d, d),
                    Some((a, b)) => (a.min(d), b.max(d)),
                });
            }
        }
        if self.limits.worst_cases > 0 {
            self.keep_if_worst(report, errors, facts.procedure, source, line);
        }
        for v in &report.violations {
            if matches!(v.rule, "CL003" | "CL004" | "CL005" | "CL006") {
                let value = match v.path.as_str() {
                    "/closing/reason" => facts.reason.as_deref(),
                    "/closing/final_responsibility" => facts.responsibility.as_deref(),
                    "/closing/closed_by/role" => facts.closer.as_deref(),
                    _ => None,
                };
                let key = match value {
                    Some(value) => format!("{} {}: {value}", v.rule, v.path),
                    None => format!("{} {}", v.rule, if v.path.is_empty() { "(case)" } else { &v.path }),
                };
                self.closing_problems.add(&key, report, errors > 0);
            }
        }
    }

    fn keep_if_worst(
        &mut self,
        report: &ValidationReport,
        errors: usize,
        procedure: Option<&'static str>,
        source: &str,
        line: usize,
    ) {
        if report.violations.is_empty() {
            return;
        }
        let rank = (errors, report.violations.len(), std::cmp::Reverse(self.seen));
        if self.worst.len() >= self.limits.worst_cases && self.worst.peek().is_some_and(|k| k.0.rank() >= rank) {
            return;
        }
        let kept = report.violations.len().min(MAX_FINDINGS_PER_CASE);
        self.worst.push(Kept(WorstCase {
            source: source.to_string(),
            line,
            id: report.id.clone(),
            procedure,
            errors,
            findings: report.violations[..kept].to_vec(),
            findings_left_out: report.violations.len() - kept,
            order: self.seen,
        }));
        if self.worst.len() > self.limits.worst_cases {
            self.worst.pop();
        }
    }

    /// Every case counted.
    pub fn totals(&self) -> &Counts {
        &self.totals
    }

    /// Valid cases (no error).
    pub fn valid(&self) -> u64 {
        self.valid
    }

    /// The breakdown by `dimension`, listing at most `top` keys (periods: every tracked one)
    /// and the rest as `(other)`. Empty when the summary was not made with that dimension.
    pub fn table(&self, dimension: Dimension, top: usize) -> Table {
        let Some(i) = self.dimensions.iter().position(|d| *d == dimension) else {
            return Table { dimension, cases: self.totals.cases, distinct_keys: Some(0), rows: Vec::new() };
        };
        let tally = &self.tallies[i];
        let full = tally.keys.len() >= tally.capacity && tally.other.cases > 0;
        let mut rows: Vec<(&Text, &Counts)> = tally.keys.iter().collect();
        let limit = if dimension.is_period() { usize::MAX } else { top };
        // The N keys with most cases are listed (ties by key); the rest add up to `other`.
        rows.sort_by(|a, b| b.1.cases.cmp(&a.1.cases).then(a.0.cmp(b.0)));
        let mut other = tally.other.clone();
        for (_, counts) in rows.iter().skip(limit) {
            other.merge(counts);
        }
        rows.truncate(limit);
        if dimension.is_period() {
            rows.sort_by(|a, b| a.0.cmp(b.0));
        } else if dimension == Dimension::Rule {
            // Every rule row has the same denominator (all cases): most cases first.
        } else {
            rows.sort_by(|a, b| {
                b.1.error_rate().total_cmp(&a.1.error_rate()).then(b.1.cases.cmp(&a.1.cases)).then(a.0.cmp(b.0))
            });
        }
        let mut out: Vec<Row> = rows.into_iter().map(|(k, c)| row(k, c, self.totals.cases, dimension)).collect();
        if other.cases > 0 {
            out.push(row(OTHER_KEY, &other, self.totals.cases, dimension));
        }
        Table { dimension, cases: self.totals.cases, distinct_keys: (!full).then_some(tally.keys.len()), rows: out }
    }

    /// The totals and every breakdown as one JSON object (the CLI's `--summary-format json`,
    /// the Python `summarize`): `{"cases", "valid", "with_errors", "warnings_only",
    /// "violations", "breakdowns": [{"dimension", "cases", "distinct_keys", "rows": [{"key",
    /// "cases", "with_errors", "warnings_only", "violations", "error_rate", "top_rules"}]}]}`.
    pub fn tables_json(&self, top: usize) -> serde_json::Value {
        let tables: Vec<Table> = self.dimensions.iter().map(|d| self.table(*d, top)).collect();
        serde_json::json!({
            "cases": self.totals.cases,
            "valid": self.valid,
            "with_errors": self.totals.with_errors,
            "warnings_only": self.totals.warnings_only,
            "violations": self.totals.violations,
            "breakdowns": tables,
        })
    }

    /// Closing problems (CL003–CL006) by rule, path and value judged, most frequent first.
    pub fn closing_problems(&self, top: usize) -> Vec<(String, u64)> {
        let mut rows: Vec<(String, u64)> =
            self.closing_problems.keys.iter().map(|(k, c)| (k.to_string(), c.cases)).collect();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let rest: u64 = rows.iter().skip(top).map(|r| r.1).sum::<u64>() + self.closing_problems.other.cases;
        rows.truncate(top);
        if rest > 0 {
            rows.push((OTHER_KEY.to_string(), rest));
        }
        rows
    }

    /// Per month and procedure: (month, procedure, counts), in time order. Only kept with
    /// [`Limits::details`].
    pub fn trend(&self) -> Vec<(String, String, Counts)> {
        let mut rows: Vec<(String, String, Counts)> = self
            .trend
            .iter()
            .map(|((month, procedure), c)| (month.to_string(), procedure.to_string(), c.clone()))
            .collect();
        rows.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        if self.trend_other.cases > 0 {
            rows.push((OTHER_KEY.into(), OTHER_KEY.into(), self.trend_other.clone()));
        }
        rows
    }

    /// The policy versions used and their cases.
    pub fn policy_versions(&self) -> &BTreeMap<String, u64> {
        &self.policy_versions
    }

    /// The first and last local opening date.
    pub fn period(&self) -> Option<(NaiveDate, NaiveDate)> {
        self.period
    }

    /// Minutes to first touch, bucketed.
    pub fn first_touch(&self) -> &Distribution {
        &self.first_touch
    }

    /// The longest gap without an agent action, bucketed.
    pub fn longest_gap(&self) -> &Distribution {
        &self.longest_gap
    }

    /// The worst cases, worst first (most errors, then most findings, then input order).
    pub fn worst_cases(&self) -> Vec<WorstCase> {
        let mut cases: Vec<WorstCase> = self.worst.iter().map(|k| k.0.clone()).collect();
        cases.sort_by_key(|c| std::cmp::Reverse(c.rank()));
        cases
    }
}

fn row(key: &str, counts: &Counts, total: u64, dimension: Dimension) -> Row {
    // Rule rows: the share of all cases that break the rule.
    let error_rate = if dimension == Dimension::Rule {
        if total == 0 {
            0.0
        } else {
            counts.cases as f64 / total as f64
        }
    } else {
        counts.error_rate()
    };
    Row {
        key: key.to_string(),
        counts: counts.clone(),
        error_rate,
        top_rules: counts.top_rules(TOP_RULES).into_iter().map(|(rule, count)| RuleCount { rule, count }).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(rules: &[(&'static str, Severity)]) -> ValidationReport {
        let violations: Vec<Violation> = rules
            .iter()
            .map(|(r, s)| Violation {
                rule: r,
                severity: *s,
                path: String::new(),
                message: String::new(),
                sop: "",
                hint: None,
            })
            .collect();
        ValidationReport {
            id: "X".into(),
            valid: !violations.iter().any(|v| v.severity == Severity::Error),
            policy_version: "v".into(),
            violations,
        }
    }

    #[test]
    fn a_full_table_counts_new_keys_as_other_and_adds_up() {
        let mut s = Summary::new(&[Dimension::Servicer], Limits { tracked_keys: 3, ..Limits::default() });
        for i in 0..10 {
            let facts = Facts { servicer: Some(Text::from(format!("s{i}"))), ..Facts::default() };
            s.add(Some(&facts), &report(&[("CL001", Severity::Error)]));
        }
        let t = s.table(Dimension::Servicer, 2);
        assert_eq!(t.distinct_keys, None);
        assert_eq!(t.rows.len(), 3);
        assert_eq!(t.rows.last().unwrap().key, OTHER_KEY);
        assert_eq!(t.rows.iter().map(|r| r.counts.cases).sum::<u64>(), 10);
        assert_eq!(t.rows.last().unwrap().counts.cases, 8);
    }

    #[test]
    fn rows_are_worst_first_and_periods_in_time_order() {
        let mut s = Summary::new(&[Dimension::Region, Dimension::Month], Limits::default());
        let day = |m| NaiveDate::from_ymd_opt(2026, m, 1);
        for (region, m, bad) in [("a", 3, false), ("a", 1, false), ("b", 2, true), ("b", 2, false)] {
            let (month, week) = periods(day(m));
            let facts = Facts { region: Some(Text::from(region)), opened_on: day(m), month, week, ..Facts::default() };
            let r = if bad { report(&[("TM001", Severity::Error)]) } else { report(&[]) };
            s.add(Some(&facts), &r);
        }
        let regions = s.table(Dimension::Region, 10);
        assert_eq!(regions.rows[0].key, "b");
        assert_eq!(regions.rows[0].error_rate, 0.5);
        assert_eq!(regions.rows[0].top_rules, vec![RuleCount { rule: "TM001", count: 1 }]);
        let months: Vec<String> = s.table(Dimension::Month, 1).rows.into_iter().map(|r| r.key).collect();
        assert_eq!(months, ["2026-01", "2026-02", "2026-03"]);
    }

    #[test]
    fn the_drill_down_keeps_only_the_worst() {
        let mut s = Summary::new(&[], Limits { tracked_keys: 10, worst_cases: 2, details: false });
        for n in 0..5 {
            let rules: Vec<(&'static str, Severity)> = (0..n).map(|_| ("CL001", Severity::Error)).collect();
            s.add(None, &report(&rules));
        }
        let worst = s.worst_cases();
        assert_eq!(worst.iter().map(|w| w.errors).collect::<Vec<_>>(), [4, 3]);
    }

    #[test]
    fn unknown_dimensions_name_the_closest() {
        assert!(Dimension::parse("servicers").unwrap_err().contains("did you mean servicer"));
        assert_eq!(Dimension::parse_list("month, rule,month").unwrap(), [Dimension::Month, Dimension::Rule]);
    }
}
