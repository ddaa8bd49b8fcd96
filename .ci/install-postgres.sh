#!/usr/bin/env bash
# Makes sure the PostgreSQL server binaries (initdb, pg_ctl, postgres) are installed, for the tests that start
# their own throwaway servers (tests/MeshFlow.Testing.Postgres: own data dir under /tmp, own port on 127.0.0.1,
# run as the `postgres` user). Idempotent. CI runs it as root on a fresh Debian 12 machine.
# No system cluster is needed: if the package creates and starts one (port 5432), it is stopped again.
set -euo pipefail

server_bin() {
  local dir
  if [ -n "${MESHFLOW_POSTGRES_BIN:-}" ]; then
    if [ -x "$MESHFLOW_POSTGRES_BIN/initdb" ] && [ -x "$MESHFLOW_POSTGRES_BIN/pg_ctl" ] && [ -x "$MESHFLOW_POSTGRES_BIN/postgres" ]; then
      echo "$MESHFLOW_POSTGRES_BIN"
      return 0
    fi
    echo "install-postgres: warning: MESHFLOW_POSTGRES_BIN=$MESHFLOW_POSTGRES_BIN lacks initdb, pg_ctl or postgres; the tests will fail until it is fixed or unset" >&2
  fi
  # Highest installed major version first.
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/postgres" ]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

stop_package_clusters() {
  # Best effort, failures ignored: the tests never use a packaged cluster.
  if command -v pg_lsclusters >/dev/null 2>&1; then
    pg_lsclusters --no-header 2>/dev/null | while read -r version name _port status _rest; do
      case "$status" in
        online*)
          echo "install-postgres: stopping the cluster the package started ($version/$name)"
          pg_ctlcluster "$version" "$name" stop >/dev/null 2>&1 || true
          ;;
      esac
    done || true
  fi
  if command -v service >/dev/null 2>&1; then
    service postgresql stop >/dev/null 2>&1 || true
  fi
}

if bin=$(server_bin); then
  echo "install-postgres: already installed: $("$bin/postgres" --version) in $bin"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-postgres: error: the PostgreSQL server binaries are missing and installing them needs root:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y postgresql" >&2
  exit 1
fi

echo "install-postgres: installing postgresql with apt-get"
export DEBIAN_FRONTEND=noninteractive
apt-get update -o Acquire::Retries=3
apt-get install -y -o Acquire::Retries=3 postgresql
stop_package_clusters

if ! bin=$(server_bin); then
  echo "install-postgres: error: apt-get installed postgresql, but no /usr/lib/postgresql/<version>/bin/initdb exists" >&2
  exit 1
fi
if ! id -u postgres >/dev/null 2>&1; then
  echo "install-postgres: error: the package did not create the 'postgres' user the tests run the server as" >&2
  exit 1
fi
echo "install-postgres: installed: $("$bin/postgres" --version) in $bin"
