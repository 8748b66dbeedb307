//! The closed vocabularies that docs/format.md lists (procedures, parties, event types, …).
//!
//! These are part of the record format, not of the policy: a policy can change reasons or
//! thresholds, but not what a `call` event is. Each value parses from its code or its label
//! (docs/format.md, Values), fast path first: the exact canonical code needs no normalisation.

macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $code:literal, $label:literal $(| $alias:literal)*;)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $(#[doc = $label] $variant),* }

        impl $name {
            /// Every value, in the order docs/format.md lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The canonical snake_case code.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),* }
            }

            /// The human label, as the procedures write it.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),* }
            }

            fn label_set() -> &'static $crate::labels::LabelSet {
                static SET: ::std::sync::OnceLock<$crate::labels::LabelSet> = ::std::sync::OnceLock::new();
                SET.get_or_init(|| {
                    let mut set = $crate::labels::LabelSet::new();
                    $(set.insert($code, $label, &[$($alias.to_string()),*]).expect("distinct labels");)*
                    set
                })
            }

            /// Parse a code or label; `None` when it matches nothing.
            pub fn parse(text: &str) -> Option<Self> {
                match text {
                    $($code => return Some($name::$variant),)*
                    _ => {}
                }
                Self::label_set().position(text).map(|i| Self::ALL[i])
            }

            /// The closest known code, for a hint.
            pub fn closest(text: &str) -> Option<&'static str> {
                Self::label_set().closest(text).and_then(|l| Self::parse(&l.code)).map(Self::code)
            }
        }
    };
}
pub(crate) use code_enum;

// The procedures are listed in their own table (crate::procedures), which makes their enum
// with this macro.
pub use crate::procedures::Procedure;

code_enum!(
    /// How the customer reached us.
    Channel {
        Phone => "phone", "Phone" | "call";
        Chat => "chat", "Chat";
        Email => "email", "Email" | "e-mail";
        Web => "web", "Web";
    }
);

code_enum!(
    /// A case's priority.
    Priority {
        Normal => "normal", "Normal";
        HighlyEscalated => "highly_escalated", "Highly escalated";
    }
);

code_enum!(
    /// Who an event involves.
    Party {
        Customer => "customer", "Customer" | "homeowner";
        Servicer => "servicer", "Servicer" | "assigned servicer" | "service pro" | "service provider";
        MarketManager => "market_manager", "Market Manager";
        ProviderPrimary => "provider_primary", "Primary provider" | "primary";
        ProviderSecondary => "provider_secondary", "Secondary provider" | "secondary";
        ProviderTertiary => "provider_tertiary", "Tertiary provider" | "tertiary";
        AreaManager => "area_manager", "Area Manager";
        ResolutionSpecialist => "resolution_specialist", "Resolution Specialist";
        TeamSupervisor => "team_supervisor", "Team Supervisor";
        AdminTeam => "admin_team", "Admin team";
    }
);

impl Party {
    /// The StoreFile providers, in the order the procedure calls them.
    pub(crate) const PROVIDERS: [Party; 3] =
        [Party::ProviderPrimary, Party::ProviderSecondary, Party::ProviderTertiary];

    /// Whether the party is one of the selling store's three providers.
    pub fn is_provider(self) -> bool {
        Self::PROVIDERS.contains(&self)
    }
}

code_enum!(
    /// How a call went.
    CallOutcome {
        Reached => "reached", "Reached" | "answered" | "spoke";
        NoAnswer => "no_answer", "No answer";
        Voicemail => "voicemail", "Voicemail" | "left message" | "message left";
        Busy => "busy", "Busy";
        WrongNumber => "wrong_number", "Wrong number";
    }
);

code_enum!(
    /// Who placed a call.
    Direction {
        Outbound => "outbound", "Outbound";
        Inbound => "inbound", "Inbound";
    }
);

code_enum!(
    /// Who can see a note.
    NoteVisibility {
        Internal => "internal", "Internal";
        Public => "public", "Public";
        PublicWithEmail => "public_with_email", "Public with Email";
    }
);

code_enum!(
    /// What a note is on.
    NoteTarget {
        Order => "order", "Order";
        ServiceJob => "service_job", "Service job";
    }
);

code_enum!(
    /// Why a case may be closed (Closing Escalations, "When to close").
    Basis {
        Resolved => "resolved", "Resolved";
        NoContact => "no_contact", "No contact" | "no contact after the third attempt";
        NoLongerAnIssue => "no_longer_an_issue", "No longer an issue";
    }
);

code_enum!(
    /// Whom a warm transfer is tried to.
    TransferTarget {
        ResolutionSpecialist => "resolution_specialist", "Resolution Specialist";
        TeamSupervisor => "team_supervisor", "Team Supervisor";
    }
);

code_enum!(
    /// The `type` of an event (docs/format.md, Events).
    EventType {
        Call => "call", "Call";
        Email => "email", "Email";
        Note => "note", "Note";
        Update => "update", "Update";
        RescheduleReasonDetermined => "reschedule_reason_determined", "Reschedule reason determined";
        RescheduleOffered => "reschedule_offered", "Reschedule offered";
        CallbackSet => "callback_set", "Callback set" | "call back set";
        StatusChanged => "status_changed", "Status changed";
        WorkStarted => "work_started", "Work started";
        CoverageFound => "coverage_found", "Coverage found";
        MarketManagerResponse => "market_manager_response", "Market Manager response";
        Rescheduled => "rescheduled", "Rescheduled";
        JobCompleted => "job_completed", "Job completed";
        ExceptionOpened => "exception_opened", "Exception opened";
        AdminReview => "admin_review", "Admin review";
        FollowUpOffered => "follow_up_offered", "Follow up offered";
        TicketConverted => "ticket_converted", "Ticket converted";
        TransferAttempt => "transfer_attempt", "Transfer attempt";
        VoicemailTransfer => "voicemail_transfer", "Voicemail transfer";
        FlaggedForReview => "flagged_for_review", "Flagged for review";
    }
);

impl EventType {
    /// docs/format.md, Events: the events that count as an agent working the case.
    pub fn is_agent_action(self) -> bool {
        matches!(
            self,
            EventType::Call
                | EventType::Email
                | EventType::Note
                | EventType::Update
                | EventType::RescheduleOffered
                | EventType::CallbackSet
                | EventType::StatusChanged
                | EventType::WorkStarted
                | EventType::Rescheduled
                | EventType::ExceptionOpened
                | EventType::TicketConverted
                | EventType::TransferAttempt
                | EventType::VoicemailTransfer
                | EventType::FlaggedForReview
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_labels_parse() {
        assert_eq!(Party::parse("market_manager"), Some(Party::MarketManager));
        assert_eq!(Party::parse("Market  Manager"), Some(Party::MarketManager));
        assert_eq!(Party::parse("Service Pro"), Some(Party::Servicer));
        assert_eq!(Party::parse("marketing"), None);
        assert_eq!(Party::closest("market manger"), Some("market_manager"));
        assert_eq!(NoteVisibility::parse("Public with Email"), Some(NoteVisibility::PublicWithEmail));
        assert_eq!(Procedure::parse("FMS"), Some(Procedure::FieldManagementSupport));
        assert!(EventType::ALL.iter().all(|t| EventType::parse(t.code()) == Some(*t)));
    }
}
