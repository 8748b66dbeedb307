//! Tables as input: CSV exports read through a mapping (escalint-table), one case per row,
//! each judged with the problems of its mapping.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use escalint::report::{no_errors, sort_violations};
use escalint::summary::Facts;
use escalint::{Engine, Timestamp, ValidationReport, Violation};
use escalint_table::decode::Decoded;
use escalint_table::{CaseRows, EventIndex, Mapping, Orphan, Row};
use rayon::prelude::*;

use crate::exit::Failure;
use crate::output::{FactsWanted, Judged, Sink};

/// The endings of table files (a `.csv` given without `--map` is told how to map it).
pub fn is_table(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv") || e.eq_ignore_ascii_case("tsv"))
}

/// The message for a table given without a mapping.
pub fn needs_a_mapping(path: &Path) -> Failure {
    Failure::fatal(format!(
        "{0} is a table (CSV), and cases are read as JSON: declare which column fills which field \
         in a mapping file and pass it with --map MAP.toml (docs/exports.md; examples/exports/ has two), \
         e.g. escalint validate --map MAP.toml {0}, or convert it once with escalint import --map MAP.toml {0} > cases.jsonl",
        path.display()
    ))
}

/// A mapping file, read.
pub fn load_mapping(path: &Path) -> Result<Mapping, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::fatal(format!("cannot read the mapping {}: {e}", path.display())))?;
    Mapping::from_toml(&text).map_err(|e| Failure::fatal(format!("{}: {e}", path.display())))
}

/// A table's text, decoded (UTF-8 with or without BOM, UTF-16/32 with a BOM).
pub fn open(path: &Path) -> Result<Decoded<Box<dyn Read + Send>>, Failure> {
    let name = path.display().to_string();
    let reader: Box<dyn Read + Send> = if path.as_os_str() == "-" {
        Box::new(io::stdin())
    } else {
        Box::new(std::fs::File::open(path).map_err(|e| Failure::fatal(format!("{name}: {e}")))?)
    };
    Decoded::new(reader, &name).map_err(|e| Failure::fatal(e.to_string()))
}

/// The tables of a run: the mapping, and the events table read (it is held in memory, indexed
/// by case; the cases tables are streamed).
pub struct Tables {
    pub mapping: Mapping,
    pub events: Events,
}

/// The events table, indexed, while no cases table has it lent.
#[derive(Default)]
pub struct Events {
    source: Option<String>,
    index: Option<EventIndex>,
}

impl Events {
    /// Take the index back from a finished cases table.
    pub fn put_back(&mut self, rows: CaseRows<Decoded<Box<dyn Read + Send>>>) {
        if let Some(index) = rows.into_events() {
            self.index = Some(index);
        }
    }

    /// The events whose case no table had, with the events table's name.
    pub fn orphans(&self) -> Vec<(String, Orphan)> {
        match (&self.source, &self.index) {
            (Some(source), Some(index)) => index.orphans().into_iter().map(|o| (source.clone(), o)).collect(),
            _ => Vec::new(),
        }
    }
}

impl Tables {
    /// Read the mapping and the events table.
    pub fn load(map: &Path, events: Option<&PathBuf>) -> Result<Tables, Failure> {
        let mapping = load_mapping(map)?;
        let mut slot = Events::default();
        if let Some(path) = events {
            if !mapping.has_events() {
                return Err(Failure::fatal(format!(
                    "--events {}: the mapping {} has no [events] table saying how to read it",
                    path.display(),
                    map.display()
                )));
            }
            let source = path.display().to_string();
            let index = EventIndex::read(open(path)?, &mapping, &source).map_err(|e| Failure::fatal(e.to_string()))?;
            slot = Events { source: Some(source), index: Some(index) };
        }
        Ok(Tables { mapping, events: slot })
    }
}

/// The rows of one cases table, with the events index lent to it (give it back with
/// [`Events::put_back`]).
pub fn rows(
    mapping: &Mapping,
    events: &mut Events,
    path: &Path,
) -> Result<CaseRows<Decoded<Box<dyn Read + Send>>>, Failure> {
    CaseRows::new(open(path)?, mapping, &path.display().to_string(), events.index.take())
        .map_err(|e| Failure::fatal(e.to_string()))
}

