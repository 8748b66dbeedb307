package RT::Extension::Escalint::Mapping;

# The one mapping between an RT ticket and an escalint case. It works on plain data (what
# RT::Extension::Escalint::TicketData reads from RT), so that the scrips, the closing gate,
# the widget and the history export build the same case, and so that it is tested without
# a running RT. docs/rt.md has the table in prose.

use strict;
use warnings;

use Exporter 'import';
our @EXPORT_OK = qw(case_from_ticket closing_from proposal_for rt_to_rfc3339 rfc3339_to_epoch event_from_transaction %TICKET_CF @EVENT_CF_NAMES %EVENT_FIELDS);

=head1 NAME

RT::Extension::Escalint::Mapping - RT ticket data to an escalint case

=head1 THE TICKET DATA

    { id => 12, created => '2026-12-01 14:00:00', started => '...', status => 'open',
      cf => { 'Procedure' => ['installs_escalation'], ... },       # current values
      timezone => 'America/New_York',                              # RT's default zone
      transactions => [ { id, type, field, old_value, new_value, created, creator,
                          system, cf => { 'Event' => ['call'], ... } }, ... ],
      closer_role => sub { my ($user_name) = @_; ... } }           # closer group, or undef

Times are RT's: UTC, C<YYYY-MM-DD HH:MM:SS>.

=cut

# Scalar ticket fields of the case: record path => ticket custom field.
our %TICKET_CF = (
    procedure                          => 'Procedure',
    opened_at                          => 'Opened At',
    timezone                           => 'Timezone',
    channel                            => 'Channel',
    priority                           => 'Escalation Priority',
    'customer.first_name'              => 'Customer First Name',
    'customer.last_name'               => 'Customer Last Name',
    'customer.phone'                   => 'Customer Phone',
    'customer.zip'                     => 'Customer ZIP',
    'order.id'                         => 'Order ID',
    'order.status'                     => 'Order Status',
    'order.scheduled_for'              => 'Scheduled For',
    'order.servicer.a_number'          => 'Servicer A#',
    'order.servicer.name'              => 'Servicer Name',
    'order.selling_store'              => 'Selling Store',
    'order.missed_appointments'        => 'Missed Appointments',
    'escalation.escalation_for'        => 'Escalation for',
    'escalation.installer_a_number'    => "Installer's A#",
    'escalation.escalator_first_name'  => "Escalator's First Name",
    'escalation.escalator_last_name'   => "Escalator's Last Name",
    'escalation.escalator_phone'       => "Escalator's Phone Number",
    'escalation.escalator_title'       => 'Escalator Title',
    'escalation.ownership'             => 'Ownership',
    'escalation.type'                  => 'Escalation Type',
    'escalation.preferred_date'        => 'Preferred Date',
    'escalation.reschedule_reason'     => 'Reschedule Reason',
    'escalation.compensation_request'  => 'Compensation Request',
    'escalation.damage_claim'          => 'Damage Claim',
    'escalation.notes'                 => 'Notes',
    'market_manager.name'              => 'Market Manager',
    'market_manager.email'             => 'Market Manager Email',
    'market_manager.region'            => 'Market Manager Region',
    'store_providers.primary'          => 'Primary Provider',
    'store_providers.secondary'        => 'Secondary Provider',
    'store_providers.tertiary'         => 'Tertiary Provider',
    sensitive_qualifiers               => 'Sensitive Qualifiers',
    'closing.basis'                    => 'Closing Basis',
    'closing.resolved_by'              => 'Resolved By',
    'closing.final_responsibility'     => 'Final Responsibility',
    'closing.reason'                   => 'Final Responsibility Reason',
    'closing.notes'                    => 'Closing Notes',
);
# Not a record field: whether the Market Manager look-up was done ('found' / 'none').
our $MM_LOOKUP_CF = 'Market Manager Lookup';

