//! Choosing the rules to run, as linters do: `select` and `ignore` take rule ids and
//! prefixes (`CL`, `TM00`, `CL005`). Without `select` every rule runs. The most specific
//! entry decides (`select = ["CL"], ignore = ["CL007"]` runs CL001–CL006;
//! `select = ["CL007"], ignore = ["CL"]` runs CL007); between equals, `ignore` wins.
//!
//! The record rules (REC) say whether a case could be read as written: `select` does not turn
//! them off (a row whose procedure does not read would otherwise look valid under
//! `select = ["CL"]`); `ignore` does, except REC001 (a text that is not a case is never valid).

use crate::catalogue;
use crate::report::Violation;

/// A selection that cannot be used: an entry that names no rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SelectionError(pub String);

/// Which rules run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleSelection {
    select: Vec<String>,
    ignore: Vec<String>,
}

/// The family of a rule id: its letters (`CL` of `CL005`).
fn family(id: &str) -> &str {
    let end = id.find(|c: char| c.is_ascii_digit()).unwrap_or(id.len());
    &id[..end]
}

impl RuleSelection {
    /// Every rule.
    pub fn all() -> Self {
        RuleSelection::default()
    }

    /// A selection from rule ids and prefixes (case-insensitive; `ALL` selects every rule).
    /// An entry that starts no rule id is an error naming the closest one.
    pub fn new<S: AsRef<str>>(select: &[S], ignore: &[S]) -> Result<Self, SelectionError> {
        let read = |entries: &[S], what: &str| -> Result<Vec<String>, SelectionError> {
            let mut out = Vec::new();
            for entry in entries {
                let entry = entry.as_ref().trim().to_ascii_uppercase();
                if entry == "ALL" && what == "select" {
                    continue;
                }
                let rules = catalogue::all();
                if entry.is_empty() || !rules.iter().any(|r| r.id.starts_with(&entry)) {
                    let closest = rules
                        .iter()
                        .flat_map(|r| [family(r.id), r.id])
                        .min_by_key(|c| (strsim::levenshtein(c, &entry), c.len()))
                        .unwrap_or("CL");
                    return Err(SelectionError(format!(
                        "{what}: \"{entry}\" is not a rule id or prefix; closest: {closest} (escalint rules lists them)"
                    )));
                }
                if what == "ignore" && entry == "REC001" {
                    return Err(SelectionError(
                        "ignore: REC001 cannot be ignored: a text that is not a case is never valid".into(),
                    ));
                }
                out.push(entry);
            }
            out.sort();
            out.dedup();
            Ok(out)
        };
        Ok(RuleSelection { select: read(select, "select")?, ignore: read(ignore, "ignore")? })
    }

    /// The `select` entries (empty: every rule), normalised.
    pub fn selected(&self) -> &[String] {
        &self.select
    }

    /// The `ignore` entries, normalised.
    pub fn ignored(&self) -> &[String] {
        &self.ignore
    }

    /// `true` when every rule runs.
    pub fn is_all(&self) -> bool {
        catalogue::all().iter().all(|r| self.runs(r.id))
    }

    /// Whether the rule `id` runs.
    pub fn runs(&self, id: &str) -> bool {
        let longest = |entries: &[String]| entries.iter().filter(|e| id.starts_with(e.as_str())).map(String::len).max();
        let ignored = longest(&self.ignore);
        if id == "REC001" {
            return true;
        }
        let selected = if family(id) == "REC" || self.select.is_empty() { Some(0) } else { longest(&self.select) };
        match (selected, ignored) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(s), Some(i)) => s > i,
        }
    }

    /// The rules that do not run, shortened: a family (`AM`) when none of it runs, else ids.
    pub fn not_run(&self) -> Vec<String> {
        let rules = catalogue::all();
        let mut out: Vec<String> = Vec::new();
        for r in &rules {
            if self.runs(r.id) {
                continue;
            }
            let fam = family(r.id);
            let whole = rules.iter().filter(|o| family(o.id) == fam).all(|o| !self.runs(o.id));
            let name = if whole { fam.to_string() } else { r.id.to_string() };
            if out.last() != Some(&name) {
                out.push(name);
            }
        }
        out
    }

    /// Drop the violations of rules that do not run.
    pub fn retain(&self, violations: &mut Vec<Violation>) {
        if !self.select.is_empty() || !self.ignore.is_empty() {
            violations.retain(|v| self.runs(v.rule));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sel(select: &[&str], ignore: &[&str]) -> RuleSelection {
        RuleSelection::new(select, ignore).unwrap()
    }

    #[test]
    fn prefixes_and_specificity() {
        let s = sel(&["CL"], &["CL007"]);
        assert!(s.runs("CL001") && s.runs("CL006") && !s.runs("CL007") && !s.runs("TM001"));
        assert!(s.runs("REC003"), "select keeps the record rules");
        let s = sel(&["CL007"], &["CL"]);
        assert!(s.runs("CL007") && !s.runs("CL001"));
        let s = sel(&["tm00"], &[]);
        assert!(s.runs("TM001") && s.runs("TM003") && !s.runs("CL001"));
        let s = sel(&[], &["REC"]);
        assert!(s.runs("REC001") && !s.runs("REC002") && s.runs("CL001"));
        let s = sel(&["CL"], &["CL"]);
        assert!(!s.runs("CL001"), "between equals, ignore wins");
        assert!(sel(&["ALL"], &[]).is_all() && RuleSelection::all().is_all());
    }

    #[test]
    fn not_run_is_shortened_to_families() {
        let s = sel(&["CL", "TM001"], &["CL007"]);
        let not_run = s.not_run();
        assert!(not_run.contains(&"AM".to_string()) && not_run.contains(&"CL007".to_string()));
        assert!(not_run.contains(&"TM002".to_string()) && !not_run.contains(&"TM".to_string()));
        assert!(!not_run.iter().any(|r| r.starts_with("REC")));
    }

    #[test]
    fn unknown_entries_name_the_closest() {
        let e = RuleSelection::new(&["CLL"], &[]).unwrap_err();
        assert!(e.0.contains("\"CLL\"") && e.0.contains("closest: CL"), "{e}");
        let e = RuleSelection::new(&[], &["REC001"]).unwrap_err();
        assert!(e.0.contains("cannot be ignored"), "{e}");
    }
}
