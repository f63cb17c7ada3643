#!/usr/bin/env bash
# Webhook throughput against the physical limit of its stack (bench/, DESIGN §4). Builds bench (with the webhook),
# makes a certificate with scripts/gen-certs.sh in a temporary directory, and starts, side by side:
#   - the webhook (tools.iter8.webhook.WebhookMain), and
#   - a bare Vert.x HTTPS echo server with the same TLS settings (tools.iter8.bench.webhook.EchoServer: the same
#     certificate and key, HttpServerOptions and event-loop instances, answering every request with its body),
# both with the same JVM flags. wrk (Debian package) then POSTs one labeled Deployment UPDATE AdmissionReview (2.4 kB,
# docs/examples/kubectl/deployment.yaml v1 -> v2) to each over loopback, keep-alive, in this order: warm-up, saturation
# (CONNECTIONS connections, default 32, 2 threads), then 1,000 req/s (RATE_CONNECTIONS connections, default 10, each
# pausing 1000*RATE_CONNECTIONS/RATE ms between requests; wrk has no rate option). Every answer is checked (the
# webhook's must carry a JSON Patch, the echo's the request's UID). Writes docs/benchmarks/webhook.md.
#
#   scripts/bench-webhook.sh [DURATION]     # per measured run, default 30s; about 3 minutes in all at 30s
#
# Environment: CONNECTIONS, RATE (default 1000), RATE_CONNECTIONS, HEAP (default 256m), OUT (default
# docs/benchmarks), JFR=1 to record the webhook under saturation and print its top frames, BENCH_JAR to use a prebuilt
# bench jar (e.g. one built from another commit, for a before/after comparison).
# wrk and both servers share this machine's cores: the ratio webhook/echo is the figure that carries over.
# A benchmark, not a test: it never fails on timing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
duration="${1:-30s}"
connections="${CONNECTIONS:-32}"
rate="${RATE:-1000}"
rate_connections="${RATE_CONNECTIONS:-10}"
heap="${HEAP:-256m}"
out="${OUT:-docs/benchmarks}"
command -v wrk >/dev/null || { echo "bench-webhook.sh: wrk is required (apt-get install wrk)" >&2; exit 1; }

jar="${BENCH_JAR:-}"
if [ -z "$jar" ]; then
  mvn -B -q -pl bench -am install -DskipTests
  jar="$root/bench/target/iter8-bench.jar"
fi
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

java -cp "$jar" tools.iter8.bench.webhook.ReviewBody "$root" > "$work/review.json"
scripts/gen-certs.sh --out "$work/certs" >/dev/null
jvm=(-Xms"$heap" -Xmx"$heap" -XX:+ExitOnOutOfMemoryError)
jfr_opts=()
[ "${JFR:-}" = 1 ] && jfr_opts=(-XX:StartFlightRecording=filename="$work/webhook.jfr",settings=profile,delay=20s)

start() { # name port main [jvm-flags...]
  local name=$1 port=$2 main=$3; shift 3
  ITER8_WEBHOOK_HOST=127.0.0.1 ITER8_WEBHOOK_PORT="$port" ITER8_WEBHOOK_CERT_DIR="$work/certs" \
    java "${jvm[@]}" "$@" -cp "$jar" "$main" > "$work/$name.log" 2>&1 &
  pids+=($!)
}
webhook_port=18443
echo_port=18444
start webhook $webhook_port tools.iter8.webhook.WebhookMain ${jfr_opts[@]+"${jfr_opts[@]}"}
start echo $echo_port tools.iter8.bench.webhook.EchoServer
for _ in $(seq 1 150); do
  if curl -sf --cacert "$work/certs/ca.crt" "https://localhost:$webhook_port/readyz" >/dev/null \
     && curl -sf --cacert "$work/certs/ca.crt" -X POST -d '{}' "https://localhost:$echo_port/" >/dev/null; then
    break
  fi
  sleep 0.2
done

body_bytes=$(wc -c < "$work/review.json")
results="$work/results.tsv"
: > "$results"
run() { # target port expect label wrk-args...
  local target=$1 port=$2 expect=$3 label=$4; shift 4
  local load
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  local line
  line=$(BODY_FILE="$work/review.json" EXPECT="$expect" wrk "$@" -s bench/wrk/admission.lua \
    "https://localhost:$port/mutate" | tee "$work/$target-$label.txt" | grep '^RESULT' || true)
  echo "== $target $label: $line (load $load)"
  printf '%s\t%s\t%s\t%s\n' "$target" "$label" "$load" "${line#RESULT }" >> "$results"
}
webhook_expect='"patchType":"JSONPatch"'
echo_expect='"uid":"bench-0001"'
echo "== warm-up: 15 s each at 8 connections"
BODY_FILE="$work/review.json" EXPECT= wrk -t2 -c8 -d15s -s bench/wrk/admission.lua "https://localhost:$echo_port/" >/dev/null
BODY_FILE="$work/review.json" EXPECT= wrk -t2 -c8 -d15s -s bench/wrk/admission.lua "https://localhost:$webhook_port/mutate" >/dev/null
delay=$(( 1000 * rate_connections / rate ))
run echo $echo_port "$echo_expect" saturation -t2 -c"$connections" -d"$duration" --latency
run webhook $webhook_port "$webhook_expect" saturation -t2 -c"$connections" -d"$duration" --latency
DELAY_MS=$delay run echo $echo_port "$echo_expect" rate -t2 -c"$rate_connections" -d"$duration" --latency
DELAY_MS=$delay run webhook $webhook_port "$webhook_expect" rate -t2 -c"$rate_connections" -d"$duration" --latency

curl -sf --cacert "$work/certs/ca.crt" "https://localhost:$webhook_port/metrics" \
  | grep -E '^iter8_webhook_admission_duration_seconds_(bucket|count|sum)\{endpoint="mutate",kind="Deployment"' \
  > "$work/histogram.txt" || true
if [ "${JFR:-}" = 1 ]; then
  jcmd "${pids[0]}" JFR.dump filename="$work/webhook.jfr" >/dev/null 2>&1 || true
  java -cp "$jar" tools.iter8.bench.JfrTop "$work/webhook.jfr" --threads vert.x-eventloop | tee "$work/jfr-top.txt"
fi
java -cp "$jar" tools.iter8.bench.webhook.WebhookReport --results "$results" --histogram "$work/histogram.txt" \
  --body-bytes "$body_bytes" --duration "$duration" --connections "$connections" --rate "$rate" \
  --rate-connections "$rate_connections" --delay-ms "$delay" --heap "$heap" \
  ${JFR:+--jfr "$work/jfr-top.txt"} --out "$out"
