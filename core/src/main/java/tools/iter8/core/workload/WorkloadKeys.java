package tools.iter8.core.workload;

import java.util.List;
import java.util.Set;

/**
 * The label and annotation names of the workload contract ({@code docs/workloads.md}): what a user sets
 * to shape the generated Experiment, and what the webhook and the agent write to keep state on the
 * workload itself (the webhook is a pure function of the AdmissionReview, so the object is its memory).
 */
public final class WorkloadKeys {
  public static final String PREFIX = "iter8.tools/";

  /** The opt-in label: {@code iter8.tools/watch: "true"}. */
  public static final String WATCH_LABEL = PREFIX + "watch";

  // Set by users.
  public static final String TESTING_PATTERN = PREFIX + "testing-pattern";
  public static final String DEPLOYMENT_PATTERN = PREFIX + "deployment-pattern";
  public static final String METRICS = PREFIX + "metrics";
  public static final String OBJECTIVES = PREFIX + "objectives";
  public static final String REWARDS = PREFIX + "rewards";
  public static final String INTERVAL = PREFIX + "interval";
  public static final String ITERATIONS = PREFIX + "iterations";
  public static final String MAX_CANDIDATE_WEIGHT = PREFIX + "max-candidate-weight";
  public static final String MAX_CANDIDATE_WEIGHT_INCREMENT = PREFIX + "max-candidate-weight-increment";
  public static final String STRENGTH = PREFIX + "strength";
  public static final String ROUTER = PREFIX + "router";
  public static final String TEMPLATE = PREFIX + "template";
  public static final String RETRY = PREFIX + "retry";

  // Written by the webhook.
  public static final String EXPERIMENT = PREFIX + "experiment";
  public static final String EXPERIMENT_SPEC = PREFIX + "experiment-spec";
  public static final String BASELINE_HASH = PREFIX + "baseline-hash";
  public static final String CANDIDATE_HASH = PREFIX + "candidate-hash";
  public static final String BASELINE_SPEC = PREFIX + "baseline-spec";
  public static final String BASELINE_TRAFFIC = PREFIX + "baseline-traffic";
  public static final String STATUS = PREFIX + "status";

  // Written by the agent when a candidate loses.
  public static final String REJECTED_HASH = PREFIX + "rejected-hash";
  public static final String REJECTED_RETRY = PREFIX + "rejected-retry";
  public static final String REJECTED_EXPERIMENT = PREFIX + "rejected-experiment";

  // On generated Experiments.
  public static final String GENERATED_LABEL = PREFIX + "generated";
  public static final String WORKLOAD_LABEL = PREFIX + "workload";
  /** Spec fields that came from workload annotations and win over the named template's. */
  public static final String OVERRIDES = PREFIX + "overrides";

  /** The annotations a user may set, in the order the docs list them. */
  public static final List<String> USER_ANNOTATIONS =
      List.of(
          TESTING_PATTERN,
          DEPLOYMENT_PATTERN,
          METRICS,
          OBJECTIVES,
          REWARDS,
          INTERVAL,
          ITERATIONS,
          MAX_CANDIDATE_WEIGHT,
          MAX_CANDIDATE_WEIGHT_INCREMENT,
          STRENGTH,
          ROUTER,
          TEMPLATE,
          RETRY);

  /** The annotations iter8 writes on a workload to keep its state. */
  public static final Set<String> STATE_ANNOTATIONS =
      Set.of(
          EXPERIMENT,
          EXPERIMENT_SPEC,
          BASELINE_HASH,
          CANDIDATE_HASH,
          BASELINE_SPEC,
          BASELINE_TRAFFIC,
          STATUS,
          REJECTED_HASH,
          REJECTED_RETRY,
          REJECTED_EXPERIMENT);

  private WorkloadKeys() {}

  /** Whether {@code key} is in iter8's annotation namespace. */
  public static boolean isIter8(String key) {
    return key != null && key.startsWith(PREFIX);
  }
}
