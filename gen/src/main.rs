//! `escalint-gen`: a deterministic generator of realistic escalation histories (JSON Lines).
//!
//! Each case follows its procedure the way a careful agent would, then — for a realistic
//! share of cases — one slip is introduced (a missed update, a reason of the wrong party, a
//! skipped step, …). A few lines are malformed, as real exports are. The same seed gives the
//! same bytes.
//!
//! The histories are made for breakdowns: servicers come from a fixed roster (each in one
//! Market Manager region), closers from a fixed set of agents (each with one role), volume is
//! seasonal (a summer peak and a December one), and three servicers slip far more often than
//! the rest (and everyone slips more in the November–December rush).
//!
//! ```sh
//! cargo run --release -p escalint-gen -- --cases 200000 --seed 7 > history.jsonl
//! ```

use std::io::{self, BufWriter, Write};

use chrono::{DateTime, Duration, TimeZone, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};

struct Options {
    cases: u64,
    seed: u64,
    /// Malformed lines per thousand.
    malformed_per_mille: u32,
    /// Cases with one slip, per hundred.
    breach_percent: u32,
}

fn parse_args() -> Result<Options, String> {
    let mut o = Options { cases: 2000, seed: 7, malformed_per_mille: 2, breach_percent: 30 };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "--cases" | "-n" => o.cases = value("--cases")?.parse().map_err(|e| format!("--cases: {e}"))?,
            "--seed" => o.seed = value("--seed")?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--malformed-per-mille" => {
                o.malformed_per_mille = value("--malformed-per-mille")?.parse().map_err(|e| format!("{e}"))?
            }
            "--breach-percent" => o.breach_percent = value("--breach-percent")?.parse().map_err(|e| format!("{e}"))?,
            "-h" | "--help" => {
                println!("escalint-gen [--cases N] [--seed S] [--malformed-per-mille M] [--breach-percent P] > history.jsonl");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other}; see --help")),
        }
    }
    Ok(o)
}

const ZONES: [&str; 5] =
    ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Phoenix"];
const FIRST: [&str; 8] = ["Dana", "Lee", "Sam", "Ari", "Jo", "Kim", "Alex", "Rae"];
const LAST: [&str; 8] = ["Okafor", "Park", "Reyes", "Cole", "Nguyen", "Schmidt", "Haddad", "Silva"];
const REASONS: [(&str, &str); 8] = [
    ("installation_company", "Technician-No-Call No-Show"),
    ("installation_company", "Technician- Unprofessional – Unfamiliar with Product/Installation"),
    ("installation_company", "Services Not Complete or Below Standard"),
    ("customer", "Site not prepared"),
    ("customer", "Customer Requests Sooner Date"),
    ("client", "Product Issue"),
    ("installs_inc", "Sooner Dates – Found"),
    ("installs_inc", "Failure to Update"),
];
const LEGEND: [&str; 6] = ["NCNS", "WORKMANSHIP", "SP UNRESPONSIVE", "MISSED APPT", "UNPROFESSIONAL", "NO RESPONSE"];

/// Market Manager regions: the region, its Market Manager and their email, the zone of its
/// customers.
const REGIONS: [(&str, &str, &str, &str); 6] = [
    ("Northeast", "R. Alvarez", "ralvarez@example.com", "America/New_York"),
    ("Southeast", "T. Booker", "tbooker@example.com", "America/New_York"),
    ("Midwest", "K. Lindqvist", "klindqvist@example.com", "America/Chicago"),
    ("South Central", "M. Okonkwo", "mokonkwo@example.com", "America/Chicago"),
    ("Mountain", "J. Whitehorse", "jwhitehorse@example.com", "America/Denver"),
    ("Pacific", "S. Nakamura", "snakamura@example.com", "America/Los_Angeles"),
];

/// Servicers: name, A number, region (an index into REGIONS), and how many times the base
/// rate they slip (three are clearly worse).
const SERVICERS: [(&str, &str, usize, u32); 24] = [
    ("Peachtree Installs LLC", "A104233", 1, 1),
    ("Harbor Point Installations", "A110482", 0, 1),
    ("Granite State Home Services", "A113907", 0, 1),
    ("Keystone Appliance Pros", "A120355", 0, 3),
    ("Liberty Fixture Works", "A124018", 0, 1),
    ("Palmetto Home Install", "A131276", 1, 1),
    ("Bayou Country Installers", "A135540", 3, 1),
    ("Suncoast Service Partners", "A138812", 1, 1),
    ("Blue Ridge Installs", "A142067", 1, 1),
    ("Lakeshore Appliance Repair", "A147731", 2, 1),
    ("Prairie Line Services", "A151096", 2, 1),
    ("Great Lakes Home Tech", "A154470", 2, 3),
    ("Heartland Install Co.", "A158823", 2, 1),
    ("Lone Star Fitters", "A163309", 3, 1),
    ("Red River Installations", "A166642", 3, 1),
    ("Gulf Coast Pro Install", "A170015", 3, 1),
    ("Front Range Installers", "A174481", 4, 1),
    ("Wasatch Home Services", "A178930", 4, 1),
    ("High Desert Appliance", "A182216", 4, 3),
    ("Cascade Install Group", "A186674", 5, 1),
    ("Golden Gate Fixtures", "A190158", 5, 1),
    ("Willamette Home Pros", "A193527", 5, 1),
    ("Sierra Service Partners", "A196803", 5, 1),
    ("Inland Empire Installs", "A199265", 5, 1),
];

