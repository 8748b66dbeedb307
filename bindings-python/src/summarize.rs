//! `escalint.summarize`'s engine room: the core's bounded summary (`escalint::summary`) fed
//! from a file (streamed, judged on every core without the GIL), from case texts, or from
//! reports already made. `__init__.py` turns its tables into DataFrames or lists of dicts.

use std::fs::File;
use std::sync::{Arc, Mutex};

use escalint::record::{ParsedRecord, Unreadable};
use escalint::stream::{read_piece, Batch, CaseReader};
use escalint::summary::{Dimension, Facts, Limits, Summary};
use escalint::{Engine, Severity, Timestamp, ValidationReport, Violation};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use rayon::prelude::*;

use crate::to_rust::now_arg;

/// Cases read and judged per batch of a file.
const BATCH: usize = 512;
const BATCH_BYTES: usize = 8 << 20;

/// A summary being filled in (``escalint.summarize`` makes and uses one).
#[pyclass(frozen, module = "escalint")]
pub struct Summarizer {
    engine: Arc<Engine>,
    now: Option<Timestamp>,
    summary: Mutex<Summary>,
}

/// What the summary takes of a case read (or not): its facts, when it could be read, and its report.
fn judge(
    engine: &Engine,
    read: Result<ParsedRecord, Unreadable>,
    now: Option<Timestamp>,
) -> (Option<Facts>, ValidationReport) {
    let facts = read.as_ref().ok().map(|parsed| Facts::of(&parsed.record));
    (facts, engine.validate(read, now))
}

impl Summarizer {
    pub fn with_engine(engine: Arc<Engine>, by: Vec<String>, now: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let dims =
            by.iter().map(|d| Dimension::parse(d)).collect::<Result<Vec<_>, _>>().map_err(PyValueError::new_err)?;
        Ok(Summarizer { engine, now: now_arg(now)?, summary: Mutex::new(Summary::new(&dims, Limits::default())) })
    }

    fn add_all(&self, judged: Vec<(Option<Facts>, ValidationReport)>) {
        let mut summary = self.summary.lock().unwrap_or_else(|e| e.into_inner());
        for (facts, report) in &judged {
            summary.add(facts.as_ref(), report);
        }
    }
}

#[pymethods]
impl Summarizer {
    /// Count every case of a file (JSON Lines, a JSON array or JSON values), streamed.
    fn add_file(&self, py: Python<'_>, path: std::path::PathBuf) -> PyResult<()> {
        let file = File::open(&path)?;
        if file.metadata()?.is_dir() {
            return Err(pyo3::exceptions::PyIsADirectoryError::new_err(format!("{} is a directory", path.display())));
        }
        py.detach(|| {
            let mut reader = CaseReader::new(file, self.engine.limits().max_record_bytes);
            let mut batch = Batch::with_capacity(BATCH, BATCH_BYTES);
            loop {
                let result = reader.read_batch(&mut batch, BATCH, BATCH_BYTES);
                if batch.is_empty() {
                    return result.map_err(PyErr::from);
                }
                let judged: Vec<(Option<Facts>, ValidationReport)> = (0..batch.len())
                    .into_par_iter()
                    .map(|i| judge(&self.engine, read_piece(&self.engine, batch.get(i)), self.now))
                    .collect();
                self.add_all(judged);
                result?;
            }
        })
    }

    /// Count cases given as JSON texts (str or bytes).
    fn add_texts(&self, py: Python<'_>, texts: Vec<Bound<'_, PyAny>>) -> PyResult<()> {
        let owned: Vec<Vec<u8>> = texts
            .iter()
            .map(|t| match t.cast::<PyBytes>() {
                Ok(b) => Ok(b.as_bytes().to_vec()),
                Err(_) => t.extract::<String>().map(String::into_bytes),
            })
            .collect::<PyResult<_>>()?;
        let judged =
            py.detach(|| owned.par_iter().map(|t| judge(&self.engine, self.engine.read(t), self.now)).collect());
        self.add_all(judged);
        Ok(())
    }

    /// Count reports already made (`validate`'s dicts, as JSON texts): they carry no servicer,
    /// region, closer or date, so only the totals and the rule breakdown learn from them.
    fn add_reports(&self, texts: Vec<String>) -> PyResult<()> {
        let mut judged = Vec::with_capacity(texts.len());
        for text in &texts {
            let value: serde_json::Value =
                serde_json::from_str(text).map_err(|e| PyValueError::new_err(format!("a report is not JSON: {e}")))?;
            let mut violations = Vec::new();
            for v in value["violations"].as_array().map(Vec::as_slice).unwrap_or_default() {
                let id = v["rule"].as_str().unwrap_or_default();
                let rule = escalint::catalogue::find(id).ok_or_else(|| {
                    PyValueError::new_err(format!("a report names the rule {id:?}, which is not in the catalogue"))
                })?;
                let severity = if v["severity"] == "warning" { Severity::Warning } else { Severity::Error };
                let mut violation = Violation::new(rule, v["path"].as_str().unwrap_or_default(), "");
                violation.severity = severity;
                violations.push(violation);
            }
            let report = ValidationReport {
                id: value["id"].as_str().unwrap_or_default().to_string(),
                valid: !violations.iter().any(|v| v.severity == Severity::Error),
                policy_version: value["policy_version"].as_str().unwrap_or_default().to_string(),
                violations,
            };
            judged.push((None, report));
        }
        self.add_all(judged);
        Ok(())
    }

    /// The totals and the breakdowns as JSON text (`escalint::summary::Summary::tables_json`).
    fn tables(&self, top: usize) -> String {
        self.summary.lock().unwrap_or_else(|e| e.into_inner()).tables_json(top).to_string()
    }
}
