//! Python arguments to Rust: records (dict, str, bytes), `now`, proposals and policies.
//!
//! A dict is converted straight into the engine's JSON tree (`escalint::json::Json`, no JSON
//! text in between). The
//! conversion mirrors what `json.dumps` accepts, with two additions for analysts' data:
//! `datetime`/`date` values become their ISO 8601 text (an aware datetime is then a valid
//! timestamp; a naive one is reported by the engine as REC003, like naive text), and a float
//! NaN (pandas' "missing") becomes `null`.

use std::os::raw::c_char;

use escalint::json::{Arena, Array, Json, Object};
use escalint::record::REC001;
use escalint::report::Violation;
use escalint::{parse_now, Timestamp};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType};
use serde_json::Number;
use std::borrow::Cow;

extern "C" {
    /// In the stable ABI from Python 3.10 and exported by every CPython 3 (3.9 included) with
    /// the same signature; pyo3 only exposes it for abi3-py310+, so it is declared here. The
    /// text is cached in the string object and lives as long as it.
    fn PyUnicode_AsUTF8AndSize(unicode: *mut pyo3::ffi::PyObject, size: *mut pyo3::ffi::Py_ssize_t) -> *const c_char;
}

/// The UTF-8 text of a str object, borrowed; null (with a Python error set) for a str that is
/// not valid UTF-8 (lone surrogates).
///
/// SAFETY: `obj` must be a live str object and the GIL held; the text lives as long as `obj`.
unsafe fn utf8_of<'a>(obj: *mut pyo3::ffi::PyObject) -> Option<&'a str> {
    let mut size: pyo3::ffi::Py_ssize_t = 0;
    let data = PyUnicode_AsUTF8AndSize(obj, &mut size);
    if data.is_null() {
        return None;
    }
    Some(std::str::from_utf8_unchecked(std::slice::from_raw_parts(data as *const u8, size as usize)))
}

/// Borrow the UTF-8 text of a Python `str` without copying it.
fn str_of<'a>(s: &'a Bound<'_, PyString>) -> PyResult<&'a str> {
    // SAFETY: `s` is a live str object (we hold a reference and the GIL).
    unsafe { utf8_of(s.as_ptr()) }.ok_or_else(|| PyErr::fetch(s.py()))
}

/// `datetime.datetime` and `datetime.date`, imported once.
fn datetime_types(py: Python<'_>) -> PyResult<(&Bound<'_, PyType>, &Bound<'_, PyType>)> {
    static DATETIME: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    static DATE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    Ok((DATETIME.import(py, "datetime", "datetime")?, DATE.import(py, "datetime", "date")?))
}

/// A record as handed to the engine.
pub enum Input {
    /// JSON text (from `str` or `bytes`), parsed by the engine itself.
    Text(RecordText),
    /// A dict, already converted.
    Tree(RecordTree),
    /// A dict nested deeper than the policy allows (or a dict that contains itself).
    TooDeep,
    /// A dict the engine cannot read (a str in it holds a lone surrogate): its REC finding.
    Unreadable(Violation),
}

/// Why a value could not be converted, with the JSON Pointer of the value.
struct ConvertError {
    /// Path segments, innermost first (pushed while unwinding).
    segments: Vec<String>,
    kind: ConvertErrorKind,
}

enum ConvertErrorKind {
    Type(String),
    Value(String),
    TooDeep,
    /// A str that is not Unicode text (a lone surrogate): the message.
    NotUnicode(String),
    Python(PyErr),
}

impl ConvertError {
    fn at(mut self, segment: impl Into<String>) -> Self {
        self.segments.push(segment.into());
        self
    }

    fn pointer(&self) -> String {
        let mut out = String::new();
        for s in self.segments.iter().rev() {
            out.push('/');
            out.push_str(&s.replace('~', "~0").replace('/', "~1"));
        }
        out
    }

    fn into_pyerr(self, what: &str) -> PyErr {
        let path = self.pointer();
        let place = if path.is_empty() { what.to_string() } else { format!("{what} at {path}") };
        match self.kind {
            ConvertErrorKind::Type(m) => PyTypeError::new_err(format!("{place}: {m}")),
            ConvertErrorKind::Value(m) => PyValueError::new_err(format!("{place}: {m}")),
            ConvertErrorKind::TooDeep => PyValueError::new_err(format!("{place}: nested too deeply")),
            ConvertErrorKind::NotUnicode(m) => PyValueError::new_err(format!("{place}: {m}")),
            ConvertErrorKind::Python(e) => e,
        }
    }
}

impl From<PyErr> for ConvertError {
    fn from(e: PyErr) -> Self {
        ConvertError { segments: Vec::new(), kind: ConvertErrorKind::Python(e) }
    }
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "?".into())
}

