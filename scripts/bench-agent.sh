#!/usr/bin/env bash
# One agent at N concurrent experiments (bench/, DESIGN §4). Builds bench (with the agent), then for each N starts an
# in-memory Kubernetes API stand-in and a stub Prometheus (tools.iter8.bench.agent.KubeApiStandIn, StubPrometheus) and
# the real agent in its own JVM (-Xmx1g, tools.iter8.bench.agent.AgentProcess), creates the built-in http metrics, one
# VirtualService and one A/B experiment per N (identical versions, so none ever decides), waits until all run, warms
# up, then measures: iteration lateness from the status writes, reconciles/s, agent CPU, heap after a full GC. Adds its
# rows to docs/benchmarks/agent-scale.csv (same label and N replaced) and rewrites docs/benchmarks/agent-scale.md.
#
#   scripts/bench-agent.sh [N...]                 # default 1000 5000 10000; about 5 minutes per N at the defaults
#
# Environment (all optional):
#   LABEL      row label (default: <api>-<metrics>)       API       standin (default) or emulation (testkit's)
#   METRICS    prometheus (the agent's HTTP metrics path against the stub; default) or stub (in-process source)
#   INTERVAL   experiment intervalSeconds (10)           WARMUP    seconds after all run, before measuring (60)
#   MEASURE    measurement window in seconds (180)       RAMP_RATE experiments created per second (250)
#   JFR=1      record the agent with JFR during the window and print its top frames
#   API_LATENCY_MS  answer every API request this much later, as a remote API server would (default 0)
#   AGENT_ENV  extra agent environment, e.g. "ITER8_WORKERS=16 ITER8_KUBERNETES_POOL_SIZE=32"
#   JAVA_OPTS  extra JVM flags for the agent          BENCH_JAR  a prebuilt bench jar (skips the build)
# Other load on the machine slows the agent down and shows in the load averages of each row: rerun on a quiet one.
# A benchmark, not a test: it never fails on timing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
jar="${BENCH_JAR:-}"
if [ -z "$jar" ]; then
  mvn -B -q -pl bench -am install -DskipTests
  jar="$root/bench/target/iter8-bench.jar"
fi
ns="${*:-1000 5000 10000}"
args=(--n "${ns// /,}" --repo "$root" --out "${OUT:-$root/docs/benchmarks}"
      --api "${API:-standin}" --metrics "${METRICS:-prometheus}" --interval "${INTERVAL:-10}"
      --warmup "${WARMUP:-60}" --measure "${MEASURE:-180}" --ramp-rate "${RAMP_RATE:-250}")
[ -n "${LABEL:-}" ] && args+=(--label "$LABEL")
[ "${JFR:-}" = 1 ] && args+=(--jfr)
[ -n "${API_LATENCY_MS:-}" ] && args+=(--api-latency-ms "$API_LATENCY_MS")
for kv in ${AGENT_ENV:-}; do args+=(--env "$kv"); done
[ -n "${JAVA_OPTS:-}" ] && args+=(--env "JAVA_OPTS=$JAVA_OPTS")
exec java -Xmx2g -cp "$jar" tools.iter8.bench.agent.AgentScaleBenchmark "${args[@]}"
