# The web UI: the plan widget on the ticket page, the closing gate on RT's own ticket form
# (status and closing fields submitted together) and on its comment form with a status (the
# Resolve action), and a call logged with its party and outcome on the comment form. Same
# variables as xt/rest.t.
use strict;
use warnings;
use Test::More;
use LWP::UserAgent;
use HTTP::Cookies;
use HTTP::Request;
use JSON::PP;
use HTML::Entities qw(decode_entities);

for (qw(RT_URL RT_CLOSER_USER RT_CLOSER_PASSWORD RT_AGENT_USER RT_AGENT_PASSWORD RT_EXPORT)) {
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
# Submits RT's comment form (Ticket/Update.html, as the ticket's Comment and Resolve actions
# open it): a comment with transaction custom fields (by name) and, optionally, a status.
sub comment_form {
    my ( $ua, $id, $status, %txn_cf ) = @_;
    my $form = $ua->get("$ENV{RT_URL}/Ticket/Update.html?id=$id&Action=Comment" . ( $status ? "&DefaultStatus=$status" : '' ));
    die 'Update.html: ' . $form->status_line unless $form->is_success;
    my $html = $form->decoded_content;
    my %field;
    while ( $html =~ m{<span class="name[^"]*">([^<]+):</span>.*?name="(Object-RT::Transaction--CustomField-\d+-Values?)"}gs ) {
        $field{ decode_entities($1) } //= $2;
    }
    my ($token) = $html =~ /name="Token" value="([^"]*)"/;
    my %post = ( id => $id, Action => 'Comment', UpdateType => 'private', UpdateContent => 'Logged in the web UI',
        SubmitTicket => 'Update Ticket', ( defined $token ? ( Token => $token ) : () ), ( $status ? ( Status => $status ) : () ) );
    for ( keys %txn_cf ) { $post{ $field{$_} // die "no transaction custom field $_ on the comment form\n" } = $txn_cf{$_} }
    my $response = $ua->post( "$ENV{RT_URL}/Ticket/Update.html", \%post, Referer => "$ENV{RT_URL}/Ticket/Update.html?id=$id" );
    die 'Update.html: ' . $response->status_line unless $response->is_success;
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

# The comment form: a call with its party and outcome, as docs/rt.md tells agents to log it.
my $agent = browser( $ENV{RT_AGENT_USER} );
my $logged = new_ticket();
comment_form( $agent, $logged, undef, Event => 'call', Party => 'customer', Outcome => 'no_answer', Direction => 'outbound' );
my ($case) = map { JSON::PP->new->decode($_) } grep {/\S/} split /\n/, qx{$ENV{RT_EXPORT} "id = $logged" 2>/dev/null};
my @events = map { my %e = %$_; delete @e{qw(at)}; \%e } @{ $case->{events} || [] };
is_deeply( \@events, [ { type => 'call', party => 'customer', outcome => 'no_answer', direction => 'outbound', by => $ENV{RT_AGENT_USER} } ],
    'comment form: a call logged with Event, Party, Outcome and Direction is the call event of the case' );

# The Resolve action (the comment form with status resolved): refused for the agent, the
# closer's close with the closing fields set on the ticket goes through.
my $page_after = comment_form( $agent, $logged, 'resolved' );
is( rest( GET => "ticket/$logged" )->{Status}, 'new', 'Resolve action: an agent in no closer group cannot resolve' );
like( $page_after, qr/Not set to resolved: the escalation procedure does not allow it \([^)]*CL001/, '... and the page says why' );
rest( PUT => "ticket/$logged", { CustomFields => \%closing } );
comment_form( browser( $ENV{RT_CLOSER_USER} ), $logged, 'resolved', Event => 'call', Party => 'customer', Outcome => 'reached' );
is( rest( GET => "ticket/$logged" )->{Status}, 'resolved', 'Resolve action: the closer resolves, the closing call on the same form' );

done_testing;
