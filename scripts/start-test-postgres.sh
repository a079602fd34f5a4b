#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the ledger tests, idempotently, and prints the connection string.
# Usage: eval "$(scripts/start-test-postgres.sh)"  -> exports QRNG_TEST_POSTGRES.
# The cluster lives in a dedicated folder under /tmp (never the packaged cluster), listens on 127.0.0.1 only,
# runs as the postgres user, and trusts local connections: it holds test data only.
set -euo pipefail

port=${QRNG_TEST_POSTGRES_PORT:-55432}
dir=${QRNG_TEST_POSTGRES_DIR:-/tmp/qrng-test-postgres}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)

if [[ -z $bin || ! -x $bin/initdb ]]; then
  sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
  echo "start-test-postgres: installing postgresql" >&2
  "${sudo_cmd[@]}" apt-get update -qq >&2 || true
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y --no-install-recommends postgresql >&2
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

as_postgres() {
  if [[ $(id -un) == postgres ]]; then "$@"; elif [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

if ! as_postgres "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
  if [[ ! -f $dir/PG_VERSION ]]; then
    mkdir -p "$dir"
    chown postgres:postgres "$dir"
    as_postgres "$bin/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 >/dev/null
  fi
  as_postgres "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=on -c synchronous_commit=on" start >&2
fi

as_postgres "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'qrng_test'" | grep -q 1 \
  || as_postgres "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres qrng_test
echo "export QRNG_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Username=postgres;Database=qrng_test'"
