package RT::Extension::Escalint;

use strict;
use warnings;

our $VERSION = '0.1.0';

use RT::Extension::Escalint::Engine;
use RT::Extension::Escalint::Setup;
use RT::Extension::Escalint::Mapping qw(case_from_ticket proposal_for rt_to_rfc3339);

=head1 NAME

RT::Extension::Escalint - escalint's procedures inside Request Tracker 5

=head1 DESCRIPTION

Tickets of the C<Escalations> queue are escalation cases. RT calls libescalint (through
FFI::Platypus, once per process) to

=over

=item * refuse a resolve that breaks the Closing Escalations procedure (web UI, REST 2.0,
email, scripts alike: the check sits in C<RT::Ticket::SetStatus>), leaving the status as it
was and commenting the violations;

=item * plan the next steps after every change (a scrip), setting RT's C<Due> to the
earliest due step, and showing the plan on the ticket page;

=item * export every ticket of a TicketSQL query as one case per line
(C<rt-escalint-export>).

=back

Installation and the complete mapping: docs/rt.md of the escalint repository.

=head1 CONFIGURATION

    Plugin('RT::Extension::Escalint');
    Set($EscalintLibrary, '/usr/local/lib/libescalint.so');   # default: ESCALINT_LIB, then the system's library path
    Set(@EscalintQueues, 'Escalations');                      # the queues whose tickets are cases
    Set(@EscalintClosingStatuses, 'resolved');                # the statuses that close a case

=cut

RT->Config->Set( EscalintQueues          => ('Escalations') ) unless RT->Config->Get('EscalintQueues');
RT->Config->Set( EscalintClosingStatuses => ('resolved') )    unless RT->Config->Get('EscalintClosingStatuses');

# The role given to a closer who is in no closer group: the engine refuses it (CL001).
our $NO_CLOSER_ROLE = 'none';

# Closer groups carry this description prefix and their role code (initialdata).
our $CLOSER_GROUP_PREFIX = $RT::Extension::Escalint::Setup::CLOSER_GROUP_PREFIX;

my ( $ENGINE, $LOAD_TRIED );

=head1 FUNCTIONS

=head2 Engine

The process's engine, loaded on first use; undef (logged once, as an error) when the
library is missing: then the gate lets every close through and no plan is made, and
tickets stay usable.

=cut

sub Engine {
    return $ENGINE if $LOAD_TRIED;
    $LOAD_TRIED = 1;
    my $error;
    ( $ENGINE, $error ) = RT::Extension::Escalint::Engine->load( RT->Config->Get('EscalintLibrary') );
    if ($ENGINE) {
        RT->Logger->info( "escalint: loaded " . $ENGINE->library . " (version " . $ENGINE->version . ")" );
    }
    else {
        RT->Logger->error("escalint: $error; the closing gate and next steps are off, tickets stay usable");
    }
    return $ENGINE;
}

=head2 IsEscalation TICKET

True for a ticket of one of C<@EscalintQueues>.

=cut

sub IsEscalation {
    my ($ticket) = @_;
    return 0 unless $ticket && $ticket->id;
    my $queue = $ticket->QueueObj->Name // '';
    return scalar grep { $_ eq $queue } RT->Config->Get('EscalintQueues');
}

=head2 CloserRole USER

