# The RT integration end to end, driven only through RT's REST 2.0 as another system would:
# escalation tickets of every procedure, contacts logged, closes refused and allowed, Due
# checked after each step against escalint's next_steps, and the history export checked
# case by case against the same cases written here by hand.
#
# Needs a running RT with the extension (scripts/rt-dev.sh start; scripts/test-rt.sh runs
# this) and these variables: RT_URL, RT_CLOSER_USER, RT_CLOSER_PASSWORD, RT_AGENT_USER,
# RT_AGENT_PASSWORD, ESCALINT_BIN (the CLI), RT_EXPORT (the command that writes the export).
use strict;
use warnings;
use utf8;
use Test::More;
use LWP::UserAgent;
use HTTP::Request;
use JSON::PP;
use MIME::Base64 qw(decode_base64);
use POSIX qw(strftime);
use File::Temp qw(tempdir);
use Time::Local qw(timegm);

for (qw(RT_URL RT_CLOSER_USER RT_CLOSER_PASSWORD RT_AGENT_USER RT_AGENT_PASSWORD ESCALINT_BIN RT_EXPORT)) {
    plan skip_all => "$_ is not set (run scripts/test-rt.sh)" unless $ENV{$_};
}
my $json   = JSON::PP->new->utf8->canonical;
my $ua     = LWP::UserAgent->new( timeout => 60 );
my $tmp    = tempdir( CLEANUP => 1 );
my $CLOSER = $ENV{RT_CLOSER_USER};
my $AGENT  = $ENV{RT_AGENT_USER};
my %PASSWORD = ( $CLOSER => $ENV{RT_CLOSER_PASSWORD}, $AGENT => $ENV{RT_AGENT_PASSWORD} );

sub api {
    my ( $user, $method, $path, $body ) = @_;
    my $request = HTTP::Request->new( $method => "$ENV{RT_URL}/REST/2.0/$path" );
    $request->authorization_basic( $user, $PASSWORD{$user} );
    if ($body) { $request->header( 'Content-Type' => 'application/json' ); $request->content( $json->encode($body) ) }
    my $response = $ua->request($request);
    die "$method $path as $user: " . $response->status_line . "\n" . $response->decoded_content . "\n" unless $response->is_success;
    return $json->decode( $response->content );
}
sub ticket { api( $AGENT, GET => "ticket/$_[0]" ) }

# Times: RT's (UTC) and the record's, for minute M after the test's base time (3 h ago).
my $BASE = int( time / 60 ) * 60 - 3 * 3600;
sub rt_time  { strftime( '%Y-%m-%d %H:%M:%S', gmtime( $_[0] ) ) }
sub iso      { strftime( '%Y-%m-%dT%H:%M:%S+00:00', gmtime( $_[0] ) ) }
sub at       { $BASE + 60 * $_[0] }
sub rest_iso { my ($t) = @_; $t =~ s/Z$/+00:00/; $t }    # REST's 2026-11-20T14:00:00Z
sub epoch {
    my ($t) = @_;
    my ( $y, $mo, $d, $h, $mi, $s, $zone ) = $t =~ /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(Z|[+-]\d\d:\d\d)$/ or die "not a timestamp: $t";
    my $e = timegm( $s, $mi, $h, $d, $mo - 1, $y );
    if ( $zone =~ /^([+-])(\d\d):(\d\d)$/ ) { $e -= ( $1 eq '+' ? 1 : -1 ) * ( $2 * 3600 + $3 * 60 ) }
    return $e;
}

sub create {
    my ( $subject, %cf ) = @_;
    my $created = api( $AGENT, POST => 'ticket', { Queue => 'Escalations', Subject => $subject, CustomFields => \%cf } );
    return $created->{id};
}
sub comment {
    my ( $user, $id, $text, %txn_cf ) = @_;
    api( $user, POST => "ticket/$id/comment", { Content => $text, ContentType => 'text/plain', TxnCustomFields => \%txn_cf } );
}
sub update { my ( $user, $id, %fields ) = @_; api( $user, PUT => "ticket/$id", \%fields ) }

sub escalint {
    my ( $command, $case, @args ) = @_;
    my $file = "$tmp/case.json";
    open my $fh, '>', $file or die $!;
    print $fh $json->encode($case);
    close $fh;
    my $out = qx{"$ENV{ESCALINT_BIN}" $command @args "$file"};
    return $json->decode($out);
}

