//! Drives the `escalint` binary on the example exports (examples/exports/): tables read
//! through a mapping, rule selection, config discovery, encodings and reports' sources.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_escalint"))
}

fn repo(path: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join(path).display().to_string()
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run escalint")
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    bin().args(args).current_dir(dir).output().expect("run escalint")
}

fn jsonl(o: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&o.stdout).lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn rules(report: &Value) -> Vec<String> {
    report["violations"].as_array().unwrap().iter().map(|v| v["rule"].as_str().unwrap().to_string()).collect()
}

fn closings(extra: &[&str]) -> Output {
    let (map, csv) = (repo("examples/exports/closings.map.toml"), repo("examples/exports/closings.csv"));
    let mut args = vec!["validate", "--format", "jsonl"];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["--map", &map, &csv]);
    run(&args)
}

#[test]
fn a_closing_export_gets_one_report_per_row_and_only_closing_findings_with_select_cl() {
    let o = closings(&["--select", "CL"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let reports = jsonl(&o);
    assert_eq!(reports.len(), 10, "one report per row");
    let csv = repo("examples/exports/closings.csv");
    for (i, r) in reports.iter().enumerate() {
        assert_eq!(r["source"], serde_json::json!({"file": csv, "line": i + 2}), "located by file and line");
        assert_eq!(r["not_run"], serde_json::json!(["AM", "FMS", "LD", "RS", "TM"]));
        assert!(!rules(r).iter().any(|x| x.starts_with("TM")), "no TM finding with --select CL: {r}");
    }
    let by_id = |id: &str| reports.iter().find(|r| r["id"] == id).unwrap();
    for (id, rule) in
        [("ESC-26-1004", "CL005"), ("ESC-26-1005", "CL001"), ("ESC-26-1006", "CL006"), ("ESC-26-1010", "CL003")]
    {
        assert_eq!(rules(by_id(id)), [rule], "{id}");
    }
    assert_eq!(rules(by_id("ESC-26-1009")), ["CL007"]);
    for id in ["ESC-26-1001", "ESC-26-1002", "ESC-26-1003", "ESC-26-1007"] {
        assert_eq!(by_id(id)["valid"], true, "{id}");
    }
    // The unmapped type: reported with its row and column, and the closest key.
    let bad = reports.iter().find(|r| r["source"]["line"] == 9).unwrap();
    let v = bad["violations"].as_array().unwrap().iter().find(|v| v["rule"] == "REC003").unwrap();
    assert!(v["message"].as_str().unwrap().contains("line 9, column \"Type\": \"Instal\" is not in the map"), "{v}");
    assert_eq!(v["hint"], "closest key: \"Install\"");
    // Without the selection, the closing-only export breaks the timeliness rules.
    let all = jsonl(&closings(&[]));
    assert!(rules(&all[0]).contains(&"TM001".to_string()));
    assert!(all[0].get("not_run").is_none());
}

#[test]
fn a_ticket_export_with_an_unsorted_event_table_is_judged_whole() {
    let o = run(&[
        "validate",
        "--format",
        "json",
        "--map",
        &repo("examples/exports/tickets.map.toml"),
        "--events",
        &repo("examples/exports/ticket-events.csv"),
        &repo("examples/exports/tickets.csv"),
    ]);
    let reports: Vec<Value> = serde_json::from_slice(&o.stdout).expect("a JSON array");
    let got: Vec<(String, Vec<String>)> =
        reports.iter().map(|r| (r["id"].as_str().unwrap().to_string(), rules(r))).collect();
    let want: Vec<(String, Vec<String>)> = [
        ("T-2001", vec![]),
        ("T-2002", vec!["TM002"]),
        ("T-2003", vec!["TM001", "TM002"]),
        ("T-2004", vec![]),
        ("T-2005", vec!["CL002"]),
    ]
    .into_iter()
    .map(|(id, r)| (id.to_string(), r.into_iter().map(str::to_string).collect()))
    .collect();
    assert_eq!(got, want);
    // next-steps and can-close read the same tables.
    let o = run(&[
        "can-close",
        "--map",
        &repo("examples/exports/tickets.map.toml"),
        "--events",
        &repo("examples/exports/ticket-events.csv"),
        &repo("examples/exports/tickets.csv"),
    ]);
    let answers = jsonl(&o);
    assert_eq!(answers.iter().map(|a| a["allowed"] == true).collect::<Vec<_>>(), [true, true, true, true, false]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn import_writes_the_cases_and_names_what_it_could_not_map() {
    let o =
        run(&["import", "--map", &repo("examples/exports/closings.map.toml"), &repo("examples/exports/closings.csv")]);
    let cases = jsonl(&o);
    assert_eq!(cases.len(), 10);
    // Naive local times in three zones, two of them on a daylight-saving day.
    assert_eq!(cases[0]["opened_at"], "2026-03-02T09:15:00-05:00", "New York");
    assert_eq!(cases[1]["opened_at"], "2026-03-08T10:00:00-05:00", "Chicago, the day clocks go forward");
    assert_eq!(cases[2]["opened_at"], "2026-11-01T09:00:00-08:00", "Los Angeles, the day clocks go back");
    assert_eq!(cases[2]["closing"]["closed_at"], "2026-11-02T11:00:00-08:00");
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("closings.csv line 9, column \"Type\""), "{}", stderr(&o));
}

#[test]
fn a_csv_without_a_mapping_is_told_how_to_map_it() {
    let o = run(&["validate", &repo("examples/exports/closings.csv")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is a table (CSV)") && stderr(&o).contains("--map MAP.toml"), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
}

#[test]
fn quiet_is_refused_with_a_machine_format() {
    let o = run(&["validate", "-q", "--format", "jsonl", &repo("examples/history.jsonl")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("-q only shortens the text format"), "{}", stderr(&o));
}

#[test]
fn a_utf16_history_validates_exactly_like_its_utf8_twin() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo("examples/history.jsonl")).unwrap();
    let utf8 = dir.path().join("history.jsonl");
    std::fs::write(&utf8, &text).unwrap();
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let utf16 = dir.path().join("history-utf16.jsonl");
    std::fs::write(&utf16, &bytes).unwrap();
    let now = "2026-11-22T12:00:00-05:00";
    let a = run(&["validate", "--format", "jsonl", "--now", now, utf8.to_str().unwrap()]);
    let b = run(&["validate", "--format", "jsonl", "--now", now, utf16.to_str().unwrap()]);
    let strip = |o: &Output| {
        jsonl(o)
            .into_iter()
            .map(|mut r| {
                r.as_object_mut().unwrap().remove("source");
                r
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(&a).len(), text.lines().count());
    assert_eq!(strip(&a), strip(&b));
    assert_eq!(a.status.code(), b.status.code());
    // Without a BOM, UTF-16 is one clear error, not one REC001 per line.
    std::fs::write(&utf16, &bytes[2..]).unwrap();
    let o = run(&["validate", utf16.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("looks like UTF-16LE without a byte-order mark"), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
}

#[test]
fn a_top_level_closed_at_gets_the_near_miss_warning() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("flat.json");
    std::fs::write(
        &case,
        r#"{"id": "F-1", "procedure": "leadership_request", "opened_at": "2026-11-20T09:15:00-05:00", "closed_at": "2026-11-21T09:00:00-05:00", "closed_by_role": "TRA"}"#,
    )
    .unwrap();
    let o = run(&["validate", "--format", "jsonl", case.to_str().unwrap()]);
    let report = &jsonl(&o)[0];
    let warnings: Vec<&Value> =
        report["violations"].as_array().unwrap().iter().filter(|v| v["rule"] == "REC007").collect();
    assert_eq!(warnings.len(), 2, "{report}");
    assert_eq!(warnings[0]["path"], "/closed_at");
    assert_eq!(warnings[0]["severity"], "warning");
    assert!(warnings[0]["message"].as_str().unwrap().contains("/closing/closed_at"));
    assert!(warnings[1]["message"].as_str().unwrap().contains("/closing/closed_by/role"));
}

#[test]
fn settings_come_from_the_nearest_config_file_and_flags_win() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("audit/2026");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::write(
        dir.path().join("pyproject.toml"),
        format!(
            "[project]\nname = \"x\"\n[tool.escalint]\nselect = [\"CL\"]\nmap = {:?}\nformat = \"jsonl\"\n",
            repo("examples/exports/closings.map.toml")
        ),
    )
    .unwrap();
    let csv = repo("examples/exports/closings.csv");
    let o = run_in(&sub, &["validate", &csv]);
    let reports = jsonl(&o);
    assert_eq!(reports.len(), 10, "map and format from [tool.escalint]: {}", stderr(&o));
    assert!(reports.iter().all(|r| !rules(r).iter().any(|x| x.starts_with("TM"))));
    // A flag wins over the file.
    let o = run_in(&sub, &["validate", "--select", "TM001", &csv]);
    assert!(jsonl(&o).iter().any(|r| rules(r) == ["TM001"]));
    let o = run_in(&sub, &["config"]);
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    let file = dir.path().join("pyproject.toml").display().to_string();
    assert!(text.contains(&format!("# config file: {file}")), "{text}");
    assert!(text.contains("select = [\"CL\"]") && text.lines().any(|l| l.starts_with("select") && l.ends_with(&file)));
    assert!(text.lines().any(|l| l.starts_with("ignore") && l.ends_with("# default")), "{text}");
    let o = run_in(&sub, &["config", "--ignore", "CL007"]);
    assert!(String::from_utf8_lossy(&o.stdout).lines().any(|l| l.starts_with("ignore") && l.ends_with("# --ignore")));
    // escalint.toml nearer than pyproject.toml wins; `rules` marks what does not run.
    std::fs::write(dir.path().join("audit/escalint.toml"), "ignore = [\"TM\"]\n").unwrap();
    let o = run_in(&sub, &["rules"]);
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(text.lines().any(|l| l.starts_with("- TM001")) && text.lines().any(|l| l.starts_with("  CL001")), "{text}");
    assert!(text.contains("not run under the selection in effect: TM"));
    // An unknown rule prefix is refused with the closest.
    let o = run(&["validate", "--select", "CLL", &repo("examples/history.jsonl")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("closest: CL"), "{}", stderr(&o));
}

#[test]
fn next_steps_plans_the_rows_of_a_table_read_through_the_mapping() {
    let dir = tempfile::tempdir().unwrap();
    let tickets = std::fs::read_to_string(repo("examples/exports/tickets.csv")).unwrap();
    let header = tickets.lines().next().unwrap();
    let cases = dir.path().join("open.csv");
    let row = |id: &str, kind: &str| {
        format!("{id},{kind},2026-11-20 09:15,America/New_York,ORD-9,Scheduled,2026-11-19,A200871,Lakeside Installs,Installs Inc.,Customer,Install Support,Tech missed the window.,,,,,,,,\n")
    };
    std::fs::write(&cases, format!("{header}\n{}{}", row("T-3001", "Installs"), row("T-3002", "Instals"))).unwrap();
    let events = dir.path().join("events.csv");
    std::fs::write(
        &events,
        "Ticket,When (UTC),Activity,With,Result,Visibility\nT-3001,2026-11-20 15:00:00,Phone call,Customer,Reached,\n",
    )
    .unwrap();
    let (map, events, cases) =
        (repo("examples/exports/tickets.map.toml"), events.display().to_string(), cases.display().to_string());
    let o = run(&["next-steps", "--now", "2026-11-20T12:00:00-05:00", "--map", &map, "--events", &events, &cases]);
    let plans = jsonl(&o);
    assert_eq!(plans.len(), 2, "one plan per row: {}", stderr(&o));
    assert_eq!(plans[0]["steps"][0]["action"], "update_escalation", "{}", plans[0]);
    assert_eq!(plans[0]["steps"][0]["due_by"], "2026-11-21T10:00:00-05:00", "24 h after the call at 15:00 UTC");
    let unmapped = plans[1]["violations"].as_array().unwrap().iter().find(|v| v["rule"] == "REC003").unwrap();
    assert!(
        unmapped["message"].as_str().unwrap().contains("open.csv line 3, column \"Type\": \"Instals\""),
        "{unmapped}"
    );
}

#[test]
fn the_audit_report_reads_a_table_through_the_mapping_and_names_the_rules_not_run() {
    let dir = tempfile::tempdir().unwrap();
    let (map, csv) = (repo("examples/exports/closings.map.toml"), repo("examples/exports/closings.csv"));
    let page = |select: &[&str]| {
        let out = dir.path().join("audit.html");
        let mut args = vec!["report", "--no-progress", "--now", "2026-11-22T12:00:00-05:00"];
        args.extend_from_slice(select);
        let out_arg = out.display().to_string();
        args.extend_from_slice(&["--map", &map, &csv, "-o", &out_arg]);
        let o = run(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        std::fs::read_to_string(out).unwrap()
    };
    let selected = page(&["--select", "CL"]);
    assert!(selected.contains(r#"data-metric="cases" data-value="10""#), "one case per row");
    assert!(
        selected.contains(r#"data-metric="not-run">Rules not run (the selection in effect: --select, --ignore or the config file): AM, FMS, LD, RS, TM</p>"#),
        "the page says which rules did not run"
    );
    assert!(!page(&[]).contains(r#"data-metric="not-run""#), "every rule ran");
}

#[test]
fn a_windows_1252_table_is_one_error_naming_the_encoding() {
    // The closing export as a spreadsheet saves it in Windows-1252: its en dashes are 0x96.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo("examples/exports/closings.csv")).unwrap();
    assert!(text.contains('–'));
    let bytes: Vec<u8> = text.chars().map(|c| if c == '–' { 0x96 } else { c as u8 }).collect();
    let csv = dir.path().join("closings-1252.csv");
    std::fs::write(&csv, bytes).unwrap();
    let o = run(&["validate", "--map", &repo("examples/exports/closings.map.toml"), csv.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("closings-1252.csv: not UTF-8") && err.contains("it looks like Windows-1252"), "{err}");
    assert_eq!(err.lines().count(), 1, "one error: {err}");
    assert!(o.stdout.is_empty());
}
