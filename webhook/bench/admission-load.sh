#!/usr/bin/env bash
# Load run of one admission: a labeled Deployment UPDATE (image v1 -> v2) sent to /mutate over TLS by wrk,
# against the real webhook (WebhookMain) with a certificate made by scripts/gen-certs.sh. Prints wrk's
# latency distribution for one connection (sequential requests: latency at a modest rate) and for
# 32 connections (saturation), then the webhook's own latency histogram. wrk shares the machine's cores with
# the webhook, so its tail latencies include that contention. Not a test: nothing fails a build on timing.
#
#   webhook/bench/admission-load.sh [DURATION]      # default 20s per run; needs wrk (Debian: apt-get install wrk)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
duration="${1:-20s}"
command -v wrk >/dev/null || { echo "admission-load.sh: wrk is required (apt-get install wrk)" >&2; exit 1; }
work="$(mktemp -d)"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

cd "$root"
mvn -B -q -pl webhook -am install -DskipTests
mvn -B -q -pl webhook test-compile
mvn -B -q -pl webhook dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$work/cp.txt"
cp="webhook/target/classes:webhook/target/test-classes:$(cat "$work/cp.txt")"
java -cp "$cp" tools.iter8.webhook.bench.ReviewBody > "$work/review.json"
scripts/gen-certs.sh --out "$work/certs" >/dev/null

port=18443
ITER8_WEBHOOK_HOST=127.0.0.1 ITER8_WEBHOOK_PORT=$port ITER8_WEBHOOK_CERT_DIR="$work/certs" \
  java -Xms256m -Xmx256m -cp "webhook/target/classes:$(cat "$work/cp.txt")" tools.iter8.webhook.WebhookMain \
  > "$work/webhook.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  curl -sf --cacert "$work/certs/ca.crt" "https://localhost:$port/readyz" >/dev/null && break
  sleep 0.2
done
url="https://localhost:$port/mutate"
echo "== body: $(wc -c < "$work/review.json") bytes; JVM $(java -version 2>&1 | head -1); $(nproc) cores"
echo "== warm-up (10s, 8 connections)"
BODY_FILE="$work/review.json" wrk -t2 -c8 -d10s -s webhook/bench/post.lua "$url" > /dev/null
echo "== modest rate: 1 connection, sequential requests, $duration"
BODY_FILE="$work/review.json" wrk -t1 -c1 -d"$duration" --latency -s webhook/bench/post.lua "$url"
echo "== saturation: 32 connections, 2 threads, $duration"
BODY_FILE="$work/review.json" wrk -t2 -c32 -d"$duration" --latency -s webhook/bench/post.lua "$url"
echo "== the webhook's own view (all runs): admissions by time from body received to answer written"
curl -sf --cacert "$work/certs/ca.crt" "https://localhost:$port/metrics" \
  | grep -E '^iter8_webhook_admission_duration_seconds_(bucket|count|sum)\{endpoint="mutate",kind="Deployment"'