const ACCEPTED: &str = "a case holds only dict, list, tuple, str, int, float, bool, None, date and datetime values";

/// Where the text of converted strings lives.
///
/// `Copied`: every string is copied (policies and proposals, which are converted once).
/// `Borrowed`: the tree points into the Python strings themselves and this
/// list holds a reference to each, so they live as long as the tree even if the caller's
/// dict is changed meanwhile by another thread (the GIL is released while the engine works).
enum Strings {
    Copied,
    Borrowed(Vec<Py<PyString>>),
}

impl Strings {
    fn text(&mut self, s: &Bound<'_, PyString>) -> Result<Cow<'static, str>, ConvertError> {
        let text = str_of(s).map_err(|e| match not_unicode(s, e) {
            Ok(message) => ConvertError { segments: Vec::new(), kind: ConvertErrorKind::NotUnicode(message) },
            Err(e) => e.into(),
        })?;
        match self {
            Strings::Copied => Ok(Cow::Owned(text.to_owned())),
            Strings::Borrowed(kept) => {
                kept.push(s.clone().unbind());
                // SAFETY: the text is owned by the str object, which is immutable and now kept
                // alive by `kept`; `RecordTree` keeps `kept` with the tree and only lends the
                // tree out for as long as itself lives (see `RecordTree::tree`).
                Ok(Cow::Borrowed(unsafe { &*(text as *const str) }))
            }
        }
    }
}

/// A str that cannot be UTF-8 (`e` is why): a lone surrogate is bad input, reported where it
/// is (the message says what it is); any other failure is Python's.
fn not_unicode(s: &Bound<'_, PyString>, e: PyErr) -> PyResult<String> {
    let py = s.py();
    if !e.is_instance_of::<pyo3::exceptions::PyUnicodeEncodeError>(py) {
        return Err(e);
    }
    let at = e.value(py).getattr("start").and_then(|v| v.extract::<usize>()).unwrap_or(0);
    let unit = s.call_method1("__getitem__", (at,)).and_then(|c| c.call_method0("__repr__")).map(|r| r.to_string());
    Ok(format!(
        "the text holds a lone surrogate ({}) at character {at}, which is not Unicode and cannot be JSON text; expected a str of whole characters",
        unit.unwrap_or_else(|_| "?".into())
    ))
}

/// The JSON Pointer of the first string or key (for a key, of the object holding it) of
/// `surrogatepass`-encoded JSON text that holds a lone surrogate; `None` when the text is
/// not JSON once each surrogate is replaced by a character the text does not hold.
fn surrogate_path(bytes: &[u8]) -> Option<String> {
    // A noncharacter as wide in UTF-8 as an encoded surrogate, so nothing else moves.
    const MARK: &[u8] = "\u{FDD0}".as_bytes();
    if bytes.windows(MARK.len()).any(|w| w == MARK) {
        return None;
    }
    let mut text = bytes.to_vec();
    let mut i = 0;
    while i + 2 < text.len() {
        if text[i] == 0xED && (0xA0..=0xBF).contains(&text[i + 1]) {
            text[i..i + 3].copy_from_slice(MARK);
            i += 3;
        } else {
            i += 1;
        }
    }
    let value: serde_json::Value = serde_json::from_slice(&text).ok()?;
    fn find(value: &serde_json::Value, path: &mut String) -> bool {
        let mark = "\u{FDD0}";
        match value {
            serde_json::Value::String(s) => s.contains(mark),
            serde_json::Value::Array(items) => items.iter().enumerate().any(|(i, item)| {
                let len = path.len();
                path.push_str(&format!("/{i}"));
                let found = find(item, path);
                if !found {
                    path.truncate(len);
                }
                found
            }),
            serde_json::Value::Object(map) => {
                map.keys().any(|k| k.contains(mark))
                    || map.iter().any(|(k, item)| {
                        let len = path.len();
                        path.push('/');
                        path.push_str(&k.replace('~', "~0").replace('/', "~1"));
                        let found = find(item, path);
                        if !found {
                            path.truncate(len);
                        }
                        found
                    })
            }
            _ => false,
        }
    }
    let mut path = String::new();
    find(&value, &mut path).then_some(path)
}

/// A dict record converted to the engine's tree.
pub struct RecordTree {
    /// `'static` is a promise kept by `strings` (see `Strings::text`), or for a tree in a
    /// batch's arena by the [`Batch`]; never hand it out as is.
    tree: Json<'static>,
    #[allow(dead_code)] // held for its references, not read
    strings: Strings,
}

impl RecordTree {
    /// The tree, for no longer than this `RecordTree` lives.
    pub fn tree(&self) -> &Json<'_> {
        &self.tree
    }
}