/// A row's problems added to a report made from its case.
fn merge(engine: &Engine, violations: &mut Vec<Violation>, mut problems: Vec<Violation>) -> bool {
    engine.selection().retain(&mut problems);
    violations.append(&mut problems);
    sort_violations(violations);
    no_errors(violations)
}

/// Validate one row; `facts`: also take what the summary's breakdowns need.
pub fn judge(engine: &Engine, row: Row, now: Option<Timestamp>, serialise: bool, facts: FactsWanted) -> Judged {
    let (procedure, mut report, facts) = match engine.read(&row.case) {
        Ok(parsed) => {
            let report = engine.validate(&parsed, now);
            let facts = facts.wants(&report).then(|| Facts::of(&parsed.record));
            (parsed.record.procedure.map(|p| p.code()), report, facts)
        }
        Err(unreadable) => (None, engine.validate(unreadable, now), None),
    };
    report.valid = merge(engine, &mut report.violations, row.problems);
    let json = serialise.then(|| report.to_json());
    Judged { line: row.line as usize, procedure, report, json, facts }
}

/// The report for events whose case is not in the cases table.
pub fn orphan_report(engine: &Engine, source: &str, orphan: &Orphan) -> Judged {
    let report = ValidationReport {
        id: orphan.id.clone(),
        valid: false,
        policy_version: engine.latest_policy().version().to_string(),
        violations: vec![orphan.problem(source)],
    };
    Judged { line: orphan.lines[0] as usize, procedure: None, report, json: None, facts: None }
}

/// Rows judged per parallel batch.
const BATCH: usize = 256;

/// The next rows of a table into `batch` (up to [`BATCH`]); a table that cannot be read further.
fn read_batch(rows: &mut CaseRows<Decoded<Box<dyn Read + Send>>>, batch: &mut Vec<Row>) -> Option<Failure> {
    for row in rows.by_ref() {
        match row {
            Ok(row) => batch.push(row),
            Err(e) => return Some(Failure::fatal(e.to_string())),
        }
        if batch.len() == BATCH {
            break;
        }
    }
    None
}

/// Validate every row of a table in parallel batches, writing in row order. The next batch is
/// read (on this thread) while the pool judges the current one.
pub fn validate<W: Write + Send>(
    engine: &Engine,
    now: Option<Timestamp>,
    rows: &mut CaseRows<Decoded<Box<dyn Read + Send>>>,
    sink: &mut Sink<W>,
    serialise: bool,
    facts: FactsWanted,
) -> Result<(), Failure> {
    let mut current: Vec<Row> = Vec::with_capacity(BATCH);
    let mut failed = read_batch(rows, &mut current);
    loop {
        let done = failed.is_some() || current.len() < BATCH;
        let mut next: Vec<Row> = Vec::with_capacity(BATCH);
        let (judged, next_failed) = rayon::join(
            || current.par_drain(..).map(|row| judge(engine, row, now, serialise, facts)).collect::<Vec<Judged>>(),
            || if done { None } else { read_batch(rows, &mut next) },
        );
        for j in &judged {
            sink.write(j).map_err(Failure::write)?;
        }
        if let Some(f) = failed {
            return Err(f);
        }
        if done {
            return Ok(());
        }
        current = next;
        failed = next_failed;
    }
}

/// Every row of the tables, in order, with its source (for next-steps and can-close).
pub fn all_rows(tables: &mut Tables, files: &[PathBuf]) -> Result<Vec<Row>, Failure> {
    let mut out = Vec::new();
    for file in files {
        let mut rows = rows(&tables.mapping, &mut tables.events, file)?;
        for row in rows.by_ref() {
            out.push(row.map_err(|e| Failure::fatal(e.to_string()))?);
        }
        tables.events.put_back(rows);
    }
    Ok(out)
}

/// A row's problems added to a next-steps or can-close report's violations; whether no error
/// remains.
pub fn add_problems(engine: &Engine, violations: &mut Vec<Violation>, problems: Vec<Violation>) -> bool {
    merge(engine, violations, problems)
}
