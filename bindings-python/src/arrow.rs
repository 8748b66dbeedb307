//! The Arrow path: `validate_arrow`, `next_steps_arrow` and `can_close_arrow`.
//!
//! A column of cases as JSON text comes in through the Arrow C data interface (a pyarrow
//! `Table` or `RecordBatch`, a polars or pandas `DataFrame`, a DuckDB result: anything with
//! `__arrow_c_stream__` or `__arrow_c_array__`); a table of answers goes out as a pyarrow
//! `Table`. Between the two the GIL is released and the cases are judged on every core
//! (rayon), in chunks that each build their own Arrow arrays: no Python object is made per case.

use std::sync::Arc;

use arrow_array::builder::{BooleanBuilder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, ListArray, RecordBatch, RecordBatchReader, StructArray};
use arrow_buffer::OffsetBuffer;
use arrow_schema::{DataType, Field, FieldRef, Fields, Schema, SchemaRef};
use escalint::record::Unreadable;
use escalint::record::REC001;
use escalint::{
    CanCloseReport, Engine, Input, NextStepsReport, Proposal, Step, Timestamp, ValidationReport, Violation,
};
use pyo3::exceptions::{PyImportError, PyKeyError, PyTypeError, PyValueError};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3_arrow::input::AnyRecordBatch;
use pyo3_arrow::PyTable;
use rayon::prelude::*;

/// Rows judged (and turned into one output batch) per task of the pool.
const CHUNK_ROWS: usize = 4096;

// ---- the output schemas ---------------------------------------------------------------------

fn text(name: &str, nullable: bool) -> Field {
    Field::new(name, DataType::Utf8, nullable)
}

/// `list<struct<rule, severity, path, message, sop, hint>>`: a report's violations.
fn violation_fields() -> Fields {
    Fields::from(vec![
        text("rule", false),
        text("severity", false),
        text("path", false),
        text("message", false),
        text("sop", false),
        text("hint", true),
    ])
}

fn list_of(fields: Fields) -> (FieldRef, DataType) {
    let item = Arc::new(Field::new("item", DataType::Struct(fields), false));
    (item.clone(), DataType::List(item))
}

fn step_fields() -> Fields {
    Fields::from(vec![
        text("action", false),
        text("due_by", true),
        // true on an overdue step, null otherwise (the dict answers leave the key out).
        Field::new("overdue", DataType::Boolean, true),
        text("rule", false),
        text("why", false),
        text("party", true),
        Field::new("options", DataType::List(Arc::new(text("item", false))), true),
    ])
}

// ---- the cases column -------------------------------------------------------------------------

