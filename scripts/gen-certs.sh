#!/usr/bin/env bash
# Makes the webhook's serving certificate with openssl: a CA (ca.crt, ca.key) and a certificate signed by it
# (tls.crt, tls.key) for the webhook Service's DNS names, written to certs/ (git-ignored: never commit keys).
# For development, tests and clusters without cert-manager; in production prefer the cert-manager overlay
# (manifests/overlays/cert-manager). scripts/install.sh puts ca.crt into the webhook configurations' caBundle.
#
#   scripts/gen-certs.sh [--service NAME] [--namespace NS] [--out DIR] [--days N] [--new-ca]
#
# An existing CA in DIR is reused, so re-running renews the serving certificate without changing the
# caBundle; --new-ca makes a new CA as well. SANs: NAME.NS.svc, NAME.NS.svc.cluster.local, localhost,
# 127.0.0.1. Keys are ECDSA P-256 (fast handshakes, accepted by kube-apiserver).
set -euo pipefail

service=iter8-webhook
namespace=iter8-system
out="$(cd "$(dirname "$0")/.." && pwd)/certs"
days=365
new_ca=false

usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --service) service="${2:?--service needs a name}"; shift 2 ;;
    --namespace) namespace="${2:?--namespace needs a name}"; shift 2 ;;
    --out) out="${2:?--out needs a directory}"; shift 2 ;;
    --days) days="${2:?--days needs a number}"; shift 2 ;;
    --new-ca) new_ca=true; shift ;;
    -h|--help) usage 0 ;;
    *) echo "gen-certs.sh: unknown argument $1" >&2; usage 2 ;;
  esac
done
command -v openssl >/dev/null 2>&1 || { echo "gen-certs.sh: openssl is required (Debian: apt-get install openssl)" >&2; exit 1; }
case "$days" in ''|*[!0-9]*) echo "gen-certs.sh: --days must be a whole number, got $days" >&2; exit 2 ;; esac

mkdir -p "$out"
umask 077
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
dns="$service.$namespace.svc"

if $new_ca || [ ! -s "$out/ca.crt" ] || [ ! -s "$out/ca.key" ]; then
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/ca.key" 2>/dev/null
  openssl req -x509 -new -key "$work/ca.key" -sha256 -days 3650 -subj "/CN=$service-ca" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$work/ca.crt"
  mv "$work/ca.key" "$out/ca.key"
  mv "$work/ca.crt" "$out/ca.crt"
  echo "gen-certs.sh: new CA $out/ca.crt"
fi

cat > "$work/server.ext" <<EXT
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=DNS:$dns,DNS:$dns.cluster.local,DNS:localhost,IP:127.0.0.1
EXT
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/tls.key" 2>/dev/null
openssl req -new -key "$work/tls.key" -subj "/CN=$dns" -out "$work/tls.csr"
openssl x509 -req -in "$work/tls.csr" -CA "$out/ca.crt" -CAkey "$out/ca.key" -CAcreateserial \
  -CAserial "$work/ca.srl" -days "$days" -sha256 -extfile "$work/server.ext" -out "$work/tls.crt" 2>/dev/null
openssl verify -CAfile "$out/ca.crt" "$work/tls.crt" >/dev/null

# Replace the pair last and key first, so a webhook polling the directory never pairs a new key with an old
# certificate for long (it retries at the next poll if it does).
mv "$work/tls.key" "$out/tls.key"
mv "$work/tls.crt" "$out/tls.crt"
chmod 644 "$out/ca.crt" "$out/tls.crt"
echo "gen-certs.sh: $out/tls.crt for $dns (and .cluster.local, localhost, 127.0.0.1), valid $days days"
