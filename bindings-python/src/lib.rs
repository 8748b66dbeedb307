//! The `escalint` Python module (docs/python.md): `Engine`, the module-level functions on a
//! default engine, `rules()`, `policy()`, `PolicyError` and `__version__`.
//!
//! Built by maturin into the `escalint` wheel as `escalint._escalint`; the package's
//! `__init__.py` re-exports it. Answers are plain dicts and lists built directly from the
//! core's report structs. Single calls keep the GIL for their few microseconds and read the
//! record in place (see to_rust::Held); `validate_many` / `validate_file` release it and use
//! every core (rayon).

mod arrow;
mod summarize;
mod table;
mod to_python;
mod to_rust;
/// mimalloc (as polars does in its wheel): a batch of records is converted on this thread and
/// freed on the pool's; the system allocator spent ~20% of `validate_many` on such frees.
/// Only Rust's own allocations go through it; Python objects stay with Python's allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::collections::VecDeque;
use std::fs::File;
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex, OnceLock};

use escalint::json::{with_arena, Arena};
use escalint::pipeline::{Deliver, Pipeline};
use escalint::record::{Unreadable, REC006};
use escalint::stream::{self, validate_piece, CaseReader};
use escalint::{Engine, Timestamp, ValidationReport, Violation};
use pyo3::create_exception;
use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use rayon::prelude::*;

use to_rust::{held_dict, held_text, now_arg, policy_text, proposal_arg, record_input, Batch, Input, Proposal, Source};

create_exception!(
    escalint,
    PolicyError,
    PyValueError,
    "A policy was refused when the engine was built: malformed JSON, a missing or wrong field, \
     duplicate labels, or two versions with the same effective date. The message names the problem."
);

/// Records converted (with the GIL) per batch of `validate_many`, before they are validated in
/// parallel (without it); signals (Ctrl-C) are checked between batches.
const MANY_BATCH: usize = 256;

fn default_engine() -> &'static Arc<Engine> {
    static DEFAULT: OnceLock<Arc<Engine>> = OnceLock::new();
    DEFAULT.get_or_init(|| Arc::new(Engine::new()))
}

// ---- the three questions on a converted input --------------------------------------------

fn too_deep(engine: &Engine) -> Violation {
    // The same finding as the engine's check of JSON text (record::check_text_limits).
    Violation::new(
        &REC006,
        "",
        format!("the record nests deeper than {} levels (policy limits.max_depth)", engine.limits().max_depth),
    )
}

/// A converted record as the engine's input: a dict nested too deeply is a case that could not
/// be read.
fn case<'a>(engine: &Engine, source: Source<'a>) -> escalint::Input<'a> {
    match source {
        Source::Text(text) => text.into(),
        Source::Tree(tree) => tree.into(),
        Source::TooDeep => Unreadable { id: String::new(), problems: vec![too_deep(engine)] }.into(),
        Source::Unreadable(v) => Unreadable { id: String::new(), problems: vec![v.clone()] }.into(),
    }
}

/// A converted proposal as the engine takes it.
fn proposal_of(proposal: &Proposal) -> escalint::Proposal<'_> {
    match proposal {
        Proposal::Tree(tree) => tree.into(),
        Proposal::Text(text) => text.into(),
    }
}

// ---- shared by the Engine methods and the module functions ---------------------------------