# How the value of a field is written into the record.
my %KIND = (
    opened_at                   => 'timestamp',
    'order.missed_appointments' => 'int',
    'escalation.damage_claim'   => 'bool',
    sensitive_qualifiers        => 'list',
);

# Event type => [record field, transaction custom field, kind]. Kinds: text, bool, int,
# timestamp, list (several values of one CF), dates (a list written in one value),
# date_or_null (empty means null, e.g. a refused reschedule offer). Fields whose value is
# fixed by the type are in %FIXED.
our %EVENT_FIELDS = (
    call                         => [ [ party => 'Party' ], [ outcome => 'Outcome' ], [ direction => 'Direction' ] ],
    email                        => [ [ party => 'Party' ] ],
    note                         => [ [ visibility => 'Visibility' ], [ on => 'Note On' ] ],
    update                       => [],
    reschedule_reason_determined => [ [ reason => 'Reason' ], [ next_available_date => 'Event Date' ] ],
    reschedule_offered =>
      [ [ dates => 'Dates Offered', 'dates' ], [ accepted_date => 'Accepted Date', 'date_or_null' ], [ source => 'Party' ] ],
    callback_set            => [ [ callback_at => 'Callback At', 'timestamp' ] ],
    work_started            => [],
    coverage_found          => [ [ party => 'Party' ], [ date => 'Event Date' ] ],
    market_manager_response => [ [ coverage_found => 'Coverage Found', 'bool' ] ],
    rescheduled             => [ [ date => 'Event Date' ], [ party => 'Party' ] ],
    job_completed           => [],
    exception_opened        => [ [ code => 'Exception Code' ], [ risk => 'Risk', 'bool' ] ],
    admin_review            => [ [ emailed_area_manager => 'Emailed Area Manager', 'bool' ] ],
    follow_up_offered       => [ [ accepted => 'Accepted', 'bool' ] ],
    ticket_converted        => [],
    transfer_attempt        => [
        [ target => 'Transfer Target' ],
        [ waited_seconds => 'Waited Seconds', 'int' ],
        [ available => 'Available', 'bool' ],
        [ accepted  => 'Accepted',  'bool' ],
    ],
    voicemail_transfer => [],
    flagged_for_review => [ [ qualifiers => 'Qualifiers', 'list' ] ],
);
my %FIXED = (
    exception_opened => { directed_to => 'area_manager' },
    ticket_converted => { from        => 'cxone', to => 'ebh' },
);
# status_changed is not logged by hand: it is every change of the ticket CF Order Status
# (the value the ticket was created with is the job's status then, not a change).

# Every transaction custom field, in the order of the event form.
our @EVENT_CF_NAMES = ( 'Event', 'Event At', 'Documented' );
{
    my %seen = map { $_ => 1 } @EVENT_CF_NAMES;
    for my $type ( sort keys %EVENT_FIELDS ) {
        for my $field ( @{ $EVENT_FIELDS{$type} } ) {
            push @EVENT_CF_NAMES, $field->[1] unless $seen{ $field->[1] }++;
        }
    }
}

=head1 FUNCTIONS

=head2 rt_to_rfc3339 TIME

RT's UTC time (C<YYYY-MM-DD HH:MM:SS>) as RFC 3339 with the offset C<+00:00>; undef for
RT's "not set" (empty or 1970-01-01 00:00:00). Anything else is returned unchanged, for
the engine to report.

=cut

sub rt_to_rfc3339 {
    my ($time) = @_;
    return undef unless defined $time && length $time;
    return undef if $time =~ /^1970-01-01[ T]00:00:00/;
    return "$1T$2+00:00" if $time =~ /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)$/;
    return $time;
}

=head2 rfc3339_to_epoch TIME

Seconds since the epoch of an RFC 3339 timestamp with an offset; undef for anything else.

=cut

