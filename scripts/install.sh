#!/usr/bin/env bash
# Installs the iter8 webhook with a certificate from scripts/gen-certs.sh: the namespace, the TLS Secret
# iter8-webhook-tls (certs/tls.crt, certs/tls.key), and manifests/webhook with every caBundle set to
# base64 certs/ca.crt. Makes the certificates first if certs/ has none. With cert-manager, apply
# manifests/overlays/cert-manager instead (kubectl apply -k); it needs neither this script nor certs/.
#
#   scripts/install.sh [--namespace NS] [--certs DIR] [--kustomization DIR] [--render]
#
# --kustomization DIR renders DIR instead of manifests/webhook: manifests/ for all of iter8 (CRDs, metrics,
# RBAC, agent, webhook), or your own kustomization with stack components. --render prints the manifests
# instead of applying them (no cluster needed), e.g. for GitOps or review. KUBECTL overrides kubectl.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
namespace=iter8-system
certs="$root/certs"
kustomization="$root/manifests/webhook"
render=false
kubectl="${KUBECTL:-kubectl}"

usage() { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --namespace) namespace="${2:?--namespace needs a name}"; shift 2 ;;
    --certs) certs="${2:?--certs needs a directory}"; shift 2 ;;
    --kustomization) kustomization="${2:?--kustomization needs a directory}"; shift 2 ;;
    --render) render=true; shift ;;
    -h|--help) usage 0 ;;
    *) echo "install.sh: unknown argument $1" >&2; usage 2 ;;
  esac
done
command -v "$kubectl" >/dev/null 2>&1 || { echo "install.sh: $kubectl is required" >&2; exit 1; }
[ -f "$kustomization/kustomization.yaml" ] || [ -f "$kustomization/kustomization.yml" ] || [ -f "$kustomization/Kustomization" ] \
  || { echo "install.sh: --kustomization $kustomization has no kustomization.yaml" >&2; exit 1; }

service_dns="iter8-webhook.$namespace.svc"
if [ ! -s "$certs/ca.crt" ] || [ ! -s "$certs/tls.crt" ] || [ ! -s "$certs/tls.key" ]; then
  "$root/scripts/gen-certs.sh" --namespace "$namespace" --out "$certs" >&2
fi
if ! openssl x509 -in "$certs/tls.crt" -noout -checkhost "$service_dns" 2>/dev/null | grep -q 'does match'; then
  echo "install.sh: $certs/tls.crt is not valid for $service_dns; run scripts/gen-certs.sh --namespace $namespace --out $certs" >&2
  exit 1
fi
if ! openssl verify -CAfile "$certs/ca.crt" "$certs/tls.crt" >/dev/null 2>&1; then
  echo "install.sh: $certs/tls.crt is not signed by $certs/ca.crt" >&2
  exit 1
fi

ca_bundle="$(base64 -w0 < "$certs/ca.crt")"
b64() { base64 -w0 < "$1"; }

manifests() {
  # The bases name their namespace (iter8-system) only in namespace fields, Service references, the
  # namespaceSelectors that exclude it and the built-in metrics' namespace, so a textual substitution is exact.
  local rendered
  rendered="$("$kubectl" kustomize "$kustomization" \
    | sed -e "s/\biter8-system\b/$namespace/g" -e "s|\${CA_BUNDLE}|$ca_bundle|g")"
  # manifests/ declares the Namespace itself; manifests/webhook does not.
  if ! printf '%s\n' "$rendered" | awk -v ns="$namespace" '
      /^---/ { kind = ""; name = "" }
      /^kind: Namespace$/ { kind = 1 }
      $0 == "  name: " ns { name = 1 }
      kind && name { found = 1 }
      END { exit found ? 0 : 1 }'; then
    cat <<YAML
apiVersion: v1
kind: Namespace
metadata:
  name: $namespace
  labels:
    app.kubernetes.io/part-of: iter8
---
YAML
  fi
  cat <<YAML
apiVersion: v1
kind: Secret
metadata:
  name: iter8-webhook-tls
  namespace: $namespace
type: kubernetes.io/tls
data:
  tls.crt: $(b64 "$certs/tls.crt")
  tls.key: $(b64 "$certs/tls.key")
---
YAML
  printf '%s\n' "$rendered"
}

if $render; then
  manifests
else
  manifests | "$kubectl" apply -f -
  echo "install.sh: the webhook is installed in $namespace; kubectl -n $namespace rollout status deployment/iter8-webhook" >&2
fi