/// Answer `ask` about one record. Read in place with the GIL held when it can be (exact
/// builtin types, text up to 64 KiB: see to_rust::Held); otherwise converted, and answered
/// with the GIL released. Every other argument must be converted before this is called:
/// converting may run Python code, which must not run while a record is borrowed.
fn answer<R: Send>(
    py: Python<'_>,
    engine: &Engine,
    record: &Bound<'_, PyAny>,
    ask: impl Fn(Source<'_>) -> R + Send + Sync,
) -> PyResult<R> {
    let max_depth = engine.limits().max_depth;
    // Answered and the borrow dropped before any Python object is built.
    if record.is_exact_instance_of::<PyDict>() {
        // The tree's containers in this thread's arena (reset afterwards). Only for a dict: a
        // text's own parse takes the arena, and would have to make a fresh one.
        if let Some(answer) = with_arena(|arena| held_dict(record, max_depth, arena).map(|held| ask(held.source()))) {
            return Ok(answer);
        }
    } else if let Some(text) = held_text(record) {
        return Ok(ask(Source::Text(text)));
    }
    let input = record_input(record, max_depth, || "record".to_string())?;
    // `input` is only lent to the engine, so it is dropped here, with the GIL held: a dict's
    // tree keeps references to the dict's strings (see to_rust::Strings).
    Ok(py.detach(|| ask(input.source())))
}

fn validate_with<'py>(
    py: Python<'py>,
    engine: &Engine,
    record: &Bound<'py, PyAny>,
    now: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let now = now_arg(now)?;
    let mut report = answer(py, engine, record, |input| engine.validate(case(engine, input), now))?;
    path_hint(record, &mut report.violations);
    to_python::validation(py, &report)
}

fn next_steps_with<'py>(
    py: Python<'py>,
    engine: &Engine,
    record: &Bound<'py, PyAny>,
    now: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let now = now_arg(now)?;
    let mut report = answer(py, engine, record, |input| engine.next_steps(case(engine, input), now))?;
    path_hint(record, &mut report.violations);
    to_python::next_steps(py, &report)
}

fn can_close_with<'py>(
    py: Python<'py>,
    engine: &Engine,
    record: &Bound<'py, PyAny>,
    proposal: Option<&Bound<'py, PyAny>>,
    now: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let now = now_arg(now)?;
    let proposal = proposal_arg(proposal)?;
    let mut report = answer(py, engine, record, |input| {
        engine.can_close(case(engine, input), proposal.as_ref().map(proposal_of), now)
    })?;
    path_hint(record, &mut report.violations);
    to_python::can_close(py, &report)
}

/// EISDIR (21 on Linux and macOS alike), as `open()` reports a directory.
const EISDIR: i32 = 21;

/// A str record that is not JSON but names a file was meant as a path: its REC001 says so.
fn path_hint(record: &Bound<'_, PyAny>, violations: &mut [Violation]) {
    let Some(rec001) = violations.iter_mut().find(|v| v.rule == "REC001") else { return };
    if !record.is_instance_of::<pyo3::types::PyString>() {
        return;
    }
    let Ok(text) = record.extract::<String>() else { return };
    if let Some(path) = names_a_file(&text) {
        rec001.hint = Some(format!(
            "{path} is a file: validate_file({path:?}) reads a file of cases; validate() takes one case (a dict, or its JSON text)"
        ));
    }
}

/// `text` as a path, when it is short, one line, not JSON-looking, and names an existing file.
fn names_a_file(text: &str) -> Option<&str> {
    let text = text.trim();
    let plausible = !text.is_empty() && text.len() <= 4096 && !text.contains('\n') && !text.starts_with(['{', '[']);
    (plausible && std::path::Path::new(text).is_file()).then_some(text)
}

/// An `OSError` as `open()` raises it, with `errno`, `strerror` and `filename` set; Python picks
/// the subclass from the errno (`FileNotFoundError`, `PermissionError`, `IsADirectoryError`, …).
fn os_error(e: io::Error, path: &std::path::Path) -> PyErr {
    let filename = path.to_string_lossy().into_owned();
    match e.raw_os_error() {
        Some(code) => {
            let text = e.to_string();
            let strerror = text.split(" (os error").next().unwrap_or(&text).to_string();
            pyo3::exceptions::PyOSError::new_err((code, strerror, filename))
        }
        None => pyo3::exceptions::PyOSError::new_err(format!("{filename}: {e}")),
    }
}

/// Python's cyclic garbage collector, paused while `validate_many` builds its reports.
///
/// Why: every report adds container objects, and each time enough have been added the
/// collector walks every tracked object — the caller's records included. For a list of dict
/// records that walking was ~40% of `validate_many`'s time. The reports hold no reference
/// cycles (reference counting frees them), so nothing is lost by pausing; the collector is
/// switched back on when the call ends, however it ends, if it was on before.
struct GcPause<'py> {
    gc: Option<Bound<'py, PyModule>>,
}

