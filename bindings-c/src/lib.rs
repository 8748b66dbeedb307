//! The C ABI of escalint (docs/c-api.md): `libescalint.so` / `libescalint.a` and the header
//! `include/escalint.h`, which `build.rs` generates from this file with cbindgen. The doc
//! comments below are the header's comments: they are the C programmer's only manual.
//!
//! Every entry point follows one pattern: check the pointers, decode the text as UTF-8,
//! parse `now`, then run the engine inside `catch_unwind`, so that no Rust panic ever
//! unwinds into C. Answers and errors are JSON strings allocated here and released with
//! `escalint_string_free`. The engine is immutable (`Send + Sync`), so calls from many
//! threads on one engine share it without any lock.

// The C names are the contract's (`escalint_engine`), not Rust's naming style.
#![allow(non_camel_case_types)]
// The extern functions' pointer rules are written in their doc comments, in C terms, because
// those comments become the header; a Rust `# Safety` heading would only confuse C readers.
#![allow(clippy::missing_safety_doc)]

use escalint_core::Proposal;
use std::ffi::{c_char, c_int, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use escalint_core::{parse_now, Engine, Timestamp};

/// The result codes of `escalint_validate`, `escalint_next_steps` and `escalint_can_close`
/// (which return them as `int`): 0 for success, negative for an error.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum escalint_status {
    /// Success: `*out` holds the answer (a report; an invalid record is a report too).
    ESCALINT_OK = 0,
    /// A required pointer argument (`engine`, `record_json` or `out`) was NULL.
    ESCALINT_ERR_NULL_ARGUMENT = -1,
    /// `record_json`, `proposal_json` or `now` is not valid UTF-8.
    ESCALINT_ERR_INVALID_UTF8 = -2,
    /// `now` is not an RFC 3339 timestamp with an offset, e.g. "2026-11-20T09:15:00-05:00".
    ESCALINT_ERR_BAD_NOW = -3,
    /// An internal fault (a bug in escalint, caught before it could cross into C). The
    /// engine stays usable; please report the input that caused it.
    ESCALINT_ERR_INTERNAL = -4,
}

pub use escalint_status::*;

impl escalint_status {
    fn name(self) -> &'static str {
        match self {
            ESCALINT_OK => "ESCALINT_OK",
            ESCALINT_ERR_NULL_ARGUMENT => "ESCALINT_ERR_NULL_ARGUMENT",
            ESCALINT_ERR_INVALID_UTF8 => "ESCALINT_ERR_INVALID_UTF8",
            ESCALINT_ERR_BAD_NOW => "ESCALINT_ERR_BAD_NOW",
            ESCALINT_ERR_INTERNAL => "ESCALINT_ERR_INTERNAL",
        }
    }
}

/// `now` texts longer than this are refused without being echoed in the message.
const MAX_NOW_LEN: usize = 64;

/// An immutable rules engine: the procedures' rules and one or more policy versions.
/// Opaque: create it with `escalint_engine_new` or `escalint_engine_from_policy`, release it
/// with `escalint_engine_free`. Thread-safe: one engine may be used by any number of
/// threads at once, without locking, as long as no thread frees it while others use it.
pub struct escalint_engine {
    engine: Engine,
}

/// Why a call failed: one of the `ESCALINT_ERR_*` codes and a message for people.
struct Failure {
    code: escalint_status,
    message: String,
}

impl Failure {
    fn new(code: escalint_status, message: impl Into<String>) -> Self {
        Failure { code, message: message.into() }
    }

    /// `{"error": {"code": -3, "name": "ESCALINT_ERR_BAD_NOW", "message": "…"}}`
    fn to_json(&self) -> String {
        // Written by hand to keep the keys in this order (serde_json's map would sort them).
        let message = serde_json::Value::String(self.message.clone());
        format!(r#"{{"error":{{"code":{},"name":"{}","message":{message}}}}}"#, self.code as c_int, self.code.name())
    }
}

/// The message of a caught panic.
fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    let detail = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".to_string());
    format!("internal error in escalint (please report the input): {detail}")
}

