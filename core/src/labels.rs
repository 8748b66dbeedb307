//! Label normalisation (docs/format.md, Values).
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
    out.extend(KeyChars::new(text));
    out
}

/// Whether two texts have the same [`key`] (without building either key).
pub(crate) fn same_key(a: &str, b: &str) -> bool {
    a == b || KeyChars::new(a).eq(KeyChars::new(b))
}

/// The characters of a text's [`key`], one by one.
struct KeyChars<'a> {
    chars: std::str::Chars<'a>,
    /// The rest of a character whose lower case is several characters, or of one that
    /// follows a separator.
    pending: Option<std::char::ToLowercase>,
    separator_pending: bool,
    started: bool,
}

impl<'a> KeyChars<'a> {
    fn new(text: &'a str) -> Self {
        KeyChars { chars: text.chars(), pending: None, separator_pending: false, started: false }
    }
}

impl Iterator for KeyChars<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        if let Some(rest) = &mut self.pending {
            match rest.next() {
                Some(ch) => return Some(ch),
                None => self.pending = None,
            }
        }
        loop {
            let ch = self.chars.next()?;
            // Apostrophes join a word ("Didn't", "Buyer’s") rather than split it.
            if matches!(ch, '\'' | '\u{2019}' | '\u{2018}' | '`') {
                continue;
            }
            if !ch.is_alphanumeric() {
                self.separator_pending = true;
                continue;
            }
            // Words are joined by one `_`, and nothing comes before the first word.
            if std::mem::take(&mut self.separator_pending) && self.started {
                self.pending = Some(ch.to_lowercase());
                return Some('_');
            }
            self.started = true;
            if ch.is_ascii() {
                return Some(ch.to_ascii_lowercase());
            }
            let mut lower = ch.to_lowercase();
            let first = lower.next();
            self.pending = Some(lower);
            return first;
        }
    }
}

/// Values longer than this get no "closest value" hint.
pub(crate) const MAX_HINT_INPUT: usize = 200;

/// One known value: its canonical code and the label people see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// The canonical code.
    pub code: String,
    /// The human label.
    pub label: String,
}

/// A map from comparison keys (or codes) to values, hashed with rustc's FxHash: the keys
/// are short strings from the policy or the code, which a general-purpose (DoS-resistant)
/// hash spends more time on than the look-up itself. Untrusted text is only ever looked up,
/// never inserted, so it cannot degrade the map.
pub(crate) type KeyMap<V> = rustc_hash::FxHashMap<String, V>;

/// A closed set of values, looked up by code, label or alias, all normalised with [`key`].
#[derive(Debug, Clone, Default)]
pub struct LabelSet {
    entries: Vec<Label>,
    index: KeyMap<usize>,
    /// The code, label and aliases exactly as written (the spellings exports mostly carry),
    /// so that those are found without normalising them first.
    verbatim: KeyMap<usize>,
    hints: HintMemo,
}

/// The hints [`LabelSet::closest`] has already worked out, by the key of the text asked
/// about. Edit distance is what makes a hint costly, and exports repeat the same wrong values
/// case after case.
///
/// The memo is per thread (nothing shared, no lock, nothing for a thread sanitizer to flag)
/// and keyed by the set's id, a number drawn afresh when a set is made, cloned or changed,
/// so a hint is never taken from another set. Bounded: past `MAX_ENTRIES` a thread's memo
/// starts afresh, so hostile input cannot grow it.
#[derive(Debug)]
pub(crate) struct HintMemo {
    set_id: u64,
}

/// A memoised hint: positions in the set it was worked out for (one or two levels deep).
pub(crate) type Hint = Option<(usize, usize)>;

/// Per set (keyed by its id): the hint worked out for each text asked about.
type HintsBySet = HashMap<u64, HashMap<String, Hint>>;

thread_local! {
    static HINTS: std::cell::RefCell<(usize, HintsBySet)> = Default::default();
}

impl HintMemo {
    const MAX_ENTRIES: usize = 1024;

    fn next_id() -> u64 {
        // Ids below 16 are left for the fixed memos of built-in sets.
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(16);
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    }

    /// The memo of a fixed, built-in set (its own id, never drawn for another set).
    pub(crate) const fn fixed(id: u64) -> Self {
        HintMemo { set_id: id }
    }

    pub(crate) fn get_or_compute(&self, wanted: &str, compute: impl FnOnce() -> Hint) -> Hint {
        let known = HINTS.with_borrow(|(_, memo)| memo.get(&self.set_id).and_then(|set| set.get(wanted)).copied());
        if let Some(known) = known {
            return known;
        }
        let found = compute();
        HINTS.with_borrow_mut(|(entries, memo)| {
            if *entries >= Self::MAX_ENTRIES {
                memo.clear();
                *entries = 0;
            }
            memo.entry(self.set_id).or_default().insert(wanted.to_string(), found);
            *entries += 1;
        });
        found
    }

    fn clear(&mut self) {
        self.set_id = Self::next_id();
    }
}

impl Default for HintMemo {
    /// A memo for a new set.
    fn default() -> Self {
        HintMemo { set_id: Self::next_id() }
    }
}