sub rfc3339_to_epoch {
    my ($time) = @_;
    return undef unless defined $time;
    my ( $y, $mo, $d, $h, $mi, $s, $zone ) =
      $time =~ /^(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d):(\d\d)(?:\.\d+)?([Zz]|[+-]\d\d:\d\d)$/
      or return undef;
    require Time::Local;
    my $epoch = Time::Local::timegm( $s, $mi, $h, $d, $mo - 1, $y );
    if ( $zone =~ /^([+-])(\d\d):(\d\d)$/ ) {
        my $offset = ( $2 * 60 + $3 ) * 60;
        $epoch -= $1 eq '+' ? $offset : -$offset;
    }
    return $epoch;
}

sub _first {
    my ( $values, $name ) = @_;
    my $list = $values->{$name} or return undef;
    for (@$list) { return $_ if defined && length }
    return undef;
}

sub _convert {
    my ( $kind, $value, $all ) = @_;
    $kind ||= 'text';
    return [ grep { defined && length } @$all ] if $kind eq 'list';
    return undef unless defined $value;
    return rt_to_rfc3339($value) if $kind eq 'timestamp';
    return [ grep {length} split /[\s,;]+/, $value ] if $kind eq 'dates';
    return ( $value =~ /^\s*(\d+)\s*$/ ? $1 + 0 : $value ) if $kind eq 'int';
    if ( $kind eq 'bool' ) {
        return JSON::PP::true()  if $value =~ /^\s*(yes|true|1)\s*$/i;
        return JSON::PP::false() if $value =~ /^\s*(no|false|0)\s*$/i;
        return $value;    # the engine reports it, with the expected type
    }
    return $value;
}

sub _put {
    my ( $record, $path, $value ) = @_;
    my @keys = split /\./, $path;
    my $last = pop @keys;
    my $node = $record;
    $node = $node->{$_} ||= {} for @keys;
    $node->{$last} = $value;
}

=head2 event_from_transaction TXN

The case event a transaction stands for, or undef: comments and correspondence (the
C<Event> transaction CF says which event; a comment without it is an C<update>, a reply
without it an C<email> to the customer), changes of the ticket CF C<Order Status>
(C<status_changed>). Transactions by RT's system user (the extension's own comments) are
not agent actions and give no event.

=cut

