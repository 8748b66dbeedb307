//! Drives the `escalint` binary: every subcommand and format, stdin, damaged input, exit
//! codes, input order and one report per input line.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_escalint"))
}

fn repo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run escalint")
}

fn run_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child =
        bin().args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn");
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().expect("wait");
    writer.join().unwrap();
    out
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn clean(procedure: &str) -> String {
    let text = std::fs::read_to_string(repo(&format!("examples/cases/{procedure}/clean.json"))).unwrap();
    serde_json::from_str::<serde_json::Value>(&text).unwrap().to_string()
}

#[test]
fn validate_clean_cases_exits_0_and_prints_a_summary() {
    let input = format!("{}\n{}\n", clean("installs_escalation"), clean("leadership_request"));
    let o = run_stdin(&["validate"], input.as_bytes());
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let text = stdout(&o);
    assert!(text.contains("cases: 2   valid: 2 (100.0%)"), "{text}");
    // Standard input that is not a terminal gets no "reading standard input" hint.
    assert_eq!(String::from_utf8_lossy(&o.stderr), "");
}

/// `escalint validate` with no path on a terminal says that it waits on standard input.
/// (`script` gives it a terminal; where `script` is missing the test cannot run.)
#[test]
fn standard_input_on_a_terminal_gets_a_hint() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: no `script` to make a terminal");
        return;
    }
    let command = format!("{} validate", env!("CARGO_BIN_EXE_escalint"));
    let mut child = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn script");
    let mut out = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut seen = Vec::new();
        let mut buf = [0u8; 256];
        while let Ok(n) = std::io::Read::read(&mut out, &mut buf) {
            if n == 0 {
                break;
            }
            seen.extend_from_slice(&buf[..n]);
            if String::from_utf8_lossy(&seen).contains("Ctrl-D") {
                break;
            }
        }
        let _ = tx.send(String::from_utf8_lossy(&seen).into_owned());
    });
    let seen = rx.recv_timeout(std::time::Duration::from_secs(20)).unwrap_or_default();
    let _ = child.kill();
    let _ = child.wait();
    assert!(seen.contains("escalint: reading cases from standard input (end with Ctrl-D)"), "{seen:?}");
}

