//! The full answers for every example case, pinned: each case's validate, next_steps and
//! can_close reports (at a fixed `now`, and at the case's own default) as pretty JSON, one
//! snapshot per case under tests/snapshots/. A change to any rule, step or message shows up
//! here as a diff; accept an intended one with `INSTA_UPDATE=always cargo test -p escalint
//! --test snapshots` (or `cargo insta review`).

use escalint::{parse_now, Engine};

mod common;

fn pretty(report: impl serde::Serialize) -> String {
    serde_json::to_string_pretty(&report).expect("reports serialise")
}

#[test]
fn example_reports_are_pinned() {
    let root = common::examples_dir();
    let files = common::example_files();
    assert!(files.len() >= 20, "the example cases are found ({})", files.len());
    let engine = Engine::new();
    let now = Some(parse_now("2026-11-22T12:00:00-05:00").unwrap());
    for file in files {
        let text = std::fs::read(&file).unwrap();
        let name = file.strip_prefix(&root).unwrap().with_extension("").to_string_lossy().replace('/', "__");
        let mut answers = String::new();
        for (label, now) in [("at 2026-11-22T12:00:00-05:00", now), ("at the case's own time", None)] {
            if now.is_none() && !String::from_utf8_lossy(&text).contains("\"closed_at\"") {
                continue; // an open case at the current time would change every day
            }
            answers += &format!("## validate, {label}\n{}\n", pretty(engine.validate(&text, now)));
            answers += &format!("## next_steps, {label}\n{}\n", pretty(engine.next_steps(&text, now)));
            answers += &format!("## can_close, {label}\n{}\n", pretty(engine.can_close(&text, None, now)));
        }
        insta::assert_snapshot!(name, answers);
    }
}
