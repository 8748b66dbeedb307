//! The mapping file: which column (or constant) fills which field of a case (docs/exports.md).

use std::collections::BTreeMap;

use chrono_tz::Tz;
use serde_json::Value;

/// A mapping that cannot be used: what is wrong, at which key, and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct MappingError(pub String);

fn err<T>(message: impl Into<String>) -> Result<T, MappingError> {
    Err(MappingError(message.into()))
}

/// A declared mapping from tables to cases: a `[case]` table (one row per case), an optional
/// `[events]` table (one row per event, gathered into its case's `events`), and the CSV
/// dialect (`[csv]`).
#[derive(Debug, Clone)]
pub struct Mapping {
    pub(crate) case: Vec<Field>,
    pub(crate) events: Option<EventsMapping>,
    pub(crate) dialect: Dialect,
}

/// The events table: its fields (pointers into one event) and the column naming the case.
#[derive(Debug, Clone)]
pub(crate) struct EventsMapping {
    pub case_column: String,
    pub fields: Vec<Field>,
}

/// How the CSV is written.
#[derive(Debug, Clone)]
pub(crate) struct Dialect {
    pub delimiter: u8,
    pub quote: u8,
    /// Without a header row, columns are named by their position, "1" first.
    pub header: bool,
}

/// One field of the case (or of an event): where it goes and where its value comes from.
#[derive(Debug, Clone)]
pub(crate) struct Field {
    /// The JSON Pointer as written, e.g. `/closing/closed_by/role`.
    pub pointer: String,
    /// Its reference tokens, unescaped.
    pub tokens: Vec<String>,
    pub source: Source,
    pub kind: Kind,
    /// Cut the cell into a list at this separator.
    pub split: Option<String>,
    /// Value translation: the cell as written to the value the record holds.
    pub map: Option<BTreeMap<String, Value>>,
    /// strftime format of a time or date cell.
    pub format: Option<String>,
    pub zone: Option<ZoneSource>,
    /// The value when the cell is empty.
    pub default: Option<Value>,
}

/// Where a field's value comes from.
#[derive(Debug, Clone)]
pub(crate) enum Source {
    Column(String),
    Constant(Value),
}

/// The time zone that makes naive local times aware.
#[derive(Debug, Clone)]
pub(crate) enum ZoneSource {
    Fixed(Tz),
    Column(String),
}

/// What a cell becomes (without `map`: the record format's type of the field, else `type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    Integer,
    Boolean,
    /// A time with an offset (RFC 3339), from `format`/`timezone` when the cell is naive.
    Timestamp,
    /// A `YYYY-MM-DD` date, from `format` when the cell is written otherwise.
    Date,
}

impl Kind {
    fn from_name(name: &str) -> Option<Kind> {
        Some(match name {
            "text" | "string" => Kind::Text,
            "integer" | "int" => Kind::Integer,
            "boolean" | "bool" => Kind::Boolean,
            "timestamp" => Kind::Timestamp,
            "date" => Kind::Date,
            _ => return None,
        })
    }

    /// The type the record format gives a field (docs/format.md), by its last token; text
    /// otherwise.
    fn of_field(tokens: &[String], event: bool) -> Kind {
        let last = tokens.last().map(String::as_str).unwrap_or("");
        match (event, last) {
            (_, "schema_version" | "missed_appointments" | "waited_seconds") => Kind::Integer,
            (
                _,
                "damage_claim"
                | "documented"
                | "risk"
                | "available"
                | "accepted"
                | "coverage_found"
                | "emailed_area_manager",
            ) => Kind::Boolean,
            (_, "opened_at" | "closed_at" | "completed_at" | "callback_at" | "at") => Kind::Timestamp,
            (_, "scheduled_for" | "preferred_date" | "next_available_date" | "accepted_date" | "date" | "dates") => {
                Kind::Date
            }
            _ => Kind::Text,
        }
    }
}

const FIELD_OPTIONS: &[&str] =
    &["column", "map", "format", "timezone", "timezone_column", "split", "value", "default", "type"];
const TOP_LEVEL: &[&str] = &["case", "events", "csv"];
const CSV_OPTIONS: &[&str] = &["delimiter", "quote", "header"];

