//! A borrowed JSON tree, the form a record is read from.
//!
//! Why not `serde_json::Value`: building a `Value` copies every string and key into its own
//! allocation and every object into a `BTreeMap` — for a case of a kilobyte that was most of
//! the time spent reading it. [`Json`] borrows strings from the input text where JSON allows
//! (no escapes), keeps objects as the list of their members (records have a few dozen keys, a
//! linear scan is faster than a tree), and knows its nesting depth once built. It is parsed by
//! serde_json itself, so syntax errors, the recursion limit and number handling are the same
//! as `serde_json::Value`'s; a later duplicate key wins, as it does there.
//!
//! A tree parsed with [`Json::parse_in`] keeps its containers (and the few strings that had
//! escapes) in an [`Arena`] instead of one allocation each: nothing is freed per container
//! and dropping the tree walks nothing. Allocating, and then freeing, a case's dozen
//! containers one by one was about a tenth of reading it. Trees built by hand (as the
//! bindings build them from their own values) keep their containers in vectors.

use std::borrow::Cow;
use std::fmt;
use std::ops::Deref;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Number, Value};

/// One JSON value, borrowing its strings from the text it was parsed from.
#[derive(Debug, Clone, PartialEq)]
pub enum Json<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as serde_json reads it.
    Number(Number),
    /// A string (borrowed from the text when it has no escapes).
    String(Cow<'a, str>),
    /// An array.
    Array(Array<'a>),
    /// An object, its members in input order.
    Object(Object<'a>),
}

/// A JSON array and the depth of its deepest member (1 for an array of scalars).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Array<'a> {
    items: Store<'a, Json<'a>>,
    depth: usize,
}

/// A JSON object: its members in input order, and its depth (1 when no member nests).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Object<'a> {
    members: Store<'a, (Cow<'a, str>, Json<'a>)>,
    depth: usize,
}

/// Where a container's entries are: its own vector, or an [`Arena`] (then dropping the
/// container frees nothing and visits nothing).
#[derive(Debug, Clone)]
enum Store<'a, T> {
    Own(Vec<T>),
    Arena(&'a [T]),
}

impl<T> Deref for Store<'_, T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        match self {
            Store::Own(entries) => entries,
            Store::Arena(entries) => entries,
        }
    }
}

impl<T: PartialEq> PartialEq for Store<'_, T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T> Default for Store<'_, T> {
    fn default() -> Self {
        Store::Own(Vec::new())
    }
}

/// Memory for the containers of parsed trees ([`Json::parse_in`]), freed all at once when
/// the arena is dropped or reset.
#[derive(Default)]
pub struct Arena(bumpalo::Bump);

impl Arena {
    /// An empty arena.
    pub fn new() -> Self {
        Arena(bumpalo::Bump::new())
    }

    /// Free everything parsed into the arena; the trees that borrowed it are gone by then.
    pub fn reset(&mut self) {
        self.0.reset();
    }

    /// The bytes the arena holds from the system (what a reset keeps for reuse).
    pub fn allocated_bytes(&self) -> usize {
        self.0.allocated_bytes()
    }

    /// An empty vector in the arena with room for `capacity` entries: a container's entries
    /// built in place, then made an [`Object::in_arena`] or an [`Array::in_arena`].
    pub fn vec<T>(&self, capacity: usize) -> ArenaVec<'_, T> {
        ArenaVec::with_capacity_in(capacity, &self.0)
    }

    /// A copy of `text` in the arena.
    pub fn alloc_str(&self, text: &str) -> &str {
        self.0.alloc_str(text)
    }
}

/// A vector in an [`Arena`] (bumpalo's): growing it leaves the old room in the arena, and
/// nothing in it is dropped.
pub(crate) type ArenaVec<'a, T> = bumpalo::collections::Vec<'a, T>;

impl fmt::Debug for Arena {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "Arena({} bytes)", self.0.allocated_bytes())
    }
}

