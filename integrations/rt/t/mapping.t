use strict;
use warnings;
use Test::More;
use JSON::PP ();
use FindBin;
use lib "$FindBin::Bin/lib";
use Samples qw(@EVENTS);

use RT::Extension::Escalint::Mapping qw(case_from_ticket event_from_transaction rt_to_rfc3339 rfc3339_to_epoch
  %EVENT_FIELDS %TICKET_CF @EVENT_CF_NAMES);

my $T = JSON::PP::true();
my $F = JSON::PP::false();

sub txn {
    my ( $type, %cf ) = @_;
    return {
        id      => 1,
        type    => $type,
        created => '2026-11-20 14:20:00',
        creator => 'agent',
        system  => 0,
        cf      => { map { $_ => ref $cf{$_} ? $cf{$_} : [ $cf{$_} ] } keys %cf },
    };
}
my $AT = '2026-11-20T14:20:00+00:00';

# Every event type: the transaction CFs an agent fills in, and the event they make.
my @cases = @EVENTS;
my %covered;
for my $case (@cases) {
    my ( $type, $cf, $fields ) = @$case;
    $covered{$type}++;
    my $event = event_from_transaction( txn( 'Comment', Event => $type, %$cf ) );
    is_deeply( $event, { type => $type, at => $AT, by => 'agent', %$fields }, "event $type from a comment's transaction CFs" );
}
is_deeply( [ grep { !$covered{$_} } sort keys %EVENT_FIELDS ], [], 'every event type of the mapping is tested' );

# Every event type of the record format (docs/format.md, its table of events) is mapped:
# logged on a comment (%EVENT_FIELDS), or status_changed (a change of Order Status).
SKIP: {
    my $format = "$FindBin::Bin/../../../docs/format.md";
    skip 'docs/format.md is not beside this distribution', 1 unless -f $format;
    my $text = do { local ( @ARGV, $/ ) = $format; <> };
    my ($table) = $text =~ /^### Events\n(.*?)^### /ms;
    my @documented = sort $table =~ /^\| `(\w+)` \|/mg;
    cmp_ok( scalar @documented, '>=', 20, 'the event types of docs/format.md' );
    is_deeply( [ sort( keys %EVENT_FIELDS, 'status_changed' ) ], \@documented, '... are exactly the mapped ones' );
}

# Every transaction CF a field names is one the setup creates.
my %cf_names = map { $_ => 1 } @EVENT_CF_NAMES;
for my $type ( sort keys %EVENT_FIELDS ) {
    ok( $cf_names{ $_->[1] }, "transaction CF $_->[1] ($type) is in the list" ) for @{ $EVENT_FIELDS{$type} };
}

is_deeply( event_from_transaction( txn('Comment') ), { type => 'update', at => $AT, by => 'agent' }, 'a plain comment is an update' );
is_deeply( event_from_transaction( txn('Correspond') ), { type => 'email', party => 'customer', at => $AT, by => 'agent' },
    'a plain reply is an email to the customer' );
is_deeply( event_from_transaction( txn( 'Correspond', Event => 'email', Party => 'servicer' ) ),
    { type => 'email', party => 'servicer', at => $AT, by => 'agent' }, 'a reply logged as an email keeps its party' );
is( event_from_transaction( { %{ txn('Comment') }, system => 1 } ), undef, "RT's own comments are not agent actions" );
is( event_from_transaction( txn('Set') ), undef, 'other transactions are not events' );
is_deeply(
    event_from_transaction( txn( 'Comment', Event => 'call', Party => 'servicer', Outcome => 'reached', 'Event At' => '2026-11-20 09:00:00', Documented => 'no' ) ),
    { type => 'call', party => 'servicer', outcome => 'reached', at => '2026-11-20T09:00:00+00:00', by => 'agent', documented => $F },
    'Event At overrides the time, Documented no marks an undocumented contact'
);
is_deeply(
    event_from_transaction( { %{ txn('CustomField') }, field_name => 'Order Status', old_value => 'Scheduled', new_value => 'Prescheduled – Rejected' } ),
    { type => 'status_changed', to => 'Prescheduled – Rejected', at => $AT, by => 'agent' },
    'a change of the Order Status field is a status_changed'
);
is( event_from_transaction( { %{ txn('CustomField') }, field_name => 'Notes', new_value => 'x' } ), undef, 'other field changes are not events' );
is_deeply( event_from_transaction( txn( 'Comment', Event => 'transfer_attempt', 'Waited Seconds' => 'half a minute', Available => 'maybe' ) ),
    { type => 'transfer_attempt', waited_seconds => 'half a minute', available => 'maybe', at => $AT, by => 'agent' },
    'values that are not numbers or yes/no go through as written, for the engine to report' );

