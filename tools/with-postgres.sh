#!/usr/bin/env bash
# Run a command with VERTAISET_TEST_PG_URL pointing at a throwaway PostgreSQL on loopback.
# Uses an existing VERTAISET_TEST_PG_URL as it is; starts a cluster in a temporary folder
# where the PostgreSQL server is installed; otherwise says so and runs the command anyway
# (the PostgreSQL tests then skip with a message).
set -u
if [ -n "${VERTAISET_TEST_PG_URL:-}" ]; then
  exec "$@"
fi
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bindir" ] || bindir=$(dirname "$(command -v pg_ctl 2>/dev/null || echo /nonexistent/x)")
if [ ! -x "$bindir/pg_ctl" ] || [ ! -x "$bindir/initdb" ]; then
  echo "PostgreSQL server not found: the PostgreSQL store tests will be skipped." >&2
  echo "  (install postgresql, or set VERTAISET_TEST_PG_URL to a database the tests may empty)" >&2
  exec "$@"
fi
dir=$(mktemp -d /tmp/vertaiset-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg=()
if [ "$(id -u)" = "0" ]; then
  # the server refuses to run as root
  chown postgres "$dir" 2>/dev/null && as_pg=(runuser -u postgres --)
fi
if ! "${as_pg[@]}" "$bindir/initdb" -D "$dir/data" -A trust -U postgres >"$dir/initdb.log" 2>&1 \
  || ! "${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" \
       -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" -w start >/dev/null 2>&1; then
  echo "Could not start a throwaway PostgreSQL (see $dir): the PostgreSQL store tests will be skipped." >&2
  exec "$@"
fi
cleanup() { "${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1; rm -rf "$dir"; }
trap cleanup EXIT
export VERTAISET_TEST_PG_URL="postgresql://postgres@127.0.0.1:$port/postgres"
echo "PostgreSQL store tests run against a throwaway server on 127.0.0.1:$port"
"$@"
