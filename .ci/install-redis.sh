#!/usr/bin/env bash
# Makes sure redis-server is installed, for the AppHost and the tests that start their own Redis processes
# (own port on 127.0.0.1, own password, no persistence). Idempotent. CI runs it as root on a fresh Debian 12 machine.
# No system service is needed: the package's own redis-server is kept from starting, or stopped if it did.
set -euo pipefail

stop_package_service() {
  # Best effort, failures ignored: nothing uses the packaged service (port 6379).
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    systemctl disable --now redis-server >/dev/null 2>&1 || true
  fi
  if command -v service >/dev/null 2>&1; then
    service redis-server stop >/dev/null 2>&1 || true
  fi
}

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

# Keep the package's post-install from starting its service (Debian's policy-rc.d convention), unless the
# machine already has a policy of its own.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\n# Temporary, from .ci/install-redis.sh: no service starts during this install.\nexit 101\n' > "$policy"
  chmod 755 "$policy"
  trap 'rm -f "$policy"' EXIT
fi

apt-get update -o Acquire::Retries=3
apt-get install -y -o Acquire::Retries=3 redis-server
stop_package_service

if ! command -v redis-server >/dev/null 2>&1; then
  echo "install-redis: error: apt-get installed redis-server, but it is not on PATH" >&2
  exit 1
fi
echo "install-redis: installed: $(redis-server --version)"
