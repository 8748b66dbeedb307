#!/usr/bin/env bash
# Peak memory of rt-escalint-export at two sizes of RT history (docs/rt.md, History export).
# Copies the RT instance scripts/test-rt.sh leaves in target/rt-test (run that first) to
# target/rt-bench, multiplies its tickets (each with its transactions and custom field values)
# by copying rows in its SQLite database, and exports every ticket of the queue, reporting
# the export's peak RSS (GNU time) for each size.
#   bash benches/rt-export-memory.sh [SMALL_COPIES LARGE_COPIES]     (default 20 80)
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
from="$root/target/rt-test"
bench="$root/target/rt-bench"
small="${1:-20}"
large="${2:-80}"
[ -f "$from/var/rt.db" ] || { echo "no RT in $from: run scripts/test-rt.sh first" >&2; exit 2; }
[ ! -f "$from/rt-server.pid" ] || RT_DEV_DIR="$from" bash scripts/rt-dev.sh stop

# Tickets, transactions and custom field values copied COPIES times, ids shifted past the
# originals; the copies read exactly as the originals do.
multiply() {
  perl -MDBI -e '
    my ($db, $copies) = @ARGV;
    my $dbh = DBI->connect("dbi:SQLite:dbname=$db", "", "", { RaiseError => 1, AutoCommit => 0 });
    my %max = map { $_ => $dbh->selectrow_array("SELECT MAX(id) FROM $_") } qw(Tickets Transactions ObjectCustomFieldValues);
    my %cols = map { my $t = $_; ( $t => [ map { $_->[1] } @{ $dbh->selectall_arrayref("PRAGMA table_info($t)") } ] ) } keys %max;
    my $copy = sub {
        my ($table, $where, $k, %shift) = @_;
        my @cols = @{ $cols{$table} };
        my @select = map { exists $shift{$_} ? "$_ + $shift{$_}" : $_ } @cols;
        $dbh->do("INSERT INTO $table (" . join(",", @cols) . ") SELECT " . join(",", @select) . " FROM $table WHERE $where");
    };
    for my $k (1 .. $copies) {
        my ($t, $x, $v) = map { $k * $max{$_} } qw(Tickets Transactions ObjectCustomFieldValues);
        $copy->("Tickets", "id <= $max{Tickets}", $k, id => $t, EffectiveId => $t);
        $copy->("Transactions", "id <= $max{Transactions} AND ObjectType = '\''RT::Ticket'\''", $k, id => $x, ObjectId => $t);
        $copy->("ObjectCustomFieldValues", "id <= $max{ObjectCustomFieldValues} AND ObjectType = '\''RT::Ticket'\''", $k, id => $v, ObjectId => $t);
        $copy->("ObjectCustomFieldValues", "id <= $max{ObjectCustomFieldValues} AND ObjectType = '\''RT::Transaction'\''", $k, id => $v, ObjectId => $x);
    }
    $dbh->commit;
  ' "$1" "$2"
}

for copies in "$small" "$large"; do
  rm -rf "$bench"
  cp -r "$from" "$bench"
  rm -f "$bench/rt-server.pid"
  sed -i "s#$from#$bench#g" "$bench/etc/RT_SiteConfig.pm"
  multiply "$bench/var/rt.db" "$copies"
  /usr/bin/time -f '%M %e' -o "$bench/time" env RT_DEV_DIR="$bench" bash scripts/rt-dev.sh export >"$bench/export.jsonl" 2>"$bench/export.err" ||
    { cat "$bench/export.err" >&2; exit 1; }
  read -r rss seconds <"$bench/time"
  echo "tickets exported: $(wc -l <"$bench/export.jsonl")  peak RSS: $((rss / 1024)) MiB  wall: ${seconds} s"
done