/// The closest of `candidates` to `word` (for "did you mean").
pub(crate) fn closest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&word.to_lowercase(), &c.to_lowercase()), c))
        .filter(|(score, _)| *score > 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

fn did_you_mean(word: &str, candidates: &[&str]) -> String {
    match closest(word, candidates.iter().copied()) {
        Some(c) => format!("; did you mean \"{c}\"?"),
        None => format!("; expected one of {}", candidates.join(", ")),
    }
}

impl Mapping {
    /// Read a mapping from TOML text.
    pub fn from_toml(text: &str) -> Result<Mapping, MappingError> {
        let table: toml::Table = toml::from_str(text).map_err(|e| MappingError(format!("not valid TOML: {e}")))?;
        let value = serde_json::to_value(table).map_err(|e| MappingError(e.to_string()))?;
        Self::from_value(&value)
    }

    /// Read a mapping from its JSON form (the TOML's tables as objects; what Python passes
    /// for a dict).
    pub fn from_value(value: &Value) -> Result<Mapping, MappingError> {
        let Some(top) = value.as_object() else { return err("a mapping is a table with [case] (and [events], [csv])") };
        for key in top.keys() {
            if !TOP_LEVEL.contains(&key.as_str()) {
                return err(format!("unknown table [{key}]{}", did_you_mean(key, TOP_LEVEL)));
            }
        }
        let Some(case) = top.get("case") else {
            return err("the mapping has no [case] table (one row per case: \"/id\" = \"Ticket\", …)");
        };
        let case = fields(case, "case", false)?.1;
        if !case.iter().any(|f| f.pointer == "/id") {
            return err("[case] maps no \"/id\": every case needs its id (e.g. \"/id\" = \"Ticket\")");
        }
        let events = match top.get("events") {
            None => None,
            Some(events) => {
                let (case_column, fields) = fields(events, "events", true)?;
                let Some(case_column) = case_column else {
                    return err("[events] has no `case`: the column naming each event's case (e.g. case = \"Ticket\")");
                };
                Some(EventsMapping { case_column, fields })
            }
        };
        if events.is_some() && case.iter().any(|f| f.tokens.first().is_some_and(|t| t == "events")) {
            return err("[case] maps into /events and an [events] table is given too: map events in one place");
        }
        Ok(Mapping { case, events, dialect: dialect(top.get("csv"))? })
    }

    /// Whether the mapping has an `[events]` table.
    pub fn has_events(&self) -> bool {
        self.events.is_some()
    }
}

fn dialect(value: Option<&Value>) -> Result<Dialect, MappingError> {
    let mut d = Dialect { delimiter: b',', quote: b'"', header: true };
    let Some(value) = value else { return Ok(d) };
    let Some(table) = value.as_object() else { return err("[csv] must be a table (delimiter, quote, header)") };
    for (key, v) in table {
        let one_byte = |what: &str| -> Result<u8, MappingError> {
            let text = v.as_str().unwrap_or("");
            let text = if text == "\\t" { "\t" } else { text };
            match text.as_bytes() {
                [b] if b.is_ascii() => Ok(*b),
                _ => err(format!("[csv] {what} must be one ASCII character, e.g. \";\" or \"\\t\"; got {v}")),
            }
        };
        match key.as_str() {
            "delimiter" => d.delimiter = one_byte("delimiter")?,
            "quote" => d.quote = one_byte("quote")?,
            "header" => {
                d.header =
                    v.as_bool().ok_or_else(|| MappingError(format!("[csv] header must be true or false; got {v}")))?
            }
            other => return err(format!("[csv] has no option `{other}`{}", did_you_mean(other, CSV_OPTIONS))),
        }
    }
    Ok(d)
}

/// The fields of `[case]` or `[events]`, and `[events]`' `case` column.
fn fields(value: &Value, table: &str, event: bool) -> Result<(Option<String>, Vec<Field>), MappingError> {
    let Some(object) = value.as_object() else { return err(format!("[{table}] must be a table")) };
    let mut case_column = None;
    let mut out = Vec::new();
    for (key, spec) in object {
        if event && key == "case" {
            let Some(column) = spec.as_str() else { return err("[events] case must be a column name") };
            case_column = Some(column.to_string());
            continue;
        }
        if !key.starts_with('/') {
            let extra = if event { " (or `case`, the column naming the event's case)" } else { "" };
            return err(format!(
                "[{table}] \"{key}\": keys are JSON Pointers into the {}, e.g. \"/{key}\"{extra}",
                if event { "event" } else { "case" }
            ));
        }
        out.push(field(key, spec, table, event)?);
    }
    // Pointers in order, so that the records built are the same bytes whatever the file's order.
    out.sort_by(|a, b| a.pointer.cmp(&b.pointer));
    for pair in out.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if b.tokens.len() > a.tokens.len() && b.tokens[..a.tokens.len()] == a.tokens[..] {
            return err(format!(
                "[{table}] \"{}\" and \"{}\": one field cannot be both a value and an object",
                a.pointer, b.pointer
            ));
        }
    }
    Ok((case_column, out))
}