#[test]
fn every_line_gets_one_report_in_input_order() {
    let good = clean("installs_escalation");
    let bad_reason = good.replace("Technician-No-Call No-Show", "Buyer's remorse");
    let mut input = Vec::new();
    input.extend_from_slice(b"\xef\xbb\xbf");
    input.extend_from_slice(good.as_bytes());
    input.extend_from_slice(b"\r\n\n{\"id\": \"TRUNC\", \"procedure\": \"install\n");
    input.extend_from_slice(b"{\"id\": \"BADUTF\xff\xfe\"}\n");
    input.extend_from_slice(bad_reason.as_bytes());
    input.extend_from_slice(b"\n");
    input.extend_from_slice(format!("{{\"id\":\"HUGE\",\"notes\":\"{}\"}}\n", "x".repeat(50 << 20)).as_bytes());
    input.extend_from_slice(good.as_bytes()); // no final newline
    let o = run_stdin(&["validate", "--format", "jsonl", "-"], &input);
    assert_eq!(o.status.code(), Some(1));
    let lines: Vec<serde_json::Value> = stdout(&o).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 7, "one report per input line");
    let rules = |i: usize| -> Vec<String> {
        lines[i]["violations"].as_array().unwrap().iter().map(|v| v["rule"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(lines[0]["valid"], true);
    assert_eq!(rules(1), ["REC001"]);
    assert!(lines[1]["violations"][0]["message"].as_str().unwrap().starts_with("line 2:"));
    assert_eq!(rules(2), ["REC001"]);
    // A cut-off line is placed in the file, as validate_file in Python places it.
    assert!(lines[2]["violations"][0]["message"].as_str().unwrap().starts_with("line 3, column "), "{}", lines[2]);
    assert_eq!(rules(3), ["REC001"]);
    assert!(rules(4).contains(&"CL005".to_string()));
    assert_eq!(rules(5), ["REC006"]);
    assert_eq!(lines[6]["valid"], true);
}

#[test]
fn a_truncated_first_line_is_one_case_and_the_rest_is_read() {
    // The CLI's own reader took this for one pretty-printed document and reported the whole
    // input as a single broken case; the core reader keeps it JSON Lines.
    let good = clean("installs_escalation");
    let input = format!("{}\n{good}\n\n{good}\n", &good[..40]);
    let o = run_stdin(&["validate", "--format", "jsonl", "-"], input.as_bytes());
    let lines: Vec<serde_json::Value> = stdout(&o).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 4, "one report per input line");
    // The parser's message, placed in the file.
    assert!(
        lines[0]["violations"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("line 1, column 40: the JSON text ends too early"),
        "{}",
        lines[0]
    );
    assert_eq!(lines[1]["valid"], true);
    assert_eq!(lines[2]["violations"][0]["message"], "line 3: the line is blank; expected one JSON object per line");
    assert_eq!(lines[3]["valid"], true);
}

#[test]
fn json_arrays_and_single_objects_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let array = dir.path().join("cases.json");
    std::fs::write(&array, format!("[\n{},\n{}\n]\n", clean("installs_escalation"), clean("area_manager_exception")))
        .unwrap();
    let o = run(&[
        "validate",
        "--format",
        "json",
        array.to_str().unwrap(),
        repo("examples/cases/leadership_request/clean.json").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let reports: Vec<serde_json::Value> = serde_json::from_str(&stdout(&o)).unwrap();
    let ids: Vec<&str> = reports.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let id_of =
        |p: &str| serde_json::from_str::<serde_json::Value>(&clean(p)).unwrap()["id"].as_str().unwrap().to_string();
    assert_eq!(ids, [id_of("installs_escalation"), id_of("area_manager_exception"), id_of("leadership_request")]);
}

#[test]
fn directories_are_walked_and_csv_has_a_row_per_violation() {
    let o = run(&["validate", "--format", "csv", repo("examples/cases").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    let headers = rows.headers().unwrap().clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        ["file", "line", "id", "procedure", "rule", "severity", "path", "message", "sop", "hint"]
    );
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert!(records.iter().any(|r| &r[4] == "CL005"
        && &r[3] == "installs_escalation"
        && r[0].ends_with("broken-reason-of-another-party.json")));
    assert!(records.iter().all(|r| !r[0].ends_with("clean.json")), "closed clean examples give no rows");
}

#[test]
fn output_is_the_same_with_one_or_many_jobs() {
    let history = repo("examples/history.jsonl");
    let one = run(&["validate", "--format", "jsonl", "--jobs", "1", history.to_str().unwrap()]);
    let many = run(&["validate", "--format", "jsonl", "--jobs", "4", history.to_str().unwrap()]);
    assert_eq!(one.stdout, many.stdout);
    let lines = std::fs::read_to_string(&history).unwrap().lines().count();
    assert_eq!(stdout(&one).lines().count(), lines, "one report per history line");
}

#[test]
fn usage_and_io_errors_exit_2_with_advice() {
    let o = run(&["validate", "/no/such/file.jsonl"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no such file"));
    let o = run_stdin(&["validate", "--now", "yesterday"], b"");
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("RFC 3339") && err.matches("e.g.").count() == 1, "{err}");
    // -q keeps only the text summary: with the other formats it is refused, not ignored.
    for format in ["csv", "json", "jsonl"] {
        let o = run_stdin(&["validate", "-q", "--format", format], b"");
        assert_eq!(o.status.code(), Some(2), "{format}");
        assert!(String::from_utf8_lossy(&o.stderr).contains("-q only shortens the text format"));
    }
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy.json");
    std::fs::write(&policy, "{\"version\": \"x\"}").unwrap();
    let o = run_stdin(&["validate", "--policy", policy.to_str().unwrap()], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("policy"));
    let o = run(&["validate", "--format", "xml"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn validate_help_shows_examples_and_says_what_file_is() {
    let help = stdout(&run(&["validate", "--help"]));
    assert!(help.contains("Examples:\n  escalint validate examples/"), "{help}");
    let file = help.split("Arguments:").nth(1).unwrap_or_default();
    assert!(file.trim_start().starts_with("[FILE]...") && file.contains("Case files (JSON Lines,"), "{help}");
    for command in ["next-steps", "can-close"] {
        let help = stdout(&run(&[command, "--help"]));
        let file = help.split("Arguments:").nth(1).unwrap_or_default();
        assert!(file.trim_start().starts_with("<FILE>") && file.contains("A case file"), "{command}: {help}");
    }
}

#[test]
fn next_steps_and_can_close() {
    let case = repo("examples/cases/field_management_support/broken-closed-before-job-completed.json");
    let o = run(&["can-close", case.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(report["allowed"], false);
    assert!(report["violations"].as_array().unwrap().iter().any(|v| v["rule"] == "FMS032"));

    let clean = repo("examples/cases/installs_escalation/clean.json");
    let o = run(&["can-close", clean.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));

    let dir = tempfile::tempdir().unwrap();
    let proposal = dir.path().join("proposal.json");
    std::fs::write(
        &proposal,
        r#"{"closed_by": {"role": "resolution_care_back_office"}, "basis": "resolved", "resolved_by": "INSTALLS Inc",
        "final_responsibility": "customer", "reason": "Product Issue", "notes": "n"}"#,
    )
    .unwrap();
    let o = run(&["can-close", "--proposal", proposal.to_str().unwrap(), clean.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("CL005"));

    let o = run(&["next-steps", "--now", "2026-11-20T09:30:00-05:00", clean.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(report["id"], "ESC-2026-000200");
    assert!(report.get("state").is_some() && report.get("steps").is_some());

    // A broken line: every subcommand answers it in its own shape, placed in the file as
    // validate places it.
    let one_line =
        serde_json::from_str::<serde_json::Value>(&std::fs::read_to_string(&clean).unwrap()).unwrap().to_string();
    let input = format!("{one_line}\n{{\"id\": \"X\" \"procedure\"}}\n");
    let o = run_stdin(&["next-steps", "--now", "2026-11-20T09:30:00-05:00", "-"], input.as_bytes());
    let reports: Vec<serde_json::Value> = stdout(&o).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(reports.len(), 2);
    assert_eq!(o.status.code(), Some(1), "an unreadable case gets no plan (issue 17)");
    assert_eq!(reports[1]["state"], serde_json::Value::Null);
    assert_eq!(reports[1]["steps"], serde_json::json!([]));
    assert!(
        reports[1]["violations"][0]["message"].as_str().unwrap().starts_with("line 2, column 12: "),
        "{}",
        reports[1]
    );
    let o = run_stdin(&["can-close", "-"], input.as_bytes());
    assert_eq!(o.status.code(), Some(1));
    let reports: Vec<serde_json::Value> = stdout(&o).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(
        (reports[0]["allowed"].clone(), reports[1]["allowed"].clone()),
        (serde_json::json!(true), serde_json::json!(false))
    );
    assert!(
        reports[1]["violations"][0]["message"].as_str().unwrap().starts_with("line 2, column 12: "),
        "{}",
        reports[1]
    );
}

#[test]
fn rules_and_policy() {
    let o = run(&["rules"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).lines().count() >= 50);
    let o = run(&["rules", "cl005"]);
    let text = stdout(&o);
    assert!(
        text.contains("CL005") && text.contains("Closing Escalations, step 3c") && text.contains("Example finding"),
        "{text}"
    );
    // Suggestions: the same letters and number written short, a prefix, else the nearest id.
    for (typed, meant) in [
        ("CL05", "CL005"),
        ("ld10", "LD010"),
        ("FMS31", "FMS031"),
        ("cl0", "CL001"),
        ("FMS", "FMS001"),
        ("CLX005", "CL005"),
    ] {
        let o = run(&["rules", typed]);
        assert_eq!(o.status.code(), Some(2));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(&format!("no rule {typed}; did you mean {meant}?")), "{typed}: {err}");
    }
    let o = run(&["policy"]);
    let policy: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(policy["exception_codes"].as_array().unwrap().len(), 13);
}

#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    let history = repo("examples/history.jsonl");
    let mut child = bin()
        .args(["validate", "--format", "jsonl", history.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut first = [0u8; 64];
    std::io::Read::read_exact(&mut out, &mut first).unwrap();
    drop(out);
    let status = child.wait().unwrap();
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert!(err.is_empty(), "stderr: {err}");
    assert!(status.code().is_some(), "ended by a signal");
}

#[test]
fn the_readme_main_job_prints_findings_and_a_summary() {
    // `escalint validate examples/`: the bundled history plus the example case files.
    let o = run(&["validate", repo("examples").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "the history holds broken cases");
    let text = stdout(&o);
    let history_lines = std::fs::read_to_string(repo("examples/history.jsonl")).unwrap().lines().count();
    let case_files =
        ["area_manager_exception", "field_management_support", "installs_escalation", "leadership_request"]
            .iter()
            .map(|p| std::fs::read_dir(repo(&format!("examples/cases/{p}"))).unwrap().count())
            .sum::<usize>();
    assert!(
        text.contains(&format!("cases: {}", history_lines + case_files)),
        "{}",
        &text[text.len().saturating_sub(2000)..]
    );
    // A finding names file:line, the case id, the rule, the path, and the SOP citation.
    let finding = text
        .lines()
        .find(|l| l.contains("broken-reason-of-another-party.json:1:") && l.contains(" CL005 "))
        .expect("a CL005 finding");
    assert!(finding.contains("/closing/reason") && finding.contains("[Closing Escalations, step 3c]"), "{finding}");
    for heading in ["per procedure", "violations per rule", "most common closing-reason problems"] {
        assert!(text.contains(heading), "summary lacks {heading}");
    }
    let help = run(&["--help"]);
    assert!(stdout(&help).contains("Examples:") && stdout(&help).contains("Exit status"));
}

#[test]
fn many_batches_keep_every_line_in_order() {
    // Many batches of 128 cases, with blank lines and cases of 300 KB (a batch also ends at
    // 256 KiB of text): report N is line N's, whatever the jobs.
    let case: serde_json::Value = serde_json::from_str(&clean("installs_escalation")).unwrap();
    let mut input = String::new();
    let mut expected = Vec::new();
    for i in 1..=3000 {
        if i % 37 == 0 {
            input.push('\n');
            expected.push(None);
            continue;
        }
        let mut case = case.clone();
        case["id"] = format!("C-{i}").into();
        if i % 101 == 0 {
            case["attachments"] = vec!["x".repeat(60_000); 5].into();
        }
        input.push_str(&case.to_string());
        input.push('\n');
        expected.push(Some(format!("C-{i}")));
    }
    let mut outputs = Vec::new();
    for jobs in ["1", "4"] {
        let o = run_stdin(&["validate", "--format", "jsonl", "--jobs", jobs, "-"], input.as_bytes());
        assert_eq!(o.status.code(), Some(1), "blank lines are REC001 errors");
        let reports: Vec<serde_json::Value> = stdout(&o).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(reports.len(), expected.len(), "one report per line with {jobs} jobs");
        for (line, (report, id)) in reports.iter().zip(&expected).enumerate() {
            match id {
                Some(id) => assert_eq!(report["id"], id.as_str(), "line {}", line + 1),
                None => assert_eq!(
                    report["violations"][0]["message"].as_str().unwrap(),
                    format!("line {}: the line is blank; expected one JSON object per line", line + 1)
                ),
            }
        }
        outputs.push(o.stdout);
    }
    assert_eq!(outputs[0], outputs[1]);
}
