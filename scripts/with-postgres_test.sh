#!/usr/bin/env bash
# Self-check for scripts/with-postgres.sh. Run: bash scripts/with-postgres_test.sh
# Needs a local PostgreSQL install (the real one is started several times).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
script=$here/with-postgres.sh
unset FOIDESK_TEST_POSTGRES

work=$(mktemp -d /tmp/with-postgres-test.XXXXXX)
chmod 0755 "$work"
trap 'rm -rf -- "$work"' EXIT

fails=0
pass() { printf 'ok   %s\n' "$*"; }
fail() { printf 'FAIL %s\n' "$*"; fails=$((fails + 1)); }
check() { # check NAME CMD...
	local name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name"; fi
}

leftover_dirs() { compgen -G '/tmp/with-postgres.*' >/dev/null; }
# Live (non-zombie) postgres processes.
live_postgres() { ps -eo stat=,comm= | awk '$1 !~ /^Z/ && $2 ~ /^postgres/' | grep -q .; }
no_leftovers() { ! leftover_dirs && ! live_postgres; }

if leftover_dirs || live_postgres; then
	echo "note: leftovers exist before the test; leftover checks may be unreliable" >&2
fi

# 1. Basic: connect, superuser, settings, CREATE DATABASE from a template.
# shellcheck disable=SC2016 # expanded by the inner shell
out=$(bash "$script" bash -c '
	set -e
	psql "$FOIDESK_TEST_POSTGRES" -v ON_ERROR_STOP=1 -Atq \
		-c "select 1" \
		-c "select rolsuper from pg_roles where rolname = current_user" \
		-c "show max_connections" -c "show fsync" -c "show synchronous_commit" \
		-c "show full_page_writes" -c "show shared_buffers" -c "show listen_addresses" \
		-c "show server_encoding" \
		-c "create database tmpl" -c "create database t1 template tmpl" \
		-c "select count(*) from pg_database where datname in (\$\$tmpl\$\$, \$\$t1\$\$)"
	echo "$FOIDESK_TEST_POSTGRES"' 2>"$work/err1") || true
expected="1
t
200
off
off
off
128MB
127.0.0.1
UTF8
2"
check "query, superuser, settings, create database from template" \
	test "$(head -n 10 <<<"$out")" = "$expected"
check "URL format" grep -qE '^postgres://foidesk@127\.0\.0\.1:[0-9]+/postgres\?sslmode=disable$' <<<"$(tail -n 1 <<<"$out")"
check "one line on stderr" test "$(wc -l <"$work/err1")" -eq 1
check "stderr banner" grep -qE '^with-postgres: PostgreSQL [0-9.]+ on 127\.0\.0\.1:[0-9]+ \(throwaway, removed on exit\)$' "$work/err1"
check "no leftovers after success" no_leftovers

# 2. Exit codes propagate.
rc=0; bash "$script" false 2>/dev/null || rc=$?
check "false -> 1 (got $rc)" test "$rc" -eq 1
rc=0; bash "$script" bash -c 'exit 7' 2>/dev/null || rc=$?
check "exit 7 -> 7 (got $rc)" test "$rc" -eq 7
rc=0; bash "$script" /nonexistent/cmd 2>/dev/null || rc=$?
check "missing command -> 127 (got $rc)" test "$rc" -eq 127
check "no leftovers after failures" no_leftovers
rc=0; bash "$script" 2>/dev/null || rc=$?
check "no args -> usage, 2 (got $rc)" test "$rc" -eq 2

# 3. Preset FOIDESK_TEST_POSTGRES: exec directly, no server.
out=$(FOIDESK_TEST_POSTGRES=postgres://x@h:1/db bash "$script" bash -c 'echo "$FOIDESK_TEST_POSTGRES"' 2>"$work/err3")
check "preset URL passed through" test "$out" = postgres://x@h:1/db
check "preset URL: silent" test ! -s "$work/err3"

# 4. Concurrent runs get different ports and all work.
for i in 1 2 3 4; do
	# shellcheck disable=SC2016
	bash "$script" bash -c 'psql "$FOIDESK_TEST_POSTGRES" -Atc "select 1" && echo "$FOIDESK_TEST_POSTGRES" && sleep 1' \
		>"$work/c$i.out" 2>"$work/c$i.err" &
done
crc=0
wait || crc=$?
for i in 1 2 3 4; do
	grep -qx 1 "$work/c$i.out" || crc=1
done
check "4 concurrent runs succeed" test "$crc" -eq 0
ports=$(sed -n 's|.*127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$work"/c?.out | sort -u | wc -l)
check "4 concurrent runs use 4 distinct ports (got $ports)" test "$ports" -eq 4
check "no leftovers after concurrent runs" no_leftovers

# 5. A busy port is skipped.
if command -v python3 >/dev/null; then
	python3 -c 'import socket,time,sys
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 55432)); s.listen(); print("up", flush=True); time.sleep(30)' >"$work/busy" 2>&1 &
	busy=$!
	for _ in $(seq 50); do grep -q up "$work/busy" && break; sleep 0.1; done
	# shellcheck disable=SC2016
	out=$(bash "$script" bash -c 'psql "$FOIDESK_TEST_POSTGRES" -Atc "select 1"; echo "$FOIDESK_TEST_POSTGRES"' 2>/dev/null || true)
	kill "$busy" 2>/dev/null || true
	wait "$busy" 2>/dev/null || true
	check "busy port 55432 skipped" grep -q '127.0.0.1:55433/' <<<"$out"
fi

# 6. INT to the whole process group (Ctrl-C): cleaned up, exit 130.
# (A plain `cmd &` would start with SIGINT ignored, so use python3 to start it
# in its own session with default signal dispositions.)
if command -v python3 >/dev/null; then
	rc=$(python3 - "$script" <<'PY'
import os, signal, subprocess, sys, time, glob
p = subprocess.Popen(["bash", sys.argv[1], "sleep", "30"], start_new_session=True,
                     stderr=subprocess.DEVNULL,
                     preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
for _ in range(100):
    if glob.glob("/tmp/with-postgres.*/data/postmaster.pid") and \
            subprocess.run(["pgrep", "-s", str(p.pid), "-x", "sleep"], stdout=subprocess.DEVNULL).returncode == 0:
        break
    time.sleep(0.1)
os.killpg(p.pid, signal.SIGINT)
print(p.wait(timeout=20))
PY
)
	check "Ctrl-C -> 130 (got $rc)" test "$rc" = 130
	check "no leftovers after Ctrl-C" no_leftovers
fi

# 7. TERM to the script only: cleanup once the command returns, exit 143.
bash "$script" sleep 2 2>/dev/null &
pid=$!
for _ in $(seq 100); do pgrep -P "$pid" -x sleep >/dev/null && break; sleep 0.1; done
kill -TERM "$pid"
rc=0; wait "$pid" || rc=$?
check "TERM -> 143 (got $rc)" test "$rc" -eq 143
check "no leftovers after TERM" no_leftovers

# 8. As an unprivileged user (only meaningful when we are root).
if [[ $EUID -eq 0 ]] && command -v runuser >/dev/null; then
	cp "$script" "$work/wp.sh"
	chmod 0755 "$work/wp.sh"
	# shellcheck disable=SC2016,SC2015
	out=$(cd / && runuser -u nobody -- bash "$work/wp.sh" bash -c 'psql "$FOIDESK_TEST_POSTGRES" -Atc "select current_user"' 2>"$work/err8" || true)
	check "non-root run works" test "$out" = foidesk
	[[ "$out" = foidesk ]] || cat "$work/err8"
	check "no leftovers after non-root run" no_leftovers
fi

# 9. Failures are loud and never run the command.
fake=$work/fake
mkdir -p "$fake/bin"
printf '#!/bin/sh\necho %s\n' "$fake/bin" >"$fake/pg_config"
printf '#!/bin/sh\necho "postgres (PostgreSQL) 99.1"\n' >"$fake/bin/postgres"
printf '#!/bin/sh\necho "initdb: error: simulated failure" >&2; exit 1\n' >"$fake/bin/initdb"
printf '#!/bin/sh\nexit 1\n' >"$fake/bin/pg_ctl"
chmod -R a+rx "$fake"
rc=0
PATH=$fake:$PATH bash "$script" touch "$work/ran9" 2>"$work/err9" || rc=$?
check "initdb failure -> non-zero" test "$rc" -ne 0
check "initdb failure -> message with log" grep -q 'simulated failure' "$work/err9"
check "initdb failure -> command not run" test ! -e "$work/ran9"

# shellcheck disable=SC2016
printf '#!/bin/sh\nmkdir -p "$2"\n' >"$fake/bin/initdb"
# shellcheck disable=SC2016
printf '#!/bin/sh\necho "pg_ctl: could not start server" ; echo "FATAL: simulated start failure" >>"$4"; exit 1\n' >"$fake/bin/pg_ctl"
rc=0
PATH=$fake:$PATH bash "$script" touch "$work/ran9b" 2>"$work/err9b" || rc=$?
check "start failure -> non-zero" test "$rc" -ne 0
check "start failure -> message with server log" grep -q 'simulated start failure' "$work/err9b"
check "start failure -> command not run" test ! -e "$work/ran9b"
check "no leftovers after start failure" no_leftovers

# No PostgreSQL anywhere: a copy that looks in an empty /usr/lib/postgresql.
sed "s|/usr/lib/postgresql|$work/none|g" "$script" >"$work/nopg.sh"
mkdir -p "$work/empty"
printf '#!/bin/sh\nexit 1\n' >"$work/empty/pg_config"
printf '#!/bin/sh\necho "E: simulated apt failure" >&2; exit 100\n' >"$work/empty/apt-get"
chmod a+rx "$work/empty"/*
rc=0
PATH=$work/empty:/usr/bin:/bin bash "$work/nopg.sh" touch "$work/ran9c" 2>"$work/err9c" || rc=$?
if [[ $EUID -eq 0 ]]; then
	check "no postgres, apt fails -> non-zero" test "$rc" -ne 0
	check "no postgres, apt fails -> message" grep -q 'initdb not found and apt-get install postgresql failed' "$work/err9c"
	check "no postgres, apt fails -> apt output shown" grep -q 'simulated apt failure' "$work/err9c"
else
	check "no postgres, not root -> non-zero" test "$rc" -ne 0
	check "no postgres, not root -> message" grep -q 'initdb not found' "$work/err9c"
fi
check "no postgres -> command not run" test ! -e "$work/ran9c"

if [[ $fails -ne 0 ]]; then
	printf '%d check(s) failed\n' "$fails"
	exit 1
fi
echo "all checks passed"
