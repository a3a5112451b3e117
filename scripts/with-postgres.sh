#!/usr/bin/env bash
# with-postgres.sh - run a command against a throwaway PostgreSQL server.
#
#   scripts/with-postgres.sh COMMAND [ARGS...]
#
# If FOIDESK_TEST_POSTGRES is already set (a postgres:// URL), the command is
# exec'd unchanged. Otherwise a private PostgreSQL server is initialised in a
# fresh directory under /tmp, listening only on 127.0.0.1 on a free port, and
#
#   FOIDESK_TEST_POSTGRES=postgres://foidesk@127.0.0.1:PORT/postgres?sslmode=disable
#
# is exported for the command (user foidesk is a superuser, trust auth). When
# the command ends (or on INT/TERM) the server is stopped and its directory
# removed; the script exits with the command's exit status.
#
# If no server can be started the script fails loudly (non-zero, reason on
# stderr). It never runs the command without a database.
#
# Binaries are found via `pg_config --bindir`, then /usr/lib/postgresql/*/bin
# (newest first), then PATH. If none is found and we are root with apt-get,
# the Debian `postgresql` package is installed. PostgreSQL refuses to run as
# root, so as root the server runs as the `postgres` system user (or `nobody`).

set -euo pipefail

readonly PROG=with-postgres
readonly PG_USER_NAME=foidesk        # database superuser created by initdb
readonly PORT_FIRST=55432
readonly PORT_TRIES=50
readonly READY_TIMEOUT=30            # seconds

die() {
	printf '%s: %s\n' "$PROG" "$*" >&2
	exit 1
}

