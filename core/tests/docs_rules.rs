//! `docs/rules.md` is generated from the catalogue, so the documentation and the engine
//! cannot drift apart. Regenerate with `ESCALINT_UPDATE_DOCS=1 cargo test -p escalint --test docs_rules`.

use std::fmt::Write;
use std::path::PathBuf;

fn render() -> String {
    let mut out = String::new();
    out.push_str("# escalint rules\n\n");
    out.push_str("Generated from the rule catalogue (`core/src/rules/`, `core/src/record.rs`) by\n");
    out.push_str("`ESCALINT_UPDATE_DOCS=1 cargo test -p escalint --test docs_rules`; do not edit by hand.\n");
    out.push_str("Each rule gives the procedure text it enforces and how escalint reads it — including\n");
    out.push_str("every interpretation where a procedure is ambiguous. Thresholds named here live in the\n");
    out.push_str("policy (`core/policy/default.json`) and can be changed there.\n\n");
    out.push_str("| rule | severity | applies to | title |\n|---|---|---|---|\n");
    for r in escalint::catalogue::all() {
        let _ = writeln!(
            out,
            "| [{}](#{}) | {} | {:?} | {} |",
            r.id,
            r.id.to_lowercase(),
            r.severity.as_str(),
            r.scope,
            r.title.replace('|', "\\|")
        );
    }
    for r in escalint::catalogue::all() {
        let _ = write!(
            out,
            "\n## {}\n\n**{}** — {}\n\n*Source:* {}\n\n> {}\n\n{}\n\n*Events after `now`:* {}\n\n*`no_contact`:* {}\n",
            r.id,
            r.severity.as_str(),
            r.title,
            r.sop,
            r.source,
            r.explanation,
            r.events_after_now(),
            r.no_contact()
        );
    }
    out
}

#[test]
fn rules_doc_is_current() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/rules.md");
    let wanted = render();
    if std::env::var_os("ESCALINT_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &wanted).expect("write docs/rules.md");
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == wanted,
        "docs/rules.md is out of date: run ESCALINT_UPDATE_DOCS=1 cargo test -p escalint --test docs_rules"
    );
}

#[test]
fn every_rule_is_explained() {
    for r in escalint::catalogue::all() {
        assert!(r.explanation.len() > 20 && !r.explanation.contains("TODO"), "{} has no explanation yet", r.id);
    }
}
