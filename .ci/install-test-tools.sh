#!/usr/bin/env bash
# Makes sure the tools the dashboard and metrics tests drive are installed: Debian's Chromium (Playwright drives it;
# browser downloads by test tools fail on this machine kind) and Debian's Prometheus Python client (the tests parse
# GET /metrics with its text-format parser, through /usr/bin/python3), and the sandbox of python_repl and shell:
# bubblewrap and python3 (prlimit and setpriv come with util-linux, always there). Idempotent; CI runs it as root.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/python3 ] || missing+=(python3)
/usr/bin/python3 -c 'import prometheus_client.parser' >/dev/null 2>&1 || missing+=(python3-prometheus-client)
[ -x /usr/bin/bwrap ] || missing+=(bubblewrap)

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-test-tools: already installed: $(/usr/bin/chromium --version 2>/dev/null), python3-prometheus-client, $(/usr/bin/bwrap --version)"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-test-tools: error: ${missing[*]} missing and installing needs root:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "install-test-tools: installing ${missing[*]} with apt-get"
export DEBIAN_FRONTEND=noninteractive
apt-get update -o Acquire::Retries=3
apt-get install -y -o Acquire::Retries=3 "${missing[@]}"
/usr/bin/chromium --version
/usr/bin/python3 -c 'import prometheus_client.parser'
/usr/bin/bwrap --version
