//! Judging items and writing reports: text (findings and a summary), json, jsonl, csv.

use escalint::Proposal;
use std::collections::BTreeMap;
use std::io::{self, Write};

use clap::ValueEnum;

use escalint::stream::{read_piece, PieceRef};
use escalint::summary::{Dimension, Facts, Summary as Breakdowns};
use escalint::{Engine, Severity, Timestamp, ValidationReport, Violation};
use indicatif::{ProgressBar, ProgressStyle};

include!(concat!(env!("OUT_DIR"), "/rule_examples.rs"));

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Jsonl,
    Csv,
}

impl Format {
    /// The name `--format` takes.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
        }
    }
}

/// One input case and its report (its input is the sink's current one, [`Sink::start_input`]).
pub struct Judged {
    pub line: usize,
    pub procedure: Option<&'static str>,
    pub report: ValidationReport,
    /// The report as JSON, serialised on the worker thread for the json/jsonl formats when
    /// there are several workers, so the single writer thread only copies bytes. (With one
    /// worker the writer serialises straight into its buffer instead.)
    pub json: Option<String>,
    /// What the breakdowns need of the case (when asked for, and the case could be read).
    pub facts: Option<Facts>,
}

/// Which cases the summary needs the facts of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactsWanted {
    /// None (no summary is written).
    Never,
    /// Those with a closing problem (CL003–CL006): the text summary counts them by value.
    ClosingProblems,
    /// Every case (breakdowns).
    Always,
}

impl FactsWanted {
    /// Whether the summary needs the facts of the case of `report`.
    pub fn wants(self, report: &ValidationReport) -> bool {
        match self {
            FactsWanted::Never => false,
            FactsWanted::ClosingProblems => {
                report.violations.iter().any(|v| matches!(v.rule, "CL003" | "CL004" | "CL005" | "CL006"))
            }
            FactsWanted::Always => true,
        }
    }
}

/// Validate one piece of the input; `serialise`: also serialise the report to JSON; `facts`:
/// also take what the summary needs of the case.
pub fn judge(
    engine: &Engine,
    piece: PieceRef<'_>,
    now: Option<Timestamp>,
    serialise: bool,
    facts: FactsWanted,
) -> Judged {
    // A broken piece is placed in the file ("line N, column C: …") exactly as the Python
    // wheel's validate_file places it: one reader, one wording.
    let (procedure, report, facts) = match read_piece(engine, piece) {
        Ok(parsed) => {
            let report = engine.validate(&parsed, now);
            let facts = facts.wants(&report).then(|| Facts::of(&parsed.record));
            (parsed.record.procedure.map(|p| p.code()), report, facts)
        }
        Err(unreadable) => (None, engine.validate(unreadable, now), None),
    };
    let json = serialise.then(|| report.to_json());
    Judged { line: piece.line(), procedure, report, json, facts }
}

/// How the summary is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SummaryFormat {
    /// After the findings of the text format (or alone with -q).
    Text,
    /// The summary's tables alone, as CSV (one row per breakdown key).
    Csv,
    /// The summary's tables alone, as one JSON object.
    Json,
}

/// What the summary holds and how it is written.
#[derive(Debug, Clone)]
pub struct SummaryOptions {
    pub by: Vec<Dimension>,
    pub format: SummaryFormat,
    /// Keys listed per breakdown (the rest are "(other)").
    pub top: usize,
    /// Cases kept for a drill-down (0: none; the report keeps them).
    pub worst_cases: usize,
    /// Keep the report's details (trend, timeliness, policy versions, period).
    pub details: bool,
}

impl Default for SummaryOptions {
    fn default() -> Self {
        SummaryOptions { by: Vec::new(), format: SummaryFormat::Text, top: 20, worst_cases: 0, details: false }
    }
}