impl Input {
    /// Drop what can be dropped without the GIL (a dict's tree, copied text) and keep the
    /// rest: the references to Python objects, to be dropped with the GIL held. `None` when
    /// the input holds none (a dict copied into a batch's arena, a copied `bytearray`).
    pub fn into_references(self) -> Option<Input> {
        match self {
            Input::Tree(RecordTree { strings: Strings::Copied, .. }) | Input::TooDeep | Input::Unreadable(_) => None,
            Input::Tree(RecordTree { strings, .. }) => Some(Input::Tree(RecordTree { tree: Json::Null, strings })),
            Input::Text(RecordText { owner: None, .. }) => None,
            text @ Input::Text(_) => Some(text),
        }
    }
}

/// A record given as JSON text: borrowed from an immutable `str` / `bytes` (kept alive by a
/// reference to it) or copied (a `bytearray`, which may change).
pub struct RecordText {
    /// `'static` is a promise kept by `owner`; never hand it out as is.
    bytes: Cow<'static, [u8]>,
    #[allow(dead_code)] // held for its reference, not read
    owner: Option<Py<PyAny>>,
}

impl RecordText {
    fn borrowed(bytes: &[u8], owner: &Bound<'_, PyAny>) -> Self {
        // SAFETY: the buffer belongs to an immutable str/bytes object that `owner` keeps
        // alive for as long as this value; `bytes()` lends it for no longer than that.
        let bytes: &'static [u8] = unsafe { &*(bytes as *const [u8]) };
        RecordText { bytes: Cow::Borrowed(bytes), owner: Some(owner.clone().unbind()) }
    }

    fn copied(bytes: Vec<u8>) -> Self {
        RecordText { bytes: Cow::Owned(bytes), owner: None }
    }

    /// The text, for no longer than this `RecordText` lives.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

/// Convert a Python value to JSON, at nesting `depth` (the value's own containers count from
/// `depth + 1`), refusing containers deeper than `max_depth`.
fn to_json(
    obj: &Bound<'_, PyAny>,
    depth: usize,
    max_depth: usize,
    strings: &mut Strings,
) -> Result<Json<'static>, ConvertError> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Json::String(strings.text(s)?));
    }
    if obj.is_none() {
        return Ok(Json::Null);
    }
    if let Ok(dict) = obj.cast::<PyDict>() {
        if depth >= max_depth {
            return Err(ConvertError { segments: Vec::new(), kind: ConvertErrorKind::TooDeep });
        }
        let mut members = Vec::with_capacity(dict.len());
        for (key, item) in dict.iter() {
            let key = match key.cast::<PyString>() {
                Ok(k) => strings.text(k)?,
                Err(_) => {
                    return Err(ConvertError {
                        segments: Vec::new(),
                        kind: ConvertErrorKind::Type(format!(
                            "a key is {} ({}); JSON object keys are str",
                            type_name(&key),
                            key.repr().map(|r| r.to_string()).unwrap_or_default()
                        )),
                    })
                }
            };
            match to_json(&item, depth + 1, max_depth, strings) {
                Ok(v) => members.push((key, v)),
                Err(e) => return Err(e.at(key.into_owned())),
            }
        }
        return Ok(Json::Object(Object::new(members)));
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Json::Bool(b.is_true()));
    }
    if obj.cast::<PyInt>().is_ok() {
        return int_value(obj);
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return float_value(f.value());
    }
    if obj.cast::<PyList>().is_ok() || obj.cast::<PyTuple>().is_ok() {
        if depth >= max_depth {
            return Err(ConvertError { segments: Vec::new(), kind: ConvertErrorKind::TooDeep });
        }
        let mut items = Vec::with_capacity(obj.len().unwrap_or(0));
        for (i, item) in obj.try_iter()?.enumerate() {
            match to_json(&item?, depth + 1, max_depth, strings) {
                Ok(v) => items.push(v),
                Err(e) => return Err(e.at(i.to_string())),
            }
        }
        return Ok(Json::Array(Array::new(items)));
    }
    let (datetime, date) = datetime_types(obj.py())?;
    if obj.is_instance(datetime)? || obj.is_instance(date)? {
        let text = obj.call_method0("isoformat")?;
        return Ok(Json::String(Cow::Owned(text.extract::<String>()?)));
    }
    // Integer-like scalars (numpy.int64, …) through __index__.
    if obj.hasattr("__index__")? {
        if let Ok(i) = obj.call_method0("__index__") {
            return int_value(&i);
        }
    }
    Err(ConvertError {
        segments: Vec::new(),
        kind: ConvertErrorKind::Type(format!("a value is {}; {ACCEPTED}", type_name(obj))),
    })
}

