package RT::Extension::Escalint::Setup;

# The RT configuration of the extension (queue, custom fields, groups, rights, scrip) as
# initialdata, built from escalint's policy (`escalint policy`) so that the select values
# are the policy's taxonomies, never a hand-kept copy.

use strict;
use warnings;

use JSON::PP ();
use RT::Extension::Escalint::Mapping qw(%TICKET_CF %EVENT_FIELDS);

our $QUEUE        = 'Escalations';
our $AGENTS_GROUP = 'Escalation Agents';
# Closer groups are found by this description prefix, followed by their role code.
our $CLOSER_GROUP_PREFIX = 'escalint closer role: ';

# Not in the policy: fixed by the record format (docs/format.md).
my @PROCEDURES = (
    [ field_management_support => 'Field Management Support (customer refuses to reschedule; working FMS)' ],
    [ installs_escalation      => 'Installs Inc escalation (any other escalation type)' ],
    [ area_manager_exception   => 'Area Manager exception (SOP 000-003)' ],
    [ leadership_request       => 'Escalation to leadership' ],
);
my @PARTIES = qw(customer servicer market_manager provider_primary provider_secondary provider_tertiary
  area_manager resolution_specialist team_supervisor admin_team);
my %FIXED_VALUES = (
    'Channel'               => [qw(phone chat email web)],
    'Escalation Priority'   => [qw(normal highly_escalated)],
    'Market Manager Lookup' => [ [ found => 'done: a Market Manager covers the area' ], [ none => 'done: no Market Manager for the area' ] ],
    'Closing Basis' =>
      [ [ resolved => 'resolved by our team' ], [ no_contact => 'no contact after the third attempt' ], [ no_longer_an_issue => 'no longer an issue' ] ],
    'Party'           => \@PARTIES,
    'Outcome'         => [qw(reached no_answer voicemail busy wrong_number)],
    'Direction'       => [qw(outbound inbound)],
    'Visibility'      => [qw(internal public public_with_email)],
    'Note On'         => [qw(order service_job)],
    'Transfer Target' => [qw(resolution_specialist team_supervisor)],
);
my %YES_NO = map { $_ => 1 } ( 'Damage Claim', 'Documented', 'Coverage Found', 'Risk', 'Emailed Area Manager', 'Accepted', 'Available' );
my %DATE   = map { $_ => 1 } ( 'Scheduled For', 'Preferred Date', 'Event Date', 'Accepted Date' );
my %DATETIME = map { $_ => 1 } ( 'Opened At', 'Callback At', 'Event At' );
my %TEXT     = map { $_ => 1 } ( 'Notes', 'Closing Notes' );
my %MULTIPLE = map { $_ => 1 } ( 'Sensitive Qualifiers', 'Qualifiers' );

=head1 NAME

RT::Extension::Escalint::Setup - initialdata from escalint's policy

=head1 FUNCTIONS

=head2 policy_from_cli [COMMAND]

Runs C<escalint policy> (COMMAND, else C<$ENV{ESCALINT_BIN}>, else C<escalint> on the
PATH) and returns the policy as a hash; dies with the reason if it cannot.

=cut

sub policy_from_cli {
    my ($command) = @_;
    $command //= $ENV{ESCALINT_BIN} // 'escalint';
    no warnings 'exec';    # the die below says it
    open my $fh, '-|', $command, 'policy' or die "escalint: cannot run '$command policy': $!\n";
    my $text = do { local $/; <$fh> };
    close $fh or die "escalint: '$command policy' failed (status $?)\n";
    return JSON::PP->new->utf8->decode($text);
}

=head2 closer_group_name ROLE

The RT group of a closer role: its label, without a trailing "team" (the group is the
team), e.g. "Resolution Care Back Office".

=cut

sub closer_group_name {
    my ($role) = @_;
    ( my $name = $role->{label} ) =~ s/\s+team$//i;
    return $name;
}

sub _values {
    my (@values) = @_;
    my $order = 0;
    return [ map { { Name => ( ref $_ ? $_->[0] : $_ ), ( ref $_ ? ( Description => $_->[1] ) : () ), SortOrder => ++$order } } @values ];
}

=head2 initialdata POLICY

The initialdata arrays (a hash: Queues, Groups, CustomFields, ACL, ScripActions, Scrips)
for the policy.

=cut

