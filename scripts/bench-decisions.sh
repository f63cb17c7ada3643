#!/usr/bin/env bash
# The decision-quality benchmark (bench/, DESIGN §3): builds core and bench, then runs every scenario, seeded,
# through our analysis and three re-implemented peer policies (the original Iter8 v2, Flagger, a Kayenta-style
# judge) on the same simulated traffic, in one process. Writes docs/benchmarks/decision-quality.md and .csv.
# Extra arguments go to the benchmark: --runs N (default 1000), --seed S (default 20240501), --threads T
# (default: all cores), --out DIR (default docs/benchmarks). A benchmark, not a test: it never fails on results.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl bench -am package -DskipTests
exec java -cp bench/target/iter8-bench.jar tools.iter8.bench.DecisionQualityBenchmark --out docs/benchmarks "$@"
