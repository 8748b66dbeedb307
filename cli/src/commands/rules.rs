//! `escalint rules [ID]`: the catalogue, or one rule explained with its SOP text and an example.

use std::io::{self, Write};

use crate::args::Rules;
use crate::config::{Flags, Settings};
use crate::exit::{Failure, Outcome, Status};
use crate::output;

/// The catalogue (a table, or JSON), or one rule.
pub fn run(args: Rules) -> Outcome {
    let mut out = io::stdout().lock();
    match args.rule.as_deref() {
        None => {
            let all = escalint::catalogue::all();
            if args.json {
                writeln!(out, "{}", serde_json::to_string_pretty(&all)?).map_err(Failure::write)?;
            } else {
                // Which rules run under the settings in effect (config file and flags).
                let flags = Flags {
                    select: args.selection.select.clone(),
                    ignore: args.selection.ignore.clone(),
                    ..Flags::default()
                };
                let selection = Settings::load(&flags)?.selection()?;
                for r in all {
                    let mark = if selection.runs(r.id) { " " } else { "-" };
                    writeln!(out, "{mark} {:<7} {:<8} {}  [{}]", r.id, r.severity.as_str(), r.title, r.sop)
                        .map_err(Failure::write)?;
                }
                if !selection.is_all() {
                    writeln!(out, "\n- not run under the selection in effect: {}", selection.not_run().join(", "))
                        .map_err(Failure::write)?;
                }
            }
        }
        Some(id) => {
            let Some(rule) = escalint::catalogue::find(id) else {
                let closest = closest_id(id);
                return Err(Failure::fatal(format!(
                    "no rule {id}; did you mean {closest}? (escalint rules lists them all)"
                )));
            };
            let example = output::rule_example(rule.id);
            if args.json {
                let mut value = serde_json::to_value(rule)?;
                value["example"] = serde_json::to_value(&example).unwrap_or_default();
                writeln!(out, "{}", serde_json::to_string_pretty(&value)?).map_err(Failure::write)?;
            } else {
                writeln!(out, "{} [{}] {}\n", rule.id, rule.severity.as_str(), rule.title).map_err(Failure::write)?;
                writeln!(out, "Source: {}\n  \"{}\"\n", rule.sop, rule.source).map_err(Failure::write)?;
                writeln!(out, "How escalint reads it:\n  {}\n", rule.explanation).map_err(Failure::write)?;
                if let Some(v) = example {
                    writeln!(
                        out,
                        "Example finding:\n  {} {} at {}: {}{}",
                        v.rule,
                        v.severity.as_str(),
                        if v.path.is_empty() { "(case)" } else { &v.path },
                        v.message,
                        v.hint.map(|h| format!("\n  hint: {h}")).unwrap_or_default()
                    )
                    .map_err(Failure::write)?;
                }
            }
        }
    }
    Ok(Status::Success)
}

/// The rule id a mistyped `id` most likely meant: the same letters and number written
/// short (CL05 → CL005), else the first id that starts with it (FMS → FMS001), else the
/// one at the smallest edit distance (the first in id order on a tie).
fn closest_id(id: &str) -> &'static str {
    let ids: Vec<&'static str> = escalint::catalogue::all().iter().map(|r| r.id).collect();
    let want = id.trim().to_ascii_uppercase();
    let letters = want.trim_end_matches(|c: char| c.is_ascii_digit());
    if let Ok(number) = want[letters.len()..].parse::<u32>() {
        let padded = format!("{letters}{number:03}");
        if let Some(found) = ids.iter().find(|c| **c == padded) {
            return found;
        }
    }
    if !want.is_empty() {
        if let Some(found) = ids.iter().find(|c| c.starts_with(&want)) {
            return found;
        }
    }
    ids.iter().copied().min_by_key(|c| strsim::levenshtein(c, &want)).unwrap_or("REC001")
}