is( rt_to_rfc3339('2026-11-20 14:20:00'), '2026-11-20T14:20:00+00:00', 'RT time to RFC 3339' );
is( rt_to_rfc3339('1970-01-01 00:00:00'), undef, "RT's unset time is undef" );
is( rfc3339_to_epoch('2026-11-20T09:20:00-05:00'), rfc3339_to_epoch('2026-11-20T14:20:00Z'), 'offsets are honoured' );
is( rfc3339_to_epoch('2026-11-20'), undef, 'a date is not a timestamp' );

# A whole ticket.
my %cf = (
    'Procedure'            => ['field_management_support'],
    'Order ID'             => ['ORD-1'],
    'Order Status'         => ['Scheduled'],
    'Missed Appointments'  => ['2'],
    'Damage Claim'         => ['no'],
    "Installer's A#"       => ['A104233'],
    'Sensitive Qualifiers' => [ 'BBB complaint', 'lawyer' ],
    'Market Manager Lookup' => ['found'],
    'Market Manager'       => ['R. Alvarez'],
    'Resolved By'          => ['INSTALLS Inc'],
    'Final Responsibility' => ['Installation Company'],
    'Final Responsibility Reason' => ['Technician-No-Call No-Show'],
    'Closing Notes'        => ['done'],
);
my $ticket = {
    id           => 7,
    created      => '2026-11-20 14:00:00',
    started      => '1970-01-01 00:00:00',
    status       => 'new',
    timezone     => 'America/New_York',
    cf           => \%cf,
    transactions => [
        { %{ txn('Create') }, created => '2026-11-20 14:00:00' },
        txn( 'Comment', Event => 'job_completed' ),
        { %{ txn('Status') }, old_value => 'new', new_value => 'resolved', created => '2026-11-21 10:00:00', creator => 'closer' },
    ],
    closer_role => sub { $_[0] eq 'closer' ? 'resolution_care_back_office' : 'none' },
};
my $record = case_from_ticket($ticket);
is( $record->{id}, 'RT-7', 'the case id is RT- and the ticket number' );
ok( !exists $record->{opened_at}, 'a new Field Management Support ticket is not opened yet' );
is( $record->{timezone}, 'America/New_York', "RT's time zone when the ticket has none" );
is_deeply( $record->{order}, { id => 'ORD-1', status => 'Scheduled', missed_appointments => 2, completed_at => $AT }, 'the order, completed at the job_completed event' );
is_deeply( $record->{escalation}, { installer_a_number => 'A104233', damage_claim => $F }, 'the escalation form' );
is_deeply( $record->{sensitive_qualifiers}, [ 'BBB complaint', 'lawyer' ], 'qualifiers, one per value' );
is_deeply( $record->{market_manager}, { name => 'R. Alvarez' }, 'the Market Manager look-up' );
is( $record->{closing}, undef, 'not closed while new' );

$ticket->{started} = '2026-11-20 15:00:00';
is( case_from_ticket($ticket)->{opened_at}, '2026-11-20T15:00:00+00:00', 'a Field Management Support ticket opens when it is first active' );
$cf{'Opened At'} = ['2026-11-19 12:00:00'];
is( case_from_ticket($ticket)->{opened_at}, '2026-11-19T12:00:00+00:00', 'Opened At overrides' );
delete $cf{'Opened At'};
$cf{Procedure} = ['installs_escalation'];
is( case_from_ticket($ticket)->{opened_at}, '2026-11-20T14:00:00+00:00', 'other procedures open at creation' );
$cf{'Market Manager Lookup'} = ['none'];
is_deeply( case_from_ticket($ticket)->{market_manager}, { name => undef }, 'look-up done, no Market Manager' );
delete $cf{'Market Manager Lookup'};
ok( !exists case_from_ticket($ticket)->{market_manager}, 'look-up not done' );

$ticket->{status} = 'resolved';
is_deeply(
    case_from_ticket($ticket)->{closing},
    {
        closed_at            => '2026-11-21T10:00:00+00:00',
        closed_by            => { agent_id => 'closer', role => 'resolution_care_back_office' },
        escalation_id        => 'RT-7',
        basis                => 'resolved',
        resolved_by          => 'INSTALLS Inc',
        final_responsibility => 'Installation Company',
        reason               => 'Technician-No-Call No-Show',
        notes                => 'done',
    },
    'a resolved ticket is closed by its last resolve, with the closing fields; an empty basis is resolved'
);
$cf{'Closing Basis'} = ['no_contact'];
is( case_from_ticket($ticket)->{closing}{basis}, 'no_contact', 'Closing Basis' );
$ticket->{status} = 'open';
is( case_from_ticket($ticket)->{closing}, undef, 'a reopened ticket is open again' );

done_testing;