impl<'py> GcPause<'py> {
    fn new(py: Python<'py>) -> PyResult<Self> {
        let gc = py.import("gc")?;
        if gc.call_method0("isenabled")?.is_truthy()? {
            gc.call_method0("disable")?;
            Ok(GcPause { gc: Some(gc) })
        } else {
            Ok(GcPause { gc: None })
        }
    }
}

impl Drop for GcPause<'_> {
    fn drop(&mut self) {
        if let Some(gc) = &self.gc {
            if let Err(e) = gc.call_method0("enable") {
                e.write_unraisable(gc.py(), None);
            }
        }
    }
}

/// A `validate_many` batch back from the pool: its reports, what of its records must be dropped
/// with the GIL held, and its arena for the next batch.
type Validated = (Vec<ValidationReport>, Vec<Input>, Arena);

fn validate_many_with<'py>(
    py: Python<'py>,
    engine: &Arc<Engine>,
    records: &Bound<'py, PyAny>,
    now: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyList>> {
    let now = now_arg(now)?;
    let _gc_paused = GcPause::new(py)?;
    if record_like(records) {
        return Err(PyTypeError::new_err(
            "records must be an iterable of records (a list of dicts or JSON texts); for one record use validate()",
        ));
    }
    let mut items = records.try_iter().map_err(|_| {
        PyTypeError::new_err(format!(
            "records must be an iterable of records; got {}",
            records.get_type().name().map(|n| n.to_string()).unwrap_or_default()
        ))
    })?;
    let max_depth = engine.limits().max_depth;
    let out = PyList::empty(py);
    let mut index = 0usize;
    // A pipeline: while the rayon pool validates batch k (no GIL needed), this thread turns
    // the reports of batch k-1 into dicts and converts batch k+1.
    // The batch comes back with its reports, to be dropped here with the GIL held: its text
    // records, and dicts that took the converting path, hold references to Python objects
    // (see to_rust::RecordText and RecordTree; dicts read in place were copied, see Batch).
    let mut pending: Option<mpsc::Receiver<Validated>> = None;
    // Arenas come back with their batch's reports and are converted into again.
    let mut spare_arenas: Vec<Arena> = Vec::new();
    loop {
        let mut batch = Batch::new(spare_arenas.pop().unwrap_or_default(), MANY_BATCH);
        for item in items.by_ref().take(MANY_BATCH) {
            let item = item?;
            let i = index;
            batch.push(&item, max_depth, || format!("records[{i}]"))?;
            index += 1;
        }
        let done = match pending.take() {
            Some(rx) => {
                Some(py.detach(move || rx.recv()).map_err(|_| PyRuntimeError::new_err("a validation batch failed"))?)
            }
            None => None,
        };
        if !batch.is_empty() {
            let (tx, rx) = mpsc::channel();
            let engine = Arc::clone(engine);
            rayon::spawn(move || {
                let reports: Vec<ValidationReport> = batch
                    .inputs()
                    .par_iter()
                    .map(|input| engine.validate(case(&engine, input.source()), now))
                    .collect();
                // The trees are dropped here, off the thread that holds the GIL.
                let (references, arena) = batch.into_references();
                let _ = tx.send((reports, references, arena));
            });
            pending = Some(rx);
        }
        if let Some((reports, inputs, arena)) = done {
            drop(inputs);
            spare_arenas.push(arena);
            for report in &reports {
                out.append(to_python::validation(py, report)?)?;
            }
            // Freed by the pool that allocated them: this thread is the bottleneck.
            rayon::spawn(move || drop(reports));
        }
        py.check_signals()?;
        if pending.is_none() {
            break;
        }
    }
    Ok(out)
}

/// A single record passed where a batch is expected (its iteration would give keys or characters).
fn record_like(obj: &Bound<'_, PyAny>) -> bool {
    obj.is_instance_of::<PyDict>()
        || obj.is_instance_of::<pyo3::types::PyString>()
        || obj.is_instance_of::<pyo3::types::PyBytes>()
        || obj.is_instance_of::<pyo3::types::PyByteArray>()
}