# RT's Due is the earliest due_by of next_steps on the hand-written case, or unset.
sub check_due {
    my ( $id, $case, $label ) = @_;
    my $plan = escalint( 'next-steps', $case, '--now', iso(time) );
    my @due = sort { $a <=> $b } map { epoch( $_->{due_by} ) } grep { defined $_->{due_by} } @{ $plan->{steps} };
    my $due = ticket($id)->{Due};
    if (@due) { is( epoch($due), $due[0], "$label: Due is the earliest step ($plan->{steps}[0]{action}, " . iso( $due[0] ) . ')' ) }
    else      { is( $due, '1970-01-01T00:00:00Z', "$label: nothing due, Due is unset" ) }
}

# The last comment RT itself wrote on the ticket (the gate's refusal).
sub last_system_comment {
    my ($id) = @_;
    my $history = api( $AGENT, GET => "ticket/$id/history?per_page=100&fields=Type,Creator" );
    my ($txn) = reverse grep { $_->{Type} eq 'Comment' && $_->{Creator}{id} eq 'RT_System' } @{ $history->{items} };
    return '' unless $txn;
    my $attachments = api( $AGENT, GET => "transaction/$txn->{id}/attachments" );
    my @parts = map { api( $AGENT, GET => "attachment/$_->{id}" ) } @{ $attachments->{items} };
    return join '', map { decode_base64( $_->{Content} // '' ) } grep { ( $_->{ContentType} // '' ) eq 'text/plain' } @parts;
}
sub history_time {
    my ( $id, $type ) = @_;
    my $history = api( $AGENT, GET => "ticket/$id/history?per_page=100&fields=Type,Created" );
    my ($txn) = reverse grep { $_->{Type} eq $type } @{ $history->{items} };
    return rest_iso( $txn->{Created} );
}

my %hand;    # ticket id => the case written by hand
my $closing_fields = sub {
    my (%over) = @_;
    return {
        'Resolved By' => 'INSTALLS Inc', 'Final Responsibility' => 'Installation Company',
        'Final Responsibility Reason' => 'Technician-No-Call No-Show', 'Closing Notes' => 'Secondary provider covered the job.', %over,
    };
};

# --- Installs escalation: every way a close is refused, then the right close.
{
    my $id = create( 'Installs escalation', Procedure => 'installs_escalation', 'Opened At' => rt_time( at(0) ), Timezone => 'America/New_York',
        'Order ID' => 'ORD-1001', 'Order Status' => 'Scheduled', 'Escalation for' => 'Installs Inc.', 'Damage Claim' => 'no' );
    my $case = $hand{$id} = {
        id => "RT-$id", procedure => 'installs_escalation', opened_at => iso( at(0) ), timezone => 'America/New_York',
        order => { id => 'ORD-1001', status => 'Scheduled' }, escalation => { escalation_for => 'Installs Inc.', damage_claim => JSON::PP::false },
        events => [], closing => undef,
    };
    check_due( $id, $case, 'installs, opened' );

    comment( $AGENT, $id, 'Called the customer', Event => 'call', Party => 'customer', Outcome => 'reached', 'Event At' => rt_time( at(5) ) );
    push @{ $case->{events} }, { type => 'call', party => 'customer', outcome => 'reached', at => iso( at(5) ), by => $AGENT };
    check_due( $id, $case, 'installs, customer reached' );

    update( $CLOSER, $id, Status => 'resolved', CustomFields => $closing_fields->( 'Final Responsibility Reason' => "Buyer's remorse" ) );
    is( ticket($id)->{Status}, 'new', 'a reason of another party: not resolved' );
    like( last_system_comment($id), qr/CL005 \[error\] reason "Buyer's remorse" is not a reason of party installation_company; it is a customer reason\n  field: \/closing\/reason\n  SOP: Closing Escalations, step 3c\n  hint: final_responsibility: customer/,
        '... and the comment names CL005 with its message, field, SOP citation and hint' );

    update( $AGENT, $id, Status => 'resolved', CustomFields => $closing_fields->() );
    is( ticket($id)->{Status}, 'new', 'a user in no closer group: not resolved' );
    like( last_system_comment($id), qr/CL001 \[error\]/, '... and the comment names CL001' );
    unlike( last_system_comment($id), qr/CL005/, '... and no longer CL005 (the reason was corrected in the same update)' );
    check_due( $id, $case, 'installs, after the refusals' );

    update( $CLOSER, $id, Status => 'resolved' );
    my $ticket = ticket($id);
    is( $ticket->{Status}, 'resolved', 'a closer with the right fields: resolved' );
    $case->{closing} = {
        closed_at => rest_iso( $ticket->{Resolved} ), closed_by => { agent_id => $CLOSER, role => 'Resolution Care Back Office' },
        escalation_id => "RT-$id", basis => 'resolved', resolved_by => 'INSTALLS Inc', final_responsibility => 'Installation Company',
        reason => 'Technician-No-Call No-Show', notes => 'Secondary provider covered the job.',
    };
    check_due( $id, $case, 'installs, closed' );
}

# --- No contact: refused after two failed attempts, allowed after the third.
{
    my $id = create( 'No contact', Procedure => 'installs_escalation', 'Opened At' => rt_time( at(0) ), 'Order ID' => 'ORD-1002',
        'Order Status' => 'Scheduled', 'Escalation for' => 'Installs Inc.' );
    my $case = $hand{$id} = { id => "RT-$id", procedure => 'installs_escalation', opened_at => iso( at(0) ), timezone => 'UTC',
        order => { id => 'ORD-1002', status => 'Scheduled' }, escalation => { escalation_for => 'Installs Inc.' }, events => [], closing => undef };
    for my $minute ( 10, 20 ) {
        comment( $AGENT, $id, 'No answer', Event => 'call', Party => 'customer', Outcome => 'no_answer', 'Event At' => rt_time( at($minute) ) );
        push @{ $case->{events} }, { type => 'call', party => 'customer', outcome => 'no_answer', at => iso( at($minute) ), by => $AGENT };
        check_due( $id, $case, "no contact, attempt at minute $minute" );
    }
    my %no_contact = ( 'Closing Basis' => 'no_contact', 'Final Responsibility' => 'Customer', 'Final Responsibility Reason' => 'Unresponsive to Installs Inc',
        'Closing Notes' => 'Three attempts, no answer.' );
    update( $CLOSER, $id, Status => 'resolved', CustomFields => $closing_fields->(%no_contact) );
    is( ticket($id)->{Status}, 'new', 'no_contact after two failed attempts: not resolved' );
    like( last_system_comment($id), qr/CL002 \[error\]/, '... and the comment names CL002' );

    comment( $AGENT, $id, 'Voicemail', Event => 'call', Party => 'customer', Outcome => 'voicemail', 'Event At' => rt_time( at(30) ) );
    push @{ $case->{events} }, { type => 'call', party => 'customer', outcome => 'voicemail', at => iso( at(30) ), by => $AGENT };
    update( $CLOSER, $id, Status => 'resolved' );
    my $ticket = ticket($id);
    is( $ticket->{Status}, 'resolved', 'no_contact after the third attempt: resolved' );
    $case->{closing} = { closed_at => rest_iso( $ticket->{Resolved} ), closed_by => { agent_id => $CLOSER, role => 'resolution_care_back_office' },
        escalation_id => "RT-$id", basis => 'no_contact', resolved_by => 'INSTALLS Inc', final_responsibility => 'Customer',
        reason => 'Unresponsive to Installs Inc', notes => 'Three attempts, no answer.' };
    check_due( $id, $case, 'no contact, closed' );
}

# --- Field Management Support: the reschedule conversation while new, then opened and worked.
{
    my %form = ( 'Escalation for' => 'Installs Inc.', "Installer's A#" => 'A104233', "Escalator's First Name" => 'Dana',
        "Escalator's Last Name" => 'Okafor', "Escalator's Phone Number" => '404-555-0134', 'Escalator Title' => 'Customer',
        'Ownership' => 'Install Support', 'Escalation Type' => 'Field Management Support', 'Preferred Date' => '2026-12-02',
        'Reschedule Reason' => "servicer's van broke down",
        'Notes' => "Customer prefers 2026-12-02; the servicer's van broke down; no compensation asked." );
    my $today = strftime( '%Y-%m-%d', gmtime );
    my $id = create( 'FMS', Procedure => 'field_management_support', %form, 'Order ID' => 'ORD-1003', 'Order Status' => 'Scheduled',
        'Scheduled For' => $today, 'Servicer A#' => 'A104233', 'Servicer Name' => 'Peachtree Installs LLC',
        'Customer First Name' => 'Dana', 'Customer Last Name' => 'Okafor', 'Customer Phone' => '(404) 555-0134', 'Customer ZIP' => '30301',
        'Primary Provider' => 'A104233', 'Secondary Provider' => 'A200871', 'Tertiary Provider' => 'A310022', 'Market Manager Lookup' => 'none' );
    my $case = $hand{$id} = {
        id => "RT-$id", procedure => 'field_management_support', timezone => 'UTC',
        customer => { first_name => 'Dana', last_name => 'Okafor', phone => '(404) 555-0134', zip => '30301' },
        order => { id => 'ORD-1003', status => 'Scheduled', scheduled_for => $today, servicer => { a_number => 'A104233', name => 'Peachtree Installs LLC' } },
        escalation => { escalation_for => 'Installs Inc.', installer_a_number => 'A104233', escalator_first_name => 'Dana', escalator_last_name => 'Okafor',
            escalator_phone => '404-555-0134', escalator_title => 'Customer', ownership => 'Install Support', type => 'Field Management Support',
            preferred_date => '2026-12-02', reschedule_reason => "servicer's van broke down",
            notes => "Customer prefers 2026-12-02; the servicer's van broke down; no compensation asked." },
        market_manager => { name => undef }, store_providers => { primary => 'A104233', secondary => 'A200871', tertiary => 'A310022' },
        events => [], closing => undef,
    };
    check_due( $id, $case, 'FMS, not opened' );
    comment( $AGENT, $id, 'Why and when', Event => 'reschedule_reason_determined', Reason => 'van broke down', 'Event Date' => '2026-12-03',
        'Event At' => rt_time( at(1) ) );
    push @{ $case->{events} }, { type => 'reschedule_reason_determined', reason => 'van broke down', next_available_date => '2026-12-03', at => iso( at(1) ), by => $AGENT };
    check_due( $id, $case, 'FMS, reason determined' );
    comment( $AGENT, $id, 'Offered dates, refused', Event => 'reschedule_offered', 'Dates Offered' => '2026-12-03, 2026-12-04', 'Event At' => rt_time( at(2) ) );
    push @{ $case->{events} }, { type => 'reschedule_offered', dates => [ '2026-12-03', '2026-12-04' ], accepted_date => undef, at => iso( at(2) ), by => $AGENT };
    check_due( $id, $case, 'FMS, dates refused' );
    my $callback = time + 3600;
    comment( $AGENT, $id, 'Call-back agreed', Event => 'callback_set', 'Callback At' => rt_time($callback), 'Event At' => rt_time( at(3) ) );
    push @{ $case->{events} }, { type => 'callback_set', callback_at => iso($callback), at => iso( at(3) ), by => $AGENT };
    check_due( $id, $case, 'FMS, call-back set' );

    update( $AGENT, $id, CustomFields => { 'Order Status' => 'Prescheduled – Rejected' } );
    $case->{order}{status} = 'Prescheduled – Rejected';
    push @{ $case->{events} }, { type => 'status_changed', to => 'Prescheduled – Rejected', at => history_time( $id, 'CustomField' ), by => $AGENT };
    check_due( $id, $case, 'FMS, job status changed' );

    update( $AGENT, $id, Status => 'open' );
    $case->{opened_at} = rest_iso( ticket($id)->{Started} );
    check_due( $id, $case, 'FMS, opened' );

    my $now = time;
    comment( $AGENT, $id, 'Primary provider', Event => 'call', Party => 'provider_primary', Outcome => 'no_answer', 'Event At' => rt_time($now) );
    push @{ $case->{events} }, { type => 'call', party => 'provider_primary', outcome => 'no_answer', at => iso($now), by => $AGENT };
    check_due( $id, $case, 'FMS, primary provider called' );
}

# --- Area Manager exception: the service pro not reached, a message and a note.
{
    my $id = create( 'AM', Procedure => 'area_manager_exception', 'Opened At' => rt_time( at(0) ), 'Order ID' => 'ORD-1004', 'Order Status' => 'Completed' );
    my $case = $hand{$id} = { id => "RT-$id", procedure => 'area_manager_exception', opened_at => iso( at(0) ), timezone => 'UTC',
        order => { id => 'ORD-1004', status => 'Completed' }, events => [], closing => undef };
    check_due( $id, $case, 'AM, opened' );
    comment( $AGENT, $id, 'Service pro', Event => 'call', Party => 'servicer', Outcome => 'voicemail', 'Event At' => rt_time( at(10) ) );
    push @{ $case->{events} }, { type => 'call', party => 'servicer', outcome => 'voicemail', at => iso( at(10) ), by => $AGENT };
    check_due( $id, $case, 'AM, service pro called' );
    comment( $AGENT, $id, 'Left a message for the service pro', Event => 'note', Visibility => 'internal', 'Note On' => 'service_job',
        'Event At' => rt_time( at(11) ) );
    push @{ $case->{events} }, { type => 'note', visibility => 'internal', on => 'service_job', at => iso( at(11) ), by => $AGENT };
    check_due( $id, $case, 'AM, note on the service job' );
    comment( $AGENT, $id, 'Exception', Event => 'exception_opened', 'Exception Code' => 'NCNS', Risk => 'yes', 'Event At' => rt_time( at(12) ) );
    push @{ $case->{events} }, { type => 'exception_opened', code => 'NCNS', risk => JSON::PP::true, directed_to => 'area_manager', at => iso( at(12) ), by => $AGENT };
    check_due( $id, $case, 'AM, exception opened' );
}

# --- Leadership request: follow-up refused, warm transfers, voicemail.
{
    my $id = create( 'Leadership', Procedure => 'leadership_request', 'Opened At' => rt_time( at(0) ), Channel => 'phone',
        'Sensitive Qualifiers' => ['Better Business Bureau complaint'] );
    my $case = $hand{$id} = { id => "RT-$id", procedure => 'leadership_request', opened_at => iso( at(0) ), timezone => 'UTC', channel => 'phone',
        sensitive_qualifiers => ['Better Business Bureau complaint'], events => [], closing => undef };
    check_due( $id, $case, 'leadership, opened' );
    my @steps = (
        [ { Event => 'follow_up_offered', Accepted => 'no' }, { type => 'follow_up_offered', accepted => JSON::PP::false } ],
        [ { Event => 'transfer_attempt', 'Transfer Target' => 'resolution_specialist', 'Waited Seconds' => '30', Available => 'no', Accepted => 'no' },
          { type => 'transfer_attempt', target => 'resolution_specialist', waited_seconds => 30, available => JSON::PP::false, accepted => JSON::PP::false } ],
        [ { Event => 'transfer_attempt', 'Transfer Target' => 'team_supervisor', 'Waited Seconds' => '40', Available => 'no', Accepted => 'no' },
          { type => 'transfer_attempt', target => 'team_supervisor', waited_seconds => 40, available => JSON::PP::false, accepted => JSON::PP::false } ],
        [ { Event => 'voicemail_transfer' }, { type => 'voicemail_transfer' } ],
        [ { Event => 'flagged_for_review', Qualifiers => ['BBB complaint'] }, { type => 'flagged_for_review', qualifiers => ['BBB complaint'] } ],
    );
    my $minute = 1;
    for my $step (@steps) {
        my ( $cf, $event ) = @$step;
        comment( $AGENT, $id, $event->{type}, %$cf, 'Event At' => rt_time( at($minute) ) );
        push @{ $case->{events} }, { %$event, at => iso( at($minute) ), by => $AGENT };
        check_due( $id, $case, "leadership, $event->{type}" );
        $minute++;
    }
}

# --- The history export: one case per ticket, judged as the hand-written cases are.
my $export = qx{$ENV{RT_EXPORT} 2>/dev/null};
is( $?, 0, 'the export ran' );
my @exported = map { $json->decode($_) } grep {/\S/} split /\n/, $export;
is_deeply( [ sort map { $_->{id} } @exported ], [ sort map { $_->{id} } values %hand ], 'the export holds every ticket, one line each' );
my $now = iso(time);
my $validate = sub {
    my ($cases) = @_;
    my $file = "$tmp/cases.jsonl";
    open my $fh, '>', $file or die $!;
    print $fh $json->encode($_), "\n" for @$cases;
    close $fh;
    # Each report without where it came from (its line in this file differs).
    return { map { my $r = $json->decode($_); delete $r->{source}; ( $r->{id} => $r ) } grep {/\S/}
        split /\n/, qx{"$ENV{ESCALINT_BIN}" validate --format jsonl --now $now "$file"} };
};
my $from_rt   = $validate->( \@exported );
my $from_hand = $validate->( [ map { $hand{$_} } sort { $a <=> $b } keys %hand ] );
for my $id ( sort keys %$from_hand ) {
    is_deeply( $from_rt->{$id}, $from_hand->{$id}, "validate: $id from RT's export = the hand-written case ("
        . join( ' ', map { $_->{rule} } @{ $from_hand->{$id}{violations} } ) . ')' );
}

# Mail is written to files, never sent: the autoreply to a requestor lands in the instance's
# var/*.mbox (after the export, which holds only the tickets above).
SKIP: {
    skip 'RT_DEV_DIR is not set', 1 unless $ENV{RT_DEV_DIR};
    api( $AGENT, POST => 'ticket', { Queue => 'Escalations', Subject => 'mail', Requestor => 'mail-check@example.com',
        Content => 'hello', CustomFields => { Procedure => 'leadership_request' } } );
    my @mail = grep { /^To: mail-check\@example\.com$/m } map { local ( @ARGV, $/ ) = $_; <> } glob "$ENV{RT_DEV_DIR}/var/*.mbox";
    is( scalar @mail, 1, "the autoreply is in $ENV{RT_DEV_DIR}/var/*.mbox" );
}

done_testing;
