#!/usr/bin/env bash
# The cost of one analysis iteration (bench/, JMH): builds core and bench, runs AnalysisCostBenchmark (Canary
# 2 versions x 4 metrics, A/B 2 x 4, A/B/N 10 x 4, at 1,000/2,000/4,000 Monte Carlo draws) and writes
# docs/benchmarks/analysis-cost.md. Takes about two minutes; run it on a quiet machine, since other load only
# makes the figures slower. A benchmark, not a test: it never fails on timing.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl bench -am package -DskipTests
exec java -cp bench/target/iter8-bench.jar tools.iter8.bench.AnalysisCostReport --out docs/benchmarks "$@"