/// A Rust string handed to C; free with `escalint_string_free`. Interior NULs cannot occur in
/// the JSON the engine writes (serde escapes control characters), nor in our messages, but a
/// C string cannot carry them, so they are dropped rather than risk a panic.
fn into_c_string(text: String) -> *mut c_char {
    let c = CString::new(text).unwrap_or_else(|e| {
        let mut bytes = e.into_vec();
        bytes.retain(|&b| b != 0);
        CString::new(bytes).unwrap_or_default()
    });
    c.into_raw()
}

/// A required text argument, as `&str`.
///
/// # Safety
/// `text` is NULL or points to a NUL-terminated string that outlives the call.
unsafe fn text_arg<'a>(text: *const c_char, name: &str) -> Result<&'a str, Failure> {
    if text.is_null() {
        return Err(Failure::new(
            ESCALINT_ERR_NULL_ARGUMENT,
            format!("{name} is NULL; expected a NUL-terminated UTF-8 string"),
        ));
    }
    optional_text_arg(text, name).map(|t| t.unwrap_or_default())
}

/// An optional text argument: NULL is `None`.
///
/// # Safety
/// As for [`text_arg`].
unsafe fn optional_text_arg<'a>(text: *const c_char, name: &str) -> Result<Option<&'a str>, Failure> {
    if text.is_null() {
        return Ok(None);
    }
    let bytes = CStr::from_ptr(text).to_bytes();
    std::str::from_utf8(bytes).map(Some).map_err(|e| {
        Failure::new(
            ESCALINT_ERR_INVALID_UTF8,
            format!(
                "{name} is not valid UTF-8: invalid byte 0x{:02x} at offset {}",
                bytes[e.valid_up_to()],
                e.valid_up_to()
            ),
        )
    })
}

/// The `now` argument: NULL means "default" (the closing time of a closed case, else the
/// current time).
///
/// # Safety
/// As for [`text_arg`].
unsafe fn now_arg(now: *const c_char) -> Result<Option<Timestamp>, Failure> {
    let Some(text) = optional_text_arg(now, "now")? else { return Ok(None) };
    if text.len() > MAX_NOW_LEN {
        return Err(Failure::new(
            ESCALINT_ERR_BAD_NOW,
            format!("now is {} bytes long; expected an RFC 3339 timestamp with an offset, e.g. \"2026-11-20T09:15:00-05:00\"", text.len()),
        ));
    }
    parse_now(text).map(Some).map_err(|e| Failure::new(ESCALINT_ERR_BAD_NOW, e.to_string()))
}

/// The engine behind the handle.
///
/// # Safety
/// `engine` is NULL or was returned by `escalint_engine_new`/`_from_policy` and not freed.
unsafe fn engine_arg<'a>(engine: *const escalint_engine) -> Result<&'a Engine, Failure> {
    engine.as_ref().map(|e| &e.engine).ok_or_else(|| {
        Failure::new(ESCALINT_ERR_NULL_ARGUMENT, "engine is NULL; create one with escalint_engine_new()")
    })
}

/// Run `compute` with panics caught, and hand its JSON answer (or the error JSON) to C.
///
/// # Safety
/// `out` is NULL or points to writable storage for one pointer.
unsafe fn answer(out: *mut *mut c_char, compute: impl FnOnce() -> Result<String, Failure>) -> c_int {
    if out.is_null() {
        return ESCALINT_ERR_NULL_ARGUMENT as c_int;
    }
    *out = ptr::null_mut();
    let result = catch_unwind(AssertUnwindSafe(compute))
        .unwrap_or_else(|payload| Err(Failure::new(ESCALINT_ERR_INTERNAL, panic_message(payload))));
    match result {
        Ok(json) => {
            *out = into_c_string(json);
            ESCALINT_OK as c_int
        }
        Err(failure) => {
            *out = into_c_string(failure.to_json());
            failure.code as c_int
        }
    }
}

#[cfg(feature = "fault-injection")]
static INJECT_PANIC: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Test hook (feature `fault-injection` only, not in the header): while `on` is non-zero,
/// every engine call panics inside the library, to prove the panic never reaches C.
#[cfg(feature = "fault-injection")]
#[no_mangle]
pub extern "C" fn escalint_test_inject_panic(on: c_int) {
    INJECT_PANIC.store(on != 0, std::sync::atomic::Ordering::SeqCst);
}

