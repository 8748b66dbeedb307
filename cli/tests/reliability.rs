//! Issue 18's command-line classes: directory walks with links, the exit status when stderr
//! is gone, next-steps and can-close answering as they read.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_escalint"))
}

fn case(id: &str) -> String {
    format!(
        r#"{{"id":"{id}","procedure":"leadership_request","opened_at":"2026-11-20T09:15:00Z","channel":"phone","events":[]}}"#
    )
}

/// The ids of the reports of `validate --format jsonl`, sorted.
fn ids(args: &[&str], dir: &Path) -> (Vec<String>, String, Option<i32>) {
    let out = bin().args(["validate", "--format", "jsonl"]).args(args).arg(dir).output().unwrap();
    let mut ids: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    (ids, String::from_utf8_lossy(&out.stderr).into_owned(), out.status.code())
}

#[cfg(unix)]
#[test]
fn links_in_a_walked_directory_are_not_followed_unless_asked_and_never_loop() {
    use std::os::unix::fs::symlink;
    let root = tempfile::tempdir().unwrap();
    let cases = root.path().join("cases");
    std::fs::create_dir_all(cases.join("deep/er")).unwrap();
    std::fs::write(cases.join("one.jsonl"), format!("{}\n{}\n", case("ONE-1"), case("ONE-2"))).unwrap();
    std::fs::write(cases.join("deep/er/two.json"), case("TWO")).unwrap();
    let outside = root.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    std::fs::write(outside.join("three.ndjson"), case("THREE")).unwrap();
    // A loop two levels up, a loop to itself, a second name for a file, a link out, a dangling one.
    symlink("../..", cases.join("deep/er/up")).unwrap();
    symlink(".", cases.join("deep/self")).unwrap();
    symlink("../one.jsonl", cases.join("deep/again.jsonl")).unwrap();
    symlink(&outside, cases.join("out")).unwrap();
    symlink("nowhere.json", cases.join("dangling.json")).unwrap();

    let (found, _, status) = ids(&[], &cases);
    assert_eq!(found, ["ONE-1", "ONE-2", "TWO"]);
    assert_eq!(status, Some(1));
    let (found, warnings, status) = ids(&["--follow"], &cases);
    assert_eq!(found, ["ONE-1", "ONE-2", "THREE", "TWO"], "{warnings}");
    assert!(warnings.contains("a loop") && warnings.contains("a broken link"), "{warnings}");
    assert_eq!(status, Some(1));
    // A file named twice, or through a link, is read once.
    let out = bin()
        .args(["validate", "--format", "jsonl", "-L"])
        .arg(cases.join("one.jsonl"))
        .arg(&cases)
        .arg(cases.join("deep/again.jsonl"))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 4);
}

#[test]
fn a_jsonl_file_is_json_lines_whatever_its_first_line_holds() {
    let dir = tempfile::tempdir().unwrap();
    let lines: Vec<String> = std::iter::once(format!("[{},{}]", case("A"), case("B")))
        .chain((0..12).map(|i| case(&format!("L{i}"))))
        .collect();
    std::fs::write(dir.path().join("h.jsonl"), lines.join("\n")).unwrap();
    let out = bin().args(["validate", "--format", "jsonl"]).arg(dir.path().join("h.jsonl")).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 13);
}

/// Run with stderr a pipe whose reader is gone before the run has anything to say: the policy
/// comes through stdin, written only after the reader of stderr was closed.
fn status_with_stderr_closed(args: &[&str], policy: &str) -> Option<i32> {
    let mut child =
        bin().args(args).stdin(Stdio::piped()).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
    drop(child.stderr.take());
    let mut stdin = child.stdin.take().unwrap();
    let _ = stdin.write_all(policy.as_bytes());
    drop(stdin);
    child.wait().unwrap().code()
}

#[cfg(unix)]
#[test]
fn the_exit_status_stays_2_when_stderr_is_a_closed_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.json");
    std::fs::write(&file, case("X")).unwrap();
    let file = file.to_str().unwrap();
    for command in [["validate", "--policy", "/dev/stdin", file], ["next-steps", "--policy", "/dev/stdin", file]] {
        assert_eq!(status_with_stderr_closed(&command, "{\"version\": 7}"), Some(2), "{command:?}");
        assert_eq!(status_with_stderr_closed(&command, "not json"), Some(2), "{command:?}");
    }
    // The run's own answer is kept too: a case with an error is still status 1.
    let policy = escalint::policy::DEFAULT_POLICY_JSON;
    assert_eq!(status_with_stderr_closed(&["validate", "--policy", "/dev/stdin", file], policy), Some(1));
}

#[test]
fn next_steps_and_can_close_answer_each_case_as_it_is_read() {
    for command in ["next-steps", "can-close"] {
        let mut child = bin()
            .args([command, "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Should the answers wait for the end of the input, the test fails, not hangs.
        let pid = child.id().to_string();
        let watchdog = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_secs(60));
            let _ = Command::new("kill").arg(&pid).status();
        });
        drop(watchdog);
        let mut stdin = child.stdin.take().unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        // Cases in (more than the 8 KiB the reader looks at to tell the encoding), and the
        // input left open: every answer comes out before it ends.
        let ids: Vec<String> = (0..100).map(|i| format!("S-{i}")).collect();
        for id in &ids {
            writeln!(stdin, "{}", case(id)).unwrap();
        }
        stdin.flush().unwrap();
        let mut line = String::new();
        for id in &ids {
            line.clear();
            out.read_line(&mut line).unwrap();
            assert!(line.contains(&format!("\"id\":\"{id}\"")), "{command}: {line}");
        }
        writeln!(stdin, "{}", case("S-3")).unwrap();
        drop(stdin);
        line.clear();
        out.read_line(&mut line).unwrap();
        assert!(line.contains("\"id\":\"S-3\""), "{command}: {line}");
        child.wait().unwrap();
    }
}

#[test]
fn a_proposal_over_the_record_limit_is_refused_before_it_is_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (file, proposal) = (dir.path().join("c.json"), dir.path().join("p.json"));
    std::fs::write(&file, case("P")).unwrap();
    std::fs::write(&proposal, format!("{{\"notes\": \"{}\"}}", "n".repeat(1 << 21))).unwrap();
    let out = bin().arg("can-close").arg("--proposal").arg(&proposal).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("over 1048576 bytes"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
