//! README's rules table is generated from the catalogue (ids, counts, severities), so it cannot
//! say LD001–LD009 while LD010 fires. Regenerate with
//! `ESCALINT_UPDATE_DOCS=1 cargo test -p escalint --test readme_rules`.

use std::path::PathBuf;

/// Each family of rules, in the order README lists them, with what its rules catch. A family
/// the catalogue has and this list lacks fails the test: say what the new rules catch here.
const FAMILIES: &[(&str, &str)] = &[
    ("REC", "input not a JSON object; required field missing; wrong type, bad date or unknown code; contradicting timestamps; unsupported schema_version; input over the limits; a key that resembles a field"),
    ("RS", "Customer Refuses to Reschedule: trigger, dates offered, call-back time, status Prescheduled – Rejected, the escalation form, notes, reason determined first"),
    ("FMS", "Working FMS escalations: Market Manager look-up, servicer first, email before call, providers in order, 15-minute customer update, alternate dates offered, call-backs kept, documentation, no closing before the job is done"),
    ("CL", "Closing: who may close, the basis (3 failed attempts for no contact), Resolved By INSTALLS Inc, the responsibility party and its reasons, damage-claims-only reasons, closing notes"),
    ("TM", "First touch the local day of opening, an update every 24 h, resolution target"),
    ("AM", "Area Manager process: call the service pro, message and note, second attempt after 24 h, exception with a legend code, admin review email"),
    ("LD", "Leadership requests: 1-day follow-up offer, EBH ticket, warm transfers within 30 s, voicemail, no closing before the process ran its course; sensitive qualifiers flagged for review"),
];

const BEGIN: &str = "<!-- rules table: generated from the catalogue by `ESCALINT_UPDATE_DOCS=1 cargo test -p escalint --test readme_rules` -->\n";
const END: &str = "<!-- end of the rules table -->\n";

fn family(id: &str) -> &str {
    id.trim_end_matches(|c: char| c.is_ascii_digit())
}

fn table() -> String {
    let all = escalint::catalogue::all();
    for r in &all {
        assert!(
            FAMILIES.iter().any(|(f, _)| *f == family(r.id)),
            "{}: a new family of rules; add what it catches to FAMILIES in core/tests/readme_rules.rs",
            r.id
        );
    }
    let mut out = String::from("| ids | rules | severity | what they catch |\n|---|---|---|---|\n");
    for (name, what) in FAMILIES {
        let rules: Vec<_> = all.iter().filter(|r| family(r.id) == *name).collect();
        assert!(!rules.is_empty(), "no {name} rules in the catalogue: drop the family");
        let mut severities: Vec<&str> = rules.iter().map(|r| r.severity.as_str()).collect();
        severities.sort_unstable();
        severities.dedup();
        let (first, last) = (rules[0].id, rules[rules.len() - 1].id);
        out.push_str(&format!("| {first}–{last} | {} | {} | {what} |\n", rules.len(), severities.join("/")));
    }
    out
}

#[test]
fn readme_rules_table_is_current() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../README.md");
    let readme = std::fs::read_to_string(&path).expect("README.md");
    let (start, end) = match (readme.find(BEGIN), readme.find(END)) {
        (Some(s), Some(e)) if s < e => (s + BEGIN.len(), e),
        _ => panic!("README.md has no generated rules table (the markers {BEGIN:?} and {END:?})"),
    };
    let wanted = table();
    if std::env::var_os("ESCALINT_UPDATE_DOCS").is_some() {
        std::fs::write(&path, format!("{}{wanted}{}", &readme[..start], &readme[end..])).expect("write README.md");
        return;
    }
    assert!(
        readme[start..end] == wanted,
        "README.md's rules table is out of date: run ESCALINT_UPDATE_DOCS=1 cargo test -p escalint --test readme_rules"
    );
}
