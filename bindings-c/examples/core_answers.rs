//! Writes the Rust core's answers for a set of cases, for the C tests to compare against
//! (tests/c/test_escalint.c, `golden` test): the C library must give the same bytes.
//!
//! ```text
//! cargo run -p escalint-c --release --example core_answers -- OUT_DIR DEFAULT_PROPOSAL PATH...
//! ```
//!
//! Each PATH is a case file or a folder searched recursively for `*.json`. A case file is
//! either a record (any text, even invalid JSON: it is passed on unchanged) or a rule fixture
//! `{"now", "record", "proposal"?}` (tests/fixtures/rules). For every case it writes the
//! record text, and the core's validate, next_steps and can_close answers (without a
//! proposal, and with the fixture's proposal or else DEFAULT_PROPOSAL), and lists them in
//! OUT_DIR/manifest.tsv: `question \t record file \t now or - \t proposal file or - \t answer
//! file \t source`. A closed case is also validated without `now` (judged at its closing time).

use escalint_core::Proposal;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use escalint_core::{parse_now, Engine};
use serde_json::Value;

#[path = "../../tests/support/case_files.rs"]
mod case_files;
use case_files::{collect, read_case, Case};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [out_dir, default_proposal, paths @ ..] = args.as_slice() else {
        eprintln!("usage: core_answers OUT_DIR DEFAULT_PROPOSAL PATH...");
        std::process::exit(2);
    };
    let out_dir = PathBuf::from(out_dir);
    fs::create_dir_all(&out_dir).expect("create OUT_DIR");
    let default_proposal = fs::read_to_string(default_proposal).expect("read DEFAULT_PROPOSAL");

    let mut files = Vec::new();
    for p in paths {
        collect(Path::new(p), &mut files);
    }
    let engine = Engine::new();
    let mut manifest = String::new();
    let mut count = 0;
    for file in &files {
        let Case { source, record, now, proposal } = read_case(file);
        let proposal = proposal.unwrap_or_else(|| default_proposal.clone());
        let now_ts = now.as_deref().map(|t| parse_now(t).unwrap_or_else(|e| panic!("{}: {e}", source)));

        let stem = format!("case{count:04}");
        count += 1;
        let record_file = out_dir.join(format!("{stem}.record.json"));
        let proposal_file = out_dir.join(format!("{stem}.proposal.json"));
        fs::write(&record_file, &record).expect("write record");
        fs::write(&proposal_file, &proposal).expect("write proposal");
        let answers = [
            ("validate", None, engine.validate(&record, now_ts).to_json()),
            ("next_steps", None, engine.next_steps(&record, now_ts).to_json()),
            ("can_close", None, engine.can_close(&record, None, now_ts).to_json()),
            (
                "can_close",
                Some(&proposal_file),
                engine.can_close(&record, Some(Proposal::from(proposal.as_bytes())), now_ts).to_json(),
            ),
        ];
        let mut answers = Vec::from(answers);
        // Without `now`, a closed case is judged at its closing time: deterministic, so the
        // C library's default for a NULL `now` can be compared too.
        let closed_at = serde_json::from_str::<Value>(&record)
            .ok()
            .and_then(|r| r.pointer("/closing/closed_at").and_then(Value::as_str).map(str::to_string));
        if closed_at.is_some() {
            answers.push(("validate_default_now", None, engine.validate(&record, None).to_json()));
        }
        for (i, (question, proposal_file, answer)) in answers.into_iter().enumerate() {
            let answer_file = out_dir.join(format!("{stem}.answer{i}.json"));
            fs::write(&answer_file, answer).expect("write answer");
            let (question, now) = match question {
                "validate_default_now" => ("validate", None),
                q => (q, now.as_deref()),
            };
            let _ = writeln!(
                manifest,
                "{question}\t{}\t{}\t{}\t{}\t{}",
                record_file.display(),
                now.unwrap_or("-"),
                proposal_file.map_or("-".to_string(), |p| p.display().to_string()),
                answer_file.display(),
                source,
            );
        }
    }
    fs::write(out_dir.join("manifest.tsv"), &manifest).expect("write manifest");
    println!("core_answers: {count} cases, {} answers in {}", manifest.lines().count(), out_dir.display());
}