sub event_from_transaction {
    my ($txn) = @_;
    return undef if $txn->{system};
    my $cf = $txn->{cf} || {};
    my %event;
    if ( $txn->{type} eq 'CustomField' && ( $txn->{field_name} // '' ) eq $TICKET_CF{'order.status'} ) {
        return undef unless defined $txn->{new_value} && length $txn->{new_value};
        %event = ( type => 'status_changed', to => $txn->{new_value} );
    }
    elsif ( $txn->{type} eq 'Comment' || $txn->{type} eq 'Correspond' ) {
        my $type = _first( $cf, 'Event' );
        $type = $txn->{type} eq 'Comment' ? 'update' : 'email' unless defined $type;
        %event = ( type => $type );
        $event{party} = 'customer' if $type eq 'email' && $txn->{type} eq 'Correspond';
        for my $field ( @{ $EVENT_FIELDS{$type} || [] } ) {
            my ( $key, $name, $kind ) = @$field;
            my $value = _convert( $kind, _first( $cf, $name ), $cf->{$name} || [] );
            if ( ( $kind || '' ) eq 'date_or_null' ) {
                $event{$key} = $value;    # null: refused
            }
            elsif ( ref $value eq 'ARRAY' ? @$value : defined $value ) {
                $event{$key} = $value;
            }
        }
        %event = ( %event, %{ $FIXED{$type} || {} } );
        my $documented = _first( $cf, 'Documented' );
        $event{documented} = _convert( 'bool', $documented ) if defined $documented;
    }
    else {
        return undef;
    }
    $event{at} = rt_to_rfc3339( _first( $cf, 'Event At' ) // $txn->{created} );
    $event{by} = $txn->{creator} if defined $txn->{creator};
    return \%event;
}

=head2 closing_from DATA, AT, BY, ROLE

The closing a resolve at AT by BY (closer role ROLE, or undef) makes from the ticket's
closing fields. C<Closing Basis> empty means C<resolved>.

=cut

sub closing_from {
    my ( $data, $at, $by, $role ) = @_;
    my %closing = (
        closed_at     => rt_to_rfc3339($at),
        escalation_id => case_id($data),
        closed_by     => { agent_id => $by, role => $role },
        basis         => 'resolved',
    );
    for my $key (qw(basis resolved_by final_responsibility reason notes)) {
        my $value = _first( $data->{cf}, $TICKET_CF{"closing.$key"} );
        $closing{$key} = $value if defined $value;
    }
    return \%closing;
}

=head2 proposal_for DATA, USER, ROLE, NOW

The closing proposed when USER (closer role ROLE) sets the ticket to resolved at NOW.

=cut

sub proposal_for { my ( $data, $user, $role, $now ) = @_; closing_from( $data, $now, $user, $role ) }

=head2 case_id DATA

C<RT-> and the ticket number: the case id in every report.

=cut

sub case_id { 'RT-' . $_[0]{id} }

=head2 case_from_ticket DATA

The case (a hash, the record of docs/format.md) of a ticket.

=cut

sub case_from_ticket {
    my ($data) = @_;
    my $cf     = $data->{cf} || {};
    my %record = ( schema_version => 1, id => case_id($data) );
    for my $path ( sort keys %TICKET_CF ) {
        next if $path =~ /^(closing|market_manager)\./;
        my $name  = $TICKET_CF{$path};
        my $value = _convert( $KIND{$path}, _first( $cf, $name ), $cf->{$name} || [] );
        next unless ref $value eq 'ARRAY' ? @$value : defined $value;
        _put( \%record, $path, $value );
    }

    # Opened: the Opened At field (back-dated cases), else at the ticket's creation; a Field
    # Management Support ticket is opened when it is first set to an active status (RT's
    # Started): while it is new, the reschedule conversation is still under way.
    if ( !defined $record{opened_at} ) {
        if ( ( $record{procedure} // '' ) eq 'field_management_support' ) {
            my $started = rt_to_rfc3339( $data->{started} );
            $record{opened_at} = $started if defined $started;
        }
        else {
            $record{opened_at} = rt_to_rfc3339( $data->{created} );
        }
    }
    $record{timezone} //= $data->{timezone} if defined $data->{timezone};

    my $lookup = _first( $cf, $MM_LOOKUP_CF );
    if ( defined $lookup && $lookup =~ /^\s*none/i ) {
        $record{market_manager} = { name => undef };
    }
    elsif ( defined $lookup ) {
        my %mm = ( name => _first( $cf, $TICKET_CF{'market_manager.name'} ) );
        for my $key (qw(email region)) {
            my $value = _first( $cf, $TICKET_CF{"market_manager.$key"} );
            $mm{$key} = $value if defined $value;
        }
        $record{market_manager} = \%mm;
    }

    my @events = grep {defined} map { event_from_transaction($_) } @{ $data->{transactions} || [] };
    $record{events} = \@events;
    my ($completed) = reverse grep { $_->{type} eq 'job_completed' } @events;
    $record{order}{completed_at} = $completed->{at} if $completed;

    # Closed: the last change into a closing status, if the ticket is still in it.
    my %closing_status = map { $_ => 1 } @{ $data->{closing_statuses} || ['resolved'] };
    if ( $closing_status{ $data->{status} // '' } ) {
        my ($resolve) = reverse grep { $_->{type} eq 'Status' && $closing_status{ $_->{new_value} // '' } }
          @{ $data->{transactions} || [] };
        if ($resolve) {
            my $role = $data->{closer_role} ? $data->{closer_role}->( $resolve->{creator} ) : undef;
            $record{closing} = closing_from( $data, $resolve->{created}, $resolve->{creator}, $role );
        }
    }
    $record{closing} //= undef;
    return \%record;
}

1;
