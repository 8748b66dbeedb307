//! # escalint
//!
//! An embedded rules engine for the escalation procedures of a home-services company. It
//! answers three questions about an escalation case:
//!
//! * [`Engine::validate`] — does the case follow the procedures?
//! * [`Engine::next_steps`] — what must the agent do next, and by when?
//! * [`Engine::can_close`] — may it be closed now, by this person, with these values?
//!
//! ```
//! let engine = escalint::Engine::new();
//! let report = engine.validate(r#"{"id": "ESC-1", "procedure": "leadership_request",
//!     "opened_at": "2026-11-20T09:15:00-05:00"}"#, None);
//! assert_eq!(report.id, "ESC-1");
//! assert!(report.violations.iter().any(|v| v.rule == "LD001"));
//! ```
//!
//! The procedures' taxonomies and thresholds are data: the embedded [`Policy`], replaceable
//! by the caller, versioned by effective date.

#![deny(missing_docs)]

pub mod catalogue;
pub mod codes;
mod engine;
mod input;
pub mod json;
mod keys;
pub mod labels;
pub mod pipeline;
pub(crate) mod plan;
pub mod policy;
mod procedures;
pub mod record;
pub mod report;
pub(crate) mod rules;
pub mod selection;
pub mod stream;
pub mod summary;
pub mod time;

pub use catalogue::RuleInfo;
pub use engine::Engine;
pub use input::{Input, Proposal};
pub use policy::{Policy, PolicyError};
pub use record::{Closing, Event, EventKind, ParsedRecord, Record};
pub use report::{CanCloseReport, CaseState, NextStepsReport, Severity, Step, ValidationReport, Violation};
pub use time::{parse_now, NowError, Timestamp};

/// The library version (the crate version).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