/// Closers: agents with their one role (the last two are roles that may not close).
const AGENTS: [(&str, &str); 14] = [
    ("ag-311", "resolution_care_back_office"),
    ("ag-318", "resolution_care_back_office"),
    ("ag-327", "resolution_care_back_office"),
    ("ag-402", "resolution_care_phone_2"),
    ("ag-415", "resolution_care_phone_2"),
    ("ag-433", "Resolution Care Phone 2"),
    ("ag-507", "tra_and_field_management"),
    ("ag-519", "tra_and_field_management"),
    ("ag-601", "resolution_care_supervisors_and_team_leads"),
    ("ag-612", "Resolution Care Supervisors and Team Leads"),
    ("ag-620", "resolution_care_supervisors_and_team_leads"),
    ("ag-704", "resolution_care_back_office"),
    ("ag-711", "resolution_care_phone_2"),
    ("ag-725", "tra_and_field_management"),
];

/// Cases opened per month, relative (January first): a summer peak and a December one.
const SEASON: [u32; 12] = [80, 70, 85, 95, 110, 130, 140, 135, 100, 95, 115, 145];

struct Case<'r> {
    rng: &'r mut ChaCha8Rng,
    opened: DateTime<Utc>,
    /// The order's servicer (an index into SERVICERS).
    servicer: usize,
}

fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl Case<'_> {
    fn at(&self, minutes: i64) -> String {
        ts(self.opened + Duration::minutes(minutes))
    }

    fn date(&self, days: i64) -> String {
        (self.opened + Duration::days(days)).format("%Y-%m-%d").to_string()
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.rng.gen_range(0..items.len())]
    }

    /// The look-up's answer for the servicer's region.
    fn market_manager(&self) -> Value {
        let (region, manager, email, _) = REGIONS[SERVICERS[self.servicer].2];
        json!({"name": manager, "email": email, "region": region})
    }

    fn servicer(&self) -> Value {
        let (name, a_number, _, _) = SERVICERS[self.servicer];
        json!({"a_number": a_number, "name": name})
    }

    fn closing(&mut self, minutes: i64) -> Value {
        let (party, reason) = self.pick(&REASONS);
        let (agent, role) = self.pick(&AGENTS);
        json!({"closed_at": self.at(minutes), "closed_by": {"agent_id": agent, "role": role},
               "basis": "resolved", "resolved_by": "INSTALLS Inc", "final_responsibility": party, "reason": reason,
               "notes": "Customer confirmed the issue is resolved."})
    }
}

fn event(at: String, kind: &str, fields: Value) -> Value {
    let mut e = json!({"at": at, "type": kind});
    if let (Some(e), Value::Object(f)) = (e.as_object_mut(), fields) {
        e.extend(f);
    }
    e
}

fn installs(c: &mut Case, id: &str) -> Value {
    let days = c.rng.gen_range(1..5i64);
    let first_touch = c.rng.gen_range(10..180);
    let mut events = vec![event(c.at(first_touch), "call", json!({"party": "customer", "outcome": "reached"}))];
    for d in 1..=days {
        let early = c.rng.gen_range(0..50);
        events.push(event(c.at(d * 1380 - early), "update", json!({})));
    }
    let closing = c.closing(days * 1380 + 60);
    json!({"schema_version": 1, "id": id, "procedure": "installs_escalation", "opened_at": c.at(0), "channel": c.pick(&["phone", "email", "chat", "web"]),
           "order": {"id": format!("ORD-{}", c.rng.gen_range(10000..99999)), "status": "completed", "servicer": c.servicer()},
           "escalation": {"escalation_for": "Installs Inc.", "damage_claim": false, "notes": "Customer reports a missed appointment window."},
           "market_manager": c.market_manager(),
           "events": events, "closing": closing})
}

