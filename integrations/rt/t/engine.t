use strict;
use warnings;
use Test::More;
use FindBin;
use File::Temp ();
use lib "$FindBin::Bin/lib";
use Samples qw(@EVENTS);

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

# Every event the mapping makes, one comment each, is a well-formed event for the engine.
{
    my $minute = 0;
    my @txns = map {
        my ( $type, $cf ) = @$_;
        $minute++;
        { id => 10 + $minute, type => 'Comment', created => sprintf( '2026-11-20 15:%02d:00', $minute ), creator => 'agent', system => 0,
          cf => { Event => [$type], map { $_ => ref $cf->{$_} ? $cf->{$_} : [ $cf->{$_} ] } keys %$cf } }
    } @EVENTS;
    my $all = case_from_ticket( { %$ticket, transactions => [ @{ $ticket->{transactions} }, @txns ] } );
    is( scalar @{ $all->{events} }, 1 + @EVENTS, 'a case with one event of every mapped type' );
    my @problems = grep { $_->{rule} =~ /^REC/ && $_->{path} =~ m{^/events} } @{ $engine->validate( $all, '2026-11-20T16:00:00Z' )->{violations} };
    is_deeply( \@problems, [], '... each a well-formed event for libescalint' );
}

my $bad = $engine->validate('not json');
is( $bad->{violations}[0]{rule}, 'REC001', 'text that is not JSON is a report (REC001), not an error' );
eval { $engine->validate( $case, 'yesterday' ) };
like( $@, qr/now/i, 'a bad now is an error with the library\'s message' );

# Every answer the library returns is released with escalint_string_free, once, on success
# and on error: the calls below go through counting stand-ins for the library's functions.
{
    my ( @returned, @freed );
    my %real = map { $_ => $engine->{fn}{$_} } qw(validate next_steps can_close string_free);
    local @{ $engine->{fn} }{qw(validate next_steps can_close string_free)} = (
        ( map { my $f = $real{$_}; Counting->new( sub { my $rc = $f->call(@_); push @returned, ${ $_[-1] }; $rc } ) } qw(validate next_steps can_close) ),
        Counting->new( sub { push @freed, $_[0]; $real{string_free}->call( $_[0] ) } ),
    );
    for ( 1 .. 50 ) {
        $engine->validate($case);
        $engine->next_steps( $case, '2026-11-20T15:00:00-05:00' );
        $engine->can_close( $case, proposal_for( $ticket, 'closer', 'resolution_care_back_office', '2026-11-20 16:00:00' ) );
        $engine->validate('not json');
        eval { $engine->next_steps( $case, 'yesterday' ) };    # an error answer
    }
    is( scalar @returned, 250, '250 answers' );
    is( scalar( grep { !$_ } @returned ), 0, '... each a string' );
    is_deeply( \@freed, \@returned, '... each released with escalint_string_free, in turn, errors too' );
}

# An engine still alive when the process ends (RT's objects hold cycles) makes no noise at
# global destruction.
{
    my $err = File::Temp->new;
    my $pid = fork // die "fork: $!";
    unless ($pid) {
        open STDERR, '>', $err->filename or die $!;
        exec $^X, '-I', "$FindBin::Bin/../lib", '-e',
          'use RT::Extension::Escalint::Engine; my %h; $h{engine} = (RT::Extension::Escalint::Engine->load($ARGV[0]))[0] or die; $h{self} = \%h;',
          $lib;
    }
    waitpid $pid, 0;
    is( do { local ( @ARGV, $/ ) = $err->filename; <> }, '', 'a process holding an engine in a cycle ends without a warning' );
    is( $?, 0, 'a process holding an engine in a cycle exits cleanly' );
}

done_testing;

package Counting;

# Stands in for an FFI function: ->call runs the given code.
sub new  { bless { code => $_[1] }, $_[0] }
sub call { my $self = shift; $self->{code}->(@_) }