if [[ $# -eq 0 ]]; then
	printf 'usage: %s COMMAND [ARGS...]\n' "$0" >&2
	exit 2
fi

if [[ -n "${FOIDESK_TEST_POSTGRES:-}" ]]; then
	exec "$@"
fi

# ---------------------------------------------------------------------------
# Locate the server binaries.

bindir=""

usable_bindir() {
	[[ -n "$1" && -x "$1/initdb" && -x "$1/pg_ctl" && -x "$1/postgres" ]]
}

find_bindir() {
	local d v
	if command -v pg_config >/dev/null 2>&1; then
		d=$(pg_config --bindir 2>/dev/null || true)
		if usable_bindir "$d"; then
			bindir=$d
			return 0
		fi
	fi
	if [[ -d /usr/lib/postgresql ]]; then
		while IFS= read -r v; do
			d=/usr/lib/postgresql/$v/bin
			if usable_bindir "$d"; then
				bindir=$d
				return 0
			fi
		done < <(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort -rV)
	fi
	if d=$(command -v initdb 2>/dev/null); then
		d=$(dirname "$(readlink -f "$d")")
		if usable_bindir "$d"; then
			bindir=$d
			return 0
		fi
	fi
	return 1
}

if ! find_bindir; then
	if [[ $EUID -ne 0 ]]; then
		die "initdb not found (looked at pg_config --bindir, /usr/lib/postgresql/*/bin, PATH) and not root, so cannot apt-get install postgresql; install PostgreSQL or set FOIDESK_TEST_POSTGRES"
	fi
	if ! command -v apt-get >/dev/null 2>&1; then
		die "initdb not found (looked at pg_config --bindir, /usr/lib/postgresql/*/bin, PATH) and apt-get is not available; install PostgreSQL or set FOIDESK_TEST_POSTGRES"
	fi
	printf '%s: initdb not found; installing postgresql with apt-get...\n' "$PROG" >&2
	apt_log=$(mktemp /tmp/with-postgres-apt.XXXXXX)
	if ! { apt-get update -qq &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; } >"$apt_log" 2>&1; then
		printf '%s: initdb not found and apt-get install postgresql failed:\n' "$PROG" >&2
		tail -n 20 "$apt_log" | sed 's/^/    /' >&2
		rm -f "$apt_log"
		exit 1
	fi
	rm -f "$apt_log"
	# The Debian package creates and (where it can) starts its own cluster.
	# We do not want it: stop every cluster it may have started.
	if command -v pg_lsclusters >/dev/null 2>&1; then
		while read -r ver name _; do
			[[ -n "$ver" && -n "$name" ]] || continue
			pg_ctlcluster "$ver" "$name" stop >/dev/null 2>&1 || true
		done < <(pg_lsclusters -h 2>/dev/null || true)
	fi
	find_bindir || die "initdb still not found after apt-get install postgresql"
fi

pg_isready_bin=$bindir/pg_isready
if [[ ! -x "$pg_isready_bin" ]]; then
	pg_isready_bin=$(command -v pg_isready 2>/dev/null) ||
		die "pg_isready not found (not in $bindir nor on PATH)"
fi

pg_version=$("$bindir/postgres" --version 2>/dev/null | sed -n 's/^postgres (PostgreSQL) \([^ ]*\).*/\1/p')
pg_version=${pg_version:-unknown}

# ---------------------------------------------------------------------------
# Who runs the server: PostgreSQL refuses to run as root.

run_user=""
if [[ $EUID -eq 0 ]]; then
	if id -u postgres >/dev/null 2>&1; then
		run_user=postgres
	elif id -u nobody >/dev/null 2>&1; then
		run_user=nobody
	else
		die "running as root but neither a 'postgres' nor a 'nobody' user exists to run the server"
	fi
	if ! command -v runuser >/dev/null 2>&1 && ! command -v su >/dev/null 2>&1; then
		die "running as root but neither runuser nor su is available to drop privileges"
	fi
fi

# as_server CMD [ARGS...]: run CMD as the server user, from inside $tmp (the
# caller's working directory may not be readable by that user).
as_server() {
	if [[ -z "$run_user" ]]; then
		(cd "$tmp" && "$@")
	elif command -v runuser >/dev/null 2>&1; then
		(cd "$tmp" && runuser -u "$run_user" -- "$@")
	else
		# shellcheck disable=SC2016 # $@ is expanded by the inner shell
		(cd "$tmp" && su -s /bin/sh "$run_user" -c 'exec "$@"' sh "$@")
	fi
}

# ---------------------------------------------------------------------------
# Cleanup: stop the server and remove its directory, whatever happens.

tmp=""
datadir=""
server_started=0

# shellcheck disable=SC2317 # invoked via trap
cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	if [[ $server_started -eq 1 && -f "$datadir/postmaster.pid" ]]; then
		local pid
		pid=$(head -n 1 "$datadir/postmaster.pid" 2>/dev/null || true)
		if ! as_server "$bindir/pg_ctl" -D "$datadir" -m immediate -w -t 20 stop \
			</dev/null >/dev/null 2>&1; then
			if [[ "$pid" =~ ^[0-9]+$ ]]; then
				kill -KILL "$pid" 2>/dev/null || true
				sleep 0.5
			fi
		fi
	fi
	if [[ -n "$tmp" && -d "$tmp" ]]; then
		rm -rf -- "$tmp" || printf '%s: could not remove %s\n' "$PROG" "$tmp" >&2
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A short, fixed prefix keeps the unix socket path well under its ~107-byte
# limit whatever TMPDIR says.
tmp=$(mktemp -d /tmp/with-postgres.XXXXXX)
datadir=$tmp/data
logfile=$tmp/server.log
if [[ -n "$run_user" ]]; then
	chown "$run_user" "$tmp"
fi
chmod 0700 "$tmp" # /tmp is world-traversable; $tmp is private to the server user

show_log() {
	local f
	for f in "$@"; do
		if [[ -s "$f" ]]; then
			printf '%s: --- tail of %s ---\n' "$PROG" "${f##*/}" >&2
			tail -n 20 "$f" | sed 's/^/    /' >&2
		fi
	done
}

if ! as_server "$bindir/initdb" -D "$datadir" --auth=trust -U "$PG_USER_NAME" \
	--encoding=UTF8 --locale=C --no-sync </dev/null >"$tmp/initdb.log" 2>&1; then
	printf '%s: initdb failed (%s/initdb, run as %s)\n' "$PROG" "$bindir" "${run_user:-$(id -un)}" >&2
	show_log "$tmp/initdb.log"
	exit 1
fi

# Settings for a fast, disposable, test-only server. The port is passed on
# the command line so that we can retry with another one.
cat >>"$datadir/postgresql.conf" <<EOF

# --- added by scripts/with-postgres.sh (throwaway test server) ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$tmp'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
shared_buffers = 128MB
EOF

port_in_use() {
	# A successful TCP connect means something is listening there.
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

port=$PORT_FIRST
started=0
tries=0
while [[ $tries -lt $PORT_TRIES && $port -le 65535 ]]; do
	if port_in_use "$port"; then
		port=$((port + 1))
		continue
	fi
	tries=$((tries + 1))
	# Judge each attempt by its own log (keep ownership: truncate, not create).
	if [[ -f "$logfile" ]]; then : >"$logfile"; fi
	server_started=1
	if as_server "$bindir/pg_ctl" -D "$datadir" -l "$logfile" -o "-p $port" \
		-w -t "$READY_TIMEOUT" start </dev/null >"$tmp/pg_ctl.log" 2>&1; then
		started=1
		break
	fi
	# Another process (e.g. a concurrent with-postgres) took the port between
	# our check and the bind: try the next one. Any other failure is fatal.
	if grep -qiE 'could not bind|address already in use|could not create any TCP/IP sockets' "$logfile" 2>/dev/null &&
		[[ ! -f "$datadir/postmaster.pid" ]]; then
		port=$((port + 1))
		continue
	fi
	break
done

if [[ $started -ne 1 ]]; then
	printf '%s: could not start PostgreSQL %s (%s/pg_ctl, run as %s, last port tried %s)\n' \
		"$PROG" "$pg_version" "$bindir" "${run_user:-$(id -un)}" "$port" >&2
	show_log "$tmp/pg_ctl.log" "$logfile"
	exit 1
fi

# pg_ctl -w already waited; confirm the TCP endpoint the tests will use.
deadline=$((SECONDS + READY_TIMEOUT))
until "$pg_isready_bin" -q -h 127.0.0.1 -p "$port" -U "$PG_USER_NAME" -d postgres -t 2 </dev/null; do
	if [[ $SECONDS -ge $deadline ]]; then
		printf '%s: PostgreSQL %s started but is not accepting connections on 127.0.0.1:%s after %ss\n' \
			"$PROG" "$pg_version" "$port" "$READY_TIMEOUT" >&2
		show_log "$logfile"
		exit 1
	fi
	sleep 0.2
done

export FOIDESK_TEST_POSTGRES="postgres://$PG_USER_NAME@127.0.0.1:$port/postgres?sslmode=disable"
printf '%s: PostgreSQL %s on 127.0.0.1:%s (throwaway, removed on exit)\n' "$PROG" "$pg_version" "$port" >&2

# Run the command in the foreground (so it gets terminal signals and stdin as
# usual); the EXIT trap tears the server down afterwards.
rc=0
"$@" || rc=$?
exit "$rc"