fn fms(c: &mut Case, id: &str, zone: &str) -> Value {
    let (first, last) = (c.pick(&FIRST), c.pick(&LAST));
    let phone = format!("{}-555-{:04}", c.rng.gen_range(201..989), c.rng.gen_range(0..9999));
    let a_number = SERVICERS[c.servicer].1;
    let (region, manager, email, _) = REGIONS[SERVICERS[c.servicer].2];
    let with_mm = c.rng.gen_bool(0.6);
    let mut events = vec![
        event(
            c.at(-13),
            "reschedule_reason_determined",
            json!({"reason": "servicer unavailable", "next_available_date": c.date(4)}),
        ),
        event(c.at(-9), "reschedule_offered", json!({"dates": [c.date(4), c.date(5)], "accepted_date": null})),
        event(c.at(-7), "callback_set", json!({"callback_at": c.at(240)})),
        event(c.at(-5), "status_changed", json!({"to": "prescheduled_rejected"})),
        event(c.at(5), "work_started", json!({})),
    ];
    if with_mm {
        events.push(event(c.at(7), "call", json!({"party": "servicer", "outcome": "no_answer"})));
        events.push(event(c.at(12), "email", json!({"party": "market_manager"})));
        events.push(event(c.at(15), "call", json!({"party": "customer", "outcome": "reached"})));
        events.push(event(c.at(120), "market_manager_response", json!({"coverage_found": true})));
        events.push(event(c.at(125), "call", json!({"party": "customer", "outcome": "reached"})));
    } else {
        events.push(event(c.at(7), "call", json!({"party": "provider_primary", "outcome": "no_answer"})));
        events.push(event(c.at(9), "call", json!({"party": "provider_secondary", "outcome": "reached"})));
        events.push(event(c.at(10), "coverage_found", json!({"party": "provider_secondary", "date": c.date(1)})));
        events.push(event(c.at(14), "call", json!({"party": "customer", "outcome": "reached"})));
        events.push(event(c.at(15), "reschedule_offered", json!({"dates": [c.date(1)], "accepted_date": c.date(1)})));
    }
    events.push(event(c.at(1300), "update", json!({})));
    events.push(event(c.at(1500), "job_completed", json!({})));
    let closing = c.closing(1560);
    let mm = if with_mm { json!({"name": manager, "email": email, "region": region}) } else { json!({"name": null}) };
    json!({"schema_version": 1, "id": id, "procedure": "field_management_support", "opened_at": c.at(0), "timezone": zone, "channel": "phone",
           "customer": {"first_name": first, "last_name": last, "phone": phone},
           "order": {"id": format!("ORD-{}", c.rng.gen_range(10000..99999)), "status": "completed", "scheduled_for": c.date(1),
                     "servicer": c.servicer(), "missed_appointments": 1},
           "escalation": {"escalation_for": "Installs Inc.", "installer_a_number": a_number, "escalator_first_name": first, "escalator_last_name": last,
                          "escalator_phone": phone, "escalator_title": "Customer", "ownership": "Install Support", "type": "Field Management Support",
                          "preferred_date": c.date(1), "reschedule_reason": "servicer unavailable", "notes": "Customer keeps the original date."},
           "market_manager": mm, "store_providers": {"primary": "A1", "secondary": "A2"}, "events": events, "closing": closing})
}

fn area_manager(c: &mut Case, id: &str, zone: &str) -> Value {
    let code = c.pick(&LEGEND);
    json!({"schema_version": 1, "id": id, "procedure": "area_manager_exception", "opened_at": c.at(0), "timezone": zone,
           "order": {"id": format!("ORD-{}", c.rng.gen_range(10000..99999)), "status": "completed", "servicer": c.servicer()},
           "market_manager": c.market_manager(),
           "events": [
               event(c.at(15), "call", json!({"party": "servicer", "outcome": "voicemail"})),
               event(c.at(18), "note", json!({"visibility": "internal", "on": "service_job"})),
               event(c.at(1500), "call", json!({"party": "customer", "direction": "inbound", "outcome": "reached"})),
               event(c.at(1505), "call", json!({"party": "servicer", "outcome": "voicemail"})),
               event(c.at(1508), "note", json!({"visibility": "public_with_email", "on": "service_job"})),
               event(c.at(1510), "exception_opened", json!({"code": code, "directed_to": "area_manager"})),
               event(c.at(2400), "admin_review", json!({"emailed_area_manager": true})),
           ],
           "closing": {"closed_at": c.at(2600), "closed_by": {"role": "resolution_care_back_office"}, "basis": "resolved", "notes": "Escalated to the Area Manager."}})
}

