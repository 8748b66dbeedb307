//! Rust answers to Python: the report structs become plain dicts and lists of exactly the
//! docs/format.md shape (optional keys left out when absent, as in the JSON), built directly.

use rustc_hash::FxHashMap;

use escalint::catalogue::RuleInfo;
use escalint::{CanCloseReport, NextStepsReport, Step, ValidationReport, Violation};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyString};
use serde_json::Value;

/// Python strings for the catalogue's static texts (rule ids and SOP citations), made once:
/// every violation repeats them.
struct StaticTexts {
    /// By the text's address and length: a violation's rule id and SOP are the catalogue's
    /// own statics, so the lookup need not compare their bytes.
    by_address: FxHashMap<(usize, usize), Py<PyString>>,
    /// By content, for other copies of the same texts (e.g. a step's rule id).
    by_text: FxHashMap<&'static str, Py<PyString>>,
}

fn address(text: &'static str) -> (usize, usize) {
    (text.as_ptr() as usize, text.len())
}

fn static_texts(py: Python<'_>) -> &StaticTexts {
    static TEXTS: PyOnceLock<StaticTexts> = PyOnceLock::new();
    TEXTS.get_or_init(py, || {
        let (mut by_address, mut by_text) = (FxHashMap::default(), FxHashMap::default());
        for rule in escalint::catalogue::all() {
            for text in [rule.id, rule.sop] {
                let s = by_text.entry(text).or_insert_with(|| PyString::intern(py, text).unbind());
                by_address.entry(address(text)).or_insert_with(|| s.clone_ref(py));
            }
        }
        StaticTexts { by_address, by_text }
    })
}

fn static_str<'py>(py: Python<'py>, text: &'static str) -> Bound<'py, PyString> {
    let texts = static_texts(py);
    match texts.by_address.get(&address(text)).or_else(|| texts.by_text.get(text)) {
        Some(s) => s.bind(py).clone(),
        None => PyString::new(py, text),
    }
}

fn violation<'py>(py: Python<'py>, v: &Violation) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item(intern!(py, "rule"), static_str(py, v.rule))?;
    let severity = match v.severity {
        escalint::Severity::Error => intern!(py, "error"),
        escalint::Severity::Warning => intern!(py, "warning"),
    };
    d.set_item(intern!(py, "severity"), severity)?;
    d.set_item(intern!(py, "path"), PyString::new(py, &v.path))?;
    d.set_item(intern!(py, "message"), PyString::new(py, &v.message))?;
    d.set_item(intern!(py, "sop"), static_str(py, v.sop))?;
    if let Some(hint) = &v.hint {
        d.set_item(intern!(py, "hint"), PyString::new(py, hint))?;
    }
    Ok(d)
}

fn violations<'py>(py: Python<'py>, vs: &[Violation]) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for v in vs {
        list.append(violation(py, v)?)?;
    }
    Ok(list)
}

fn step<'py>(py: Python<'py>, s: &Step) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item(intern!(py, "action"), PyString::new(py, s.action.as_str()))?;
    d.set_item(intern!(py, "due_by"), s.due_by_text())?;
    if s.overdue {
        d.set_item(intern!(py, "overdue"), true)?;
    }
    d.set_item(intern!(py, "rule"), static_str(py, s.rule.id))?;
    d.set_item(intern!(py, "why"), PyString::new(py, &s.why))?;
    if let Some(party) = &s.party {
        d.set_item(intern!(py, "party"), PyString::new(py, party))?;
    }
    if let Some(options) = &s.options {
        d.set_item(intern!(py, "options"), PyList::new(py, options)?)?;
    }
    Ok(d)
}

/// `{id, valid, policy_version, violations}`
pub fn validation<'py>(py: Python<'py>, r: &ValidationReport) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item(intern!(py, "id"), PyString::new(py, &r.id))?;
    d.set_item(intern!(py, "valid"), r.valid)?;
    d.set_item(intern!(py, "policy_version"), PyString::new(py, &r.policy_version))?;
    d.set_item(intern!(py, "violations"), violations(py, &r.violations)?)?;
    Ok(d)
}

/// `{id, state, policy_version, steps, violations}`
pub fn next_steps<'py>(py: Python<'py>, r: &NextStepsReport) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item(intern!(py, "id"), PyString::new(py, &r.id))?;
    d.set_item(intern!(py, "state"), r.state.map(|s| PyString::new(py, s.as_str())))?;
    d.set_item(intern!(py, "policy_version"), PyString::new(py, &r.policy_version))?;
    let steps = PyList::empty(py);
    for s in &r.steps {
        steps.append(step(py, s)?)?;
    }
    d.set_item(intern!(py, "steps"), steps)?;
    d.set_item(intern!(py, "violations"), violations(py, &r.violations)?)?;
    Ok(d)
}

/// `{id, allowed, policy_version, violations}`
pub fn can_close<'py>(py: Python<'py>, r: &CanCloseReport) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item(intern!(py, "id"), PyString::new(py, &r.id))?;
    d.set_item(intern!(py, "allowed"), r.allowed)?;
    d.set_item(intern!(py, "policy_version"), PyString::new(py, &r.policy_version))?;
    d.set_item(intern!(py, "violations"), violations(py, &r.violations)?)?;
    Ok(d)
}

/// One catalogue entry: `{id, severity, scope, title, sop, source, explanation}`.
pub fn rule<'py>(py: Python<'py>, r: &RuleInfo) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item(intern!(py, "id"), r.id)?;
    d.set_item(intern!(py, "severity"), r.severity.as_str())?;
    let scope = match serde_json::to_value(r.scope) {
        Ok(Value::String(s)) => s,
        _ => format!("{:?}", r.scope),
    };
    d.set_item(intern!(py, "scope"), scope)?;
    d.set_item(intern!(py, "title"), r.title)?;
    d.set_item(intern!(py, "sop"), r.sop)?;
    d.set_item(intern!(py, "source"), r.source)?;
    d.set_item(intern!(py, "explanation"), r.explanation)?;
    Ok(d)
}