#[inline]
fn injected_fault() {
    #[cfg(feature = "fault-injection")]
    if INJECT_PANIC.load(std::sync::atomic::Ordering::SeqCst) {
        panic!("injected fault (escalint_test_inject_panic)");
    }
}

/// Create an engine with the embedded policy (the procedures' taxonomies and thresholds as
/// shipped with this version of the library).
///
/// Returns a new engine, owned by the caller: release it with `escalint_engine_free`.
/// Returns NULL only on an internal fault (never expected).
#[no_mangle]
pub extern "C" fn escalint_engine_new() -> *mut escalint_engine {
    catch_unwind(|| {
        injected_fault();
        Box::into_raw(Box::new(escalint_engine { engine: Engine::new() }))
    })
    .unwrap_or(ptr::null_mut())
}

/// Create an engine with the caller's policy instead of the embedded one.
///
/// `policy_json`: NUL-terminated UTF-8 JSON: one policy object, a list of policy objects, or
/// `{"policies": [...]}`. With several versions, each case is judged by the version in force
/// on the local date it was opened. The text is only read during the call.
///
/// `error_out`: may be NULL. Otherwise it is set to NULL on success, and on failure to a
/// newly allocated, NUL-terminated plain-text message naming the problem (e.g.
/// `policy field thresholds.update_interval_hours: ...`), which the caller must release with
/// `escalint_string_free`.
///
/// Returns a new engine, owned by the caller (release it with `escalint_engine_free`), or
/// NULL when `policy_json` is NULL, not UTF-8, not valid JSON, or not a valid policy. A
/// malformed policy is refused whole; it never half-loads.
#[no_mangle]
pub unsafe extern "C" fn escalint_engine_from_policy(
    policy_json: *const c_char,
    error_out: *mut *mut c_char,
) -> *mut escalint_engine {
    if !error_out.is_null() {
        *error_out = ptr::null_mut();
    }
    let built = catch_unwind(AssertUnwindSafe(|| {
        injected_fault();
        let text = text_arg(policy_json, "policy_json").map_err(|f| f.message)?;
        Engine::from_policy_json(text).map_err(|e| e.to_string())
    }))
    .unwrap_or_else(|payload| Err(panic_message(payload)));
    match built {
        Ok(engine) => Box::into_raw(Box::new(escalint_engine { engine })),
        Err(message) => {
            if !error_out.is_null() {
                *error_out = into_c_string(message);
            }
            ptr::null_mut()
        }
    }
}

/// A copy of `engine` that runs only some rules, as linters choose them.
///
/// `select`, `ignore`: NUL-terminated UTF-8 lists of rule ids or prefixes separated by
/// commas (`"CL"`, `"TM00,CL007"`), or NULL for none. Without `select` every rule runs; the
/// most specific entry decides, `ignore` winning between equals; the record rules (REC) run
/// unless ignored. Findings of the rules that do not run are never reported, so `valid` and
/// `allowed` follow the selection. `engine` itself is unchanged (and still the caller's).
///
/// `error_out`: as for `escalint_engine_from_policy` (NULL on success; on failure a message
/// naming the entry that is no rule id or prefix, with the closest one).
///
/// Returns a new engine, owned by the caller (release it with `escalint_engine_free`), or
/// NULL when `engine` is NULL, a list is not UTF-8, or an entry names no rule.
#[no_mangle]
pub unsafe extern "C" fn escalint_engine_with_rules(
    engine: *const escalint_engine,
    select: *const c_char,
    ignore: *const c_char,
    error_out: *mut *mut c_char,
) -> *mut escalint_engine {
    if !error_out.is_null() {
        *error_out = ptr::null_mut();
    }
    let built = catch_unwind(AssertUnwindSafe(|| {
        let engine = engine.as_ref().ok_or_else(|| "engine is NULL".to_string())?;
        let list = |text: *const c_char, name: &str| -> Result<Vec<String>, String> {
            if text.is_null() {
                return Ok(Vec::new());
            }
            let text = text_arg(text, name).map_err(|f| f.message)?;
            Ok(text.split(',').map(str::trim).filter(|e| !e.is_empty()).map(str::to_string).collect())
        };
        let selection =
            escalint_core::selection::RuleSelection::new(&list(select, "select")?, &list(ignore, "ignore")?)
                .map_err(|e| e.to_string())?;
        Ok(engine.engine.clone().with_selection(selection))
    }))
    .unwrap_or_else(|payload| Err(panic_message(payload)));
    match built {
        Ok(engine) => Box::into_raw(Box::new(escalint_engine { engine })),
        Err(message) => {
            if !error_out.is_null() {
                *error_out = into_c_string(message);
            }
            ptr::null_mut()
        }
    }
}