/// How often a thread waiting on the file (opening a FIFO, reading `/dev/zero`) looks for
/// Ctrl-C and other signals.
const SIGNAL_CHECK: std::time::Duration = std::time::Duration::from_millis(50);

/// Wait for `rx` without the GIL, looking for signals every [`SIGNAL_CHECK`]: a signal's
/// exception (KeyboardInterrupt) ends the wait.
fn recv_interruptibly<T: Send>(py: Python<'_>, rx: &Mutex<mpsc::Receiver<T>>) -> PyResult<T> {
    loop {
        let got = py.detach(|| rx.lock().unwrap_or_else(|e| e.into_inner()).recv_timeout(SIGNAL_CHECK));
        match got {
            Ok(value) => return Ok(value),
            Err(mpsc::RecvTimeoutError::Timeout) => py.check_signals()?,
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err(PyRuntimeError::new_err("reading the file failed"))
            }
        }
    }
}

/// Open a file without holding the GIL. A FIFO's open blocks until a writer comes: it is
/// opened on a thread of its own while this one waits for signals, so Ctrl-C ends the wait
/// (the opening thread then ends when a writer comes, or with the process).
fn open_interruptibly(py: Python<'_>, path: &std::path::Path) -> PyResult<File> {
    let regular =
        py.detach(|| std::fs::metadata(path).map(|m| m.is_file() || m.is_dir())).map_err(|e| os_error(e, path))?;
    if regular {
        return py.detach(|| File::open(path)).map_err(|e| os_error(e, path));
    }
    let (tx, rx) = mpsc::channel();
    let owned = path.to_path_buf();
    std::thread::spawn(move || {
        let _ = tx.send(File::open(owned));
    });
    recv_interruptibly(py, &Mutex::new(rx))?.map_err(|e| os_error(e, path))
}

/// A file that fails its next read once the iterator reading it is interrupted or dropped,
/// so that a batch being read in the background (from `/dev/zero`, say) stops.
struct Cancellable {
    file: File,
    cancelled: Arc<AtomicBool>,
}

impl io::Read for Cancellable {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.cancelled.load(Ordering::Relaxed) {
            return Err(io::Error::other("validate_file was interrupted"));
        }
        io::Read::read(&mut self.file, buf)
    }
}

fn validate_file_with(
    engine: &Arc<Engine>,
    path: &Bound<'_, PyAny>,
    now: Option<&Bound<'_, PyAny>>,
) -> PyResult<ReportIterator> {
    let now = now_arg(now)?;
    let py = path.py();
    let path: std::path::PathBuf = path.extract().map_err(|_| {
        PyTypeError::new_err(format!(
            "path must be a str or os.PathLike; got {}",
            path.get_type().name().map(|n| n.to_string()).unwrap_or_default()
        ))
    })?;
    let file = open_interruptibly(py, &path)?;
    if file.metadata().map_err(|e| os_error(e, &path))?.is_dir() {
        return Err(os_error(io::Error::from_raw_os_error(EISDIR), &path));
    }
    let cancelled = Arc::new(AtomicBool::new(false));
    let layout = stream::Layout::of_path(&path);
    let file = Cancellable { file, cancelled: Arc::clone(&cancelled) };
    Ok(ReportIterator {
        engine: Arc::clone(engine),
        reader: Some(CaseReader::with_layout(file, engine.limits().max_record_bytes, layout)),
        cancelled,
        now,
        ready: VecDeque::new(),
        batches: None,
        failure: None,
    })
}

// ---- Engine ------------------------------------------------------------------------------

/// An escalint rules engine: the embedded policy, or the policy you give.
///
/// ``Engine()`` uses the embedded policy. ``Engine(policy=...)`` takes a policy as a dict, a
/// list of policy dicts (several versions: each case is judged by the version in force when
/// it was opened), JSON text (str or bytes) or a ``pathlib.Path`` to a JSON file; a malformed
/// policy raises ``PolicyError``. ``select`` / ``ignore``: rule ids or prefixes (``["CL"]``,
/// ``["TM00", "CL007"]``), as linters take them: only the selected rules' findings are
/// reported (the most specific entry decides; the record rules REC run unless ignored);
/// ``rules_not_run`` says which do not. An engine is immutable: share one between threads.
#[pyclass(frozen, module = "escalint", name = "Engine")]
struct PyEngine {
    engine: Arc<Engine>,
}

