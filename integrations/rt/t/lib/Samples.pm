package Samples;

# Shared by the tests: for every event type, the transaction CFs an agent fills in and the
# event fields they make (t/mapping.t checks the mapping, t/engine.t that libescalint takes
# every one of them as a well-formed event).

use strict;
use warnings;
use JSON::PP ();
use Exporter 'import';
our @EXPORT_OK = qw(@EVENTS);

my $T = JSON::PP::true();
my $F = JSON::PP::false();

our @EVENTS = (
    [ call => { Party => 'customer', Outcome => 'no_answer', Direction => 'inbound' },
        { party => 'customer', outcome => 'no_answer', direction => 'inbound' } ],
    [ email => { Party => 'market_manager' }, { party => 'market_manager' } ],
    [ note => { Visibility => 'public_with_email', 'Note On' => 'service_job' }, { visibility => 'public_with_email', on => 'service_job' } ],
    [ update => {}, {} ],
    [ reschedule_reason_determined => { Reason => 'van broke down', 'Event Date' => '2026-11-25' },
        { reason => 'van broke down', next_available_date => '2026-11-25' } ],
    [ reschedule_offered => { 'Dates Offered' => '2026-11-25, 2026-11-26', Party => 'servicer' },
        { dates => [ '2026-11-25', '2026-11-26' ], accepted_date => undef, source => 'servicer' } ],
    [ reschedule_offered => { 'Dates Offered' => '2026-11-25 2026-11-26', 'Accepted Date' => '2026-11-26' },
        { dates => [ '2026-11-25', '2026-11-26' ], accepted_date => '2026-11-26' } ],
    [ callback_set => { 'Callback At' => '2026-11-20 18:00:00' }, { callback_at => '2026-11-20T18:00:00+00:00' } ],
    [ work_started => {}, {} ],
    [ coverage_found => { Party => 'provider_secondary', 'Event Date' => '2026-11-21' }, { party => 'provider_secondary', date => '2026-11-21' } ],
    [ market_manager_response => { 'Coverage Found' => 'yes' }, { coverage_found => $T } ],
    [ rescheduled => { 'Event Date' => '2026-11-21', Party => 'provider_secondary' }, { date => '2026-11-21', party => 'provider_secondary' } ],
    [ job_completed => {}, {} ],
    [ exception_opened => { 'Exception Code' => 'NCNS', Risk => 'no' }, { code => 'NCNS', risk => $F, directed_to => 'area_manager' } ],
    [ admin_review => { 'Emailed Area Manager' => 'yes' }, { emailed_area_manager => $T } ],
    [ follow_up_offered => { Accepted => 'no' }, { accepted => $F } ],
    [ ticket_converted => {}, { from => 'cxone', to => 'ebh' } ],
    [ transfer_attempt => { 'Transfer Target' => 'team_supervisor', 'Waited Seconds' => '35', Available => 'no', Accepted => 'no' },
        { target => 'team_supervisor', waited_seconds => 35, available => $F, accepted => $F } ],
    [ voicemail_transfer => {}, {} ],
    [ flagged_for_review => { Qualifiers => [ 'BBB complaint', 'lawyer' ] }, { qualifiers => [ 'BBB complaint', 'lawyer' ] } ],
);
1;
