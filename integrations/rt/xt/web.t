# The web UI: the plan widget on the ticket page, and the closing gate on RT's own ticket
# form (status and closing fields submitted together). Same variables as xt/rest.t.
use strict;
use warnings;
use Test::More;
use LWP::UserAgent;
use HTTP::Cookies;
use HTTP::Request;
use JSON::PP;
use HTML::Entities qw(decode_entities);

for (qw(RT_URL RT_CLOSER_USER RT_CLOSER_PASSWORD RT_AGENT_USER RT_AGENT_PASSWORD)) {
    plan skip_all => "$_ is not set (run scripts/test-rt.sh)" unless $ENV{$_};
}
my $json = JSON::PP->new->utf8;
my %PASSWORD = ( $ENV{RT_CLOSER_USER} => $ENV{RT_CLOSER_PASSWORD}, $ENV{RT_AGENT_USER} => $ENV{RT_AGENT_PASSWORD} );

sub rest {
    my ( $method, $path, $body ) = @_;
    my $request = HTTP::Request->new( $method => "$ENV{RT_URL}/REST/2.0/$path" );
    $request->authorization_basic( $ENV{RT_AGENT_USER}, $ENV{RT_AGENT_PASSWORD} );
    if ($body) { $request->header( 'Content-Type' => 'application/json' ); $request->content( $json->encode($body) ) }
    my $response = LWP::UserAgent->new->request($request);
    die "$method $path: " . $response->status_line unless $response->is_success;
    return $json->decode( $response->content );
}
sub browser {
    my ($user) = @_;
    my $ua = LWP::UserAgent->new( cookie_jar => HTTP::Cookies->new, requests_redirectable => [ 'GET', 'POST' ] );
    my $login = $ua->post( "$ENV{RT_URL}/NoAuth/Login.html", { user => $user, pass => $PASSWORD{$user} } );
    die "login as $user: " . $login->status_line unless $login->is_success;
    return $ua;
}
sub new_ticket {
    rest( POST => 'ticket', { Queue => 'Escalations', Subject => 'web', CustomFields => {
        Procedure => 'installs_escalation', 'Order ID' => 'ORD-W', 'Order Status' => 'Scheduled', 'Escalation for' => 'Installs Inc.' } } )->{id};
}
# Submits RT's Basics form (Ticket/Modify.html) with a status and closing fields.
sub modify {
    my ( $ua, $id, %cf ) = @_;
    my %cf_id = map { $_->{name} => $_->{id} } @{ rest( GET => "ticket/$id" )->{CustomFields} };
    my %form = ( id => $id, Status => 'resolved', SubmitTicket => 'Save Changes' );
    $form{"Object-RT::Ticket-$id-CustomField-$cf_id{$_}-Values"} = $cf{$_} for keys %cf;
    my $response = $ua->post( "$ENV{RT_URL}/Ticket/Modify.html", \%form, Referer => "$ENV{RT_URL}/Ticket/Modify.html?id=$id" );
    die 'Modify.html: ' . $response->status_line unless $response->is_success;
    return decode_entities( $response->decoded_content );
}
my %closing = ( 'Resolved By' => 'INSTALLS Inc', 'Final Responsibility' => 'Installation Company',
    'Final Responsibility Reason' => 'Technician-No-Call No-Show', 'Closing Notes' => 'Covered by the secondary provider.' );

my $id   = new_ticket();
my $page = decode_entities( browser( $ENV{RT_AGENT_USER} )->get("$ENV{RT_URL}/Ticket/Display.html?id=$id")->decoded_content );
like( $page, qr/Escalation procedure \(escalint\)/, 'the ticket page shows the escalation procedure widget' );
like( $page, qr/first_touch.*TM001/s, '... with the next step and its rule' );

my $refused = modify( browser( $ENV{RT_AGENT_USER} ), $id, %closing );
is( rest( GET => "ticket/$id" )->{Status}, 'new', 'web form: an agent in no closer group cannot resolve' );
like( $refused, qr/Not set to resolved: the escalation procedure does not allow it \(CL001\)/, '... and the page says why' );

my $other = new_ticket();
modify( browser( $ENV{RT_CLOSER_USER} ), $other, %closing );
is( rest( GET => "ticket/$other" )->{Status}, 'resolved', 'web form: a closer resolves with the closing fields in the same form' );

done_testing;
