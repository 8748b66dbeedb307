//! The Rust core's answers for a set of cases, for the Python tests to compare against
//! (bindings-python/tests/test_golden.py): the wheel must give the same answers.
//!
//! ```text
//! cargo run -p escalint-python --release --example core_answers -- OUT_DIR PATH...
//! ```
//!
//! Each PATH is a case file or a folder searched recursively for `*.json`. A case file is a
//! record (any text, even invalid JSON) or a rule fixture `{"now", "record", "proposal"?,
//! "question"?}` (tests/fixtures/rules). Writes:
//!
//! * `OUT_DIR/answers.jsonl` — one line per question asked: `{"source", "question"
//!   (validate | next_steps | can_close), "record" (text), "now" (text or null), "proposal"
//!   (text or null), "answer"}`. Every case gets all three questions (can_close without a
//!   proposal, and with the fixture's or a default one); closed cases also without `now`.
//! * `OUT_DIR/history.jsonl` and `OUT_DIR/history.json` — every record on one line / as one
//!   JSON array, with malformed lines mixed in; `OUT_DIR/history.jsonl.answers.jsonl` and
//!   `OUT_DIR/history.json.answers.jsonl` — the core's report for each case of each file
//!   (core::stream, validated at `DEFAULT_NOW`).

use escalint::Proposal;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use escalint::stream::{validate_piece, CaseReader};
use escalint::{parse_now, Engine};
use serde_json::{json, Value};

/// The proposal tried on every case (besides the case's own closing).
const DEFAULT_PROPOSAL: &str = r#"{"closed_at": "2026-11-22T16:40:00-05:00",
 "closed_by": {"agent_id": "ag-311", "role": "resolution_care_back_office"},
 "basis": "resolved", "resolved_by": "INSTALLS Inc", "final_responsibility": "installation_company",
 "reason": "Technician-No-Call No-Show", "notes": "Secondary provider completed the job."}"#;

#[path = "../../tests/support/case_files.rs"]
mod case_files;
use case_files::{collect, read_case, DEFAULT_NOW};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [out_dir, paths @ ..] = args.as_slice() else {
        eprintln!("usage: core_answers OUT_DIR PATH...");
        std::process::exit(2);
    };
    let out_dir = PathBuf::from(out_dir);
    fs::create_dir_all(&out_dir).expect("create OUT_DIR");
    let mut files = Vec::new();
    for p in paths {
        collect(Path::new(p), &mut files);
    }
    let engine = Engine::new();
    let mut answers = String::new();
    let mut questions = 0;
    for case in files.iter().map(|f| read_case(f)) {
        let closed =
            serde_json::from_str::<Value>(&case.record).ok().is_some_and(|r| r["closing"]["closed_at"].is_string());
        let mut nows = vec![case.now.clone()];
        if closed && case.now.is_some() {
            nows.push(None);
        }
        let mut proposals = vec![None, Some(case.proposal.clone().unwrap_or_else(|| DEFAULT_PROPOSAL.to_string()))];
        proposals.dedup();
        for now in &nows {
            let now_ts = now.as_deref().map(|t| parse_now(t).unwrap_or_else(|e| panic!("{}: {e}", case.source)));
            let mut ask = |question: &str, proposal: Option<&String>, answer: String| {
                let line = json!({
                    "source": case.source, "question": question, "record": case.record, "now": now,
                    "proposal": proposal, "answer": serde_json::from_str::<Value>(&answer).expect("answers are JSON"),
                });
                answers.push_str(&line.to_string());
                answers.push('\n');
                questions += 1;
            };
            ask("validate", None, engine.validate(&case.record, now_ts).to_json());
            ask("next_steps", None, engine.next_steps(&case.record, now_ts).to_json());
            for proposal in &proposals {
                let answer = engine
                    .can_close(&case.record, proposal.as_deref().map(str::as_bytes).map(Proposal::from), now_ts)
                    .to_json();
                ask("can_close", proposal.as_ref(), answer);
            }
        }
    }
    fs::write(out_dir.join("answers.jsonl"), answers).expect("write answers.jsonl");

    // The same records as one history, in both file formats, with malformed pieces mixed in.
    let one_line = |record: &str| match serde_json::from_str::<Value>(record) {
        Ok(v) => v.to_string(),
        Err(_) => record.replace(['\n', '\r'], " "),
    };
    let records: Vec<String> = files.iter().map(|f| one_line(&read_case(f).record)).collect();
    let mut lines = Vec::new();
    for (i, r) in records.iter().enumerate() {
        lines.push(r.clone());
        if i % 7 == 3 {
            lines.push("{\"id\": \"truncated\", \"events\": [".into());
            lines.push(String::new());
            lines.push("not json at all".into());
        }
    }
    lines.push("[1, 2]".into());
    let jsonl = lines.join("\n") + "\n";
    // The array holds only the records that are JSON (broken text would break the array).
    let json_records: Vec<&String> = records.iter().filter(|r| serde_json::from_str::<Value>(r).is_ok()).collect();
    let array = format!("[\n{}\n]\n", json_records.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(",\n"));
    let now = parse_now(DEFAULT_NOW).expect("DEFAULT_NOW");
    for (name, text) in [("history.jsonl", jsonl), ("history.json", array)] {
        fs::write(out_dir.join(name), &text).expect("write history");
        let mut out = fs::File::create(out_dir.join(format!("{name}.answers.jsonl"))).expect("create answers");
        for piece in CaseReader::new(text.as_bytes(), engine.limits().max_record_bytes) {
            let report = validate_piece(&engine, &piece.expect("in-memory read"), Some(now));
            writeln!(out, "{}", report.to_json()).expect("write answer");
        }
    }
    eprintln!(
        "core_answers: {} cases, {questions} answers, {} history lines in {}",
        files.len(),
        lines.len(),
        out_dir.display()
    );
}