/// Run `read` with this thread's arena, reset afterwards: the arena's memory is allocated once
/// per thread, not per case. A tree parsed in it must not outlive `read`.
pub fn with_arena<R>(read: impl FnOnce(&Arena) -> R) -> R {
    /// An arena grown beyond this by an unusually large record is given back, not kept.
    const KEPT_BYTES: usize = 1 << 20;
    thread_local! {
        static ARENA: std::cell::RefCell<Arena> = std::cell::RefCell::new(Arena::new());
    }
    ARENA.with(|cell| match cell.try_borrow_mut() {
        Ok(mut arena) => {
            let result = read(&arena);
            if arena.allocated_bytes() > KEPT_BYTES {
                *arena = Arena::new();
            } else {
                arena.reset();
            }
            result
        }
        // Only when `read` itself parses again on this thread: a fresh arena for the inner one.
        Err(_) => read(&Arena::new()),
    })
}

/// The text of UTF-8 bytes. simdutf8 checks with the widest vector instructions the CPU has
/// (chosen at run time): the check was ~1.5% of reading a case with the standard library's.
/// Invalid text is parsed from bytes by serde_json, which says where it is invalid.
fn utf8(bytes: &[u8]) -> Result<&str, simdutf8::basic::Utf8Error> {
    simdutf8::basic::from_utf8(bytes)
}

impl<'a> Json<'a> {
    /// Parse JSON text. The text must be one JSON value (whitespace around it is allowed).
    pub fn parse(text: &'a str) -> serde_json::Result<Json<'a>> {
        serde_json::from_str(text)
    }

    /// Parse JSON bytes; invalid UTF-8 is an error at its position, as in serde_json.
    pub fn parse_bytes(bytes: &'a [u8]) -> serde_json::Result<Json<'a>> {
        Self::parse_bytes_into(bytes, None)
    }

    /// Parse JSON bytes as [`Json::parse_bytes`] does, keeping the containers in `arena`.
    pub fn parse_in(bytes: &'a [u8], arena: &'a Arena) -> serde_json::Result<Json<'a>> {
        Self::parse_bytes_into(bytes, Some(arena))
    }

    fn parse_bytes_into(bytes: &'a [u8], arena: Option<&'a Arena>) -> serde_json::Result<Json<'a>> {
        let mut tree = Json::Null;
        let into = Into { slot: &mut tree, level: 0, arena };
        // One UTF-8 check over the whole text, then a parser that need not check each string.
        match utf8(bytes) {
            Ok(text) => {
                let mut de = serde_json::Deserializer::from_str(text);
                into.deserialize(&mut de)?;
                de.end()?;
            }
            Err(_) => {
                let mut de = serde_json::Deserializer::from_slice(bytes);
                into.deserialize(&mut de)?;
                de.end()?;
            }
        }
        Ok(tree)
    }

    /// Borrow a `serde_json::Value` as a tree (strings are not copied).
    pub fn from_value(value: &'a Value) -> Json<'a> {
        match value {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Number(n) => Json::Number(n.clone()),
            Value::String(s) => Json::String(Cow::Borrowed(s)),
            Value::Array(items) => Json::Array(Array::new(items.iter().map(Json::from_value).collect())),
            Value::Object(map) => Json::Object(Object::new(
                map.iter().map(|(k, v)| (Cow::Borrowed(k.as_str()), Json::from_value(v))).collect(),
            )),
        }
    }

    /// How deeply containers nest: 0 for a scalar, 1 for `[]` or `{"a": 1}`.
    pub fn depth(&self) -> usize {
        match self {
            Json::Array(a) => a.depth,
            Json::Object(o) => o.depth,
            _ => 0,
        }
    }

    /// Whether the value is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }

    /// The object, when the value is one.
    pub fn as_object(&self) -> Option<&Object<'a>> {
        match self {
            Json::Object(o) => Some(o),
            _ => None,
        }
    }

    /// The string, when the value is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// What kind of value this is, as a message says it ("a string", "an object", …).
    pub fn type_name(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Number(_) => "a number",
            Json::String(_) => "a string",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }
}

impl<'a> Array<'a> {
    /// An array of `items`.
    pub fn new(items: Vec<Json<'a>>) -> Self {
        let depth = 1 + items.iter().map(Json::depth).max().unwrap_or(0);
        Array { items: Store::Own(items), depth }
    }

    /// An array of items built in an [`Arena`] (see [`Arena::vec`]).
    pub fn in_arena(items: ArenaVec<'a, Json<'a>>) -> Self {
        let depth = 1 + items.iter().map(Json::depth).max().unwrap_or(0);
        Array { items: Store::Arena(items.into_bump_slice()), depth }
    }

