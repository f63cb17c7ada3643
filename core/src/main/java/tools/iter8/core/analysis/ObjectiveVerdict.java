package tools.iter8.core.analysis;

/**
 * The verdict on one objective for one version.
 *
 * @param metric the objective's metric reference, as written
 * @param verdict met, violated or undecided
 * @param probability P(objective met) under the posterior, or null when there is no posterior
 * @param reason the figures behind the verdict
 */
record ObjectiveVerdict(String metric, Verdict verdict, Double probability, String reason) {}