/// The cases column of one batch, read as bytes per row (None for a null row).
enum Texts<'a> {
    Utf8(&'a arrow_array::StringArray),
    LargeUtf8(&'a arrow_array::LargeStringArray),
    Utf8View(&'a arrow_array::StringViewArray),
    Binary(&'a arrow_array::BinaryArray),
    LargeBinary(&'a arrow_array::LargeBinaryArray),
    BinaryView(&'a arrow_array::BinaryViewArray),
}

impl<'a> Texts<'a> {
    fn new(array: &'a ArrayRef) -> Option<Self> {
        Some(match array.data_type() {
            DataType::Utf8 => Texts::Utf8(array.as_string()),
            DataType::LargeUtf8 => Texts::LargeUtf8(array.as_string()),
            DataType::Utf8View => Texts::Utf8View(array.as_string_view()),
            DataType::Binary => Texts::Binary(array.as_binary()),
            DataType::LargeBinary => Texts::LargeBinary(array.as_binary()),
            DataType::BinaryView => Texts::BinaryView(array.as_binary_view()),
            _ => return None,
        })
    }

    fn get(&self, row: usize) -> Option<&'a [u8]> {
        macro_rules! value {
            ($a:expr, $bytes:expr) => {
                if $a.is_null(row) {
                    None
                } else {
                    Some($bytes($a.value(row)))
                }
            };
        }
        match self {
            Texts::Utf8(a) => value!(a, str::as_bytes),
            Texts::LargeUtf8(a) => value!(a, str::as_bytes),
            Texts::Utf8View(a) => value!(a, str::as_bytes),
            Texts::Binary(a) => value!(a, |b| b),
            Texts::LargeBinary(a) => value!(a, |b| b),
            Texts::BinaryView(a) => value!(a, |b| b),
        }
    }
}

/// Types read directly as text; a dictionary of them (pandas' categoricals) and an all-null
/// column are cast to one first.
fn is_text(data_type: &DataType) -> bool {
    matches!(
        data_type,
        DataType::Utf8
            | DataType::LargeUtf8
            | DataType::Utf8View
            | DataType::Binary
            | DataType::LargeBinary
            | DataType::BinaryView
    )
}

fn readable(data_type: &DataType) -> bool {
    match data_type {
        DataType::Dictionary(_, values) => is_text(values),
        DataType::Null => true,
        other => is_text(other),
    }
}

/// A column of the input, found by name and checked to hold text, before any batch is read.
#[derive(Clone)]
struct Column {
    /// Its position in every batch (the stream's schema is fixed).
    index: usize,
    name: String,
    /// What the question calls it in messages ("column", "proposal_column").
    role: &'static str,
}

impl Column {
    fn find(schema: &Schema, name: &str, role: &'static str) -> PyResult<Self> {
        let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        let Some(index) = names.iter().position(|n| *n == name) else {
            let closest = names
                .iter()
                .map(|n| (strsim::normalized_damerau_levenshtein(&n.to_lowercase(), &name.to_lowercase()), *n))
                .filter(|(score, _)| *score >= 0.5)
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, n)| format!(" (did you mean {n:?}?)"))
                .unwrap_or_default();
            return Err(PyKeyError::new_err(format!(
                "{role}={name:?}: the data has no such column{closest}; its columns are: {}",
                names.join(", ")
            )));
        };
        let data_type = schema.field(index).data_type();
        if !readable(data_type) {
            let hint = if matches!(data_type, DataType::Struct(_) | DataType::Map(_, _)) {
                "; a struct column can be turned into JSON first (polars: pl.col(c).struct.json_encode())"
            } else {
                ""
            };
            return Err(PyTypeError::new_err(format!(
                "{role}={name:?} has Arrow type {data_type}; expected one case per row as JSON text \
                 (string, large_string, string_view, binary, large_binary or binary_view){hint}"
            )));
        }
        Ok(Column { index, name: name.to_string(), role })
    }

    /// The column in `batch`, cast to text when it is a dictionary or all-null.
    fn of(&self, batch: &RecordBatch) -> Result<ArrayRef, String> {
        let array = batch.column(self.index);
        if is_text(array.data_type()) {
            return Ok(Arc::clone(array));
        }
        let target = match array.data_type() {
            DataType::Dictionary(_, values) if !matches!(**values, DataType::Utf8 | DataType::LargeUtf8) => {
                DataType::LargeBinary
            }
            _ => DataType::LargeUtf8,
        };
        arrow_cast::cast(array, &target).map_err(|e| format!("{}={:?}: {e}", self.role, self.name))
    }
}

// ---- one question, answered into Arrow arrays -----------------------------------------------

/// A question asked of every row, and the columns its answers fill.
pub trait Question: Sync {
    type Report: Send;
    /// The columns of the answer table.
    fn schema(&self) -> SchemaRef;
    /// The answer for one row: its case (text, or a null row's problem), and for `can_close`
    /// its proposal text.
    fn ask(&self, case: Input<'_>, proposal: Option<&[u8]>) -> Self::Report;
    /// The columns of a chunk of answers, in schema order.
    fn columns(&self, reports: &[Self::Report]) -> Vec<ArrayRef>;
}

/// A null row: a case that could not be read, the row numbered over the whole input.
fn no_case(row: u64, column: &Column) -> Input<'static> {
    let problem = Violation::new(
        &REC001,
        "",
        format!("row {row} of {} {:?} is null; expected a case as JSON text", column.role, column.name),
    );
    Unreadable { id: String::new(), problems: vec![problem] }.into()
}

fn texts<'a>(values: impl Iterator<Item = &'a str>, capacity: usize) -> ArrayRef {
    let mut b = StringBuilder::with_capacity(capacity, capacity * 16);
    for v in values {
        b.append_value(v);
    }
    Arc::new(b.finish())
}

fn optional_texts<'a>(values: impl Iterator<Item = Option<&'a str>>, capacity: usize) -> ArrayRef {
    let mut b = StringBuilder::with_capacity(capacity, capacity * 16);
    for v in values {
        b.append_option(v);
    }
    Arc::new(b.finish())
}

