package tools.iter8.core.analysis;

import java.util.List;
import java.util.Map;

/**
 * A winner rule's conclusion, and the preference the bandit splits traffic by.
 *
 * @param found whether a winner was found
 * @param winner the winner, or null
 * @param bestVersions the versions that are best with probability {@code strength} (together, for a tie)
 * @param probability the posterior probability behind the winner (or the leading version), or null
 * @param probabilities per version, P(best and feasible) as the pattern defines it
 * @param preference per version, the share of posterior draws in which it is the version to send traffic
 *     to; the draws where no version is feasible fall to the baseline. Sums to 1
 * @param leader the version with the highest probability so far (the winner when found)
 * @param reason why, in words and figures
 */
record WinnerAssessment(
    boolean found,
    String winner,
    List<String> bestVersions,
    Double probability,
    Map<String, Double> probabilities,
    Map<String, Double> preference,
    String leader,
    String reason) {}
