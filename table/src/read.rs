//! Reading tables through a mapping: one case per row of the cases table, events gathered
//! from the events table.

use std::collections::HashMap;
use std::io::Read;

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone};
use chrono_tz::Tz;
use escalint::Violation;
use serde_json::{Map, Value};

use crate::mapping::{closest, zone, Dialect, Field, Kind, Mapping, Source, ZoneSource};

/// A table that cannot be read at all: a mapped column missing from its header, or an I/O
/// error. (A row that cannot be mapped is not one: it is a [`Row`] with problems.)
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    /// A column the mapping names is not in the table's header.
    #[error(
        "{source_name}: column \"{column}\" (mapped to {pointer}) is not in the header{hint}; the header has: {header}"
    )]
    MissingColumn {
        /// The table's name (its file).
        source_name: String,
        /// The column the mapping names.
        column: String,
        /// The field it fills.
        pointer: String,
        /// "; closest \"…\"", or empty.
        hint: String,
        /// The header's columns, comma-separated.
        header: String,
    },
    /// The table could not be read.
    #[error("{source_name}: {error}")]
    Read {
        /// The table's name (its file).
        source_name: String,
        /// What went wrong.
        error: String,
    },
}

/// One row of the cases table, mapped: the case, and what could not be mapped.
#[derive(Debug, Clone)]
pub struct Row {
    /// The line of the table the row starts on (the header is line 1).
    pub line: u64,
    /// The case record (a JSON object).
    pub case: Value,
    /// REC violations of the row (and of its events' rows), each naming its line and column.
    pub problems: Vec<Violation>,
}

/// A case id that rows of the events table name but no row of the cases table has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Orphan {
    /// The case id as the events table writes it ("" for rows without one).
    pub id: String,
    /// The lines of the events table that name it.
    pub lines: Vec<u64>,
}

impl Orphan {
    /// The finding for these events: they were not judged, since their case is not there.
    pub fn problem(&self, events_source: &str) -> Violation {
        let lines: Vec<String> = self.lines.iter().take(10).map(u64::to_string).collect();
        let more = if self.lines.len() > 10 { format!(" and {} more", self.lines.len() - 10) } else { String::new() };
        let what = if self.id.is_empty() {
            "name no case (the case column is empty)".to_string()
        } else {
            format!("name case \"{}\", which is not in the cases table", self.id)
        };
        Violation::new(
            rule("REC002"),
            "",
            format!(
                "{events_source} line(s) {}{more}: {} event(s) {what}; they were not judged",
                lines.join(", "),
                self.lines.len()
            ),
        )
        .with_hint("add the case to the cases table, or fix the events' case column")
    }
}

fn rule(id: &str) -> &'static escalint::RuleInfo {
    escalint::catalogue::find(id).expect("REC rules are in the catalogue")
}

/// The columns of a table, by name (or by position "1", "2", … without a header row).
struct Columns {
    names: Vec<String>,
}

impl Columns {
    fn index(&self, column: &str) -> Option<usize> {
        self.names
            .iter()
            .position(|n| n == column)
            .or_else(|| self.names.iter().position(|n| n.trim() == column.trim()))
    }
}

fn csv_reader<R: Read>(input: R, dialect: &Dialect) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .delimiter(dialect.delimiter)
        .quote(dialect.quote)
        .has_headers(false)
        .flexible(true)
        .from_reader(input)
}

/// A field resolved against a table's header: the column indexes it reads.
struct Bound {
    field: Field,
    column: Option<usize>,
    zone_column: Option<usize>,
}