/// Each step's `overdue`: true, or null when it is not overdue.
fn overdue_flags(steps: &[&Step]) -> ArrayRef {
    let mut b = BooleanBuilder::with_capacity(steps.len());
    for s in steps {
        b.append_option(s.overdue.then_some(true));
    }
    Arc::new(b.finish())
}

fn bools(values: impl Iterator<Item = bool>, capacity: usize) -> ArrayRef {
    let mut b = BooleanBuilder::with_capacity(capacity);
    for v in values {
        b.append_value(v);
    }
    Arc::new(b.finish())
}

/// A list column: one list per report, its items the struct of `fields` built by `columns`.
fn list_column<'a, T: 'a>(
    per_report: impl Iterator<Item = &'a [T]> + Clone,
    fields: Fields,
    columns: impl FnOnce(Vec<&'a T>) -> Vec<ArrayRef>,
) -> ArrayRef {
    let offsets = OffsetBuffer::<i32>::from_lengths(per_report.clone().map(<[T]>::len));
    let items: Vec<&T> = per_report.flat_map(|items| items.iter()).collect();
    let (item_field, _) = list_of(fields.clone());
    let values = StructArray::new(fields, columns(items), None);
    Arc::new(ListArray::new(item_field, offsets, Arc::new(values), None))
}

fn violations_column<'a>(per_report: impl Iterator<Item = &'a [Violation]> + Clone) -> ArrayRef {
    list_column(per_report, violation_fields(), |vs| {
        let n = vs.len();
        vec![
            texts(vs.iter().map(|v| v.rule), n),
            texts(vs.iter().map(|v| v.severity.as_str()), n),
            texts(vs.iter().map(|v| v.path.as_str()), n),
            texts(vs.iter().map(|v| v.message.as_str()), n),
            texts(vs.iter().map(|v| v.sop), n),
            optional_texts(vs.iter().map(|v| v.hint.as_deref()), n),
        ]
    })
}

fn options_column(steps: &[&Step]) -> ArrayRef {
    let present: Vec<&[String]> = steps.iter().map(|s| s.options.as_deref().unwrap_or(&[])).collect();
    let offsets = OffsetBuffer::<i32>::from_lengths(present.iter().map(|o| o.len()));
    let items = texts(present.iter().flat_map(|o| o.iter().map(String::as_str)), offsets.len());
    let nulls = arrow_buffer::NullBuffer::from(steps.iter().map(|s| s.options.is_some()).collect::<Vec<_>>());
    Arc::new(ListArray::new(Arc::new(text("item", false)), offsets, items, Some(nulls)))
}

fn steps_column<'a>(per_report: impl Iterator<Item = &'a [Step]> + Clone) -> ArrayRef {
    list_column(per_report, step_fields(), |ss| {
        let n = ss.len();
        let due_by: Vec<Option<String>> = ss.iter().map(|s| s.due_by_text()).collect();
        vec![
            texts(ss.iter().map(|s| s.action.as_str()), n),
            optional_texts(due_by.iter().map(Option::as_deref), n),
            overdue_flags(&ss),
            texts(ss.iter().map(|s| s.rule.id), n),
            texts(ss.iter().map(|s| s.why.as_str()), n),
            optional_texts(ss.iter().map(|s| s.party.as_deref()), n),
            options_column(&ss),
        ]
    })
}

