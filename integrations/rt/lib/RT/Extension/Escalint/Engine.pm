package RT::Extension::Escalint::Engine;

# libescalint through FFI::Platypus: one engine per process, JSON text in and out.
# Every string the library returns is copied into Perl and released with
# escalint_string_free before the call returns.

use strict;
use warnings;

use FFI::Platypus 2.00;
use JSON::PP ();

my $JSON = JSON::PP->new->utf8->canonical;

# The library's file, found in this order: the argument, $ENV{ESCALINT_LIB}, then the
# system's library path (FFI::CheckLib).
sub _find_library {
    my ($path) = @_;
    for my $candidate ( $path, $ENV{ESCALINT_LIB} ) {
        next unless defined $candidate && length $candidate;
        return ( undef, "libescalint not found at $candidate" ) unless -e $candidate;
        return ($candidate);
    }
    require FFI::CheckLib;
    my ($found) = FFI::CheckLib::find_lib( lib => 'escalint' );
    return ($found) if $found;
    return ( undef, 'libescalint not found (set $EscalintLibrary in RT_SiteConfig.pm or ESCALINT_LIB)' );
}

=head1 NAME

RT::Extension::Escalint::Engine - the escalint engine, loaded from libescalint

=head1 SYNOPSIS

    my ($engine, $error) = RT::Extension::Escalint::Engine->load($path);
    my $plan = $engine->next_steps(\%case, $now);   # a hash: the report

=head1 METHODS

=head2 load PATH

Loads the library (PATH, else C<$ENV{ESCALINT_LIB}>, else the system library path) and
creates an engine with the embedded policy. Returns C<($engine)>, or C<(undef, $message)>
when the library is missing or unusable: the caller logs the message and carries on.

=cut

sub load {
    my ( $class, $path ) = @_;
    my ( $lib, $error ) = _find_library($path);
    return ( undef, $error ) unless $lib;
    my $self = eval {
        my $ffi = FFI::Platypus->new( api => 2, lib => [$lib] );
        my %fn;
        $fn{new}        = $ffi->function( escalint_engine_new  => [] => 'opaque' );
        $fn{free}       = $ffi->function( escalint_engine_free => ['opaque'] => 'void' );
        $fn{string_free} = $ffi->function( escalint_string_free => ['opaque'] => 'void' );
        $fn{version}    = $ffi->function( escalint_version => [] => 'string' );
        $fn{validate}   = $ffi->function( escalint_validate => [ 'opaque', 'string', 'string', 'opaque*' ] => 'int' );
        $fn{next_steps} = $ffi->function( escalint_next_steps => [ 'opaque', 'string', 'string', 'opaque*' ] => 'int' );
        $fn{can_close} =
          $ffi->function( escalint_can_close => [ 'opaque', 'string', 'string', 'string', 'opaque*' ] => 'int' );
        my $engine = $fn{new}->call;
        die "escalint_engine_new returned NULL\n" unless $engine;
        bless { ffi => $ffi, fn => \%fn, engine => $engine, library => $lib }, $class;
    };
    return ( undef, "libescalint at $lib is unusable: $@" ) unless $self;
    return ($self);
}

sub DESTROY {
    my ($self) = @_;
    # At the process's global destruction the FFI functions may be gone before the engine
    # (RT's objects hold cycles); the process is ending and releases everything anyway.
    return if ${^GLOBAL_PHASE} eq 'DESTRUCT';
    $self->{fn}{free}->call( delete $self->{engine} ) if $self->{engine};
}

=head2 library

The path of the loaded library.

=head2 version

The library's version string.

=cut

sub library { $_[0]{library} }
sub version { $_[0]{fn}{version}->call }

# Calls one answering function; returns the decoded report, or dies with the library's
# error message (a bad `now`, an internal fault).
sub _answer {
    my ( $self, $name, @args ) = @_;
    my $out;
    my $rc   = $self->{fn}{$name}->call( $self->{engine}, @args, \$out );
    my $text = defined $out ? $self->{ffi}->cast( 'opaque' => 'string', $out ) : undef;
    $self->{fn}{string_free}->call($out) if defined $out;
    die "escalint_$name returned $rc without an answer\n" unless defined $text;
    my $report = $JSON->decode($text);
    die "escalint_$name: $report->{error}{message}\n" if $rc != 0;
    return $report;
}

sub _json { ref $_[0] ? $JSON->encode( $_[0] ) : $_[0] }

=head2 validate CASE [NOW]

=head2 next_steps CASE [NOW]

=head2 can_close CASE [PROPOSAL] [NOW]

CASE and PROPOSAL are hashes (or JSON text); NOW an RFC 3339 timestamp or undef. Each
returns the library's report as a hash (the shapes of docs/format.md).

=cut

sub validate   { my ( $self, $case, $now ) = @_; $self->_answer( validate => _json($case), $now ) }
sub next_steps { my ( $self, $case, $now ) = @_; $self->_answer( next_steps => _json($case), $now ) }

sub can_close {
    my ( $self, $case, $proposal, $now ) = @_;
    $self->_answer( can_close => _json($case), ( defined $proposal ? _json($proposal) : undef ), $now );
}

1;