/// Release an engine. NULL is ignored. The engine must not be in use by another thread,
/// and must not be used or freed again afterwards. Answers already returned stay valid
/// (they are independent strings).
#[no_mangle]
pub unsafe extern "C" fn escalint_engine_free(engine: *mut escalint_engine) {
    if !engine.is_null() {
        // Dropping an engine cannot panic in practice; if it ever did, leak rather than unwind.
        let _ = catch_unwind(AssertUnwindSafe(|| drop(Box::from_raw(engine))));
    }
}

/// validate: does this case follow the procedures?
///
/// `engine`: from `escalint_engine_new`/`_from_policy`; not NULL.
/// `record_json`: the case, one JSON object as NUL-terminated UTF-8 text; not NULL.
/// `now`: RFC 3339 timestamp with an offset ("2026-11-20T09:15:00-05:00"), or NULL for the
///   default: the closing time of a closed case, else the current time.
/// `out`: where the answer goes; not NULL. Always written (NULL first, then the string).
///
/// Returns `ESCALINT_OK` (0), and `*out` is the report
/// `{"id", "valid", "policy_version", "violations": [{"rule", "severity", "path",
/// "message", "sop", "hint"?}]}`. A record that is not JSON, or breaks the rules, is still
/// `ESCALINT_OK`: the report says so (REC001 ... and `"valid": false`).
///
/// Errors (negative; `*out` is then `{"error": {"code", "name", "message"}}`):
/// `ESCALINT_ERR_NULL_ARGUMENT` (engine or record_json NULL; if `out` itself is NULL the
/// code is returned and nothing is written), `ESCALINT_ERR_INVALID_UTF8`,
/// `ESCALINT_ERR_BAD_NOW`, `ESCALINT_ERR_INTERNAL`.
///
/// Ownership: the caller owns `*out` and releases it with `escalint_string_free` (on
/// success and on error). The inputs are only read during the call.
#[no_mangle]
pub unsafe extern "C" fn escalint_validate(
    engine: *const escalint_engine,
    record_json: *const c_char,
    now: *const c_char,
    out: *mut *mut c_char,
) -> c_int {
    answer(out, || {
        let engine = engine_arg(engine)?;
        let record = text_arg(record_json, "record_json")?;
        let now = now_arg(now)?;
        injected_fault();
        Ok(engine.validate(record, now).to_json())
    })
}

/// next_steps: what must the agent do next, and by when?
///
/// Arguments, return codes and ownership exactly as for `escalint_validate`.
///
/// On `ESCALINT_OK`, `*out` is `{"id", "state", "policy_version", "steps": [{"action",
/// "due_by", "overdue"?, "rule", "why", "party"?, "options"?}], "violations"}`; `state` is one
/// of `not_opened`, `open`, `waiting`, `ready_to_close`, `closed`, or null (and no steps) for a
/// record that could not be read; `overdue` is true on a step due at or before `now`; steps
/// come most urgent first; `violations` holds only the record problems (REC*) that stop
/// planning.
#[no_mangle]
pub unsafe extern "C" fn escalint_next_steps(
    engine: *const escalint_engine,
    record_json: *const c_char,
    now: *const c_char,
    out: *mut *mut c_char,
) -> c_int {
    answer(out, || {
        let engine = engine_arg(engine)?;
        let record = text_arg(record_json, "record_json")?;
        let now = now_arg(now)?;
        injected_fault();
        Ok(engine.next_steps(record, now).to_json())
    })
}