/// Read the header (or make positional names) and bind every field's columns.
fn bind<R: Read>(
    reader: &mut csv::Reader<R>,
    dialect: &Dialect,
    fields: &[Field],
    extra: Option<&str>,
    source: &str,
) -> Result<(Columns, Vec<Bound>, Option<usize>, csv::ByteRecord), TableError> {
    let read_error = |e: csv::Error| TableError::Read { source_name: source.to_string(), error: e.to_string() };
    let mut first = csv::ByteRecord::new();
    let has_first = reader.read_byte_record(&mut first).map_err(read_error)?;
    let names: Vec<String> = if dialect.header {
        first.iter().map(|c| String::from_utf8_lossy(c).into_owned()).collect()
    } else {
        (1..=first.len().max(1)).map(|i| i.to_string()).collect()
    };
    let columns = Columns { names };
    let find = |column: &str, pointer: &str| -> Result<usize, TableError> {
        columns.index(column).ok_or_else(|| TableError::MissingColumn {
            source_name: source.to_string(),
            column: column.to_string(),
            pointer: pointer.to_string(),
            hint: closest(column, columns.names.iter().map(String::as_str))
                .map(|c| format!("; closest \"{c}\""))
                .unwrap_or_default(),
            header: columns.names.join(", "),
        })
    };
    let mut bound = Vec::with_capacity(fields.len());
    for field in fields {
        let column = match &field.source {
            Source::Column(c) => Some(find(c, &field.pointer)?),
            Source::Constant(_) => None,
        };
        let zone_column = match &field.zone {
            Some(ZoneSource::Column(c)) => Some(find(c, &field.pointer)?),
            _ => None,
        };
        bound.push(Bound { field: field.clone(), column, zone_column });
    }
    let extra = extra.map(|c| find(c, "the events' case")).transpose()?;
    // Without a header, the first row is data: hand it back to be read first.
    let pending = if !dialect.header && has_first { first } else { csv::ByteRecord::new() };
    Ok((columns, bound, extra, pending))
}

/// What could not be mapped in one cell.
#[derive(Debug, Clone)]
struct Problem {
    pointer: String,
    column: String,
    message: String,
    hint: Option<String>,
}

/// Build one object (a case or an event) from a row.
fn build(row: &csv::ByteRecord, columns: &Columns, bound: &[Bound], problems: &mut Vec<Problem>) -> Map<String, Value> {
    let mut object = Map::new();
    for b in bound {
        let column_name = b.column.map(|i| columns.names[i].clone()).unwrap_or_default();
        let mut problem = |message: String, hint: Option<String>| {
            problems.push(Problem { pointer: b.field.pointer.clone(), column: column_name.clone(), message, hint })
        };
        let value = match (&b.field.source, b.column) {
            (Source::Constant(v), _) => Some(v.clone()),
            (Source::Column(_), Some(i)) => match std::str::from_utf8(row.get(i).unwrap_or(b"")) {
                Err(e) => {
                    problem(format!("the cell is not UTF-8 ({e})"), None);
                    None
                }
                Ok(cell) => match cell_value(b, cell.trim(), row, columns) {
                    Ok(v) => v,
                    Err((message, hint)) => {
                        problem(message, hint);
                        None
                    }
                },
            },
            (Source::Column(_), None) => None,
        };
        if let Some(value) = value {
            insert(&mut object, &b.field.tokens, value);
        }
    }
    object
}

fn insert(object: &mut Map<String, Value>, tokens: &[String], value: Value) {
    let (last, parents) = tokens.split_last().expect("pointers have a token");
    let mut at = object;
    for t in parents {
        let next = at.entry(t.clone()).or_insert_with(|| Value::Object(Map::new()));
        if !next.is_object() {
            *next = Value::Object(Map::new());
        }
        at = next.as_object_mut().expect("made an object");
    }
    at.insert(last.clone(), value);
}

type CellResult = Result<Option<Value>, (String, Option<String>)>;

