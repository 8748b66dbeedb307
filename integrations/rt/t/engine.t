use strict;
use warnings;
use Test::More;
use FindBin;

use RT::Extension::Escalint::Engine;
use RT::Extension::Escalint::Mapping qw(case_from_ticket proposal_for rfc3339_to_epoch);

# The library built by cargo (scripts/test-rt.sh builds it), unless ESCALINT_LIB says otherwise.
my $lib = $ENV{ESCALINT_LIB} // "$FindBin::Bin/../../../target/release/libescalint.so";

my ( $none, $error ) = RT::Extension::Escalint::Engine->load('/nonexistent/libescalint.so');
is( $none, undef, 'a missing library gives no engine' );
like( $error, qr{libescalint not found at /nonexistent/libescalint\.so}, '... and says where it looked' );

my ( $engine, $load_error ) = RT::Extension::Escalint::Engine->load($lib);
ok( $engine, "libescalint loads from $lib" ) or BAIL_OUT( $load_error // 'no engine' );
like( $engine->version, qr/^\d+\.\d+\.\d+/, 'escalint_version' );

my $ticket = {
    id           => 3,
    created      => '2026-11-20 14:00:00',
    started      => '2026-11-20 14:00:00',
    status       => 'open',
    timezone     => 'America/New_York',
    cf           => { Procedure => ['installs_escalation'], 'Order ID' => ['ORD-9'], 'Order Status' => ['Scheduled'],
                      'Escalation for' => ['Installs Inc.'], 'Damage Claim' => ['no'] },
    transactions => [
        { id => 1, type => 'Create', created => '2026-11-20 14:00:00', creator => 'agent', system => 0 },
        { id => 2, type => 'Comment', created => '2026-11-20 14:30:00', creator => 'agent', system => 0,
          cf => { Event => ['call'], Party => ['customer'], Outcome => ['reached'] } },
    ],
};
my $case = case_from_ticket($ticket);

my $report = $engine->validate( $case, '2026-11-20T15:00:00-05:00' );
is( $report->{id}, 'RT-3', 'validate answers for the case' );
is_deeply( [ grep { /^REC/ } map { $_->{rule} } @{ $report->{violations} } ], [], 'a mapped ticket is a well-formed record' );

my $plan = $engine->next_steps( $case, '2026-11-20T15:00:00-05:00' );
is( $plan->{state}, 'ready_to_close', 'next_steps: the state' );
is( $plan->{steps}[0]{action}, 'update_escalation', 'next_steps: update within 24 h of the last action' );
is( rfc3339_to_epoch( $plan->{steps}[0]{due_by} ), rfc3339_to_epoch('2026-11-21T14:30:00Z'), '... due 24 h after the call' );

$ticket->{cf}{'Resolved By'}                 = ['INSTALLS Inc'];
$ticket->{cf}{'Final Responsibility'}        = ['Installation Company'];
$ticket->{cf}{'Final Responsibility Reason'} = ["Buyer's remorse"];
$ticket->{cf}{'Closing Notes'}               = ['n'];
my $refused = $engine->can_close( case_from_ticket($ticket), proposal_for( $ticket, 'agent', 'none', '2026-11-20 16:00:00' ) );
ok( !$refused->{allowed}, 'can_close refuses another party\'s reason, by no closer' );
is_deeply( [ sort map { $_->{rule} } @{ $refused->{violations} } ], [qw(CL001 CL005)], '... naming CL001 and CL005' );

$ticket->{cf}{'Final Responsibility Reason'} = ['Technician-No-Call No-Show'];
my $allowed = $engine->can_close( case_from_ticket($ticket),
    proposal_for( $ticket, 'closer', 'resolution_care_back_office', '2026-11-20 16:00:00' ) );
ok( $allowed->{allowed}, 'can_close allows a correct close by a closer' ) or diag explain $allowed;

my $bad = $engine->validate('not json');
is( $bad->{violations}[0]{rule}, 'REC001', 'text that is not JSON is a report (REC001), not an error' );
eval { $engine->validate( $case, 'yesterday' ) };
like( $@, qr/now/i, 'a bad now is an error with the library\'s message' );

# Many calls on one engine: each answer is copied and freed (no growth to speak of).
$engine->next_steps($case) for 1 .. 2000;
pass('2000 calls');

done_testing;
