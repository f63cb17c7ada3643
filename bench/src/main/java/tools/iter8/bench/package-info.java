/**
 * Benchmarks of the analysis (DESIGN §3 {@code bench/}): {@link tools.iter8.bench.DecisionQualityBenchmark}
 * runs one seeded scenario suite through our policy and three re-implemented peer policies on shared
 * simulated traffic; {@link tools.iter8.bench.AnalysisCostReport} runs the JMH benchmark of one analysis
 * iteration. Both write to {@code docs/benchmarks/}. Benchmarks are not tests: nothing here asserts on
 * timing.
 */
package tools.iter8.bench;