/// One cell's value: empty is absent (or the default), then split, map, and the field's type.
fn cell_value(b: &Bound, cell: &str, row: &csv::ByteRecord, columns: &Columns) -> CellResult {
    if cell.is_empty() {
        return Ok(b.field.default.clone());
    }
    let zone = match (&b.field.zone, b.zone_column) {
        (Some(ZoneSource::Fixed(tz)), _) => Some(*tz),
        (Some(ZoneSource::Column(_)), Some(i)) => {
            let name = std::str::from_utf8(row.get(i).unwrap_or(b"")).unwrap_or("").trim();
            if name.is_empty() {
                let column = &columns.names[i];
                return Err((
                    format!("\"{cell}\" is a local time, and the time-zone column \"{column}\" is empty"),
                    None,
                ));
            }
            Some(zone(name).map_err(|e| (format!("time-zone column \"{}\": {e}", columns.names[i]), None))?)
        }
        _ => None,
    };
    match &b.field.split {
        Some(separator) => {
            let items = cell
                .split(separator.as_str())
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| scalar(&b.field, s, zone))
                .collect::<Result<Vec<Value>, _>>()?;
            Ok(Some(Value::Array(items)))
        }
        None => scalar(&b.field, cell, zone).map(Some),
    }
}

fn scalar(field: &Field, text: &str, zone: Option<Tz>) -> Result<Value, (String, Option<String>)> {
    if let Some(map) = &field.map {
        if let Some(v) = map.get(text) {
            return Ok(v.clone());
        }
        let folded: Vec<&Value> = map.iter().filter(|(k, _)| k.eq_ignore_ascii_case(text)).map(|(_, v)| v).collect();
        if let [v] = folded[..] {
            return Ok(v.clone());
        }
        let hint = closest(text, map.keys().map(String::as_str)).map(|c| format!("closest key: \"{c}\""));
        let keys: Vec<&str> = map.keys().take(8).map(String::as_str).collect();
        return Err((format!("\"{text}\" is not in the map (keys: {})", keys.join(", ")), hint));
    }
    match field.kind {
        Kind::Text => Ok(Value::String(text.to_string())),
        Kind::Integer => {
            text.parse::<i64>().map(Value::from).map_err(|_| (format!("\"{text}\" is not a whole number"), None))
        }
        Kind::Boolean => match text.to_ascii_lowercase().as_str() {
            "true" | "yes" | "y" | "1" => Ok(Value::Bool(true)),
            "false" | "no" | "n" | "0" => Ok(Value::Bool(false)),
            _ => Err((
                format!("\"{text}\" is not a yes/no value"),
                Some("write true/false, yes/no, y/n or 1/0, or give the column a `map`".into()),
            )),
        },
        Kind::Date => date(field, text),
        Kind::Timestamp => timestamp(field, text, zone),
    }
}

fn date(field: &Field, text: &str) -> Result<Value, (String, Option<String>)> {
    let Some(format) = &field.format else { return Ok(Value::String(text.to_string())) };
    NaiveDate::parse_from_str(text, format)
        .or_else(|_| NaiveDateTime::parse_from_str(text, format).map(|t| t.date()))
        .map(|d| Value::String(d.format("%Y-%m-%d").to_string()))
        .map_err(|e| (format!("\"{text}\" does not match the format \"{format}\" ({e})"), None))
}

/// Naive forms read without a `format` when the field has a time zone.
const NAIVE_FORMS: &[&str] = &["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"];

fn timestamp(field: &Field, text: &str, zone: Option<Tz>) -> Result<Value, (String, Option<String>)> {
    let naive = match &field.format {
        Some(format) if ["%z", "%:z", "%#z", "%::z"].iter().any(|z| format.contains(z)) => {
            return DateTime::parse_from_str(text, format)
                .map(|t| Value::String(t.to_rfc3339_opts(SecondsFormat::AutoSi, false)))
                .map_err(|e| (format!("\"{text}\" does not match the format \"{format}\" ({e})"), None));
        }
        Some(format) => NaiveDateTime::parse_from_str(text, format)
            .map_err(|e| (format!("\"{text}\" does not match the format \"{format}\" ({e})"), None))?,
        None => {
            if DateTime::parse_from_rfc3339(text).is_ok() || zone.is_none() {
                // With its offset, or nothing to make it aware with: as written (the engine
                // reads it, and reports a naive time itself).
                return Ok(Value::String(text.to_string()));
            }
            match NAIVE_FORMS.iter().find_map(|f| NaiveDateTime::parse_from_str(text, f).ok()) {
                Some(naive) => naive,
                None => return Ok(Value::String(text.to_string())),
            }
        }
    };
    let Some(tz) = zone else {
        return Err((
            format!("\"{text}\" is a local time without an offset, and {} has no time zone", field.pointer),
            Some("give the field timezone = \"America/Chicago\" or timezone_column = \"TZ\" in the mapping".into()),
        ));
    };
    let aware = |t: DateTime<Tz>| t.to_rfc3339_opts(SecondsFormat::AutoSi, false);
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(t) => Ok(Value::String(aware(t))),
        LocalResult::Ambiguous(a, b) => Err((
            format!(
                "\"{text}\" happens twice in {tz} (the clocks go back that night): it is {} or {}",
                aware(a),
                aware(b)
            ),
            Some("export the time with its offset, or in UTC".into()),
        )),
        LocalResult::None => Err((
            format!("\"{text}\" does not exist in {tz} (the clocks skip forward over it that night)"),
            Some("check the time as exported; export times with their offset, or in UTC".into()),
        )),
    }
}

