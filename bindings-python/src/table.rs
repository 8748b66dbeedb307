//! `escalint.read_table(source, mapping, events=None)`: the cases of a table export, read
//! through a declared mapping (the escalint-table crate, as `escalint import` reads them).

use std::io::{Cursor, Read};
use std::path::PathBuf;

use escalint_table::decode::Decoded;
use escalint_table::{CaseRows, EventIndex, Mapping};
use pyo3::create_exception;
use pyo3::exceptions::{PyTypeError, PyUserWarning, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

create_exception!(
    escalint,
    MappingWarning,
    PyUserWarning,
    "A cell that the mapping could not turn into a field (an unmapped value, a time that does not \
     read or does not exist in its zone, ...), or events whose case is not in the table. The \
     message names the file, line and column; the case is yielded without that field."
);

type Text = Decoded<Box<dyn Read + Send>>;

/// A table given as a path, or as a pandas DataFrame (written out as CSV, without its index).
fn table(source: &Bound<'_, PyAny>, what: &str) -> PyResult<(Text, String)> {
    if source.hasattr("to_csv")? && !source.is_instance_of::<PyString>() {
        let kwargs = PyDict::new(source.py());
        kwargs.set_item("index", false)?;
        let text: String = source.call_method("to_csv", (), Some(&kwargs))?.extract()?;
        let name = format!("<{what} DataFrame>");
        let reader: Box<dyn Read + Send> = Box::new(Cursor::new(text.into_bytes()));
        return Ok((Decoded::new(reader, &name)?, name));
    }
    let path: PathBuf = source.extract().map_err(|_| {
        PyTypeError::new_err(format!(
            "{what} must be a path (str or os.PathLike) or a pandas DataFrame; got {}",
            source.get_type().name().map(|n| n.to_string()).unwrap_or_default()
        ))
    })?;
    let name = path.display().to_string();
    let file: Box<dyn Read + Send> = Box::new(std::fs::File::open(&path)?);
    Ok((Decoded::new(file, &name).map_err(|e| PyValueError::new_err(e.to_string()))?, name))
}

/// A mapping given as a path to its TOML file, or as a dict of the same tables.
fn mapping(mapping: &Bound<'_, PyAny>) -> PyResult<Mapping> {
    let py = mapping.py();
    let read = if mapping.is_instance_of::<PyDict>() {
        let text: String = py.import("json")?.call_method1("dumps", (mapping,))?.extract()?;
        let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| PyValueError::new_err(e.to_string()))?;
        Mapping::from_value(&value)
    } else {
        let path: PathBuf = mapping.extract().map_err(|_| {
            PyTypeError::new_err("mapping must be a path to its TOML file (str or os.PathLike) or a dict")
        })?;
        let text = std::fs::read_to_string(&path)?;
        Mapping::from_toml(&text).map_err(|e| escalint_table::MappingError(format!("{}: {e}", path.display())))
    };
    read.map_err(|e| PyValueError::new_err(format!("mapping: {e}")))
}

fn warn(py: Python<'_>, message: &str) -> PyResult<()> {
    let category = py.get_type::<MappingWarning>();
    let message = std::ffi::CString::new(message.replace('\0', " ")).unwrap_or_default();
    PyErr::warn(py, &category, &message, 2)
}

/// The cases of a table export, one dict per row, read as they are iterated.
///
/// ``source``: the cases table (one row per case): a path to a CSV file (UTF-8 with or without
/// a BOM, UTF-16/32 with a BOM) or a pandas DataFrame. ``mapping``: a path to the mapping's
/// TOML file (docs/exports.md), or a dict of the same tables. ``events``: the events table (one
/// row per event, in any order; read whole), as a path or a DataFrame, with an ``[events]``
/// table in the mapping. A cell that cannot be mapped is a ``MappingWarning`` naming its line
/// and column, and the case comes without that field. A bad mapping, or a mapped column
/// missing from a table's header, is a ``ValueError``.
#[pyfunction]
#[pyo3(signature = (source, mapping, events = None))]
pub fn read_table(
    source: &Bound<'_, PyAny>,
    mapping: &Bound<'_, PyAny>,
    events: Option<&Bound<'_, PyAny>>,
) -> PyResult<TableIterator> {
    let mapping = self::mapping(mapping)?;
    let index = match events.filter(|e| !e.is_none()) {
        None => None,
        Some(events) => {
            if !mapping.has_events() {
                return Err(PyValueError::new_err("events given, but the mapping has no [events] table"));
            }
            let (text, name) = table(events, "events")?;
            Some(EventIndex::read(text, &mapping, &name).map_err(|e| PyValueError::new_err(e.to_string()))?)
        }
    };
    let (text, name) = table(source, "source")?;
    let rows = CaseRows::new(text, &mapping, &name, index).map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(TableIterator { rows: Some(rows) })
}

/// The cases of a table (from ``read_table``).
#[pyclass(module = "escalint", unsendable)]
pub struct TableIterator {
    rows: Option<CaseRows<Text>>,
}

#[pymethods]
impl TableIterator {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&mut self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        let Some(rows) = self.rows.as_mut() else { return Ok(None) };
        match rows.next() {
            Some(Ok(row)) => {
                for p in &row.problems {
                    let hint = p.hint.as_deref().map(|h| format!(" (hint: {h})")).unwrap_or_default();
                    warn(py, &format!("{} {}: {}{hint}", p.rule, p.path, p.message))?;
                }
                let case = py.import("json")?.call_method1("loads", (row.case.to_string(),))?;
                Ok(Some(case.unbind()))
            }
            Some(Err(e)) => {
                self.rows = None;
                Err(PyValueError::new_err(e.to_string()))
            }
            None => {
                let rows = self.rows.take().expect("present");
                if let Some(index) = rows.into_events() {
                    for orphan in index.orphans() {
                        warn(py, &orphan.problem(index.source()).message)?;
                    }
                }
                Ok(None)
            }
        }
    }
}