fn int_value(obj: &Bound<'_, PyAny>) -> Result<Json<'static>, ConvertError> {
    if let Ok(i) = obj.extract::<i64>() {
        return Ok(Json::Number(i.into()));
    }
    if let Ok(u) = obj.extract::<u64>() {
        return Ok(Json::Number(u.into()));
    }
    // Beyond 64 bits: the nearest float, as json.loads → float would give.
    float_value(obj.call_method0("__float__").and_then(|f| f.extract::<f64>()).map_err(|_| ConvertError {
        segments: Vec::new(),
        kind: ConvertErrorKind::Value("an integer too large for JSON numbers".into()),
    })?)
}

fn float_value(f: f64) -> Result<Json<'static>, ConvertError> {
    if f.is_nan() {
        return Ok(Json::Null);
    }
    Number::from_f64(f).map(Json::Number).ok_or_else(|| ConvertError {
        segments: Vec::new(),
        kind: ConvertErrorKind::Value(format!("{f} is not a JSON number (infinity)")),
    })
}

/// A record argument: dict → converted value, str/bytes/bytearray → JSON text. `what` names
/// the argument in error messages ("record", "records[3]"). Text and a dict's strings are
/// borrowed, not copied, with a reference to each (see [`Strings`]): the input must be
/// dropped while the GIL is held (a reference dropped without it costs a trip through pyo3's
/// pending-decref pool). The callers read exact dicts in place first ([`held_dict`],
/// [`Batch::push`]); what comes here is what that could not read (datetimes, subclasses, …).
pub fn record_input(obj: &Bound<'_, PyAny>, max_depth: usize, what: impl Fn() -> String) -> PyResult<Input> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(match str_of(s) {
            Ok(text) => Input::Text(RecordText::borrowed(text.as_bytes(), obj)),
            // Lone surrogates: a REC001 at the path of the string (or key) that holds one,
            // as for a dict; where the text is not JSON around it either, the text as
            // `surrogatepass` encodes it, which the engine reports as it reports any text
            // that is not UTF-8 (REC001, with its line and column).
            Err(e) => {
                let message = not_unicode(s, e)?;
                let bytes = s.call_method1("encode", ("utf-8", "surrogatepass"))?;
                let bytes = bytes.cast::<PyBytes>()?.as_bytes().to_vec();
                match surrogate_path(&bytes) {
                    Some(path) if path.is_empty() => Input::Unreadable(Violation::new(&REC001, "", message)),
                    Some(path) => Input::Unreadable(Violation::new(&REC001, &path, format!("at {path}: {message}"))),
                    None => Input::Text(RecordText::copied(bytes)),
                }
            }
        });
    }
    if obj.cast::<PyDict>().is_ok() {
        let mut strings = Strings::Borrowed(Vec::new());
        return match to_json(obj, 0, max_depth, &mut strings) {
            Ok(tree) => Ok(Input::Tree(RecordTree { tree, strings })),
            Err(ConvertError { kind: ConvertErrorKind::TooDeep, .. }) => Ok(Input::TooDeep),
            Err(e @ ConvertError { kind: ConvertErrorKind::NotUnicode(_), .. }) => {
                let path = e.pointer();
                let message = match e.kind {
                    ConvertErrorKind::NotUnicode(m) if !path.is_empty() => format!("at {path}: {m}"),
                    ConvertErrorKind::NotUnicode(m) => m,
                    _ => String::new(),
                };
                Ok(Input::Unreadable(Violation::new(&REC001, &path, message)))
            }
            Err(e) => Err(e.into_pyerr(&what())),
        };
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(Input::Text(RecordText::borrowed(b.as_bytes(), obj)));
    }
    if let Ok(b) = obj.cast::<PyByteArray>() {
        return Ok(Input::Text(RecordText::copied(b.to_vec())));
    }
    Err(PyTypeError::new_err(format!(
        "{} must be a dict, or JSON text as str or bytes; got {}",
        what(),
        type_name(obj)
    )))
}

/// The records of one `validate_many` batch. The exact dicts among them (the usual case) are
/// converted into one arena, strings included: the walk allocates nothing one by one and
/// keeps no reference to a Python string, and the trees are dropped by resetting the arena.
/// Why: allocating every container on the thread that holds the GIL and freeing it on a
/// worker (mimalloc then collects the frees back on the first thread), and counting a
/// reference to every string there and back, were a quarter of that thread's time, and that
/// thread is what limits `validate_many`.
pub struct Batch {
    /// Declared before the arena, so dropped before it: trees borrow the arena.
    inputs: Vec<Input>,
    arena: Arena,
}