#[pymethods]
impl PyEngine {
    #[new]
    #[pyo3(signature = (policy = None, select = None, ignore = None))]
    fn new(
        py: Python<'_>,
        policy: Option<&Bound<'_, PyAny>>,
        select: Option<Vec<String>>,
        ignore: Option<Vec<String>>,
    ) -> PyResult<Self> {
        let selection =
            escalint::selection::RuleSelection::new(&select.unwrap_or_default(), &ignore.unwrap_or_default())
                .map_err(|e| PyValueError::new_err(e.to_string()))?;
        let engine = match policy.filter(|p| !p.is_none()) {
            None if selection.is_all() => return Ok(PyEngine { engine: Arc::clone(default_engine()) }),
            None => Engine::new(),
            Some(policy) => {
                let text = policy_text(policy)?.map_err(PolicyError::new_err)?;
                py.detach(|| Engine::from_policy_json(&text)).map_err(|e| {
                    // A str that is not JSON but names a file was meant as a path.
                    let as_path = policy.cast::<pyo3::types::PyString>().ok().and_then(|_| names_a_file(&text));
                    match as_path {
                        Some(path) => PolicyError::new_err(format!(
                            "{e}; {path} is a file: pass pathlib.Path({path:?}) to read a policy from it"
                        )),
                        None => PolicyError::new_err(e.to_string()),
                    }
                })?
            }
        };
        Ok(PyEngine { engine: Arc::new(engine.with_selection(selection)) })
    }

    /// The rules this engine does not run (their findings are never reported): families
    /// (``"TM"``) when none of them runs, else ids. Empty when every rule runs.
    #[getter]
    fn rules_not_run(&self) -> Vec<String> {
        self.engine.selection().not_run()
    }

