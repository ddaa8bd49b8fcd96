#!/usr/bin/env bash
# Makes sure redis-server is installed, for the tests that start their own throwaway Redis servers
# (tests/MeshFlow.Testing.Redis: own port on 127.0.0.1, own temp dir, no persistence). Idempotent. CI runs it as
# root on a fresh Debian 12 machine. No system service is needed: if the package starts one, it is stopped again.
set -euo pipefail

if [ -n "${MESHFLOW_REDIS_SERVER:-}" ]; then
  if [ -x "$MESHFLOW_REDIS_SERVER" ]; then
    echo "install-redis: using MESHFLOW_REDIS_SERVER: $("$MESHFLOW_REDIS_SERVER" --version)"
    exit 0
  fi
  echo "install-redis: warning: MESHFLOW_REDIS_SERVER=$MESHFLOW_REDIS_SERVER is not executable; the tests will fail until it is fixed or unset" >&2
fi

if command -v redis-server >/dev/null 2>&1; then
  echo "install-redis: already installed: $(redis-server --version)"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-redis: error: redis-server is missing and installing it needs root:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y redis-server" >&2
  exit 1
fi

echo "install-redis: installing redis-server with apt-get"
export DEBIAN_FRONTEND=noninteractive
apt-get update -o Acquire::Retries=3
apt-get install -y -o Acquire::Retries=3 redis-server
# Best effort, failures ignored: the tests never use the packaged service.
if command -v service >/dev/null 2>&1; then
  service redis-server stop >/dev/null 2>&1 || true
fi

if ! command -v redis-server >/dev/null 2>&1; then
  echo "install-redis: error: apt-get installed redis-server, but it is not on PATH" >&2
  exit 1
fi
echo "install-redis: installed: $(redis-server --version)"