/// A progress bar on stderr for inputs over 8 MB, when stderr is a terminal.
pub fn progress_bar(enabled: bool, size: Option<u64>) -> Option<ProgressBar> {
    let size = size.filter(|s| enabled && *s > 8 << 20)?;
    let bar = ProgressBar::new(size);
    bar.set_style(
        ProgressStyle::with_template("{spinner} {bytes}/{total_bytes} {bar:40} {bytes_per_sec} eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    Some(bar)
}

/// The first finding of a rule on its breaking fixture.
pub fn rule_example(id: &str) -> Option<Violation> {
    let text = RULE_EXAMPLES.iter().find(|(r, _)| *r == id)?.1;
    let fixture: serde_json::Value = serde_json::from_str(text).ok()?;
    let engine = Engine::new();
    let now = fixture.get("now").and_then(|n| n.as_str()).and_then(|n| escalint::parse_now(n).ok());
    let violations = match (fixture.get("question").and_then(|q| q.as_str()), &fixture["record"]) {
        (Some("can_close"), record) => {
            engine
                .can_close(record, fixture.get("proposal").filter(|p| !p.is_null()).map(Proposal::from), now)
                .violations
        }
        (_, serde_json::Value::String(text)) => engine.validate(text, now).violations,
        (_, record) => engine.validate(record, now).violations,
    };
    violations.into_iter().find(|v| v.rule == id)
}

struct Summary {
    cases: u64,
    valid: u64,
    with_errors: u64,
    warnings_only: u64,
    per_rule: BTreeMap<&'static str, u64>,
    per_procedure: BTreeMap<&'static str, (u64, u64)>,
    /// The breakdowns, and the closing problems by rule and value (bounded in memory).
    breakdowns: Breakdowns,
}

impl Summary {
    fn new(options: &SummaryOptions) -> Self {
        Summary {
            cases: 0,
            valid: 0,
            with_errors: 0,
            warnings_only: 0,
            per_rule: BTreeMap::new(),
            per_procedure: BTreeMap::new(),
            breakdowns: Breakdowns::new(
                &options.by,
                escalint::summary::Limits {
                    worst_cases: options.worst_cases,
                    details: options.details,
                    ..escalint::summary::Limits::default()
                },
            ),
        }
    }
}

/// Writes reports in one format and keeps the summary.
pub struct Sink<W: Write> {
    out: W,
    format: Format,
    quiet: bool,
    first: bool,
    summary: Summary,
    summary_options: SummaryOptions,
    scratch: Vec<u8>,
    /// The name of the input being written (text and CSV name it on every finding).
    source: String,
    /// `source` as a JSON string (json and jsonl name it in every report).
    source_json: String,
    /// `,"not_run":[…]` for json and jsonl reports when some rules do not run, else empty.
    not_run_json: String,
    /// The rules that do not run (named in the text summary).
    not_run: Vec<String>,
}

impl<W: Write> Sink<W> {
    pub fn new(out: W, format: Format, quiet: bool, summary_options: SummaryOptions) -> Self {
        Sink {
            out,
            format,
            quiet,
            first: true,
            summary: Summary::new(&summary_options),
            summary_options,
            scratch: Vec::new(),
            source: String::new(),
            source_json: String::new(),
            not_run_json: String::new(),
            not_run: Vec::new(),
        }
    }

    /// Say in every report (and the text summary) which rules do not run.
    pub fn with_not_run(mut self, not_run: Vec<String>) -> Self {
        self.not_run_json = if not_run.is_empty() {
            String::new()
        } else {
            format!(",\"not_run\":{}", serde_json::to_string(&not_run).unwrap_or_default())
        };
        self.not_run = not_run;
        self
    }

    /// The reports written next are of `source` (a file name, or `-`).
    pub fn start_input(&mut self, source: &str) {
        self.source = source.to_string();
        self.source_json = serde_json::to_string(source).unwrap_or_default();
    }

    /// A report's JSON with its source (file and line) and the rules not run, added as its
    /// last members (reports from several files can be told apart).
    fn write_located(&mut self, json: &[u8], line: usize) -> io::Result<()> {
        let body = json.strip_suffix(b"}").unwrap_or(json);
        self.out.write_all(body)?;
        write!(self.out, ",\"source\":{{\"file\":{},\"line\":{line}}}{}}}", self.source_json, self.not_run_json)
    }

    pub fn begin(&mut self) -> io::Result<()> {
        match self.format {
            Format::Json => self.out.write_all(b"["),
            Format::Csv => {
                let mut w = csv::Writer::from_writer(Vec::new());
                w.write_record([
                    "file",
                    "line",
                    "id",
                    "procedure",
                    "rule",
                    "severity",
                    "path",
                    "message",
                    "sop",
                    "hint",
                ])?;
                self.flush_csv(w)
            }
            _ => Ok(()),
        }
    }

    fn flush_csv(&mut self, w: csv::Writer<Vec<u8>>) -> io::Result<()> {
        let bytes = w.into_inner().map_err(|e| io::Error::other(e.to_string()))?;
        self.out.write_all(&bytes)
    }

    pub fn format(&self) -> Format {
        self.format
    }

    /// Which cases' facts the summary needs.
    pub fn wants_facts(&self) -> FactsWanted {
        if self.format != Format::Text {
            FactsWanted::Never
        } else if self.summary_options.by.is_empty() && !self.summary_options.details {
            FactsWanted::ClosingProblems
        } else {
            FactsWanted::Always
        }
    }

    /// The summary's breakdowns, once every case is written.
    pub fn into_breakdowns(self) -> Breakdowns {
        self.summary.breakdowns
    }

    pub fn any_error(&self) -> bool {
        self.summary.with_errors > 0
    }

    /// How many cases were written.
    pub fn cases(&self) -> u64 {
        self.summary.cases
    }

    pub fn write(&mut self, j: &Judged) -> io::Result<()> {
        self.count(j);
        match self.format {
            Format::Jsonl => {
                self.write_report(j)?;
                self.out.write_all(b"\n")
            }
            Format::Json => {
                self.out.write_all(if self.first { b"\n" } else { b",\n" })?;
                self.first = false;
                self.write_report(j)
            }
            Format::Csv => {
                if j.report.violations.is_empty() {
                    return Ok(()); // no rows: spare building a writer for them
                }
                let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
                for v in &j.report.violations {
                    w.write_record([
                        &self.source,
                        &j.line.to_string(),
                        &j.report.id,
                        j.procedure.unwrap_or(""),
                        v.rule,
                        v.severity.as_str(),
                        &v.path,
                        &v.message,
                        v.sop,
                        v.hint.as_deref().unwrap_or(""),
                    ])?;
                }
                self.flush_csv(w)
            }
            Format::Text => {
                if self.quiet {
                    return Ok(());
                }
                let id = if j.report.id.is_empty() { "(no id)" } else { &j.report.id };
                for v in &j.report.violations {
                    let path = if v.path.is_empty() { String::new() } else { format!(" {}", v.path) };
                    let hint = v.hint.as_deref().map(|h| format!(" (hint: {h})")).unwrap_or_default();
                    writeln!(
                        self.out,
                        "{}:{}: {id} {} {}{path}: {}{hint} [{}]",
                        self.source,
                        j.line,
                        v.rule,
                        v.severity.as_str(),
                        v.message,
                        v.sop
                    )?;
                }
                Ok(())
            }
        }
    }

    /// Serialise a report into a reusable buffer (many small writes are cheaper into a
    /// `Vec` than through the `BufWriter`), then write it out in one piece.
    fn write_report(&mut self, j: &Judged) -> io::Result<()> {
        match &j.json {
            Some(text) => self.write_located(text.as_bytes(), j.line),
            None => {
                let mut scratch = std::mem::take(&mut self.scratch);
                scratch.clear();
                serde_json::to_writer(&mut scratch, &j.report)?;
                let result = self.write_located(&scratch, j.line);
                self.scratch = scratch;
                result
            }
        }
    }

    fn count(&mut self, j: &Judged) {
        let s = &mut self.summary;
        s.cases += 1;
        let errors = j.report.violations.iter().any(|v| v.severity == Severity::Error);
        if j.report.valid {
            s.valid += 1;
        }
        if errors {
            s.with_errors += 1;
        } else if !j.report.violations.is_empty() {
            s.warnings_only += 1;
        }
        let per = s.per_procedure.entry(j.procedure.unwrap_or("(unreadable or unknown)")).or_default();
        per.0 += 1;
        if !j.report.valid {
            per.1 += 1;
        }
        for v in &j.report.violations {
            *s.per_rule.entry(v.rule).or_default() += 1;
        }
        s.breakdowns.add_from(j.facts.as_ref(), &j.report, &self.source, j.line);
    }

    pub fn finish(mut self) -> io::Result<()> {
        match self.format {
            Format::Json => self.out.write_all(if self.first { b"]\n" } else { b"\n]\n" })?,
            Format::Text => match self.summary_options.format {
                SummaryFormat::Text => self.write_summary()?,
                SummaryFormat::Csv => {
                    write_tables_csv(&mut self.out, &self.summary.breakdowns, self.summary_options.top)?
                }
                SummaryFormat::Json => {
                    write_tables_json(&mut self.out, &self.summary.breakdowns, self.summary_options.top)?
                }
            },
            _ => {}
        }
        self.out.flush()
    }

    fn write_summary(&mut self) -> io::Result<()> {
        let s = &self.summary;
        let share = if s.cases == 0 { 100.0 } else { 100.0 * s.valid as f64 / s.cases as f64 };
        let out = &mut self.out;
        if !self.quiet && s.cases > s.valid {
            writeln!(out)?;
        }
        writeln!(out, "== summary")?;
        writeln!(
            out,
            "cases: {}   valid: {} ({share:.1}%)   with errors: {}   warnings only: {}",
            s.cases, s.valid, s.with_errors, s.warnings_only
        )?;
        if !s.per_procedure.is_empty() {
            writeln!(out, "per procedure (cases, invalid):")?;
            for (p, (n, bad)) in &s.per_procedure {
                writeln!(out, "  {p:<26} {n:>9} {bad:>9}")?;
            }
        }
        if !self.not_run.is_empty() {
            writeln!(out, "rules not run: {}", self.not_run.join(", "))?;
        }
        if !s.per_rule.is_empty() {
            let mut rules: Vec<(&&str, &u64)> = s.per_rule.iter().collect();
            rules.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            writeln!(out, "violations per rule (most frequent first):")?;
            for (rule, n) in rules {
                let title = escalint::catalogue::find(rule).map(|r| r.title).unwrap_or("");
                writeln!(out, "  {rule:<7} {n:>9}  {title}")?;
            }
        }
        let problems = s.breakdowns.closing_problems(5);
        if !problems.is_empty() {
            writeln!(out, "most common closing-reason problems (cases):")?;
            for (what, n) in problems {
                writeln!(out, "  {n:>9}  {what}")?;
            }
        }
        for d in s.breakdowns.dimensions() {
            let table = s.breakdowns.table(*d, self.summary_options.top);
            let rate = if *d == Dimension::Rule { "of cases" } else { "error rate" };
            writeln!(out, "by {} ({}):", d.name(), keys_note(&table))?;
            writeln!(out, "  {:<40} {:>9} {:>11} {:>10}  most frequent rules", d.name(), "cases", "with errors", rate)?;
            for r in &table.rows {
                let rules: Vec<String> = r.top_rules.iter().map(|t| format!("{} {}", t.rule, t.count)).collect();
                writeln!(
                    out,
                    "  {:<40} {:>9} {:>11} {:>9.1}%  {}",
                    r.key,
                    r.counts.cases,
                    r.counts.with_errors,
                    100.0 * r.error_rate,
                    rules.join(", ")
                )?;
            }
        }
        Ok(())
    }
}

fn keys_note(table: &escalint::summary::Table) -> String {
    match table.distinct_keys {
        Some(n) => format!("{n} distinct"),
        None => "more distinct keys than tracked; the rest counted as (other)".into(),
    }
}

/// The breakdowns as one CSV table: a row per dimension and key.
fn write_tables_csv<W: Write>(out: &mut W, breakdowns: &Breakdowns, top: usize) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "dimension",
        "key",
        "cases",
        "with_errors",
        "warnings_only",
        "violations",
        "error_rate",
        "top_rules",
    ])?;
    let totals = breakdowns.totals();
    let total_row = |w: &mut csv::Writer<&mut W>| {
        w.write_record([
            "total",
            "(all)",
            &totals.cases.to_string(),
            &totals.with_errors.to_string(),
            &totals.warnings_only.to_string(),
            &totals.violations.to_string(),
            &format!("{:.6}", totals.error_rate()),
            "",
        ])
    };
    total_row(&mut w)?;
    for d in breakdowns.dimensions() {
        for r in breakdowns.table(*d, top).rows {
            let rules: Vec<String> = r.top_rules.iter().map(|t| format!("{}:{}", t.rule, t.count)).collect();
            w.write_record([
                d.name(),
                &r.key,
                &r.counts.cases.to_string(),
                &r.counts.with_errors.to_string(),
                &r.counts.warnings_only.to_string(),
                &r.counts.violations.to_string(),
                &format!("{:.6}", r.error_rate),
                &rules.join(" "),
            ])?;
        }
    }
    w.flush()
}

/// The breakdowns as one JSON object: totals and a table per dimension.
fn write_tables_json<W: Write>(out: &mut W, breakdowns: &Breakdowns, top: usize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &breakdowns.tables_json(top))?;
    writeln!(out)
}
