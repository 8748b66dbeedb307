//! `validate --by` against counts made here from the input and the JSON Lines reports, the
//! csv and json tables agreeing, and summaries bounded in memory on a million distinct
//! servicers and closing reasons.

use std::collections::BTreeMap;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use chrono::{DateTime, Datelike};
use serde_json::Value;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_escalint"))
}

fn repo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

const DIMS: [&str; 9] =
    ["month", "week", "procedure", "rule", "servicer", "region", "closer", "responsibility", "reason"];

/// Lower-case alphanumeric words joined by `_`, apostrophes dropped (the label folding of
/// the record format), written here again so the test does not use the engine's.
fn fold(text: &str) -> String {
    let mut out = String::new();
    let mut gap = false;
    for ch in text.chars() {
        if matches!(ch, '\'' | '\u{2019}' | '\u{2018}' | '`') {
            continue;
        }
        if ch.is_alphanumeric() {
            if gap && !out.is_empty() {
                out.push('_');
            }
            gap = false;
            out.extend(ch.to_lowercase());
        } else {
            gap = true;
        }
    }
    out
}

fn text_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    let mut v = v;
    for p in path {
        v = v.get(p)?;
    }
    v.as_str()
}

/// The key of a case in a dimension, from its JSON.
fn key(case: Option<&Value>, dim: &str) -> String {
    let none = || "(none)".to_string();
    let Some(case) = case else { return none() };
    let local = || {
        let opened = DateTime::parse_from_rfc3339(text_at(case, &["opened_at"])?).ok()?;
        Some(match text_at(case, &["timezone"]).and_then(|z| z.parse::<chrono_tz::Tz>().ok()) {
            Some(tz) => opened.with_timezone(&tz).date_naive(),
            None => opened.date_naive(),
        })
    };
    let folded = |path: &[&str]| text_at(case, path).map(fold).filter(|k| !k.is_empty());
    let found = match dim {
        "month" => local().map(|d| format!("{:04}-{:02}", d.year(), d.month())),
        "week" => local().map(|d| format!("{:04}-W{:02}", d.iso_week().year(), d.iso_week().week())),
        "procedure" => text_at(case, &["procedure"]).map(str::to_string),
        "servicer" => text_at(case, &["order", "servicer", "name"])
            .filter(|n| !n.trim().is_empty())
            .or_else(|| text_at(case, &["order", "servicer", "a_number"]))
            .map(|s| s.trim().to_string()),
        "region" => match case.get("market_manager") {
            None | Some(Value::Null) => None,
            Some(mm) if mm.get("name").is_none_or(Value::is_null) => Some("(no Market Manager)".into()),
            Some(mm) => Some(
                mm.get("region")
                    .and_then(Value::as_str)
                    .filter(|r| !r.trim().is_empty())
                    .map(|r| r.trim().to_string())
                    .unwrap_or_else(|| "(region not given)".into()),
            ),
        },
        "closer" => folded(&["closing", "closed_by", "role"]),
        "responsibility" => folded(&["closing", "final_responsibility"]),
        "reason" => folded(&["closing", "reason"]),
        _ => unreachable!(),
    };
    found.unwrap_or_else(none)
}

#[derive(Default, Debug, PartialEq)]
struct Tally {
    cases: u64,
    with_errors: u64,
    warnings_only: u64,
    violations: u64,
}