fn schema(fields: Vec<Field>) -> SchemaRef {
    Arc::new(Schema::new(fields))
}

fn violations_field() -> Field {
    Field::new("violations", list_of(violation_fields()).1, false)
}

/// `validate`: `id, valid, policy_version, violations`.
pub struct Validate<'e> {
    pub engine: &'e Engine,
    pub now: Option<Timestamp>,
}

impl Question for Validate<'_> {
    type Report = ValidationReport;

    fn schema(&self) -> SchemaRef {
        schema(vec![
            text("id", false),
            Field::new("valid", DataType::Boolean, false),
            text("policy_version", false),
            violations_field(),
        ])
    }

    fn ask(&self, case: Input<'_>, _: Option<&[u8]>) -> ValidationReport {
        self.engine.validate(case, self.now)
    }

    fn columns(&self, reports: &[ValidationReport]) -> Vec<ArrayRef> {
        let n = reports.len();
        vec![
            texts(reports.iter().map(|r| r.id.as_str()), n),
            bools(reports.iter().map(|r| r.valid), n),
            texts(reports.iter().map(|r| r.policy_version.as_str()), n),
            violations_column(reports.iter().map(|r| r.violations.as_slice())),
        ]
    }
}

/// `next_steps`: `id, state, policy_version, steps, violations`.
pub struct NextSteps<'e> {
    pub engine: &'e Engine,
    pub now: Option<Timestamp>,
}

impl Question for NextSteps<'_> {
    type Report = NextStepsReport;

    fn schema(&self) -> SchemaRef {
        schema(vec![
            text("id", false),
            text("state", true),
            text("policy_version", false),
            Field::new("steps", list_of(step_fields()).1, false),
            violations_field(),
        ])
    }

    fn ask(&self, case: Input<'_>, _: Option<&[u8]>) -> NextStepsReport {
        self.engine.next_steps(case, self.now)
    }

    fn columns(&self, reports: &[NextStepsReport]) -> Vec<ArrayRef> {
        let n = reports.len();
        vec![
            texts(reports.iter().map(|r| r.id.as_str()), n),
            optional_texts(reports.iter().map(|r| r.state.map(|s| s.as_str())), n),
            texts(reports.iter().map(|r| r.policy_version.as_str()), n),
            steps_column(reports.iter().map(|r| r.steps.as_slice())),
            violations_column(reports.iter().map(|r| r.violations.as_slice())),
        ]
    }
}

/// `can_close`: `id, allowed, policy_version, violations`.
pub struct CanClose<'e> {
    pub engine: &'e Engine,
    pub now: Option<Timestamp>,
}

impl Question for CanClose<'_> {
    type Report = CanCloseReport;

    fn schema(&self) -> SchemaRef {
        schema(vec![
            text("id", false),
            Field::new("allowed", DataType::Boolean, false),
            text("policy_version", false),
            violations_field(),
        ])
    }

    fn ask(&self, case: Input<'_>, proposal: Option<&[u8]>) -> CanCloseReport {
        self.engine.can_close(case, proposal.map(Proposal::from), self.now)
    }

    fn columns(&self, reports: &[CanCloseReport]) -> Vec<ArrayRef> {
        let n = reports.len();
        vec![
            texts(reports.iter().map(|r| r.id.as_str()), n),
            bools(reports.iter().map(|r| r.allowed), n),
            texts(reports.iter().map(|r| r.policy_version.as_str()), n),
            violations_column(reports.iter().map(|r| r.violations.as_slice())),
        ]
    }
}

// ---- the driver ---------------------------------------------------------------------------