fn to_violations(problems: Vec<Problem>, source: &str, line: u64, prefix: &str, out: &mut Vec<Violation>) {
    for p in problems {
        let mut v = Violation::new(
            rule("REC003"),
            format!("{prefix}{}", p.pointer),
            format!("{source} line {line}, column \"{}\": {}", p.column, p.message),
        );
        v.hint = p.hint;
        out.push(v);
    }
}

/// A row whose number of cells differs from the header's: its cells may be misplaced.
fn ragged(row: &csv::ByteRecord, columns: &Columns, source: &str, line: u64) -> Option<Violation> {
    (row.len() != columns.names.len()).then(|| {
        Violation::new(
            rule("REC001"),
            "",
            format!("{source} line {line} has {} cells; the header has {}", row.len(), columns.names.len()),
        )
        .with_hint("a quote left open or a delimiter inside an unquoted cell shifts the cells")
    })
}

/// One event, mapped.
#[derive(Debug, Clone)]
struct EventRow {
    line: u64,
    event: Map<String, Value>,
    problems: Vec<Problem>,
}

/// The events table, read whole and indexed by case: its rows may come in any order. (It is
/// held in memory; the cases table is streamed.)
#[derive(Debug, Default)]
pub struct EventIndex {
    source: String,
    by_case: HashMap<String, (usize, Vec<EventRow>, bool)>,
}

impl EventIndex {
    /// Read the events table through the mapping's `[events]`.
    pub fn read<R: Read>(input: R, mapping: &Mapping, source: &str) -> Result<EventIndex, TableError> {
        let Some(events) = &mapping.events else {
            return Err(TableError::Read {
                source_name: source.to_string(),
                error: "the mapping has no [events] table to read an events table with".into(),
            });
        };
        let mut reader = csv_reader(input, &mapping.dialect);
        let (columns, bound, case_column, pending) =
            bind(&mut reader, &mapping.dialect, &events.fields, Some(&events.case_column), source)?;
        let case_column = case_column.expect("bound");
        let mut index = EventIndex { source: source.to_string(), by_case: HashMap::new() };
        let mut row = pending;
        let mut line = if mapping.dialect.header { 1 } else { 0 };
        loop {
            if row.is_empty() {
                match reader.read_byte_record(&mut row) {
                    Ok(true) => {}
                    Ok(false) => break,
                    Err(e) => return Err(TableError::Read { source_name: source.to_string(), error: e.to_string() }),
                }
            }
            line = row.position().map(|p| p.line()).unwrap_or(line + 1);
            let mut problems = Vec::new();
            let event = build(&row, &columns, &bound, &mut problems);
            let case = String::from_utf8_lossy(row.get(case_column).unwrap_or(b"")).trim().to_string();
            let order = index.by_case.len();
            index.by_case.entry(case).or_insert_with(|| (order, Vec::new(), false)).1.push(EventRow {
                line,
                event,
                problems,
            });
            row.clear();
        }
        Ok(index)
    }

