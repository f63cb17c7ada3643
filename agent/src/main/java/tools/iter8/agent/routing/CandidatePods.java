package tools.iter8.agent.routing;

import tools.iter8.core.workload.TemplateHash;

/**
 * How the pods of a generated Deployment experiment's candidate are told apart from the baseline's: both
 * carry the workload's own labels (so the one Service selects both, which is what the Replicas router
 * relies on), and the candidate's also carry {@code iter8.tools/version: candidate}. The Deployment
 * handler sets the label on the candidate Deployment it creates; the Istio router selects it in the
 * candidate subset.
 */
public final class CandidatePods {
  public static final String VERSION_LABEL = "iter8.tools/version";
  public static final String CANDIDATE = "candidate";

  /** The label on objects iter8 creates for an experiment (candidate Deployments, DestinationRules). */
  public static final String EXPERIMENT_LABEL = "iter8.tools/experiment";

  private static final int MAX_LABEL_VALUE = 63;
  private static final int HASH_DIGITS = 8;

  private CandidatePods() {}

  /**
   * A label value standing for an experiment name: the name when it fits in 63 characters, else its
   * first 54 characters and 8 hex digits of its hash (the rule the webhook uses for {@code
   * iter8.tools/workload}).
   */
  public static String labelValue(String name) {
    if (name.length() <= MAX_LABEL_VALUE) {
      return name;
    }
    String prefix = name.substring(0, MAX_LABEL_VALUE - HASH_DIGITS - 1);
    while (!prefix.isEmpty() && !Character.isLetterOrDigit(prefix.charAt(prefix.length() - 1))) {
      prefix = prefix.substring(0, prefix.length() - 1);
    }
    return prefix + "-" + TemplateHash.sha256(name).substring(0, HASH_DIGITS);
  }
}
