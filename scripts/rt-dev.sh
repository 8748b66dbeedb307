#!/usr/bin/env bash
# A throwaway Request Tracker 5 with RT::Extension::Escalint installed, for trying the
# integration and for scripts/test-rt.sh (docs/rt.md).
#
#   scripts/rt-dev.sh start            install Debian's RT 5 if missing, build libescalint,
#                                      start RT on 127.0.0.1 (a free port); prints
#                                      RT_URL=..., RT_CLOSER_USER=..., ... on stdout
#   scripts/rt-dev.sh export [SQL]     the history export (rt-escalint-export) on stdout
#   scripts/rt-dev.sh stop             stop what start started
#
# Everything lives in $RT_DEV_DIR (default target/rt-dev): its own RT_SiteConfig.pm, SQLite
# database, logs, Mason cache and outgoing mail (mbox files in var/), never the system's RT
# database or configuration. The database is created once and kept across start/stop;
# delete the directory for a fresh one. Progress goes to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
dir="${RT_DEV_DIR:-$root/target/rt-dev}"
rt_home=/usr/share/request-tracker5
packages=(request-tracker5 rt5-db-sqlite rt5-standalone libffi-platypus-perl)
lib="$root/target/release/libescalint.so"
cli="$root/target/debug/escalint"

say() { echo "rt-dev: $*" >&2; }

ensure_packages() {
  local missing=() p
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { say "installing ${missing[*]} needs root (or sudo)"; exit 2; }
    sudo=(sudo)
  fi
  say "installing ${missing[*]} (Debian packages)"
  # The questions request-tracker5 asks, answered, so that the install never waits for a
  # terminal. They configure the system's own RT instance, which rt-dev never uses.
  "${sudo[@]}" debconf-set-selections <<'EOF'
request-tracker5 request-tracker5/rtname string localhost
request-tracker5 request-tracker5/organization string localhost
request-tracker5 request-tracker5/correspondaddress string rt@localhost
request-tracker5 request-tracker5/commentaddress string rt-comment@localhost
request-tracker5 request-tracker5/webbaseurl string http://localhost
request-tracker5 request-tracker5/webpath string /rt
request-tracker5 request-tracker5/handle-siteconfig-permissions boolean true
request-tracker5 request-tracker5/install-cronjobs boolean false
request-tracker5 request-tracker5/dbconfig-install boolean true
request-tracker5 request-tracker5/database-type select sqlite3
EOF
  # Another apt run (a CI job, a colleague) may hold the lock: wait for it, up to 10 min.
  local apt=(apt-get -o DPkg::Lock::Timeout=600)
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive "${apt[@]}" update -q >&2
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -q --no-install-recommends "${missing[@]}" >&2
}

build() {
  say "building libescalint and the escalint CLI"
  cargo build -q --release -p escalint-c >&2
  cargo build -q -p escalint-cli >&2
}

pid_alive() {
  [ -f "$dir/rt-server.pid" ] || return 1
  local pid
  pid="$(cat "$dir/rt-server.pid")"
  kill -0 "$pid" 2>/dev/null && grep -q rt-server "/proc/$pid/cmdline" 2>/dev/null
}

rt_env() {
  export RT_SITE_CONFIG="$dir/etc/RT_SiteConfig.pm" RT_SITE_CONFIG_DIR="$dir/etc/RT_SiteConfig.d"
  export ESCALINT_LIB="$lib" ESCALINT_BIN="$cli"
}

free_port() {
  perl -MIO::Socket::INET -e 'my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => 0, Listen => 1) or die $!; print $s->sockport'
}

write_config() {
  local port="$1"
  mkdir -p "$dir/etc/RT_SiteConfig.d" "$dir/var/mason_data" "$dir/var/session_data" "$dir/var/log" "$dir/plugins"
  cat >"$dir/etc/RT_SiteConfig.pm" <<EOF
# Written by scripts/rt-dev.sh: a throwaway RT for escalint; rewritten on every start.
Set(\$rtname, 'escalint-dev');
Set(\$Organization, 'escalint-dev');
Set(\$Timezone, 'UTC');
Set(\$WebDomain, '127.0.0.1');
Set(\$WebPort, $port);
Set(\$WebPath, '');
Set(\$WebBaseURL, 'http://127.0.0.1:$port');
Set(\$DatabaseType, 'SQLite');
Set(\$DatabaseName, '$dir/var/rt.db');
Set(\$CorrespondAddress, 'rt@example.com');
Set(\$CommentAddress, 'rt-comment@example.com');
Set(\$MailCommand, 'mbox');                 # mail goes to var/*.mbox, never out
Set(\$LogToSyslog, undef);
Set(\$LogToSTDERR, 'warning');
Set(\$LogDir, '$dir/var/log');
Set(\$LogToFile, 'info');
Set(\$LogToFileNamed, 'rt.log');
Set(\$BcryptCost, 6);                      # RT checks the password on every REST call:
                                           # cheap hashes for this throwaway instance's random passwords
Set(\$EscalintLibrary, '$lib');
Plugin('RT::Extension::Escalint');
# This instance's own directories, not the system RT's.
\$RT::VarPath = '$dir/var';
\$RT::MasonDataDir = '$dir/var/mason_data';
\$RT::MasonSessionDir = '$dir/var/session_data';
\$RT::LocalPluginPath = '$dir/plugins';
1;
EOF
}