    /// The events of a case, in the table's order, and marks them judged.
    fn take(&mut self, case: &str) -> Option<&[EventRow]> {
        let entry = self.by_case.get_mut(case.trim())?;
        entry.2 = true;
        Some(&entry.1)
    }

    /// The case ids whose events no case row claimed, in the order the table first names them.
    pub fn orphans(&self) -> Vec<Orphan> {
        let mut out: Vec<(usize, Orphan)> = self
            .by_case
            .iter()
            .filter(|(_, (_, _, claimed))| !claimed)
            .map(|(id, (order, rows, _))| {
                (*order, Orphan { id: id.clone(), lines: rows.iter().map(|r| r.line).collect() })
            })
            .collect();
        out.sort_by_key(|(order, _)| *order);
        out.into_iter().map(|(_, o)| o).collect()
    }

    /// The events table's name.
    pub fn source(&self) -> &str {
        &self.source
    }
}

/// The cases of a table, one [`Row`] per row, read as they are iterated (constant memory).
pub struct CaseRows<R: Read> {
    reader: csv::Reader<R>,
    columns: Columns,
    bound: Vec<Bound>,
    pending: csv::ByteRecord,
    row: csv::ByteRecord,
    source: String,
    events: Option<EventIndex>,
    line: u64,
    failed: bool,
}

impl<R: Read> CaseRows<R> {
    /// Start reading a cases table (its header is read now: a mapped column that is not in
    /// it is an error). `events`: the events table, read already.
    pub fn new(input: R, mapping: &Mapping, source: &str, events: Option<EventIndex>) -> Result<Self, TableError> {
        let mut reader = csv_reader(input, &mapping.dialect);
        let (columns, bound, _, pending) = bind(&mut reader, &mapping.dialect, &mapping.case, None, source)?;
        Ok(CaseRows {
            reader,
            columns,
            bound,
            pending,
            row: csv::ByteRecord::new(),
            source: source.to_string(),
            events,
            line: if mapping.dialect.header { 1 } else { 0 },
            failed: false,
        })
    }

    /// The events index, once the cases are read (for [`EventIndex::orphans`]).
    pub fn events(&self) -> Option<&EventIndex> {
        self.events.as_ref()
    }

    /// The events index back, to read another cases table with or to ask for its orphans.
    pub fn into_events(self) -> Option<EventIndex> {
        self.events
    }

    fn next_row(&mut self) -> Result<Option<Row>, TableError> {
        if !self.pending.is_empty() {
            std::mem::swap(&mut self.row, &mut self.pending);
            self.pending.clear();
        } else if !self
            .reader
            .read_byte_record(&mut self.row)
            .map_err(|e| TableError::Read { source_name: self.source.clone(), error: e.to_string() })?
        {
            return Ok(None);
        }
        self.line = self.row.position().map(|p| p.line()).unwrap_or(self.line + 1);
        let mut problems = Vec::new();
        let mut case = build(&self.row, &self.columns, &self.bound, &mut problems);
        let mut violations = Vec::new();
        violations.extend(ragged(&self.row, &self.columns, &self.source, self.line));
        to_violations(problems, &self.source, self.line, "", &mut violations);
        let id = case.get("id").and_then(Value::as_str).map(str::to_string);
        if let (Some(index), Some(id)) = (self.events.as_mut(), id) {
            let source = index.source.clone();
            if let Some(rows) = index.take(&id) {
                let mut list = Vec::with_capacity(rows.len());
                for (i, r) in rows.iter().enumerate() {
                    to_violations(r.problems.clone(), &source, r.line, &format!("/events/{i}"), &mut violations);
                    list.push(Value::Object(r.event.clone()));
                }
                case.insert("events".into(), Value::Array(list));
            }
        }
        Ok(Some(Row { line: self.line, case: Value::Object(case), problems: violations }))
    }
}

impl<R: Read> Iterator for CaseRows<R> {
    type Item = Result<Row, TableError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let result = self.next_row().transpose();
        self.failed = matches!(result, Some(Err(_)));
        result
    }
}
