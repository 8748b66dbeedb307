//! Issue 17's command-line situations: no input is never an answer (8), and a case that
//! could not be read gets no plan (9). Also issue 23's `--now` long before the opening.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_escalint")).args(args).output().expect("run escalint")
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stdout)))
}

fn example(p: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/cases").join(p)
}

#[test]
fn can_close_and_next_steps_on_empty_input_answer_rec001_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.json");
    std::fs::write(&empty, "").unwrap();
    for command in ["can-close", "next-steps"] {
        let o = run(&[command, path(&empty)]);
        assert_eq!(o.status.code(), Some(1), "{command}: {}", stderr(&o));
        let report = json(&o);
        assert_eq!(report["violations"][0]["rule"], "REC001", "{command}: {report}");
        let message = report["violations"][0]["message"].as_str().unwrap();
        assert!(message.contains("the JSON text ends too early"), "{command}: {message}");
        if command == "can-close" {
            assert_eq!(report["allowed"], false);
        } else {
            assert_eq!(report["state"], serde_json::Value::Null);
        }
    }
}

#[test]
fn next_steps_on_unreadable_input_presents_no_plan() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{\"id\": \"ESC-1\", broken").unwrap();
    let o = run(&["next-steps", path(&broken)]);
    assert_eq!(o.status.code(), Some(1));
    let report = json(&o);
    assert_eq!(report["state"], serde_json::Value::Null, "{report}");
    assert_eq!(report["steps"], serde_json::json!([]));
    assert_eq!(report["violations"][0]["rule"], "REC001");
    // A readable case still answers with status 0.
    let o = run(&["next-steps", path(&example("leadership_request/clean.json"))]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(json(&o)["state"].is_string());
}

#[test]
fn validate_with_no_cases_found_is_a_usage_error_naming_the_endings() {
    let dir = tempfile::tempdir().unwrap();
    let empty_file = dir.path().join("empty.jsonl");
    std::fs::write(&empty_file, "").unwrap();
    let empty_dir = dir.path().join("nothing-here");
    std::fs::create_dir(&empty_dir).unwrap();
    let no_cases = dir.path().join("notes");
    std::fs::create_dir(&no_cases).unwrap();
    std::fs::write(no_cases.join("README.txt"), "not a case").unwrap();
    for target in [&empty_file, &empty_dir, &no_cases] {
        let o = run(&["validate", path(target)]);
        assert_eq!(o.status.code(), Some(2), "{}: {}", target.display(), String::from_utf8_lossy(&o.stdout));
        let err = stderr(&o);
        assert!(err.contains(&format!("no cases found in {}", target.display())), "{err}");
        assert!(err.contains(".json, .jsonl or .ndjson (any case)"), "{err}");
        assert!(!String::from_utf8_lossy(&o.stdout).contains("100.0%"), "no summary of nothing");
    }
}

#[test]
fn directory_walking_matches_endings_case_insensitively() {
    let dir = tempfile::tempdir().unwrap();
    let case = std::fs::read(example("installs_escalation/clean.json")).unwrap();
    std::fs::write(dir.path().join("CASE.JSON"), &case).unwrap();
    std::fs::write(dir.path().join("more.JsonL"), &case).unwrap();
    let o = run(&["validate", "--format", "jsonl", path(dir.path())]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(String::from_utf8_lossy(&o.stdout).lines().count(), 2, "both files read");
}

#[test]
fn next_steps_warns_when_now_is_long_before_the_opening() {
    let case = example("leadership_request/clean.json");
    let o = run(&["next-steps", "--now", "2016-11-10T12:00:00-05:00", path(&case)]);
    assert_eq!(o.status.code(), Some(0));
    let err = stderr(&o);
    assert!(err.contains("warning: --now 2016-11-10T12:00:00-05:00 is 10.0 years before case"), "{err}");
    let o = run(&["next-steps", "--now", "2026-12-01T12:00:00-05:00", path(&case)]);
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
}

#[test]
fn next_steps_marks_overdue_steps() {
    let case = example("leadership_request/clean.json");
    let text = std::fs::read_to_string(&case).unwrap();
    let mut record: serde_json::Value = serde_json::from_str(&text).unwrap();
    record["events"] = serde_json::json!([]);
    record["closing"] = serde_json::Value::Null;
    let dir = tempfile::tempdir().unwrap();
    let open = dir.path().join("open.json");
    std::fs::write(&open, record.to_string()).unwrap();
    let late = run(&["next-steps", "--now", "2026-12-01T12:00:00-05:00", path(&open)]);
    let steps = json(&late)["steps"].clone();
    assert_eq!(steps[0]["overdue"], true, "{steps}");
}