    /// The number of items.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the array has no items.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The items, in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Json<'a>> {
        self.items.iter()
    }
}

impl<'a> Object<'a> {
    /// An object of `members`, in input order (a repeated key: the last one counts).
    pub fn new(members: Vec<(Cow<'a, str>, Json<'a>)>) -> Self {
        let depth = 1 + members.iter().map(|(_, v)| v.depth()).max().unwrap_or(0);
        Object { members: Store::Own(members), depth }
    }

    /// An object of members built in an [`Arena`] (see [`Arena::vec`]).
    pub fn in_arena(members: ArenaVec<'a, (Cow<'a, str>, Json<'a>)>) -> Self {
        let depth = 1 + members.iter().map(|(_, v)| v.depth()).max().unwrap_or(0);
        Object { members: Store::Arena(members.into_bump_slice()), depth }
    }

    /// A member's value. When a key repeats, the last one counts (as in `serde_json::Value`).
    pub fn get(&self, key: &str) -> Option<&Json<'a>> {
        self.members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The number of members.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether the object has no members.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// The members and their values, in input order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Json<'a>)> {
        self.members.iter().map(|(k, v)| (k.as_ref(), v))
    }
}

impl<'a> Json<'a> {
    /// The tree as compact JSON text.
    pub fn to_text(&self) -> String {
        // Serialising a tree of JSON values cannot fail: every key is a string.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A tree that owns its strings (borrows nothing).
    pub fn into_owned(self) -> Json<'static> {
        match self {
            Json::Null => Json::Null,
            Json::Bool(b) => Json::Bool(b),
            Json::Number(n) => Json::Number(n),
            Json::String(s) => Json::String(Cow::Owned(s.into_owned())),
            Json::Array(a) => {
                let items = match a.items {
                    Store::Own(items) => items.into_iter().map(Json::into_owned).collect(),
                    Store::Arena(items) => items.iter().map(|v| v.clone().into_owned()).collect(),
                };
                Json::Array(Array { items: Store::Own(items), depth: a.depth })
            }
            Json::Object(o) => {
                let owned = |(k, v): (Cow<'a, str>, Json<'a>)| (Cow::Owned(k.into_owned()), v.into_owned());
                let members = match o.members {
                    Store::Own(members) => members.into_iter().map(owned).collect(),
                    Store::Arena(members) => members.iter().cloned().map(owned).collect(),
                };
                Json::Object(Object { members: Store::Own(members), depth: o.depth })
            }
        }
    }
}

