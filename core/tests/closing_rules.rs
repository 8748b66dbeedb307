//! CL001–CL007 on concrete closings: label folding, reasons of two parties, messages and hints.

mod common;

use common::{closing, installs_case, rules_of};
use escalint::{Engine, Violation};

fn judge(closing_value: serde_json::Value, damage_claim: bool) -> Vec<Violation> {
    let mut case = installs_case();
    case["escalation"]["damage_claim"] = damage_claim.into();
    case["closing"] = closing_value;
    Engine::new().validate(&case, None).violations.into_iter().filter(|v| v.rule.starts_with("CL")).collect()
}

fn cl(closing_value: serde_json::Value) -> Vec<Violation> {
    judge(closing_value, false)
}

#[test]
fn a_compliant_closing_has_no_closing_violation() {
    assert!(cl(closing("resolved", "installation_company", "Technician-No-Call No-Show")).is_empty());
}

#[test]
fn reason_labels_fold_case_dashes_slashes_and_spacing() {
    for reason in [
        "Technician- Unprofessional – Unfamiliar with Product/Installation",
        "technician - unprofessional - unfamiliar with product / installation",
        "technician_unprofessional_unfamiliar_with_product_installation",
        "TECHNICIAN — UNPROFESSIONAL — UNFAMILIAR WITH PRODUCT / INSTALLATION.",
    ] {
        let found = cl(closing("resolved", "Installation Company", reason));
        assert!(found.is_empty(), "{reason}: {found:?}");
    }
}

#[test]
fn party_labels_fold_too() {
    for party in ["INSTALLS inc", "Installs Inc.", "installs_inc"] {
        let found = cl(closing("resolved", party, "Failure to Update"));
        assert!(found.is_empty(), "{party}: {found:?}");
    }
}

#[test]
fn opened_in_error_belongs_to_client_and_installs_inc() {
    assert!(cl(closing("resolved", "client", "Opened in error")).is_empty());
    assert!(cl(closing("resolved", "installs_inc", "Opened in error")).is_empty());
    let found = cl(closing("resolved", "customer", "Opened in error"));
    assert_eq!(rules_of(&found), ["CL005"]);
    assert!(found[0].message.contains("client") && found[0].message.contains("installs_inc"), "{}", found[0].message);
    assert!(found[0].hint.as_deref().unwrap().starts_with("final_responsibility: "));
}

#[test]
fn product_issue_belongs_to_client_and_installation_company() {
    assert!(cl(closing("resolved", "client", "Product Issue")).is_empty());
    assert!(cl(closing("resolved", "installation_company", "Product Issue")).is_empty());
    assert_eq!(rules_of(&cl(closing("resolved", "installs_inc", "Product Issue"))), ["CL005"]);
}

#[test]
fn a_reason_of_another_party_names_that_party_as_in_the_contract() {
    let found = cl(closing("resolved", "installation_company", "Buyer's remorse"));
    assert_eq!(rules_of(&found), ["CL005"]);
    assert_eq!(found[0].path, "/closing/reason");
    assert_eq!(
        found[0].message,
        "reason \"Buyer's remorse\" is not a reason of party installation_company; it is a customer reason"
    );
    assert_eq!(found[0].hint.as_deref(), Some("final_responsibility: customer"));
    assert_eq!(found[0].sop, "Closing Escalations, step 3c");
}

#[test]
fn an_unknown_reason_is_not_guessed_but_hinted() {
    let found = cl(closing("resolved", "installation_company", "Technician No Call No Shw"));
    assert_eq!(rules_of(&found), ["CL005"]);
    assert!(found[0].message.contains("is not a final responsibility reason of any party"), "{}", found[0].message);
    assert_eq!(found[0].hint.as_deref(), Some("reason: technician_no_call_no_show"));
}

#[test]
fn missing_reason_and_unknown_party() {
    let mut c = closing("resolved", "the installer", "Unresponsive");
    let found = cl(c.clone());
    assert_eq!(rules_of(&found), ["CL004"]);
    assert_eq!(found[0].path, "/closing/final_responsibility");
    c["final_responsibility"] = "installation_company".into();
    c["reason"] = "  ".into();
    assert_eq!(rules_of(&cl(c)), ["CL005"]);
}

#[test]
fn damage_claims_only_reasons_need_a_damage_claim() {
    let c = closing("resolved", "installs_inc", "Installs Paid Direct – Damage Claims Only");
    let found = judge(c.clone(), false);
    assert_eq!(rules_of(&found), ["CL006"]);
    assert!(judge(c, true).is_empty());
    let customer = closing("resolved", "customer", "Servicer Insurance claim denied - Damage Claims Only");
    assert_eq!(rules_of(&judge(customer, false)), ["CL006"]);
}

#[test]
fn only_listed_roles_may_close_and_the_hint_names_the_closest() {
    let mut c = closing("resolved", "installation_company", "Unresponsive");
    c["closed_by"]["role"] = "Resolution Care Back-Office team".into();
    assert!(cl(c.clone()).is_empty(), "label with dashes and 'team' is an allowed role");
    c["closed_by"]["role"] = "resolution_care_back_offce".into();
    let found = cl(c);
    assert_eq!(rules_of(&found), ["CL001"]);
    assert_eq!(found[0].hint.as_deref(), Some("role: resolution_care_back_office"));
}

#[test]
fn resolved_by_is_always_installs_inc() {
    let mut c = closing("resolved", "installation_company", "Unresponsive");
    c["resolved_by"] = "Installs Inc.".into();
    assert!(cl(c.clone()).is_empty());
    c["resolved_by"] = "Lakeside Installs".into();
    let found = cl(c);
    assert_eq!(rules_of(&found), ["CL003"]);
    assert_eq!(found[0].path, "/closing/resolved_by");
}

#[test]
fn blank_notes_are_a_warning_only() {
    let mut c = closing("resolved", "installation_company", "Unresponsive");
    c["notes"] = " ".into();
    let mut case = installs_case();
    case["closing"] = c;
    let report = Engine::new().validate(&case, None);
    assert_eq!(rules_of(&report.violations), ["CL007"]);
    assert!(report.valid);
}
