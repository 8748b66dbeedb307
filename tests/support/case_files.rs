//! The case files of the bindings' golden tests, as both `core_answers` examples read them
//! (bindings-c/examples and bindings-python/examples include this file with `#[path]`): the C
//! library and the wheel are compared with the core on the same cases, read the same way.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The `now` used for cases that do not carry their own.
pub const DEFAULT_NOW: &str = "2026-11-22T12:00:00-05:00";

/// Every `*.json` file under `path` (or `path` itself), in name order.
pub fn collect(path: &Path, found: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> =
            fs::read_dir(path).expect("readable folder").map(|e| e.expect("entry").path()).collect();
        entries.sort();
        for entry in entries {
            collect(&entry, found);
        }
    } else if path.extension().is_some_and(|e| e == "json") {
        found.push(path.to_path_buf());
    }
}

/// One case: a record file as it is (any text, even invalid JSON), or a rule fixture
/// `{"now", "record", "proposal"?}` (tests/fixtures/rules) unpacked.
pub struct Case {
    pub source: String,
    pub record: String,
    pub now: Option<String>,
    pub proposal: Option<String>,
}

pub fn read_case(file: &Path) -> Case {
    let text = fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let parsed: Option<Value> = serde_json::from_str(&text).ok();
    let source = file.display().to_string();
    match parsed.as_ref().filter(|v| v.get("record").is_some() && v.get("now").is_some()) {
        Some(f) => Case {
            source,
            record: match &f["record"] {
                Value::String(raw) => raw.clone(),
                other => other.to_string(),
            },
            now: f["now"].as_str().map(str::to_string),
            proposal: f.get("proposal").filter(|p| !p.is_null()).map(Value::to_string),
        },
        None => Case { source, record: text, now: Some(DEFAULT_NOW.to_string()), proposal: None },
    }
}