impl Serialize for Json<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Null => serializer.serialize_unit(),
            Json::Bool(b) => serializer.serialize_bool(*b),
            Json::Number(n) => n.serialize(serializer),
            Json::String(s) => serializer.serialize_str(s),
            Json::Array(a) => {
                let mut seq = serializer.serialize_seq(Some(a.len()))?;
                for item in a.iter() {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            // Only the member that counts of a repeated key, as serde_json::Value would write.
            Json::Object(o) => {
                let mut map = serializer.serialize_map(None)?;
                for (i, (key, value)) in o.members.iter().enumerate() {
                    if !o.members[i + 1..].iter().any(|(k, _)| k == key) {
                        map.serialize_entry(key.as_ref(), value)?;
                    }
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Json<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut tree = Json::Null;
        Into { slot: &mut tree, level: 0, arena: None }.deserialize(deserializer)?;
        Ok(tree)
    }
}

/// Deserialises one value straight into its slot (which holds `Json::Null`), so members and
/// items are built where they end up. Why: returning each value and then moving it into its
/// vector made the CPU load a 40-byte value just written in smaller pieces, which it cannot
/// forward from its store buffer — about a third of the tree building stalled on that.
struct Into<'s, 'de> {
    slot: &'s mut Json<'de>,
    /// How deep the slot is: 0 for the top, 1 for its members or items, …
    level: usize,
    /// Where containers go; `None`: each into its own vector.
    arena: Option<&'de Arena>,
}

impl<'de> Into<'_, 'de> {
    fn put<E>(self, value: Json<'de>) -> Result<(), E> {
        // The slot holds Null (nothing to drop); `forget` spares the drop call.
        std::mem::forget(std::mem::replace(self.slot, value));
        Ok(())
    }
}

/// The largest number of members (`OBJECTS`) or items (`ARRAYS`) seen in a container at each
/// of the first levels, up to 64, per thread: a container's vector is allocated that large at
/// once. Why: the records of one history share their shape, and growing every vector
/// 4 → 8 → 16 took three allocations and two copies where one allocation does.
const OBJECTS: usize = 0;
const ARRAYS: usize = 1;
const SIZED_LEVELS: usize = 8;
thread_local! {
    static SIZES: std::cell::Cell<[[u8; SIZED_LEVELS]; 2]> = const { std::cell::Cell::new([[0; SIZED_LEVELS]; 2]) };
}

fn expected_len(kind: usize, level: usize) -> usize {
    if level >= SIZED_LEVELS {
        return 0;
    }
    SIZES.with(|sizes| usize::from(sizes.get()[kind][level]))
}

fn seen_len(kind: usize, level: usize, len: usize) {
    if level < SIZED_LEVELS {
        let len = len.min(64) as u8;
        SIZES.with(|sizes| {
            let mut all = sizes.get();
            if all[kind][level] < len {
                all[kind][level] = len;
                sizes.set(all);
            }
        });
    }
}

/// A container's store, filled by `$fill` through the vector `$entries` (of `$expected`
/// room): in the arena when there is one, else a vector of its own.
macro_rules! filled_store {
    ($arena:expr, $expected:expr, $entries:ident, $fill:expr) => {
        match $arena {
            Some(arena) => {
                let mut $entries = arena.vec($expected);
                $fill;
                Store::Arena($entries.into_bump_slice())
            }
            None => {
                let mut $entries = Vec::with_capacity($expected);
                $fill;
                Store::Own($entries)
            }
        }
    };
}

impl<'de> DeserializeSeed<'de> for Into<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Into<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<(), E> {
        self.put(Json::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<(), E> {
        self.put(Json::Number(n.into()))
    }

    fn visit_u64<E>(self, n: u64) -> Result<(), E> {
        self.put(Json::Number(n.into()))
    }

    fn visit_f64<E>(self, n: f64) -> Result<(), E> {
        self.put(Number::from_f64(n).map_or(Json::Null, Json::Number))
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<(), E> {
        self.put(Json::String(Cow::Borrowed(s)))
    }

    fn visit_str<E>(self, s: &str) -> Result<(), E> {
        let text = match self.arena {
            Some(arena) => Cow::Borrowed(arena.alloc_str(s)),
            None => Cow::Owned(s.to_owned()),
        };
        self.put(Json::String(text))
    }

    fn visit_string<E>(self, s: String) -> Result<(), E> {
        self.put(Json::String(Cow::Owned(s)))
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        self.put(Json::Null)
    }

    fn visit_none<E>(self) -> Result<(), E> {
        self.put(Json::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        DeserializeSeed::deserialize(self, deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let (level, arena) = (self.level + 1, self.arena);
        let expected = seq.size_hint().unwrap_or_else(|| expected_len(ARRAYS, self.level)).min(64);
        let mut depth = 0;
        // The same loop into either kind of vector: each item is built in its slot.
        macro_rules! fill {
            ($items:ident) => {
                loop {
                    $items.push(Json::Null);
                    let Some(slot) = $items.last_mut() else { break };
                    if seq.next_element_seed(Into { slot, level, arena })?.is_none() {
                        $items.pop();
                        break;
                    }
                    depth = depth.max(slot.depth());
                }
                seen_len(ARRAYS, self.level, $items.len());
            };
        }
        let items = filled_store!(arena, expected, items, fill!(items));
        self.put(Json::Array(Array { items, depth: depth + 1 }))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let (level, arena) = (self.level + 1, self.arena);
        let expected = map.size_hint().unwrap_or_else(|| expected_len(OBJECTS, self.level)).min(64);
        let mut depth = 0;
        macro_rules! fill {
            ($members:ident) => {
                while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
                    // A key with escapes (rare) was copied out of the text: into the arena then.
                    let key = match (key, arena) {
                        (Cow::Owned(key), Some(arena)) => Cow::Borrowed(arena.alloc_str(&key)),
                        (key, _) => key,
                    };
                    $members.push((key, Json::Null));
                    let Some((_, slot)) = $members.last_mut() else { break };
                    map.next_value_seed(Into { slot, level, arena })?;
                    depth = depth.max(slot.depth());
                }
                seen_len(OBJECTS, self.level, $members.len());
            };
        }
        let members = filled_store!(arena, expected, members, fill!(members));
        self.put(Json::Object(Object { members, depth: depth + 1 }))
    }
}

/// An object key, borrowed from the text when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(s)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E>(self, s: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_without_escapes_are_borrowed() {
        let text = r#"{"id": "ESC-1", "note": "a \"quoted\" word", "n": [1, {"x": null}]}"#;
        let json = Json::parse(text).unwrap();
        let obj = json.as_object().unwrap();
        assert!(matches!(obj.get("id"), Some(Json::String(Cow::Borrowed("ESC-1")))));
        assert!(matches!(obj.get("note"), Some(Json::String(Cow::Owned(s))) if s == "a \"quoted\" word"));
        assert_eq!(json.depth(), 3);
    }

    #[test]
    fn the_last_duplicate_key_wins_as_in_serde_json() {
        let text = r#"{"a": 1, "a": "two"}"#;
        let json = Json::parse(text).unwrap();
        let value: Value = serde_json::from_str(text).unwrap();
        assert_eq!(json.as_object().unwrap().get("a").and_then(Json::as_str), value["a"].as_str());
        assert_eq!(Json::from_value(&value).as_object().unwrap().get("a").and_then(Json::as_str), Some("two"));
    }

    #[test]
    fn errors_and_depths_match_serde_json_value() {
        for text in ["{\"a\": [1, 2", "[1,]", "{\"a\" 1}", "\"\\u12\"", "1e999", "-0", "18446744073709551616"] {
            let ours = Json::parse(text).map(|_| ()).map_err(|e| e.to_string());
            let theirs = serde_json::from_str::<Value>(text).map(|_| ()).map_err(|e| e.to_string());
            assert_eq!(ours, theirs, "{text}");
        }
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert_eq!(
            Json::parse(&deep).unwrap_err().to_string(),
            serde_json::from_str::<Value>(&deep).unwrap_err().to_string()
        );
        let bytes = b"{\"a\": \"\xff\"}";
        assert_eq!(
            Json::parse_bytes(bytes).unwrap_err().to_string(),
            serde_json::from_slice::<Value>(bytes).unwrap_err().to_string()
        );
        let value: Value = serde_json::from_str(r#"{"a": [[1], {"b": {}}]}"#).unwrap();
        assert_eq!(Json::from_value(&value).depth(), 4);
    }

    #[test]
    fn a_tree_writes_back_the_json_it_was_read_from() {
        // Members keep their input order; of a repeated key only the last is written.
        let text = r#"{"z":1,"a":[1,-2,3.5,null,true,"x\"y",{}],"z":"last"}"#;
        let tree = Json::parse(text).unwrap();
        assert_eq!(tree.to_text(), r#"{"a":[1,-2,3.5,null,true,"x\"y",{}],"z":"last"}"#);
        assert_eq!(tree.clone().into_owned(), tree);
    }

    #[test]
    fn a_tree_parsed_into_an_arena_is_the_tree_parsed_alone() {
        let arena = Arena::new();
        for text in [
            r#"{"id": "ESC-1", "n\u00e9": "caf\u00e9", "list": [1, -2.5, null, true, {"a": {"b": []}}], "id": "last"}"#,
            r#"[{"x": "a \"quoted\" word"}, [], {}, "\ud83d\ude00"]"#,
            "{\"a\": [1, 2",
            "[1,]",
            "{\"a\" 1}",
            "18446744073709551616",
            "  {}  ",
        ] {
            let alone = Json::parse_bytes(text.as_bytes()).map_err(|e| e.to_string());
            let in_arena = Json::parse_in(text.as_bytes(), &arena).map_err(|e| e.to_string());
            assert_eq!(in_arena, alone, "{text}");
            if let Ok(tree) = in_arena {
                assert_eq!(tree.to_text(), alone.unwrap().to_text());
                assert_eq!(tree.clone().into_owned(), tree);
            }
        }
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert_eq!(
            Json::parse_in(deep.as_bytes(), &arena).unwrap_err().to_string(),
            serde_json::from_str::<Value>(&deep).unwrap_err().to_string()
        );
        let bytes = b"{\"a\": \"\xff\"}";
        assert_eq!(
            Json::parse_in(bytes, &arena).unwrap_err().to_string(),
            serde_json::from_slice::<Value>(bytes).unwrap_err().to_string()
        );
    }

    #[test]
    fn containers_built_in_an_arena_equal_those_built_in_vectors() {
        // As the Python binding builds a batch's trees: entries pushed into arena vectors.
        let arena = Arena::new();
        let mut items = arena.vec(1);
        items.push(Json::Null);
        items.push(Json::String(Cow::Borrowed(arena.alloc_str("x\"y"))));
        let mut members = arena.vec(0);
        members.push((Cow::Borrowed("a"), Json::Array(Array::in_arena(items))));
        members.push((Cow::Borrowed("a"), Json::Bool(true)));
        let built = Json::Object(Object::in_arena(members));
        let parsed = Json::parse(r#"{"a": [null, "x\"y"], "a": true}"#).unwrap();
        assert_eq!(built, parsed);
        assert_eq!(built.depth(), 2);
        assert_eq!(built.as_object().and_then(|o| o.get("a")), Some(&Json::Bool(true)));
        assert!(arena.allocated_bytes() > 0);
        assert_eq!(Json::Array(Array::in_arena(arena.vec(0))).depth(), 1);
    }

    #[test]
    fn escaped_keys_and_strings_are_copied_into_the_arena() {
        let arena = Arena::new();
        let tree = Json::parse_in(br#"{"k\u0065y": "v\u0061lue", "plain": "text"}"#, &arena).unwrap();
        let obj = tree.as_object().unwrap();
        assert_eq!(obj.get("key").and_then(Json::as_str), Some("value"));
        // Nothing in an arena tree owns memory of its own.
        assert!(obj.iter().all(|(_, v)| matches!(v, Json::String(Cow::Borrowed(_)))));
        assert!(matches!(&obj.members, Store::Arena(m) if m.iter().all(|(k, _)| matches!(k, Cow::Borrowed(_)))));
    }

    #[test]
    fn the_thread_arena_is_reset_between_uses_and_serves_a_nested_use() {
        let first = with_arena(|arena| {
            let tree = Json::parse_in(br#"{"a": [1, 2, 3]}"#, arena).unwrap();
            (tree.to_text(), arena.allocated_bytes())
        });
        let second = with_arena(|arena| {
            let bytes_before = arena.allocated_bytes();
            // A second use on the same thread while the first is running gets its own arena.
            let inner = with_arena(|inner| Json::parse_in(b"[true]", inner).unwrap().to_text());
            let tree = Json::parse_in(br#"{"a": [1, 2, 3]}"#, arena).unwrap();
            (tree.to_text(), bytes_before, inner)
        });
        assert_eq!(first.0, r#"{"a":[1,2,3]}"#);
        assert_eq!(second.0, first.0);
        assert_eq!(second.2, "[true]");
        assert!(second.1 > 0, "the chunk is kept between uses");
        // Each use starts from an emptied arena: once its chunk has grown to fit (the first few
        // uses), a thousand uses take no more room.
        let text = format!("[{}]", vec![r#"{"k": "v"}"#; 500].join(","));
        let room =
            |_| with_arena(|arena| Json::parse_in(text.as_bytes(), arena).map(|_| arena.allocated_bytes()).unwrap());
        let rooms: Vec<usize> = (0..1000).map(room).collect();
        assert!(rooms[10..].iter().all(|r| *r == rooms[10]), "{:?}", &rooms[..12]);
        // A record that grew the arena past the kept size leaves a fresh arena behind.
        let big = format!("[{}0]", "0,".repeat(200_000));
        with_arena(|arena| assert!(Json::parse_in(big.as_bytes(), arena).is_ok()));
        with_arena(|arena| assert!(arena.allocated_bytes() < 1 << 20));
    }
}