# The extension, installed as docs/rt.md says (perl Makefile.PL && make install), built in a
# copy so that the source tree stays clean; reinstalled on every start.
install_extension() {
  say "installing RT::Extension::Escalint into $dir/plugins"
  rm -rf "$dir/build" "$dir/plugins/RT-Extension-Escalint"
  cp -r "$root/integrations/rt" "$dir/build"
  (cd "$dir/build" && RT_PLUGIN_DIR="$dir/plugins/RT-Extension-Escalint" perl Makefile.PL && make && make install) \
    >"$dir/var/log/install.log" 2>&1 || { cat "$dir/var/log/install.log" >&2; exit 1; }
}

init_database() {
  [ -f "$dir/var/rt.db" ] && return 0
  say "creating the database $dir/var/rt.db"
  local setup="/usr/sbin/rt-setup-database-5" closer_pw agent_pw
  closer_pw="$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  agent_pw="$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  # root gets a random password too (RT's default would be "password").
  (umask 077; head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$dir/etc/root-password")
  perl "$setup" --action init --skip-create --root-password-file "$dir/etc/root-password" \
    >"$dir/var/log/setup.log" 2>&1 ||
    { cat "$dir/var/log/setup.log" >&2; rm -f "$dir/var/rt.db"; exit 1; }
  # The extension's set-up as docs/rt.md has it (make initdb), on this instance's database.
  (cd "$dir/build" && make initdb) >>"$dir/var/log/setup.log" 2>&1 ||
    { cat "$dir/var/log/setup.log" >&2; rm -f "$dir/var/rt.db"; exit 1; }
  cat >"$dir/etc/dev-users" <<EOF
# The two users rt-dev.sh prints: a closer (Resolution Care Back Office) and an agent.
our (@Users, @Members);
@Users = (
  { Name => 'closer', Password => '$closer_pw', RealName => 'Casey Closer', EmailAddress => 'closer@example.com', Privileged => 1 },
  { Name => 'agent', Password => '$agent_pw', RealName => 'Alex Agent', EmailAddress => 'agent@example.com', Privileged => 1 },
);
@Members = (
  { Group => 'Resolution Care Back Office', Name => 'closer' },
  { Group => 'Escalation Agents', Name => 'agent' },
);
1;
EOF
  perl "$setup" --action insert --datafile "$dir/etc/dev-users" >>"$dir/var/log/setup.log" 2>&1 ||
    { cat "$dir/var/log/setup.log" >&2; rm -f "$dir/var/rt.db"; exit 1; }
  if grep -q '\[error\]' "$dir/var/log/setup.log"; then
    grep '\[error\]' "$dir/var/log/setup.log" >&2
    rm -f "$dir/var/rt.db"
    say "the database set-up logged errors (above); see $dir/var/log/setup.log"
    exit 1
  fi
  umask 077
  printf 'RT_CLOSER_USER=closer\nRT_CLOSER_PASSWORD=%s\nRT_AGENT_USER=agent\nRT_AGENT_PASSWORD=%s\n' \
    "$closer_pw" "$agent_pw" >"$dir/users.env"
}

print_env() {
  echo "RT_URL=http://127.0.0.1:$(cat "$dir/port")"
  cat "$dir/users.env"
}

start() {
  if pid_alive; then
    say "already running (pid $(cat "$dir/rt-server.pid"))"
    print_env
    return 0
  fi
  ensure_packages
  build
  local port
  port="$(free_port)"
  write_config "$port"
  install_extension
  rt_env
  init_database
  echo "$port" >"$dir/port"
  say "starting RT on http://127.0.0.1:$port (log: $dir/var/log/server.log)"
  # Starlet (rt5-standalone), two workers: enough for a developer or a test, light on memory.
  setsid perl "$rt_home/libexec/rt-server" --server Starlet --max-workers 2 --host 127.0.0.1 --port "$port" \
    </dev/null >"$dir/var/log/server.log" 2>&1 &
  echo $! >"$dir/rt-server.pid"
  local waited=0
  # Up when it answers HTTP at all (401 without credentials); LWP comes with RT.
  until perl -MLWP::UserAgent -e 'exit((LWP::UserAgent->new(timeout => 10)->get($ARGV[0])->header("Client-Warning") // "") eq "Internal response")' \
    "http://127.0.0.1:$port/REST/2.0/"; do
    if ! pid_alive; then
      say "RT did not start:"; tail -n 40 "$dir/var/log/server.log" >&2; rm -f "$dir/rt-server.pid"; exit 1
    fi
    if [ "$waited" -ge 120 ]; then
      say "RT did not answer within 120 s"; stop; exit 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
  print_env
}

stop() {
  if pid_alive; then
    local pid
    pid="$(cat "$dir/rt-server.pid")"
    say "stopping RT (pid $pid)"
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$dir/rt-server.pid"
}

export_history() {
  [ -f "$dir/var/rt.db" ] || { say "no RT in $dir: run '$0 start' first"; exit 2; }
  rt_env
  perl "$dir/plugins/RT-Extension-Escalint/bin/rt-escalint-export" ${1:+--search "$1"}
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  export) export_history "${2:-}" ;;
  *) echo "usage: $0 start | export [TICKETSQL] | stop" >&2; exit 2 ;;
esac