The closer role code of the first closer group (in the policy's order) USER is a member
of, directly or through another group; undef if none.

=cut

sub CloserRole {
    my ($user) = @_;
    return undef unless $user && $user->id;
    my $groups = RT::Groups->new( RT->SystemUser );
    $groups->LimitToUserDefinedGroups;
    $groups->Limit( FIELD => 'Description', OPERATOR => 'STARTSWITH', VALUE => $CLOSER_GROUP_PREFIX );
    $groups->OrderBy( FIELD => 'id', ORDER => 'ASC' );
    while ( my $group = $groups->Next ) {
        next unless $group->HasMemberRecursively( $user->PrincipalObj );
        my ($code) = $group->Description =~ /^\Q$CLOSER_GROUP_PREFIX\E(\S+)/;
        return $code if $code;
    }
    return undef;
}

sub _now { my $now = RT::Date->new( RT->SystemUser ); $now->SetToNow; $now->ISO }

=head2 TicketData TICKET

What the mapping reads of a ticket (RT::Extension::Escalint::Mapping), read as RT's system
user so that the case does not depend on the rights of whoever triggered the read.

=cut

sub TicketData {
    my ($in) = @_;
    my $ticket = RT::Ticket->new( RT->SystemUser );
    $ticket->Load( $in->id );

    my %cf;
    my $cfs = $ticket->CustomFields;
    while ( my $cf = $cfs->Next ) {
        my $values = $ticket->CustomFieldValues( $cf->id );
        $cf{ $cf->Name } = [ map { $_->Content } @{ $values->ItemsArrayRef } ];
    }

    my %cf_name;
    my $name_of = sub {
        my ($id) = @_;
        $cf_name{$id} //= do { my $c = RT::CustomField->new( RT->SystemUser ); $c->Load($id); $c->Name // '' };
    };
    my %user_name;
    my $system_id = RT->SystemUser->id;
    my @transactions;
    my $txns = $ticket->Transactions;
    while ( my $txn = $txns->Next ) {
        my $type = $txn->Type;
        $type = 'Status' if $type eq 'Set' && ( $txn->Field // '' ) eq 'Status';
        next unless $type =~ /^(Create|Comment|Correspond|Status|CustomField)$/;
        my %t = (
            id        => $txn->id,
            type      => $type,
            created   => $txn->Created,
            creator   => ( $user_name{ $txn->Creator } //= $txn->CreatorObj->Name ),
            system    => ( $txn->Creator == $system_id ? 1 : 0 ),
            old_value => $txn->OldValue,
            new_value => $txn->NewValue,
        );
        $t{field_name} = $name_of->( $txn->Field ) if $type eq 'CustomField';
        if ( $type eq 'Comment' || $type eq 'Correspond' ) {
            my $values = RT::ObjectCustomFieldValues->new( RT->SystemUser );
            $values->LimitToObject($txn);
            while ( my $value = $values->Next ) {
                push @{ $t{cf}{ $name_of->( $value->CustomField ) } }, $value->Content;
            }
        }
        push @transactions, \%t;
    }

    my %role_of;
    return {
        id               => $ticket->id,
        created          => $ticket->Created,
        started          => $ticket->Started,
        status           => $ticket->Status,
        timezone         => RT->Config->Get('Timezone'),
        closing_statuses => [ RT->Config->Get('EscalintClosingStatuses') ],
        cf               => \%cf,
        transactions     => \@transactions,
        closer_role      => sub {
            my ($name) = @_;
            $role_of{$name} //= do {
                my $user = RT::User->new( RT->SystemUser );
                $user->Load($name);
                CloserRole($user) // $NO_CLOSER_ROLE;
            };
        },
    };
}

=head2 Case TICKET

The ticket's case (a hash).

=cut

sub Case { case_from_ticket( TicketData( $_[0] ) ) }

=head2 Plan TICKET [NOW]

next_steps for the ticket's case: the report (a hash), or undef without a library.

=cut

sub Plan {
    my ( $ticket, $now ) = @_;
    my $engine = Engine() or return undef;
    my $plan = eval { $engine->next_steps( Case($ticket), $now ) };
    RT->Logger->error( "escalint: next_steps for ticket " . $ticket->id . ": $@" ) unless $plan;
    return $plan;
}

=head2 EarliestDue PLAN

The earliest C<due_by> of the plan's steps, in RT's format (UTC), or undef.

=cut

sub EarliestDue {
    my ($plan) = @_;
    my @epochs = sort { $a <=> $b } grep {defined}
      map { RT::Extension::Escalint::Mapping::rfc3339_to_epoch( $_->{due_by} ) } @{ $plan->{steps} || [] };
    return undef unless @epochs;
    my $date = RT::Date->new( RT->SystemUser );
    $date->Set( Format => 'unix', Value => $epochs[0] );
    return $date->ISO;
}

=head2 UpdateDue TICKET

Sets the ticket's C<Due> to the plan's earliest due step, or clears it when nothing is due.
Written without a transaction of its own: it is derived, not an agent's change, and so
it does not wake the scrips again.

=cut

sub UpdateDue {
    my ($in) = @_;
    my $plan = Plan($in) or return;
    my $ticket = RT::Ticket->new( RT->SystemUser );
    $ticket->Load( $in->id );
    my $due = EarliestDue($plan) // '1970-01-01 00:00:00';
    return $plan if ( $ticket->Due // '' ) eq $due;
    my ( $ok, $msg ) = $ticket->_Set( Field => 'Due', Value => $due, RecordTransaction => 0 );
    RT->Logger->error( "escalint: could not set Due of ticket " . $ticket->id . ": $msg" ) unless $ok;
    return $plan;
}

=head2 CheckClose TICKET, STATUS, CURRENTUSER

The closing gate. Returns C<(1)> when the case may close (or no library is loaded), else
C<(0, $message)> after commenting the violations on the ticket.

=cut

sub CheckClose {
    my ( $ticket, $status, $current_user ) = @_;
    my $engine = Engine() or return (1);
    my $data   = TicketData($ticket);
    my $user   = $current_user->UserObj;
    my $role   = CloserRole($user) // $NO_CLOSER_ROLE;
    my $now    = _now();
    my $answer = eval { $engine->can_close( case_from_ticket($data), proposal_for( $data, $user->Name, $role, $now ), rt_to_rfc3339($now) ) };
    unless ($answer) {
        RT->Logger->error( "escalint: can_close for ticket " . $ticket->id . " failed, the close goes through: $@" );
        return (1);
    }
    return (1) if $answer->{allowed};

    my @violations = @{ $answer->{violations} || [] };
    my $text = "escalint refused to set this escalation to $status (policy $answer->{policy_version}); it keeps its status.\n";
    for my $v (@violations) {
        $text .= "\n$v->{rule} [$v->{severity}] $v->{message}\n";
        $text .= "  field: $v->{path}\n" if length( $v->{path} // '' );
        $text .= "  SOP: $v->{sop}\n"    if defined $v->{sop};
        $text .= "  hint: $v->{hint}\n"  if defined $v->{hint};
    }
    my $system_ticket = RT::Ticket->new( RT->SystemUser );
    $system_ticket->Load( $ticket->id );
    my ( $ok, $msg ) = $system_ticket->Comment( Content => $text );
    RT->Logger->error( "escalint: could not comment on ticket " . $ticket->id . ": $msg" ) unless $ok;
    my %rules;
    my @rules = grep { !$rules{$_}++ } map { $_->{rule} } grep { $_->{severity} eq 'error' } @violations;
    return ( 0, "Not set to $status: the escalation procedure does not allow it (" . join( ', ', @rules ) . "); see the comment" );
}

# The gate in RT::Ticket::SetStatus: every way of changing a status ends there.
{
    no warnings 'redefine';
    my $set_status = RT::Ticket->can('SetStatus');
    *RT::Ticket::SetStatus = sub {
        my $self = shift;
        my %args = @_ == 1 ? ( Status => $_[0] ) : @_;
        my $to   = lc( $args{Status} // '' );
        if (   ( grep { $_ eq $to } RT->Config->Get('EscalintClosingStatuses') )
            && lc( $self->Status // '' ) ne $to
            && IsEscalation($self) )
        {
            my ( $ok, $msg ) = CheckClose( $self, $to, $self->CurrentUser );
            return ( 0, $msg ) unless $ok;
        }
        return $set_status->( $self, @_ );
    };
}

# REST 2.0 applies a ticket update's status before its custom fields; for the gate to judge
# "resolve with these closing fields" sent in one PUT, an escalation's custom fields go first.
if ( eval { require RT::REST2::Resource::Ticket; 1 } ) {
    no warnings 'redefine';
    my $update_record = RT::REST2::Resource::Ticket->can('update_record');
    *RT::REST2::Resource::Ticket::update_record = sub {
        my ( $self, $data ) = @_;
        my @results;
        if ( ref $data eq 'HASH' && $data->{CustomFields} && defined $data->{Status} && IsEscalation( $self->record ) ) {
            my ($ok) = $self->validate_input( Data => $data, Action => 'update' );
            push @results, RT::REST2::Util::update_custom_fields( $self->record, delete $data->{CustomFields} ) if $ok;
        }
        return ( @results, $update_record->( $self, $data ) );
    };
}

1;