sub initialdata {
    my ($policy) = @_;
    my %values = (
        %FIXED_VALUES,
        'Procedure'            => \@PROCEDURES,
        'Order Status'         => [ map { [ $_->{label} => $_->{code} ] } @{ $policy->{order_statuses} } ],
        'Resolved By'          => [ map { [ $_->{label} => $_->{code} ] } @{ $policy->{resolved_by} } ],
        'Final Responsibility' => [ map { [ $_->{label} => $_->{code} ] } @{ $policy->{responsibility} } ],
        'Exception Code'       => [ map { [ $_->{label} => $_->{code} ] } @{ $policy->{exception_codes} } ],
        'Sensitive Qualifiers' => [ map { [ $_->{label} => $_->{code} ] } @{ $policy->{sensitive_qualifiers} } ],
        'Qualifiers'           => [ map { [ $_->{label} => $_->{code} ] } @{ $policy->{sensitive_qualifiers} } ],
        'Event'                => [ map { [ $_ => "event $_" ] } sort keys %EVENT_FIELDS ],
    );
    $values{$_} = [qw(yes no)] for keys %YES_NO;
    my %hint = (
        'Escalation for'  => $policy->{fms_form}{escalation_for},
        'Escalator Title' => $policy->{fms_form}{escalator_title},
        'Ownership'       => $policy->{fms_form}{ownership},
        'Escalation Type' => $policy->{fms_form}{escalation_type},
    );

    my $field = sub {
        my ( $name, $lookup ) = @_;
        my %cf = (
            Name       => $name,
            LookupType => $lookup,
            ApplyTo    => $QUEUE,
            MaxValues  => ( $MULTIPLE{$name} ? 0 : 1 ),
            Type => $values{$name} ? 'Select' : $DATE{$name} ? 'Date' : $DATETIME{$name} ? 'DateTime' : $TEXT{$name} ? 'Text' : 'Freeform',
            Description => defined $hint{$name} ? "FMS form: \"$hint{$name}\"" : "escalint: $name",
        );
        $cf{Values} = _values( @{ $values{$name} } ) if $values{$name};
        return \%cf;
    };

    my @custom_fields;
    my %ticket_seen;
    for my $name ( ( map { $TICKET_CF{$_} } sort keys %TICKET_CF ), $RT::Extension::Escalint::Mapping::MM_LOOKUP_CF ) {
        next if $ticket_seen{$name}++;
        push @custom_fields, $field->( $name, 'RT::Queue-RT::Ticket' );
    }
    # Reasons cascade under their party (RT's BasedOn / category).
    my ($reason) = grep { $_->{Name} eq 'Final Responsibility Reason' } @custom_fields;
    my $order = 0;
    $reason->{Type}    = 'Select';
    $reason->{BasedOn} = 'Final Responsibility';
    $reason->{Values}  = [
        map {
            my $party = $_;
            map { { Name => $_->{label}, Category => $party->{label}, SortOrder => ++$order } } @{ $party->{reasons} }
        } @{ $policy->{responsibility} }
    ];
    push @custom_fields, map { $field->( $_, 'RT::Queue-RT::Ticket-RT::Transaction' ) } @RT::Extension::Escalint::Mapping::EVENT_CF_NAMES;

    my @groups = (
        map {
            {
                Name        => closer_group_name($_),
                Description => $CLOSER_GROUP_PREFIX . "$_->{code} ($_->{label})",
            }
        } @{ $policy->{closer_roles} }
    );
    push @groups, { Name => $AGENTS_GROUP, Description => 'escalint: agents who work escalations (no closer role)' };

    my @rights = qw(SeeQueue ShowTicket CreateTicket ModifyTicket ReplyToTicket CommentOnTicket ShowTicketComments
      OwnTicket TakeTicket SeeCustomField ModifyCustomField ShowOutgoingEmail);
    my @acl = map {
        my $group = $_->{Name};
        map { { GroupDomain => 'UserDefined', GroupId => $group, Queue => $QUEUE, Right => $_ } } @rights
    } @groups;

    return {
        Queues       => [ { Name => $QUEUE, Description => 'Escalation cases, checked by escalint', CorrespondAddress => '', CommentAddress => '' } ],
        Groups       => \@groups,
        CustomFields => \@custom_fields,
        ACL          => \@acl,
        ScripActions => [ { Name => 'Escalint Plan', Description => 'Plan the next steps with escalint and set Due', ExecModule => 'EscalintPlan' } ],
        Scrips       => [
            {
                Description    => 'On Transaction Escalint Plan',
                ScripCondition => 'On Transaction',
                ScripAction    => 'Escalint Plan',
                Template       => 'Blank',
                Queue          => $QUEUE,
                Stage          => 'TransactionBatch',
            }
        ],
    };
}

1;
