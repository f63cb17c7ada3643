/**
 * The analysis of one experiment iteration (DESIGN §2.6): posteriors from raw observations, objective
 * verdicts, the winner per testing pattern, bandit weights per deployment pattern, and the sequential
 * decision, written in the original's {@code status.analysis} shapes plus the figures behind each verdict.
 *
 * <p>Pure and deterministic: no Kubernetes, no I/O and no clock. Time and the random seed are inputs, so
 * the same {@link tools.iter8.core.analysis.AnalysisInput} always gives the same
 * {@link tools.iter8.core.analysis.AnalysisResult}. The entry point is
 * {@link tools.iter8.core.analysis.ExperimentAnalyzer}; docs/analysis.md explains the statistics.
 */
package tools.iter8.core.analysis;
