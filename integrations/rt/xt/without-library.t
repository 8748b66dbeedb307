# Without libescalint, RT works on: one clear error in the log, tickets of the queue created,
# commented and resolved as usual (no gate, no plan, Due untouched). Runs RT in this process
# on the test instance's database (RT_DEV_DIR, as scripts/test-rt.sh sets it), with
# $EscalintLibrary pointing at a file that does not exist. Named to run after xt/rest.t,
# whose export must hold only its own tickets.
use strict;
use warnings;
use Test::More;

BEGIN {
    plan skip_all => 'RT_DEV_DIR is not set (run scripts/test-rt.sh)' unless $ENV{RT_DEV_DIR};
    $ENV{RT_SITE_CONFIG}     = "$ENV{RT_DEV_DIR}/etc/RT_SiteConfig.pm";
    $ENV{RT_SITE_CONFIG_DIR} = "$ENV{RT_DEV_DIR}/etc/RT_SiteConfig.d";
    delete $ENV{ESCALINT_LIB};
    unshift @INC, $ENV{RT_LIB} // '/usr/share/request-tracker5/lib';
}
use RT;

RT::LoadConfig();
RT->Config->Set( EscalintLibrary => '/nonexistent/libescalint.so' );
RT->Config->Set( LogToSTDERR => undef );    # the log is captured below, not printed
RT::Init();

# Everything RT logs from here on.
my @log;
{
    package CaptureLog;
    use base 'Log::Dispatch::Output';
    sub new { my ( $class, %p ) = @_; my $self = bless {}, $class; $self->_basic_init(%p); $self }
    sub log_message { my ( $self, %p ) = @_; push @log, "[$p{level}] $p{message}" }
}
RT->Logger->add( CaptureLog->new( name => 'capture', min_level => 'debug' ) );

my $agent = RT::CurrentUser->new;
$agent->LoadByName( $ENV{RT_AGENT_USER} // 'agent' );
ok( $agent->id, 'the agent' );
ok( !RT::Extension::Escalint::CloserRole( $agent->UserObj ), '... is in no closer group (with the library, a resolve is refused: CL001)' );

my $ticket = RT::Ticket->new($agent);
my ( $id, undef, $msg ) = $ticket->Create( Queue => 'Escalations', Subject => 'no library' );
ok( $id, 'an escalation is created' ) or diag $msg;
ok( RT::Extension::Escalint::IsEscalation($ticket), '... in the queue of escalations' );
my ($commented) = $ticket->Comment( Content => 'Called the customer' );
ok( $commented, '... commented' );
my ( $resolved, $why ) = $ticket->SetStatus('resolved');
ok( $resolved, '... and resolved by an agent in no closer group: the gate is off' ) or diag $why;
$ticket->Load($id);
is( $ticket->Status, 'resolved', '... the status is resolved' );
is( $ticket->DueObj->Unix, 0, '... Due stays unset (no plan)' );
is( RT::Extension::Escalint::Plan($ticket), undef, 'no plan (the widget says escalint is unavailable)' );

my @errors = grep { /escalint/ && /^\[error\]/ } @log;
is( scalar @errors, 1, 'one error in the log for the whole process' ) or diag explain \@log;
like( $errors[0] // '', qr{libescalint not found at /nonexistent/libescalint\.so; the closing gate and next steps are off, tickets stay usable},
    '... saying what is missing and what is off' );

# Out of the way of later exports.
$ticket->SetStatus('deleted');

done_testing;
