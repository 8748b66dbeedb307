use strict;
use warnings;
use Test::More;
use FindBin;

use RT::Extension::Escalint::Setup;
use RT::Extension::Escalint::Mapping qw(%TICKET_CF @EVENT_CF_NAMES);

# The real policy, from the CLI (scripts/test-rt.sh builds it), unless ESCALINT_BIN says otherwise.
my $cli    = $ENV{ESCALINT_BIN} // "$FindBin::Bin/../../../target/debug/escalint";
my $policy = RT::Extension::Escalint::Setup::policy_from_cli($cli);
my $data   = RT::Extension::Escalint::Setup::initialdata($policy);

eval { RT::Extension::Escalint::Setup::policy_from_cli('/nonexistent/escalint') };
like( $@, qr{'/nonexistent/escalint policy'}, 'a missing CLI is a clear error' );

is_deeply( [ map { $_->{Name} } @{ $data->{Queues} } ], ['Escalations'], 'the queue' );
is_deeply(
    [ map { $_->{Name} } @{ $data->{Groups} } ],
    [ 'TRA and Field Management', 'Resolution Care Phone 2 (Client Services)', 'Resolution Care Back Office',
      'Resolution Care Supervisors and Team Leads', 'Escalation Agents' ],
    'the closer groups by their labels, and the agents'
);
like( $data->{Groups}[2]{Description}, qr/^escalint closer role: resolution_care_back_office /, 'a closer group names its role code' );

my %ticket_cf = map { $_->{Name} => $_ } grep { $_->{LookupType} eq 'RT::Queue-RT::Ticket' } @{ $data->{CustomFields} };
my %txn_cf    = map { $_->{Name} => $_ } grep { $_->{LookupType} eq 'RT::Queue-RT::Ticket-RT::Transaction' } @{ $data->{CustomFields} };
for my $name ( 'Procedure', 'Order ID', 'Resolved By', 'Final Responsibility', 'Final Responsibility Reason', 'Closing Basis',
    'Escalation for', "Installer's A#", "Escalator's First Name", "Escalator's Last Name", "Escalator's Phone Number",
    'Escalator Title', 'Ownership', 'Escalation Type', 'Notes', values %TICKET_CF )
{
    ok( $ticket_cf{$name}, "ticket CF $name" );
}
ok( $txn_cf{$_}, "transaction CF $_" ) for @EVENT_CF_NAMES;

sub names { [ map { $_->{Name} } @{ $_[0]{Values} } ] }
is_deeply( names( $ticket_cf{Procedure} ),
    [qw(field_management_support installs_escalation area_manager_exception leadership_request)], 'the four procedures' );
is_deeply( names( $ticket_cf{'Closing Basis'} ), [qw(resolved no_contact no_longer_an_issue)], 'the closing bases' );
is_deeply( names( $ticket_cf{'Final Responsibility'} ), [ map { $_->{label} } @{ $policy->{responsibility} } ], 'the four parties, from the policy' );
is_deeply( names( $ticket_cf{'Order Status'} ), [ map { $_->{label} } @{ $policy->{order_statuses} } ], 'the order statuses' );
is_deeply( names( $txn_cf{'Exception Code'} ), [ map { $_->{label} } @{ $policy->{exception_codes} } ], 'the exception legend' );
is( scalar @{ $txn_cf{'Exception Code'}{Values} }, 13, '... 13 codes' );
is_deeply( names( $ticket_cf{'Sensitive Qualifiers'} ), [ map { $_->{label} } @{ $policy->{sensitive_qualifiers} } ], 'the qualifiers' );
is( $ticket_cf{'Sensitive Qualifiers'}{MaxValues}, 0, '... several at once' );

my $reason = $ticket_cf{'Final Responsibility Reason'};
is( $reason->{BasedOn}, 'Final Responsibility', 'reasons cascade under the party' );
my %by_party;
push @{ $by_party{ $_->{Category} } }, $_->{Name} for @{ $reason->{Values} };
for my $party ( @{ $policy->{responsibility} } ) {
    is_deeply( $by_party{ $party->{label} }, [ map { $_->{label} } @{ $party->{reasons} } ], "the reasons of $party->{label}" );
}
ok( ( grep { $_ eq 'Opened in error' } @{ $by_party{Client} } ) && ( grep { $_ eq 'Opened in error' } @{ $by_party{'INSTALLS inc'} } ),
    'a reason of two parties is under both' );

is( $data->{Scrips}[0]{Stage}, 'TransactionBatch', 'the plan runs once per change, after the whole update' );
my %rights = map { ( "$_->{GroupId}/$_->{Right}" => 1 ) } @{ $data->{ACL} };
ok( $rights{'Escalation Agents/ModifyTicket'} && $rights{'Resolution Care Back Office/ModifyTicket'}, 'agents and closers work the queue' );

done_testing;