fn tokens(pointer: &str) -> Vec<String> {
    pointer[1..].split('/').map(|t| t.replace("~1", "/").replace("~0", "~")).collect()
}

fn field(pointer: &str, spec: &Value, table: &str, event: bool) -> Result<Field, MappingError> {
    let at = format!("[{table}] \"{pointer}\"");
    let tokens = tokens(pointer);
    if tokens.iter().any(String::is_empty) {
        return err(format!("{at}: a pointer has no empty parts (e.g. \"/closing/reason\")"));
    }
    let mut f = Field {
        pointer: pointer.to_string(),
        kind: Kind::of_field(&tokens, event),
        tokens,
        source: Source::Constant(Value::Null),
        split: None,
        map: None,
        format: None,
        zone: None,
        default: None,
    };
    let options = match spec {
        Value::String(column) => {
            f.source = Source::Column(column.clone());
            return Ok(f);
        }
        Value::Object(options) => options,
        other => return err(format!("{at}: expected a column name or a table {{ column = …, … }}; got {other}")),
    };
    for key in options.keys() {
        if !FIELD_OPTIONS.contains(&key.as_str()) {
            return err(format!("{at}: no option `{key}`{}", did_you_mean(key, FIELD_OPTIONS)));
        }
    }
    let text = |key: &str| -> Result<Option<String>, MappingError> {
        match options.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => err(format!("{at}: `{key}` must be text; got {other}")),
        }
    };
    f.source = match (text("column")?, options.get("value")) {
        (Some(column), None) => Source::Column(column),
        (None, Some(value)) => Source::Constant(value.clone()),
        (Some(_), Some(_)) => return err(format!("{at}: give `column` or `value`, not both")),
        (None, None) => return err(format!("{at}: give `column` (where the value is) or `value` (a constant)")),
    };
    if let Some(kind) = text("type")? {
        f.kind = Kind::from_name(&kind).ok_or_else(|| {
            MappingError(format!(
                "{at}: unknown type \"{kind}\"{}",
                did_you_mean(&kind, &["text", "integer", "boolean", "timestamp", "date"])
            ))
        })?;
    }
    f.split = text("split")?;
    if f.split.as_deref() == Some("") {
        return err(format!("{at}: `split` needs a separator, e.g. \";\""));
    }
    f.format = text("format")?;
    if let Some(format) = &f.format {
        if chrono::format::StrftimeItems::new(format).any(|i| matches!(i, chrono::format::Item::Error)) {
            return err(format!(
                "{at}: `format` \"{format}\" is not a valid strftime format (e.g. \"%m/%d/%Y %H:%M\")"
            ));
        }
        if f.kind == Kind::Text {
            f.kind = if has_time(format) { Kind::Timestamp } else { Kind::Date };
        }
    }
    f.zone = match (text("timezone")?, text("timezone_column")?) {
        (Some(name), None) => Some(ZoneSource::Fixed(zone(&name).map_err(|e| MappingError(format!("{at}: {e}")))?)),
        (None, Some(column)) => Some(ZoneSource::Column(column)),
        (Some(_), Some(_)) => return err(format!("{at}: give `timezone` or `timezone_column`, not both")),
        (None, None) => None,
    };
    if f.zone.is_some() && f.kind != Kind::Timestamp {
        return err(format!(
            "{at}: a time zone only applies to a timestamp (a format with a time, or type = \"timestamp\")"
        ));
    }
    f.default = options.get("default").cloned();
    f.map = match options.get("map") {
        None => None,
        Some(Value::Object(map)) => Some(map.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
        Some(other) => return err(format!("{at}: `map` must be a table {{ \"as written\" = value, … }}; got {other}")),
    };
    if matches!(f.source, Source::Constant(_)) && (f.map.is_some() || f.split.is_some() || f.format.is_some()) {
        return err(format!("{at}: a constant `value` takes no map, split or format"));
    }
    Ok(f)
}