fn leadership(c: &mut Case, id: &str) -> Value {
    let accepted = c.rng.gen_bool(0.6);
    let update_after = c.rng.gen_range(60..1200);
    let supervisor_wait = c.rng.gen_range(5..30);
    let events = if accepted {
        vec![
            event(c.at(1), "follow_up_offered", json!({"accepted": true})),
            event(c.at(2), "ticket_converted", json!({"from": "cxone", "to": "ebh"})),
            event(c.at(update_after), "call", json!({"party": "customer", "outcome": "reached"})),
        ]
    } else {
        vec![
            event(c.at(1), "follow_up_offered", json!({"accepted": false})),
            event(
                c.at(2),
                "transfer_attempt",
                json!({"target": "resolution_specialist", "waited_seconds": 30, "available": false}),
            ),
            event(
                c.at(3),
                "transfer_attempt",
                json!({"target": "team_supervisor", "waited_seconds": supervisor_wait, "available": true, "accepted": true}),
            ),
        ]
    };
    json!({"schema_version": 1, "id": id, "procedure": "leadership_request", "opened_at": c.at(0), "channel": "phone", "events": events,
           "closing": {"closed_at": c.at(1300), "closed_by": {"role": "resolution_care_supervisors_and_team_leads"}, "basis": "resolved", "notes": "Handled."}})
}

/// Introduce one realistic slip.
fn breach(rng: &mut ChaCha8Rng, case: &mut Value) {
    let events = case["events"].as_array().map(|e| e.len()).unwrap_or(0);
    match rng.gen_range(0..9) {
        0 if events > 1 => {
            // An agent action forgotten: drop one event.
            let i = rng.gen_range(0..events);
            case["events"].as_array_mut().map(|e| e.remove(i));
        }
        1 => case["closing"]["reason"] = json!("Buyer's remorse"),
        2 => case["closing"]["closed_by"]["role"] = json!("homeowner_support_agent"),
        3 => case["closing"]["resolved_by"] = json!("Client"),
        4 => case["closing"]["notes"] = json!(""),
        5 => case["sensitive_qualifiers"] = json!(["BBB complaint"]),
        6 => case["closing"]["reason"] = json!("Case Dismissed – Damage Claims Only"),
        7 if events > 0 => {
            // A late update: push the last event three days out.
            let last = events - 1;
            if let Some(at) = case["events"][last]["at"].as_str().and_then(|a| DateTime::parse_from_rfc3339(a).ok()) {
                case["events"][last]["at"] = json!(ts(at.with_timezone(&Utc) + Duration::days(3)));
            }
        }
        _ => case["events"][0]["documented"] = json!(false),
    }
}

fn malformed(rng: &mut ChaCha8Rng, line: &str) -> String {
    match rng.gen_range(0..3) {
        0 => line[..line.len() / 2].to_string(), // truncated export
        1 => line.replacen("\"opened_at\"", "\"opened_at\" ", 1).replacen(':', "", 1), // broken syntax
        _ => "[\"not\", \"a\", \"case\"]".to_string(),
    }
}

fn main() {
    let options = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("escalint-gen: {e}");
            std::process::exit(2);
        }
    };
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let season_total: u32 = SEASON.iter().sum();
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
    for n in 0..options.cases {
        // Opened in US business hours (13:00–22:00 UTC).
        // A month by its season's weight, then a day of it, over two years.
        let mut pick = rng.gen_range(0..season_total);
        let mut month = 0;
        while pick >= SEASON[month] {
            pick -= SEASON[month];
            month += 1;
        }
        let year = 2024 + rng.gen_range(0..2);
        let first = Utc.with_ymd_and_hms(year, month as u32 + 1, 1, 0, 0, 0).single().expect("valid month");
        let days = if month == 11 {
            31
        } else {
            (Utc.with_ymd_and_hms(year, month as u32 + 2, 1, 0, 0, 0).single().expect("valid month") - first).num_days()
        };
        let opened =
            first + Duration::days(rng.gen_range(0..days)) + Duration::minutes(rng.gen_range(13 * 60..22 * 60));
        let id = format!("ESC-{}-{:07}", opened.format("%Y"), n + 1);
        let servicer = rng.gen_range(0..SERVICERS.len());
        // Customers are mostly in their servicer's region's zone.
        let zone =
            if rng.gen_bool(0.8) { REGIONS[SERVICERS[servicer].2].3 } else { ZONES[rng.gen_range(0..ZONES.len())] };
        let roll = rng.gen_range(0..100);
        let mut case = {
            let mut c = Case { rng: &mut rng, opened, servicer };
            match roll {
                0..=44 => installs(&mut c, &id),
                45..=69 => fms(&mut c, &id, zone),
                70..=84 => area_manager(&mut c, &id, zone),
                _ => leadership(&mut c, &id),
            }
        };
        // The worse servicers slip several times as often, and everyone more in the rush.
        let rush = if month >= 10 { 13 } else { 10 };
        let percent = (options.breach_percent * SERVICERS[servicer].3 * rush / 10).min(95);
        if rng.gen_range(0..100) < percent {
            breach(&mut rng, &mut case);
        }
        let mut line = case.to_string();
        if rng.gen_range(0..1000) < options.malformed_per_mille {
            line = malformed(&mut rng, &line);
        }
        if writeln!(out, "{line}").is_err() {
            return; // the reader went away (e.g. | head)
        }
    }
    let _ = out.flush();
}