impl Batch {
    /// An empty batch converting into `arena` (reset, or new).
    pub fn new(arena: Arena, capacity: usize) -> Self {
        Batch { inputs: Vec::with_capacity(capacity), arena }
    }

    /// Convert one more record, as [`record_input`] does.
    pub fn push(&mut self, obj: &Bound<'_, PyAny>, max_depth: usize, what: impl Fn() -> String) -> PyResult<()> {
        // SAFETY: the tree borrows only the arena (strings are copied, `Kept::Copied`), which
        // lives as long as the inputs (field order), and is reset only after they are
        // dropped or emptied (`into_references`); moving the batch moves no arena memory.
        let arena: &'static Arena = unsafe { &*(&self.arena as *const Arena) };
        let input = match unsafe { exact_dict(obj, max_depth, Kept::Copied(arena)) } {
            Some(Ok(tree)) => Input::Tree(RecordTree { tree, strings: Strings::Copied }),
            Some(Err(TooDeep)) => Input::TooDeep,
            None => record_input(obj, max_depth, what)?,
        };
        self.inputs.push(input);
        Ok(())
    }

    pub fn inputs(&self) -> &[Input] {
        &self.inputs
    }

    pub fn is_empty(&self) -> bool {
        self.inputs.is_empty()
    }

    /// Drop the trees (no GIL needed) and give back what must be dropped with the GIL held
    /// (references to Python objects), with the arena reset for the next batch.
    pub fn into_references(self) -> (Vec<Input>, Arena) {
        /// An arena grown beyond this by unusually large records is given back, not kept.
        const KEPT_BYTES: usize = 64 << 20;
        let Batch { inputs, mut arena } = self;
        let references = inputs.into_iter().filter_map(Input::into_references).collect();
        if arena.allocated_bytes() > KEPT_BYTES {
            arena = Arena::new();
        } else {
            arena.reset();
        }
        (references, arena)
    }
}

/// A value for something other than a record (a policy, a proposal): dicts and lists only,
/// converted with a generous depth limit.
pub fn plain_value(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Json<'static>> {
    to_json(obj, 0, 64, &mut Strings::Copied).map_err(|e| e.into_pyerr(what))
}

/// An aware `datetime` as an instant, read from its fields and its offset: any tzinfo,
/// including offsets with seconds (`timezone(timedelta(seconds=37))`, a zone's local mean
/// time before 1900), which RFC 3339 text cannot carry. An offset with microseconds has no
/// instant the engine can write back, and is refused naming it.
fn aware_datetime(now: &Bound<'_, PyAny>) -> PyResult<Timestamp> {
    use chrono::{FixedOffset, NaiveDate, TimeZone};
    let offset = now.call_method0("utcoffset")?;
    let micros: i64 = offset.getattr("days")?.extract::<i64>()? * 86_400_000_000
        + offset.getattr("seconds")?.extract::<i64>()? * 1_000_000
        + offset.getattr("microseconds")?.extract::<i64>()?;
    let field = |name: &str| -> PyResult<u32> { now.getattr(name)?.extract() };
    let refused = |why: &str| {
        PyValueError::new_err(format!(
            "now: the offset {} of {} {why}",
            offset.str().map(|s| s.to_string()).unwrap_or_default(),
            now.str().map(|s| s.to_string()).unwrap_or_default()
        ))
    };
    if micros % 1_000_000 != 0 {
        return Err(refused("has a fraction of a second; offsets are whole seconds"));
    }
    let offset = i32::try_from(micros / 1_000_000)
        .ok()
        .and_then(FixedOffset::east_opt)
        .ok_or_else(|| refused("is a day or more"))?;
    let (year, month, day) = (field("year")?, field("month")?, field("day")?);
    let (hour, minute, second, micro) = (field("hour")?, field("minute")?, field("second")?, field("microsecond")?);
    let local = NaiveDate::from_ymd_opt(year as i32, month, day)
        .and_then(|d| d.and_hms_micro_opt(hour, minute, second, micro))
        .ok_or_else(|| {
            PyValueError::new_err(format!(
                "now: {} is not a date and time",
                now.str().map(|s| s.to_string()).unwrap_or_default()
            ))
        })?;
    offset.from_local_datetime(&local).single().ok_or_else(|| refused("puts it outside the calendar the engine knows"))
}

