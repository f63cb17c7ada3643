#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine with Java 17 and Maven: installs what the tests need
# (Prometheus from Debian; kubectl is expected on the machine) and runs `mvn -B verify`.
# Extra arguments go to Maven, e.g. scripts/test.sh -pl core.
set -euo pipefail
cd "$(dirname "$0")/.."

need_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

install_debian_packages() {
  local missing=()
  command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "scripts/test.sh: installing ${missing[*]} (Debian packages the tests use)"
    need_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive need_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

if command -v apt-get >/dev/null 2>&1; then
  install_debian_packages
else
  command -v prometheus >/dev/null 2>&1 || echo "scripts/test.sh: no apt-get and no prometheus on PATH; the Prometheus tests will fail" >&2
fi
command -v kubectl >/dev/null 2>&1 || echo "scripts/test.sh: kubectl is not on PATH; the kubectl/kustomize tests will fail" >&2

# Prometheus is started by the tests themselves (testkit), never as a system service.
exec mvn -B verify "$@"
