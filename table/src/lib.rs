//! # escalint-table
//!
//! Exports to escalint cases. Ticketing systems export tables, one row per escalation (and
//! sometimes a second table, one row per event); escalint judges cases, one JSON object each.
//! A [`Mapping`] (TOML, written by the analyst) declares which column fills which field of
//! the case, and [`CaseRows`] reads a table through it, one case per row, in constant memory.
//!
//! ```
//! let mapping = escalint_table::Mapping::from_toml(r#"
//!     [case]
//!     "/id" = "Ticket"
//!     "/procedure" = { column = "Type", map = { "Install" = "installs_escalation" } }
//!     "/opened_at" = { column = "Opened", format = "%Y-%m-%d %H:%M", timezone = "America/Chicago" }
//! "#).unwrap();
//! let csv = "Ticket,Type,Opened\nT-1,Install,2026-03-08 02:30\nT-2,Install,2026-04-11 08:00\n";
//! let rows: Vec<escalint_table::Row> = escalint_table::CaseRows::new(csv.as_bytes(), &mapping, "cases.csv", None)
//!     .unwrap()
//!     .collect::<Result<_, _>>()
//!     .unwrap();
//! // 02:30 does not exist in Chicago on 2026-03-08 (clocks skip from 02:00 to 03:00): reported.
//! assert_eq!(rows[0].problems[0].rule, "REC003");
//! assert_eq!(rows[1].case["opened_at"], "2026-04-11T08:00:00-05:00");
//! ```
//!
//! Text in UTF-16 or UTF-32 with a byte-order mark is read through [`decode::Decoded`], for
//! tables and JSON alike.

#![deny(missing_docs)]

pub mod decode;
mod mapping;
mod read;

pub use mapping::{Mapping, MappingError};
pub use read::{CaseRows, EventIndex, Orphan, Row, TableError};