/// The `now` argument: None, an aware `datetime`, or RFC 3339 text.
pub fn now_arg(now: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Timestamp>> {
    let Some(now) = now.filter(|n| !n.is_none()) else {
        return Ok(None);
    };
    if let Ok(text) = now.cast::<PyString>() {
        return parse_now(str_of(text)?).map(Some).map_err(|e| PyValueError::new_err(e.to_string()));
    }
    let (datetime, date) = datetime_types(now.py())?;
    if now.is_instance(datetime)? {
        if now.call_method0("utcoffset")?.is_none() {
            return Err(PyValueError::new_err(format!(
                "now: the datetime {} is naive (no tzinfo); give an aware datetime, e.g. datetime.now(timezone.utc) or .replace(tzinfo=ZoneInfo(\"America/New_York\"))",
                now.str()?
            )));
        }
        return aware_datetime(now).map(Some);
    }
    if now.is_instance(date)? {
        return Err(PyTypeError::new_err(format!(
            "now must be an aware datetime or RFC 3339 text, not a date ({}): a deadline needs a time of day and an offset",
            now.str()?
        )));
    }
    Err(PyTypeError::new_err(format!("now must be an aware datetime, RFC 3339 text or None; got {}", type_name(now))))
}

/// A proposal for `can_close`: a dict (converted) or JSON text.
pub enum Proposal {
    Tree(Json<'static>),
    Text(Vec<u8>),
}

pub fn proposal_arg(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Proposal>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(None);
    };
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Some(Proposal::Text(str_of(s)?.as_bytes().to_vec())));
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(Some(Proposal::Text(b.as_bytes().to_vec())));
    }
    if obj.cast::<PyDict>().is_ok() {
        return Ok(Some(Proposal::Tree(plain_value(obj, "proposal")?)));
    }
    Err(PyTypeError::new_err(format!(
        "proposal must be a dict, JSON text (str or bytes) or None; got {}",
        type_name(obj)
    )))
}

/// The policy argument of `Engine(policy=...)` as JSON text: a dict or list (converted), str
/// or bytes of JSON, or a path (`pathlib.Path`) to a JSON file.
pub fn policy_text(obj: &Bound<'_, PyAny>) -> PyResult<Result<String, String>> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Ok(str_of(s)?.to_owned()));
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(String::from_utf8(b.as_bytes().to_vec()).map_err(|e| format!("policy bytes are not UTF-8: {e}")));
    }
    if obj.cast::<PyDict>().is_ok() || obj.cast::<PyList>().is_ok() {
        return match to_json(obj, 0, 64, &mut Strings::Copied) {
            Ok(v) => Ok(Ok(v.to_text())),
            Err(e) => Ok(Err(match e.kind {
                ConvertErrorKind::Python(err) => return Err(err),
                _ => {
                    let path = e.pointer();
                    let m = match e.kind {
                        ConvertErrorKind::Type(m) | ConvertErrorKind::Value(m) => m,
                        _ => "nested too deeply".into(),
                    };
                    format!("policy value at {}: {m}", if path.is_empty() { "/" } else { &path })
                }
            })),
        };
    }
    if obj.hasattr("__fspath__")? {
        let path: std::path::PathBuf = obj.extract()?;
        return Ok(Ok(std::fs::read_to_string(&path)?));
    }
    Err(PyTypeError::new_err(format!(
        "policy must be a dict, a list of policies, JSON text (str or bytes) or a pathlib.Path; got {}",
        type_name(obj)
    )))
}

// ---- records read in place, with the GIL held ------------------------------------------------

/// A dict record borrowed from its Python object for a call that keeps the GIL until the
/// answer is built: no copies and no references, because nothing can change or free the object
/// meanwhile. Text records are borrowed the same way, as bytes ([`held_text`]).
///
/// Why hold the GIL: one case takes microseconds; releasing and retaking the GIL costs a good
/// part of that, and with another busy Python thread retaking it can wait a whole switch
/// interval (5 ms). Bulk work (`validate_many`, `validate_file`) and large texts release it.
///
/// Soundness rests on one rule: between reading the record and dropping the borrow no Python
/// code runs — no callbacks (`isoformat`, `__index__`, subclass methods) and no allocation of
/// Python objects (which could start the cyclic GC and its finalizers). So only exact builtin
/// types are read here; anything else gives `None` and the caller takes the copying path.
pub enum Held<'a> {
    Tree(Json<'a>),
    TooDeep,
}

/// A record as the engine reads it: JSON text, a tree, or a dict nested too deeply.
#[derive(Clone, Copy)]
pub enum Source<'a> {
    Text(&'a [u8]),
    Tree(&'a Json<'a>),
    TooDeep,
    /// A record the engine cannot read, with the finding.
    Unreadable(&'a Violation),
}

impl Held<'_> {
    pub fn source(&self) -> Source<'_> {
        match self {
            Held::Tree(tree) => Source::Tree(tree),
            Held::TooDeep => Source::TooDeep,
        }
    }
}