fn has_time(format: &str) -> bool {
    ["%H", "%I", "%M", "%T", "%R", "%s", "%+", "%c", "%X", "%r", "%k", "%l"].iter().any(|t| format.contains(t))
}

/// An IANA time zone by name; unknown names with the closest one.
pub(crate) fn zone(name: &str) -> Result<Tz, String> {
    name.trim().parse::<Tz>().map_err(|_| {
        let hint = closest(name, chrono_tz::TZ_VARIANTS.iter().map(|z| z.name()))
            .map(|c| format!("; closest \"{c}\""))
            .unwrap_or_default();
        format!("\"{name}\" is not an IANA time zone (e.g. America/Chicago){hint}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_key_and_the_closest_option() {
        let e = Mapping::from_toml("[case]\n\"/id\" = { colum = \"T\" }").unwrap_err();
        assert!(e.0.contains("\"/id\"") && e.0.contains("did you mean \"column\""), "{e}");
        let e = Mapping::from_toml("[cases]\n").unwrap_err();
        assert!(e.0.contains("did you mean \"case\""), "{e}");
        let e = Mapping::from_toml("[case]\n\"/procedure\" = \"Type\"").unwrap_err();
        assert!(e.0.contains("no \"/id\""), "{e}");
        let e = Mapping::from_toml("[case]\nid = \"T\"").unwrap_err();
        assert!(e.0.contains("\"/id\""), "{e}");
        let e = Mapping::from_toml(
            "[case]\n\"/id\" = \"T\"\n\"/opened_at\" = { column = \"O\", timezone = \"America/Chicgo\" }",
        )
        .unwrap_err();
        assert!(e.0.contains("closest \"America/Chicago\""), "{e}");
        let e = Mapping::from_toml("[case]\n\"/id\" = \"T\"\n[events]\n\"/at\" = \"When\"").unwrap_err();
        assert!(e.0.contains("no `case`"), "{e}");
        let e = Mapping::from_toml("[case]\n\"/id\" = \"T\"\n\"/closing\" = \"C\"\n\"/closing/reason\" = \"R\"")
            .unwrap_err();
        assert!(e.0.contains("both a value and an object"), "{e}");
        let e = Mapping::from_toml("[case]\n\"/id\" = \"T\"\n[csv]\ndelimiter = \";;\"").unwrap_err();
        assert!(e.0.contains("one ASCII character"), "{e}");
        let e = Mapping::from_toml("[case]\n\"/id\" = { column = \"T\", value = 1 }").unwrap_err();
        assert!(e.0.contains("not both"), "{e}");
    }

    #[test]
    fn kinds_follow_the_record_format_and_the_format() {
        let m = Mapping::from_toml(
            "[case]\n\"/id\" = \"T\"\n\"/order/missed_appointments\" = \"M\"\n\"/escalation/damage_claim\" = \"D\"\n\
             \"/order/scheduled_for\" = { column = \"S\", format = \"%m/%d/%Y\" }\n\"/x\" = { column = \"X\", format = \"%d.%m.%Y %H:%M\", timezone = \"UTC\" }",
        )
        .unwrap();
        let kind = |p: &str| m.case.iter().find(|f| f.pointer == p).unwrap().kind;
        assert_eq!(kind("/order/missed_appointments"), Kind::Integer);
        assert_eq!(kind("/escalation/damage_claim"), Kind::Boolean);
        assert_eq!(kind("/order/scheduled_for"), Kind::Date);
        assert_eq!(kind("/x"), Kind::Timestamp);
        assert_eq!(kind("/id"), Kind::Text);
    }
}
