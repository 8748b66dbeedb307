//! What the three questions take: one case, in whichever form the caller holds it.
//!
//! Every form converts with `From`, so [`Engine::validate`](crate::Engine::validate) and its
//! siblings take text, bytes, a `serde_json::Value`, a [`Json`] tree, a typed [`Record`] or a
//! record read already, and answer each the same way.

use std::borrow::Cow;

use serde_json::Value;

use crate::json::Json;
use crate::record::{Closing, ParsedRecord, Record, Unreadable};

/// One case to judge.
#[derive(Debug, Clone)]
pub enum Input<'a> {
    /// JSON text (UTF-8, a leading BOM allowed), checked against the policy's limits and read
    /// by the engine. Unreadable text is answered with REC001/REC006, never an error.
    Text(Cow<'a, [u8]>),
    /// A JSON value.
    Value(&'a Value),
    /// A JSON tree (what the bindings build from their own objects, with no text in between).
    Tree(&'a Json<'a>),
    /// A typed record built by the caller: there were no reading problems.
    Record(&'a Record),
    /// A record read already, with the problems found while reading it.
    Parsed(Cow<'a, ParsedRecord>),
    /// A case that could not be read at all: the answer is its problems.
    Unreadable(Unreadable),
}

impl<'a> From<&'a str> for Input<'a> {
    fn from(text: &'a str) -> Self {
        Input::Text(Cow::Borrowed(text.as_bytes()))
    }
}

impl<'a> From<&'a String> for Input<'a> {
    fn from(text: &'a String) -> Self {
        Input::Text(Cow::Borrowed(text.as_bytes()))
    }
}

impl From<String> for Input<'_> {
    fn from(text: String) -> Self {
        Input::Text(Cow::Owned(text.into_bytes()))
    }
}

impl<'a> From<&'a [u8]> for Input<'a> {
    fn from(bytes: &'a [u8]) -> Self {
        Input::Text(Cow::Borrowed(bytes))
    }
}

impl<'a> From<&'a Vec<u8>> for Input<'a> {
    fn from(bytes: &'a Vec<u8>) -> Self {
        Input::Text(Cow::Borrowed(bytes))
    }
}

impl From<Vec<u8>> for Input<'_> {
    fn from(bytes: Vec<u8>) -> Self {
        Input::Text(Cow::Owned(bytes))
    }
}

impl<'a> From<&'a Value> for Input<'a> {
    fn from(value: &'a Value) -> Self {
        Input::Value(value)
    }
}

impl<'a> From<&'a Json<'a>> for Input<'a> {
    fn from(tree: &'a Json<'a>) -> Self {
        Input::Tree(tree)
    }
}

impl<'a> From<&'a Record> for Input<'a> {
    fn from(record: &'a Record) -> Self {
        Input::Record(record)
    }
}

impl<'a> From<&'a ParsedRecord> for Input<'a> {
    fn from(parsed: &'a ParsedRecord) -> Self {
        Input::Parsed(Cow::Borrowed(parsed))
    }
}

impl From<ParsedRecord> for Input<'_> {
    fn from(parsed: ParsedRecord) -> Self {
        Input::Parsed(Cow::Owned(parsed))
    }
}

impl From<Unreadable> for Input<'_> {
    fn from(unreadable: Unreadable) -> Self {
        Input::Unreadable(unreadable)
    }
}

impl From<Result<ParsedRecord, Unreadable>> for Input<'_> {
    fn from(read: Result<ParsedRecord, Unreadable>) -> Self {
        match read {
            Ok(parsed) => parsed.into(),
            Err(unreadable) => unreadable.into(),
        }
    }
}

/// A proposed closing for [`Engine::can_close`](crate::Engine::can_close), in the same forms
/// as a case (text, a `serde_json::Value`, a [`Json`] tree) or as a typed [`Closing`].
#[derive(Debug, Clone)]
pub enum Proposal<'a> {
    /// JSON text of a closing object; unreadable text is answered with REC001/REC006 at
    /// `/closing`.
    Text(Cow<'a, [u8]>),
    /// A JSON value.
    Value(&'a Value),
    /// A JSON tree.
    Tree(&'a Json<'a>),
    /// A typed closing: there were no reading problems.
    Closing(&'a Closing),
}

impl<'a> From<&'a str> for Proposal<'a> {
    fn from(text: &'a str) -> Self {
        Proposal::Text(Cow::Borrowed(text.as_bytes()))
    }
}

impl<'a> From<&'a String> for Proposal<'a> {
    fn from(text: &'a String) -> Self {
        Proposal::Text(Cow::Borrowed(text.as_bytes()))
    }
}

impl From<String> for Proposal<'_> {
    fn from(text: String) -> Self {
        Proposal::Text(Cow::Owned(text.into_bytes()))
    }
}

impl<'a> From<&'a [u8]> for Proposal<'a> {
    fn from(bytes: &'a [u8]) -> Self {
        Proposal::Text(Cow::Borrowed(bytes))
    }
}

impl<'a> From<&'a Vec<u8>> for Proposal<'a> {
    fn from(bytes: &'a Vec<u8>) -> Self {
        Proposal::Text(Cow::Borrowed(bytes))
    }
}

impl<'a> From<&'a Value> for Proposal<'a> {
    fn from(value: &'a Value) -> Self {
        Proposal::Value(value)
    }
}

impl<'a> From<&'a Json<'a>> for Proposal<'a> {
    fn from(tree: &'a Json<'a>) -> Self {
        Proposal::Tree(tree)
    }
}

impl<'a> From<&'a Closing> for Proposal<'a> {
    fn from(closing: &'a Closing) -> Self {
        Proposal::Closing(closing)
    }
}