impl Input {
    pub fn source(&self) -> Source<'_> {
        match self {
            Input::Text(text) => Source::Text(text.bytes()),
            Input::Tree(tree) => Source::Tree(tree.tree()),
            Input::TooDeep => Source::TooDeep,
            Input::Unreadable(v) => Source::Unreadable(v),
        }
    }
}

/// Text records above this size are parsed without the GIL (another thread may run meanwhile).
pub const HELD_TEXT_MAX: usize = 64 << 10;

/// A str or bytes record read in place (see [`Held`]), or `None`: another type, or a text
/// above [`HELD_TEXT_MAX`].
pub fn held_text<'a>(obj: &'a Bound<'_, PyAny>) -> Option<&'a [u8]> {
    let text = if let Ok(s) = obj.cast::<PyString>() {
        str_of(s).ok()?.as_bytes()
    } else {
        obj.cast::<PyBytes>().ok()?.as_bytes()
    };
    (text.len() <= HELD_TEXT_MAX).then_some(text)
}

/// An exact dict read in place (see [`Held`]), its strings borrowed and its containers in
/// `arena`; `None` when it must take the copying path: a dict holding other than exact
/// str/int/float/bool/None/dict/list/tuple values (or a key that is not an exact str, an
/// int beyond 64 bits, a float infinity, a str with lone surrogates), or not a dict.
pub fn held_dict<'a>(obj: &'a Bound<'_, PyAny>, max_depth: usize, arena: &'a Arena) -> Option<Held<'a>> {
    // SAFETY: `Held` is used only while the GIL is held and no Python code runs (see above).
    match unsafe { exact_dict(obj, max_depth, Kept::Borrowed(arena)) } {
        Some(Ok(tree)) => Some(Held::Tree(tree)),
        Some(Err(TooDeep)) => Some(Held::TooDeep),
        None => None,
    }
}

/// A dict nested deeper than the policy allows (or one that contains itself).
pub struct TooDeep;

/// `obj` read as a tree when it is an exact dict of exact builtin values (see [`exact_json`]);
/// `None` for anything else.
///
/// SAFETY: with [`Kept::Borrowed`] the tree borrows the dict's strings for `'t`: no longer
/// than the GIL is held with no Python code run (see [`Held`]).
unsafe fn exact_dict<'t>(
    obj: &Bound<'_, PyAny>,
    max_depth: usize,
    kept: Kept<'t>,
) -> Option<Result<Json<'t>, TooDeep>> {
    if !obj.is_exact_instance_of::<PyDict>() {
        return None;
    }
    let mut tree = Json::Null;
    // `obj` is a live object and we hold the GIL (a `Bound`).
    match exact_json(obj.as_ptr(), 0, max_depth, &mut tree, kept) {
        Ok(()) => Some(Ok(tree)),
        Err(NotExact::TooDeep) => Some(Err(TooDeep)),
        Err(NotExact::Other) => None,
    }
}

