package RT::Action::EscalintPlan;

# Scrip action: after every change to an escalation, plan its next steps with escalint and
# set the ticket's Due to the earliest due step (cleared when nothing is due).

use strict;
use warnings;
use base 'RT::Action';

use RT::Extension::Escalint;

sub Describe { 'Plan the next steps with escalint and set Due' }

sub Prepare { RT::Extension::Escalint::IsEscalation( $_[0]->TicketObj ) }

sub Commit {
    my ($self) = @_;
    RT::Extension::Escalint::UpdateDue( $self->TicketObj );
    return 1;
}

1;