/// can_close: may this case be closed now, by this person, with these values?
///
/// `proposal_json`: the proposed closing as a JSON object (`{"closed_at"?, "closed_by":
///   {"agent_id", "role"}, "basis", "resolved_by", "final_responsibility", "reason",
///   "notes"}`), or NULL to judge the record's own `closing`. A proposal that is not a
///   valid JSON object is reported in the answer (REC001 at `/closing`), not an error.
/// `now`: as for `escalint_validate`, but the default is the proposal's `closed_at`, then the
///   record's closing time, then the current time.
/// Other arguments, return codes and ownership exactly as for `escalint_validate`
/// (`ESCALINT_ERR_INVALID_UTF8` also covers `proposal_json`).
///
/// On `ESCALINT_OK`, `*out` is `{"id", "allowed", "policy_version", "violations"}`.
#[no_mangle]
pub unsafe extern "C" fn escalint_can_close(
    engine: *const escalint_engine,
    record_json: *const c_char,
    proposal_json: *const c_char,
    now: *const c_char,
    out: *mut *mut c_char,
) -> c_int {
    answer(out, || {
        let engine = engine_arg(engine)?;
        let record = text_arg(record_json, "record_json")?;
        let proposal = optional_text_arg(proposal_json, "proposal_json")?;
        let now = now_arg(now)?;
        injected_fault();
        Ok(engine.can_close(record, proposal.map(Proposal::from), now).to_json())
    })
}

/// Release a string returned by this library (an answer, an error, or a policy error
/// message). NULL is ignored. Never pass these strings to `free()`, and never release one
/// twice; never pass a string this library did not return.
#[no_mangle]
pub unsafe extern "C" fn escalint_string_free(s: *mut c_char) {
    if !s.is_null() {
        drop(CString::from_raw(s));
    }
}

/// The library version, e.g. "0.1.0": a static string owned by the library. Do not free it.
#[no_mangle]
pub extern "C" fn escalint_version() -> *const c_char {
    VERSION_C.as_ptr().cast()
}

const VERSION_C: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");

#[cfg(test)]
mod tests {
    use super::*;

    unsafe fn take(s: *mut c_char) -> String {
        let text = CStr::from_ptr(s).to_str().unwrap().to_string();
        escalint_string_free(s);
        text
    }

    #[test]
    fn version_matches_the_core() {
        let v = unsafe { CStr::from_ptr(escalint_version()) }.to_str().unwrap();
        assert_eq!(v, escalint_core::VERSION);
    }

    #[test]
    fn a_panic_becomes_an_internal_error() {
        let mut out = ptr::null_mut();
        let code = unsafe { answer(&mut out, || panic!("boom")) };
        assert_eq!(code, ESCALINT_ERR_INTERNAL as c_int);
        let json: serde_json::Value = serde_json::from_str(&unsafe { take(out) }).unwrap();
        assert_eq!(json["error"]["code"], ESCALINT_ERR_INTERNAL as c_int);
        assert_eq!(json["error"]["name"], "ESCALINT_ERR_INTERNAL");
        assert!(json["error"]["message"].as_str().unwrap().contains("boom"));
    }

    #[test]
    fn answers_equal_the_core() {
        let record = r#"{"id":"ESC-1","procedure":"leadership_request","opened_at":"2026-11-20T09:15:00-05:00"}"#;
        let now = "2026-11-21T09:00:00-05:00";
        let core = Engine::new().validate(record, Some(parse_now(now).unwrap())).to_json();
        let engine = escalint_engine_new();
        let (record_c, now_c) = (CString::new(record).unwrap(), CString::new(now).unwrap());
        let mut out = ptr::null_mut();
        let code = unsafe { escalint_validate(engine, record_c.as_ptr(), now_c.as_ptr(), &mut out) };
        assert_eq!(code, ESCALINT_OK as c_int);
        assert_eq!(unsafe { take(out) }, core);
        unsafe { escalint_engine_free(engine) };
    }

    #[test]
    fn interior_nul_never_panics() {
        let s = into_c_string("a\0b".to_string());
        assert_eq!(unsafe { take(s) }, "ab");
    }
}