/// Where a tree read in place keeps its strings; its containers are in the arena either way,
/// so nothing is allocated, or freed, one by one.
#[derive(Clone, Copy)]
enum Kept<'a> {
    /// Borrowed from the str objects: the GIL is held as long as the tree lives (see [`Held`]).
    Borrowed(&'a Arena),
    /// Copied into the arena, which the tree then borrows (see [`Batch`]): nothing refers to a
    /// Python object, so the tree can outlive the GIL.
    Copied(&'a Arena),
}

impl<'a> Kept<'a> {
    /// A str's text as the tree holds it.
    fn text(self, text: &'a str) -> &'a str {
        match self {
            Kept::Borrowed(_) => text,
            Kept::Copied(arena) => arena.alloc_str(text),
        }
    }

    fn arena(self) -> &'a Arena {
        match self {
            Kept::Borrowed(arena) | Kept::Copied(arena) => arena,
        }
    }
}

/// Why a value was not read in place.
enum NotExact {
    TooDeep,
    Other,
}

/// Read a value of exact builtin types through the C API, with no reference counting and
/// running no Python code, into `kept`'s arena (strings borrowed or copied), and write it to
/// `out` — only on success, and without reading or dropping what `out` held.
///
/// Why written in place: values built on the stack in parts and then copied whole into their
/// vector stalled the CPU (a load spanning several smaller stores cannot be forwarded) —
/// about a third of the walk. Members and items are written straight into their vector.
///
/// SAFETY: `obj` must be live and the GIL held while it is read, and with [`Kept::Borrowed`]
/// for all of `'a`, during which no Python code may run (see [`Held`]); `out` must be valid
/// for writes and hold nothing that needs dropping. Every C call here only reads
/// (`PyUnicode_AsUTF8AndSize` may cache the UTF-8 form inside the str, which lives as long as
/// the str).
unsafe fn exact_json<'a>(
    obj: *mut pyo3::ffi::PyObject,
    depth: usize,
    max_depth: usize,
    out: *mut Json<'a>,
    kept: Kept<'a>,
) -> Result<(), NotExact> {
    use pyo3::ffi;
    use std::ptr::addr_of_mut;
    let ty = ffi::Py_TYPE(obj);
    if ty == addr_of_mut!(ffi::PyUnicode_Type) {
        out.write(Json::String(Cow::Borrowed(kept.text(exact_str(obj).ok_or(NotExact::Other)?))));
        return Ok(());
    }
    if obj == ffi::Py_None() {
        out.write(Json::Null);
        return Ok(());
    }
    if ty == addr_of_mut!(ffi::PyDict_Type) {
        if depth >= max_depth {
            return Err(NotExact::TooDeep);
        }
        let mut members = kept.arena().vec::<(Cow<'a, str>, Json<'a>)>(ffi::PyDict_Size(obj).max(0) as usize);
        let (mut pos, mut key, mut value) = (0, std::ptr::null_mut(), std::ptr::null_mut());
        while ffi::PyDict_Next(obj, &mut pos, &mut key, &mut value) != 0 {
            if ffi::Py_TYPE(key) != addr_of_mut!(ffi::PyUnicode_Type) {
                return Err(NotExact::Other);
            }
            let key_text = kept.text(exact_str(key).ok_or(NotExact::Other)?);
            members.reserve(1);
            let slot = members.as_mut_ptr().add(members.len());
            // The member counts (set_len) only once its value is written; a borrowed key
            // left behind on failure owns nothing.
            addr_of_mut!((*slot).0).write(Cow::Borrowed(key_text));
            exact_json(value, depth + 1, max_depth, addr_of_mut!((*slot).1), kept)?;
            members.set_len(members.len() + 1);
        }
        out.write(Json::Object(Object::in_arena(members)));
        return Ok(());
    }
    type GetItem = unsafe extern "C" fn(*mut ffi::PyObject, ffi::Py_ssize_t) -> *mut ffi::PyObject;
    let sequence: Option<(ffi::Py_ssize_t, GetItem)> = if ty == addr_of_mut!(ffi::PyList_Type) {
        Some((ffi::PyList_Size(obj), ffi::PyList_GetItem))
    } else if ty == addr_of_mut!(ffi::PyTuple_Type) {
        Some((ffi::PyTuple_Size(obj), ffi::PyTuple_GetItem))
    } else {
        None
    };
    if let Some((len, get_item)) = sequence {
        if depth >= max_depth {
            return Err(NotExact::TooDeep);
        }
        let mut items = kept.arena().vec::<Json<'a>>(len.max(0) as usize);
        for i in 0..len {
            let item = get_item(obj, i);
            if item.is_null() {
                ffi::PyErr_Clear();
                return Err(NotExact::Other);
            }
            items.reserve(1);
            exact_json(item, depth + 1, max_depth, items.as_mut_ptr().add(items.len()), kept)?;
            items.set_len(items.len() + 1);
        }
        out.write(Json::Array(Array::in_arena(items)));
        return Ok(());
    }
    if ty == addr_of_mut!(ffi::PyBool_Type) {
        out.write(Json::Bool(obj == ffi::Py_True()));
        return Ok(());
    }
    if ty == addr_of_mut!(ffi::PyLong_Type) {
        let mut overflow = 0;
        let i = ffi::PyLong_AsLongLongAndOverflow(obj, &mut overflow);
        if overflow != 0 || (i == -1 && !ffi::PyErr_Occurred().is_null()) {
            ffi::PyErr_Clear();
            return Err(NotExact::Other);
        }
        out.write(Json::Number(i.into()));
        return Ok(());
    }
    if ty == addr_of_mut!(ffi::PyFloat_Type) {
        out.write(float_value(ffi::PyFloat_AsDouble(obj)).map_err(|_| NotExact::Other)?);
        return Ok(());
    }
    Err(NotExact::Other)
}

/// The UTF-8 text of an exact str, borrowed; `None` (error cleared) for lone surrogates.
///
/// SAFETY: as for [`exact_json`]; `obj` is an exact str.
unsafe fn exact_str<'a>(obj: *mut pyo3::ffi::PyObject) -> Option<&'a str> {
    let text = utf8_of(obj);
    if text.is_none() {
        pyo3::ffi::PyErr_Clear();
    }
    text
}