impl Clone for HintMemo {
    fn clone(&self) -> Self {
        HintMemo::default()
    }
}

/// A key that two entries of one set both claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    /// The key both claim.
    pub key: String,
    /// The first entry that claims it.
    pub first: String,
    /// The second one.
    pub second: String,
}

impl LabelSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add an entry reachable by its code, its label and every alias. A key that already
    /// belongs to *another* entry makes the set ambiguous and is refused.
    pub fn insert(&mut self, code: &str, label: &str, aliases: &[String]) -> Result<usize, DuplicateKey> {
        let position = self.entries.len();
        self.hints.clear();
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
                    self.verbatim.retain(|_, v| *v != position);
                    return Err(DuplicateKey { key: k, first, second: code.to_string() });
                }
                _ => {
                    self.index.insert(k, position);
                    self.verbatim.insert(text.to_string(), position);
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

    /// The number of values.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the set has no values.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The values, in the order they were added.
    pub fn entries(&self) -> &[Label] {
        &self.entries
    }

    /// Position of the entry matching `text`, if any.
    pub fn position(&self, text: &str) -> Option<usize> {
        // Canonical codes are their own keys, and labels as written are known verbatim:
        // skip normalising in the common cases.
        self.index.get(text).or_else(|| self.verbatim.get(text)).or_else(|| self.index.get(&key(text))).copied()
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
        let best = self.hints.get_or_compute(&wanted, || {
            self.index
                .iter()
                .map(|(k, &i)| (strsim::normalized_damerau_levenshtein(&wanted, k), k, i))
                // Highest similarity wins; ties go to the alphabetically first key so hints
                // are deterministic whatever the hash order.
                .max_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal).then_with(|| b.1.cmp(a.1)))
                .map(|(_, _, i)| (i, 0))
        });
        best.map(|(i, _)| &self.entries[i])
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
        assert_eq!(key("  -- Ünïcode İstanbul ß'x --"), "ünïcode_i\u{307}stanbul_ßx");
        assert!(same_key("Installs, INC.", "installs_inc"));
        assert!(!same_key("Installs Inc", "installs_in"));
    }

    /// The key, spelled out: lower-case alphanumeric words joined by `_`, apostrophes dropped.
    fn reference(text: &str) -> String {
        let cleaned: String = text.chars().filter(|c| !matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '`')).collect();
        let words: Vec<String> = cleaned
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| w.chars().flat_map(char::to_lowercase).collect())
            .collect();
        words.join("_")
    }

    #[test]
    fn key_matches_the_definition() {
        for text in
            ["", "   ", "a", "_a_", "A--B", "Buyer's remorse", "Prescheduled – Rejected", "ÀÉÎ ǅ ΣΑΣ", "x'y z", "1/2/3"]
        {
            assert_eq!(key(text), reference(text), "{text:?}");
            assert!(same_key(text, &reference(text)), "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn key_matches_the_definition_on_any_text(a in "\\PC{0,40}", b in "[a-zA-Z0-9 _'’-]{0,12}") {
            proptest::prop_assert_eq!(key(&a), reference(&a));
            proptest::prop_assert_eq!(key(&b), reference(&b));
            proptest::prop_assert_eq!(same_key(&a, &b), key(&a) == key(&b));
        }
    }

    #[test]
    fn lookup_and_closest() {
        let mut set = LabelSet::new();
        set.insert("technician_no_call_no_show", "Technician-No-Call No-Show", &[]).unwrap();
        set.insert("unresponsive", "Unresponsive", &[]).unwrap();
        assert_eq!(set.find("technician no call no show").unwrap().code, "technician_no_call_no_show");
        assert!(set.find("Technician no show").is_none());
        assert_eq!(set.closest("Technician no show").unwrap().code, "technician_no_call_no_show");
        // Again, from the memo; and a new entry is seen by the next hint.
        assert_eq!(set.closest("technician-no-show").unwrap().code, "technician_no_call_no_show");
        set.insert("technician_no_show", "Technician no show (late)", &[]).unwrap();
        assert_eq!(set.closest("Technician no show").unwrap().code, "technician_no_show");
        assert_eq!(set.clone().closest("Technician no show").unwrap().code, "technician_no_show");
    }

    #[test]
    fn memoised_hints_belong_to_their_set() {
        let mut set = LabelSet::new();
        set.insert("unresponsive", "Unresponsive", &[]).unwrap();
        assert_eq!(set.closest("Technician no show").unwrap().code, "unresponsive");
        // A changed set and a clone work their hints out again.
        let before = set.clone();
        set.insert("technician_no_call_no_show", "Technician-No-Call No-Show", &[]).unwrap();
        assert_eq!(set.closest("Technician no show").unwrap().code, "technician_no_call_no_show");
        assert_eq!(before.closest("Technician no show").unwrap().code, "unresponsive");
        // Past the bound the memo starts afresh and still answers the same.
        for i in 0..(HintMemo::MAX_ENTRIES + 10) {
            set.closest(&format!("value {i}"));
        }
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