    /// Check a case against the procedures.
    ///
    /// ``record``: a dict, or JSON text (str or bytes). ``now``: an aware datetime or RFC 3339
    /// text; default: the closing time of a closed case, else the current time.
    /// Returns ``{"id", "valid", "policy_version", "violations": [{"rule", "severity",
    /// "path", "message", "sop", "hint"?}]}``. A record that is not a case (bad JSON, missing
    /// fields, wrong types) is a report with REC violations, not an exception.
    #[pyo3(signature = (record, now = None))]
    fn validate<'py>(
        &self,
        py: Python<'py>,
        record: &Bound<'py, PyAny>,
        now: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        validate_with(py, &self.engine, record, now)
    }

    /// What the agent must do next, and by when.
    ///
    /// Returns ``{"id", "state", "policy_version", "steps": [{"action", "due_by", "rule",
    /// "why", "party"?, "options"?}], "violations"}``; ``violations`` holds only the record
    /// problems (REC) that stop planning.
    #[pyo3(signature = (record, now = None))]
    fn next_steps<'py>(
        &self,
        py: Python<'py>,
        record: &Bound<'py, PyAny>,
        now: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        next_steps_with(py, &self.engine, record, now)
    }

    /// May the case be closed, by this person, with these values?
    ///
    /// ``proposal``: the proposed closing (dict or JSON text); when None, the record's own
    /// ``closing`` is judged. ``now`` defaults to the closing's time, else the current time.
    /// Returns ``{"id", "allowed", "policy_version", "violations"}``.
    #[pyo3(signature = (record, proposal = None, now = None))]
    fn can_close<'py>(
        &self,
        py: Python<'py>,
        record: &Bound<'py, PyAny>,
        proposal: Option<&Bound<'py, PyAny>>,
        now: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        can_close_with(py, &self.engine, record, proposal, now)
    }

    /// Validate many records (any iterable of dicts or JSON texts) on every core.
    ///
    /// Returns the reports in input order. The records are converted in batches; each batch
    /// is validated in parallel without the GIL. Ctrl-C (KeyboardInterrupt) is honoured
    /// between batches. Python's cyclic garbage collector is paused during the call (and
    /// restored after it): the reports hold no cycles.
    #[pyo3(signature = (records, now = None))]
    fn validate_many<'py>(
        &self,
        py: Python<'py>,
        records: &Bound<'py, PyAny>,
        now: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyList>> {
        validate_many_with(py, &self.engine, records, now)
    }

    /// Validate every case of a file, lazily: JSON Lines, or a JSON array (chosen by the
    /// first character), streamed in constant memory.
    ///
    /// Yields one report per case, in file order. A line that is not a case is reported
    /// (REC001, its line number in the message); nothing is skipped. The file is opened now
    /// (``OSError`` if it cannot be); cases are read and validated in parallel batches.
    #[pyo3(signature = (path, now = None))]
    fn validate_file(&self, path: &Bound<'_, PyAny>, now: Option<&Bound<'_, PyAny>>) -> PyResult<ReportIterator> {
        validate_file_with(&self.engine, path, now)
    }

    /// Validate a column of cases held in Arrow data, on every core without the GIL.
    ///
    /// ``data``: a pyarrow ``Table`` or ``RecordBatch``, a polars or pandas ``DataFrame``, a
    /// DuckDB result: anything with ``__arrow_c_stream__`` or ``__arrow_c_array__``. Its
    /// ``column`` holds one case per row as JSON text (string or binary; a null row is a REC001
    /// report). Returns a pyarrow ``Table``, one row per input row in input order: ``id``,
    /// ``valid``, ``policy_version``, ``violations`` (list of struct ``rule, severity, path,
    /// message, sop, hint``). Needs pyarrow (``pip install 'escalint[arrow]'``).
    #[pyo3(signature = (data, column = "case", now = None))]
    fn validate_arrow<'py>(
        &self,
        py: Python<'py>,
        data: &Bound<'py, PyAny>,
        column: &str,
        now: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let question = arrow::Validate { engine: &self.engine, now: now_arg(now)? };
        arrow::answer_arrow(py, &question, data, column, None)
    }

    /// ``next_steps`` for a column of cases held in Arrow data (see ``validate_arrow``).
    ///
    /// Returns a pyarrow ``Table``: ``id``, ``state``, ``policy_version``, ``steps`` (list of
    /// struct ``action, due_by, rule, why, party, options``), ``violations``.
    #[pyo3(signature = (data, column = "case", now = None))]
    fn next_steps_arrow<'py>(
        &self,
        py: Python<'py>,
        data: &Bound<'py, PyAny>,
        column: &str,
        now: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let question = arrow::NextSteps { engine: &self.engine, now: now_arg(now)? };
        arrow::answer_arrow(py, &question, data, column, None)
    }

    /// ``can_close`` for a column of cases held in Arrow data (see ``validate_arrow``).
    ///
    /// ``proposal_column``: a column of proposed closings as JSON text (a null row: the case's
    /// own ``closing`` is judged); None judges every case's own closing. Returns a pyarrow
    /// ``Table``: ``id``, ``allowed``, ``policy_version``, ``violations``.
    #[pyo3(signature = (data, column = "case", proposal_column = None, now = None))]
    fn can_close_arrow<'py>(
        &self,
        py: Python<'py>,
        data: &Bound<'py, PyAny>,
        column: &str,
        proposal_column: Option<&str>,
        now: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let question = arrow::CanClose { engine: &self.engine, now: now_arg(now)? };
        arrow::answer_arrow(py, &question, data, column, proposal_column)
    }

    /// The policy versions this engine holds, oldest first.
    #[getter]
    fn policy_versions(&self) -> Vec<String> {
        self.engine.policies().iter().map(|p| p.version().to_string()).collect()
    }

    fn __repr__(&self) -> String {
        format!("<escalint.Engine policy {}>", self.policy_versions().join(", "))
    }
}

// ---- validate_file's iterator ------------------------------------------------------------