#[test]
fn breakdowns_equal_counts_made_from_the_input_and_the_reports() {
    let history = repo("examples/history.jsonl");
    let text = std::fs::read_to_string(&history).unwrap();
    let jsonl = bin().args(["validate", "--format", "jsonl"]).arg(&history).output().unwrap();
    let reports: Vec<Value> =
        String::from_utf8(jsonl.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(reports.len(), text.lines().count());

    let mut expected: BTreeMap<&str, BTreeMap<String, Tally>> = BTreeMap::new();
    let mut total = Tally::default();
    for (line, report) in text.lines().zip(&reports) {
        let case: Option<Value> = serde_json::from_str(line).ok().filter(Value::is_object);
        let violations = report["violations"].as_array().unwrap();
        let errors = violations.iter().any(|v| v["severity"] == "error");
        let add = |t: &mut Tally| {
            t.cases += 1;
            t.with_errors += errors as u64;
            t.warnings_only += (!errors && !violations.is_empty()) as u64;
            t.violations += violations.len() as u64;
        };
        add(&mut total);
        for dim in DIMS {
            let keys: Vec<String> = if dim == "rule" {
                let mut rules: Vec<String> =
                    violations.iter().map(|v| v["rule"].as_str().unwrap().to_string()).collect();
                rules.dedup();
                rules
            } else {
                vec![key(case.as_ref(), dim)]
            };
            for k in keys {
                add(expected.entry(dim).or_default().entry(k).or_default());
            }
        }
    }

    let out = bin()
        .args(["validate", "--summary-format", "json", "--top", "1000000", "--by", &DIMS.join(",")])
        .arg(&history)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let got: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(got["cases"], total.cases);
    assert_eq!(got["with_errors"], total.with_errors);
    assert_eq!(got["warnings_only"], total.warnings_only);
    assert_eq!(got["violations"], total.violations);
    for table in got["breakdowns"].as_array().unwrap() {
        let dim = table["dimension"].as_str().unwrap();
        let rows: BTreeMap<String, Tally> = table["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let n = |f: &str| r[f].as_u64().unwrap();
                let t = Tally {
                    cases: n("cases"),
                    with_errors: n("with_errors"),
                    warnings_only: n("warnings_only"),
                    violations: n("violations"),
                };
                (r["key"].as_str().unwrap().to_string(), t)
            })
            .collect();
        assert_eq!(rows, expected[dim], "by {dim}");
    }
    assert_eq!(got["breakdowns"].as_array().unwrap().len(), DIMS.len());

    // Servicers are realistic: a few dozen, not one per case, and some breach far more often.
    let servicers = &expected["servicer"];
    assert!(servicers.len() > 5 && servicers.len() < 200, "{} servicers", servicers.len());

    // The csv table holds the same rows as the json one (top 5: the rest in "(other)").
    let csv = bin()
        .args(["validate", "--summary-format", "csv", "--by", "servicer", "--top", "5"])
        .arg(&history)
        .output()
        .unwrap();
    let csv = String::from_utf8(csv.stdout).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("dimension,key,cases,with_errors,warnings_only,violations,error_rate,top_rules"));
    assert!(lines.next().unwrap().starts_with(&format!("total,(all),{},", total.cases)));
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 6, "{csv}");
    assert!(rows[5].starts_with("servicer,(other),"));
    let listed: u64 = rows.iter().map(|r| r.split(',').nth(2).unwrap().parse::<u64>().unwrap()).sum();
    assert_eq!(listed, total.cases, "the rows add up to every case");
}

#[test]
fn breakdown_flags_are_checked() {
    let out = bin().args(["validate", "--by", "servicers", "-"]).stdin(Stdio::null()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean servicer"));
    let out =
        bin().args(["validate", "--format", "jsonl", "--by", "month", "-"]).stdin(Stdio::null()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--by and --summary-format belong to the summary"));
}

/// Peak resident memory of the children waited for so far, in KiB.
fn children_peak_kib() -> i64 {
    // SAFETY: getrusage only writes the struct it is given.
    unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        assert_eq!(libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage), 0);
        usage.ru_maxrss
    }
}

fn history_of_distinct(cases: usize) -> tempfile::NamedTempFile {
    let file = tempfile::NamedTempFile::new().unwrap();
    let mut out = BufWriter::new(file.as_file());
    for i in 0..cases {
        writeln!(
            out,
            r#"{{"id":"E{i}","procedure":"leadership_request","opened_at":"2026-01-05T10:00:00Z","order":{{"servicer":{{"name":"Servicer {i}"}}}},"closing":{{"closed_at":"2026-01-05T12:00:00Z","closed_by":{{"role":"role {i}"}},"basis":"resolved","final_responsibility":"installation_company","reason":"bad reason {i}"}}}}"#
        )
        .unwrap();
    }
    out.flush().unwrap();
    drop(out);
    file
}

/// Every summary table keeps a bounded number of keys: a million distinct servicers, closer
/// roles and closing reasons (each also a CL001/CL005 closing problem) take no more memory
/// than fifty thousand.
#[test]
fn summaries_stay_bounded_with_a_million_distinct_servicers() {
    let run = |cases: usize| {
        let history = history_of_distinct(cases);
        let out = bin()
            .args(["validate", "-q", "--no-progress", "--by", "servicer,closer,reason,rule"])
            .arg(history.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
        (String::from_utf8(out.stdout).unwrap(), children_peak_kib())
    };
    let (_, small) = run(50_000);
    let (text, large) = run(1_000_000);
    assert!(text.contains("cases: 1000000 "), "{text}");
    assert!(text.contains("more distinct keys than tracked; the rest counted as (other)"), "{text}");
    let other = text.lines().find(|l| l.trim_start().starts_with("(other)")).unwrap();
    let other_cases: u64 = other.split_whitespace().nth(1).unwrap().parse().unwrap();
    assert!(other_cases >= 1_000_000 - 10_000, "{other}");
    // `large` is the peak over both runs: the million-case run stayed within 16 MiB of the small one.
    assert!(large < small + 16 * 1024, "peak {large} KiB on 1 M distinct keys, {small} KiB on 50,000");
    assert!(large < 160 * 1024, "peak {large} KiB");
}
