//! Label normalisation (CONTRACT §1.3).
//!
//! Every enumerated value has a canonical snake_case code and is also accepted as the human
//! label the procedures print. Exports mangle those labels (hyphens vs. en dashes, slashes,
//! spacing, case, a trailing period), so both sides are reduced to one *key* before they are
//! compared: lower-case alphanumeric words joined by `_`, apostrophes dropped. The canonical
//! code of a label is its key unless the policy names another one.

use std::collections::HashMap;

/// Reduce a code or label to its comparison key.
///
/// `"Technician- Unprofessional – Unfamiliar with Product/Installation"` and
/// `technician_unprofessional_unfamiliar_with_product_installation` give the same key;
/// `"Buyer's remorse"` gives `buyers_remorse`.
pub fn key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut separator_pending = false;
    for ch in text.chars() {
        // Apostrophes join a word ("Didn't", "Buyer’s") rather than split it.
        if matches!(ch, '\'' | '\u{2019}' | '\u{2018}' | '`') {
            continue;
        }
        if ch.is_alphanumeric() {
            if separator_pending && !out.is_empty() {
                out.push('_');
            }
            separator_pending = false;
            for lower in ch.to_lowercase() {
                out.push(lower);
            }
        } else {
            separator_pending = true;
        }
    }
    out
}

/// Values longer than this get no "closest value" hint.
pub const MAX_HINT_INPUT: usize = 200;

/// One known value: its canonical code and the label people see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub code: String,
    pub label: String,
}

/// A closed set of values, looked up by code, label or alias, all normalised with [`key`].
#[derive(Debug, Clone, Default)]
pub struct LabelSet {
    entries: Vec<Label>,
    index: HashMap<String, usize>,
}

/// A key that two entries of one set both claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    pub key: String,
    pub first: String,
    pub second: String,
}

impl LabelSet {
    pub fn new() -> Self {
        Self::default()
    }

    /// Add an entry reachable by its code, its label and every alias. A key that already
    /// belongs to *another* entry makes the set ambiguous and is refused.
    pub fn insert(&mut self, code: &str, label: &str, aliases: &[String]) -> Result<usize, DuplicateKey> {
        let position = self.entries.len();
        self.entries.push(Label { code: code.to_string(), label: label.to_string() });
        let keys = std::iter::once(code).chain(std::iter::once(label)).chain(aliases.iter().map(String::as_str));
        for text in keys {
            let k = key(text);
            if k.is_empty() {
                continue;
            }
            match self.index.get(&k) {
                Some(&other) if other != position => {
                    let first = self.entries[other].code.clone();
                    self.entries.pop();
                    self.index.retain(|_, v| *v != position);
                    return Err(DuplicateKey { key: k, first, second: code.to_string() });
                }
                _ => {
                    self.index.insert(k, position);
                }
            }
        }
        Ok(position)
    }

    /// Build a set from `(code, label)` pairs that are known to be distinct.
    pub fn from_pairs(pairs: &[(&str, &str)]) -> Self {
        let mut set = Self::new();
        for (code, label) in pairs {
            set.insert(code, label, &[]).expect("static label sets are distinct");
        }
        set
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn entries(&self) -> &[Label] {
        &self.entries
    }

    /// Position of the entry matching `text`, if any.
    pub fn position(&self, text: &str) -> Option<usize> {
        // Canonical codes are their own keys: skip normalising in the common case.
        self.index.get(text).or_else(|| self.index.get(&key(text))).copied()
    }

    /// The entry matching `text`, if any.
    pub fn find(&self, text: &str) -> Option<&Label> {
        self.position(text).map(|i| &self.entries[i])
    }

    /// The entry whose code or label is closest to `text` — a hint, never a match.
    pub fn closest(&self, text: &str) -> Option<&Label> {
        // Edit distance is quadratic: a hint is only worth computing for a label-sized value.
        if text.len() > MAX_HINT_INPUT {
            return None;
        }
        let wanted = key(text);
        self.index
            .iter()
            .map(|(k, &i)| (strsim::normalized_damerau_levenshtein(&wanted, k), k, i))
            // Highest similarity wins; ties go to the alphabetically first key so hints are
            // deterministic whatever the hash order.
            .max_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal).then_with(|| b.1.cmp(a.1)))
            .map(|(_, _, i)| &self.entries[i])
    }

    /// The codes of every entry, in policy order.
    pub fn codes(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|e| e.code.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_dashes_slashes_case_and_periods() {
        let a = key("Technician- Unprofessional – Unfamiliar with Product/Installation");
        let b = key("technician - unprofessional - unfamiliar with product / installation");
        let c = key("technician_unprofessional_unfamiliar_with_product_installation");
        assert_eq!(a, c);
        assert_eq!(b, c);
        assert_eq!(key("INSTALLS inc"), key("Installs Inc."));
        assert_eq!(key("Installs Inc."), "installs_inc");
        assert_eq!(key("Buyer's remorse"), "buyers_remorse");
        assert_eq!(key("Sooner Dates — Found"), "sooner_dates_found");
    }

    #[test]
    fn lookup_and_closest() {
        let mut set = LabelSet::new();
        set.insert("technician_no_call_no_show", "Technician-No-Call No-Show", &[]).unwrap();
        set.insert("unresponsive", "Unresponsive", &[]).unwrap();
        assert_eq!(set.find("technician no call no show").unwrap().code, "technician_no_call_no_show");
        assert!(set.find("Technician no show").is_none());
        assert_eq!(set.closest("Technician no show").unwrap().code, "technician_no_call_no_show");
    }

    #[test]
    fn ambiguous_keys_are_refused() {
        let mut set = LabelSet::new();
        set.insert("a", "Opened in error", &[]).unwrap();
        let err = set.insert("b", "opened-in-error", &[]).unwrap_err();
        assert_eq!(err.first, "a");
        assert_eq!(set.len(), 1);
    }
}