/// The reports of a file, one per case, in file order (from ``validate_file``).
#[pyclass(module = "escalint")]
struct ReportIterator {
    engine: Arc<Engine>,
    /// The file, until the first report is asked for (the core's pipeline then reads it on a
    /// thread of its own).
    reader: Option<CaseReader<Cancellable>>,
    /// Set when the iteration is interrupted or dropped: the reader stops.
    cancelled: Arc<AtomicBool>,
    now: Option<Timestamp>,
    ready: VecDeque<ValidationReport>,
    /// The pipeline's batches of reports, in file order, then the end of the file. In a Mutex
    /// only because a pyclass must be Sync; it is used by one thread at a time.
    batches: Option<Mutex<mpsc::Receiver<FileBatch>>>,
    /// A read error, raised once the reports before it have been yielded.
    failure: Option<io::Error>,
}

/// What the pipeline sends the iterator.
enum FileBatch {
    /// The reports of a batch of cases.
    Reports(Vec<ValidationReport>),
    /// The end of the file, or the read error that ended it.
    End(io::Result<()>),
}

/// Reports gathered per batch of the pipeline and sent to the iterator: one message per
/// batch, not per case. A send fails once the iterator is gone, and the pipeline stops.
struct Sender {
    tx: mpsc::SyncSender<FileBatch>,
    reports: Vec<ValidationReport>,
}

impl Deliver<ValidationReport> for Sender {
    type Error = ();

    fn deliver(&mut self, report: ValidationReport) -> Result<(), ()> {
        self.reports.push(report);
        Ok(())
    }

    fn batch_delivered(&mut self, _consumed: u64) -> Result<(), ()> {
        self.tx.send(FileBatch::Reports(std::mem::take(&mut self.reports))).map_err(drop)
    }
}

impl ReportIterator {
    /// Start the pipeline on the file, if not started yet: it validates the file's cases in
    /// parallel (a worker per thread of the rayon pool) while the reports are handed out.
    fn start(&mut self) {
        let Some(reader) = self.reader.take() else { return };
        // One batch waiting to be handed out; the pipeline holds a few more.
        let (tx, rx) = mpsc::sync_channel(1);
        let (engine, now) = (Arc::clone(&self.engine), self.now);
        std::thread::spawn(move || {
            let mut sender = Sender { tx, reports: Vec::new() };
            let judge = |piece: stream::PieceRef<'_>| validate_piece(&engine, piece, now);
            // A worker that failed, or an iterator gone: the channel closes without an end.
            if let Ok(read) = Pipeline::new(rayon::current_num_threads()).run(reader, judge, &mut sender) {
                let _ = sender.tx.send(FileBatch::End(read));
            }
        });
        self.batches = Some(Mutex::new(rx));
    }
}

#[pymethods]
impl ReportIterator {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(mut slf: PyRefMut<'py, Self>, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        slf.start();
        while slf.ready.is_empty() {
            let Some(batches) = slf.batches.take() else { break };
            let batch = recv_interruptibly(py, &batches).inspect_err(|_| {
                // The file being read is abandoned; its reader stops at its next read.
                slf.cancelled.store(true, Ordering::Relaxed);
            })?;
            match batch {
                FileBatch::Reports(reports) => {
                    slf.ready.extend(reports);
                    slf.batches = Some(batches);
                }
                FileBatch::End(read) => slf.failure = read.err(),
            }
        }
        if let Some(report) = slf.ready.pop_front() {
            return to_python::validation(py, &report).map(Some);
        }
        match slf.failure.take() {
            Some(e) => Err(e.into()),
            None => Ok(None),
        }
    }
}

impl Drop for ReportIterator {
    fn drop(&mut self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }
}

// ---- module functions (on the default engine) ---------------------------------------------

/// Check a case against the procedures, with the embedded policy. See ``Engine.validate``.
#[pyfunction]
#[pyo3(signature = (record, now = None))]
fn validate<'py>(
    py: Python<'py>,
    record: &Bound<'py, PyAny>,
    now: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    validate_with(py, default_engine(), record, now)
}