/// Answer `question` for every row of one input batch, on every core: one output batch per
/// chunk of rows, in row order. `first_row` numbers the batch's rows in the whole input.
fn answer_batch<Q: Question>(
    question: &Q,
    schema: &SchemaRef,
    batch: &RecordBatch,
    cases: &Column,
    proposals: Option<&Column>,
    first_row: u64,
) -> Result<Vec<RecordBatch>, String> {
    let case_array = cases.of(batch)?;
    let proposal_array = proposals.map(|p| p.of(batch)).transpose()?;
    let case_texts = Texts::new(&case_array).expect("cast to text");
    let proposal_texts = proposal_array.as_ref().map(|a| Texts::new(a).expect("cast to text"));
    let rows = batch.num_rows();
    (0..rows.div_ceil(CHUNK_ROWS))
        .into_par_iter()
        .map(|chunk| {
            let range = chunk * CHUNK_ROWS..((chunk + 1) * CHUNK_ROWS).min(rows);
            let reports: Vec<Q::Report> = range
                .map(|row| {
                    let case = match case_texts.get(row) {
                        Some(text) => Input::from(text),
                        None => no_case(first_row + row as u64, cases),
                    };
                    question.ask(case, proposal_texts.as_ref().and_then(|p| p.get(row)))
                })
                .collect();
            RecordBatch::try_new(Arc::clone(schema), question.columns(&reports)).map_err(|e| e.to_string())
        })
        .collect()
}

/// The `data` argument: anything that exports Arrow through the PyCapsule interface.
fn input_reader(data: &Bound<'_, PyAny>) -> PyResult<Box<dyn RecordBatchReader + Send>> {
    let py = data.py();
    if !data.hasattr(intern!(py, "__arrow_c_stream__"))? && !data.hasattr(intern!(py, "__arrow_c_array__"))? {
        let kind = data.get_type().name().map(|n| n.to_string()).unwrap_or_default();
        return Err(PyTypeError::new_err(format!(
            "data must be Arrow data: a pyarrow Table or RecordBatch, a polars or pandas DataFrame, a DuckDB \
             result, or anything with __arrow_c_stream__ or __arrow_c_array__; got {kind} (for dicts or JSON \
             texts use validate_many)"
        )));
    }
    let any: AnyRecordBatch = data.extract()?;
    any.into_reader()
}

/// The answer table's exporter: pyarrow's `table()` (imported before any work is done).
fn pyarrow_table(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    match py.import(intern!(py, "pyarrow")) {
        Ok(pyarrow) => pyarrow.getattr(intern!(py, "table")),
        Err(e) if e.is_instance_of::<PyImportError>(py) => Err(PyImportError::new_err(format!(
            "the Arrow answers are pyarrow Tables, and pyarrow cannot be imported ({e}); install it with \
             pip install 'escalint[arrow]'"
        ))),
        Err(e) => Err(e),
    }
}

/// Ask `question` of every row of `data[column]` (and `data[proposal_column]`): a pyarrow Table
/// of answers, one row per input row, in input order.
pub fn answer_arrow<'py, Q: Question>(
    py: Python<'py>,
    question: &Q,
    data: &Bound<'py, PyAny>,
    column: &str,
    proposal_column: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    let table = pyarrow_table(py)?;
    let mut reader = input_reader(data)?;
    let input_schema = reader.schema();
    let cases = Column::find(&input_schema, column, "column")?;
    let proposals = proposal_column.map(|p| Column::find(&input_schema, p, "proposal_column")).transpose()?;
    let schema = question.schema();
    let mut out = Vec::new();
    let mut first_row = 0u64;
    loop {
        // Reading the next batch calls the producer (pyarrow, polars, ...), which takes the
        // GIL itself if it needs it.
        let step = py.detach(|| -> Result<Option<(usize, Vec<RecordBatch>)>, String> {
            match reader.next() {
                None => Ok(None),
                Some(Err(e)) => Err(format!("reading the Arrow data failed after row {first_row}: {e}")),
                Some(Ok(batch)) => {
                    let answers = answer_batch(question, &schema, &batch, &cases, proposals.as_ref(), first_row)?;
                    Ok(Some((batch.num_rows(), answers)))
                }
            }
        });
        match step.map_err(PyValueError::new_err)? {
            None => break,
            Some((rows, answers)) => {
                first_row += rows as u64;
                out.extend(answers);
            }
        }
        py.check_signals()?;
    }
    let answers = PyTable::try_new(out, schema)?;
    table.call1((answers,))
}