/// What the agent must do next, with the embedded policy. See ``Engine.next_steps``.
#[pyfunction]
#[pyo3(signature = (record, now = None))]
fn next_steps<'py>(
    py: Python<'py>,
    record: &Bound<'py, PyAny>,
    now: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    next_steps_with(py, default_engine(), record, now)
}

/// May the case be closed, with the embedded policy? See ``Engine.can_close``.
#[pyfunction]
#[pyo3(signature = (record, proposal = None, now = None))]
fn can_close<'py>(
    py: Python<'py>,
    record: &Bound<'py, PyAny>,
    proposal: Option<&Bound<'py, PyAny>>,
    now: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    can_close_with(py, default_engine(), record, proposal, now)
}

/// Validate many records on every core, with the embedded policy. See ``Engine.validate_many``.
#[pyfunction]
#[pyo3(signature = (records, now = None))]
fn validate_many<'py>(
    py: Python<'py>,
    records: &Bound<'py, PyAny>,
    now: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyList>> {
    validate_many_with(py, default_engine(), records, now)
}

/// Validate every case of a JSON Lines or JSON array file, lazily, with the embedded policy.
/// See ``Engine.validate_file``.
#[pyfunction]
#[pyo3(signature = (path, now = None))]
fn validate_file(path: &Bound<'_, PyAny>, now: Option<&Bound<'_, PyAny>>) -> PyResult<ReportIterator> {
    validate_file_with(default_engine(), path, now)
}

/// The rule catalogue, sorted by id: ``[{"id", "severity", "scope", "title", "sop",
/// "source", "explanation"}]`` (``source``: the procedure's words; ``explanation``: how the
/// rule reads them).
#[pyfunction]
fn rules(py: Python<'_>) -> PyResult<Bound<'_, PyList>> {
    let list = PyList::empty(py);
    for rule in escalint::catalogue::all() {
        list.append(to_python::rule(py, rule)?)?;
    }
    Ok(list)
}

/// The embedded policy document as a dict (a fresh copy: edit it and pass it to
/// ``Engine(policy=...)``).
#[pyfunction]
fn policy(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    // json.loads keeps the document's key order (serde_json's map would sort it).
    py.import("json")?.call_method1("loads", (escalint::policy::DEFAULT_POLICY_JSON,))
}

/// A summary to fill in, for ``summarize``: broken down ``by`` these dimensions, cases judged
/// as of ``now`` with ``engine``'s policy (default: the embedded one).
#[pyfunction]
#[pyo3(signature = (by, now = None, engine = None))]
fn _summarizer(
    by: Vec<String>,
    now: Option<&Bound<'_, PyAny>>,
    engine: Option<PyRef<'_, PyEngine>>,
) -> PyResult<summarize::Summarizer> {
    let engine = engine.map(|e| Arc::clone(&e.engine)).unwrap_or_else(|| Arc::clone(default_engine()));
    summarize::Summarizer::with_engine(engine, by, now)
}

/// escalint: check home-services escalation cases against the procedures.
#[pymodule]
fn _escalint(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", escalint::VERSION)?;
    m.add("PolicyError", py.get_type::<PolicyError>())?;
    m.add_class::<PyEngine>()?;
    m.add_class::<ReportIterator>()?;
    m.add_function(wrap_pyfunction!(validate, m)?)?;
    m.add_function(wrap_pyfunction!(next_steps, m)?)?;
    m.add_function(wrap_pyfunction!(can_close, m)?)?;
    m.add_function(wrap_pyfunction!(validate_many, m)?)?;
    m.add_function(wrap_pyfunction!(validate_file, m)?)?;
    m.add_function(wrap_pyfunction!(rules, m)?)?;
    m.add_function(wrap_pyfunction!(policy, m)?)?;
    m.add_class::<summarize::Summarizer>()?;
    m.add("MappingWarning", py.get_type::<table::MappingWarning>())?;
    m.add_class::<table::TableIterator>()?;
    m.add_function(wrap_pyfunction!(table::read_table, m)?)?;
    m.add_function(wrap_pyfunction!(_summarizer, m)?)?;
    Ok(())
}
