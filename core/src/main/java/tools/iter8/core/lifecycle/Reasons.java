package tools.iter8.core.lifecycle;

/**
 * Condition types and reasons. The original's (reference §1.2, {@code constants.go}) are kept, so
 * tooling that matched on them still works; ours are marked.
 */
public final class Reasons {
  public static final String COMPLETED = "Completed";
  public static final String FAILED = "Failed";
  public static final String TARGET_ACQUIRED = "TargetAcquired";

  public static final String EXPERIMENT_INITIALIZED = "ExperimentInitialized";
  public static final String TARGET_ACQUIRED_REASON = "TargetAcquired";
  public static final String ITERATION_UPDATE = "IterationUpdate";
  public static final String EXPERIMENT_COMPLETED = "ExperimentCompleted";
  public static final String METRIC_UNAVAILABLE = "MetricUnavailable";
  public static final String METRICS_UNREADABLE = "MetricsUnreadable";
  public static final String HANDLER_LAUNCHED = "HandlerLaunched";
  public static final String HANDLER_COMPLETED = "HandlerCompleted";
  public static final String HANDLER_FAILED = "HandlerFailed";
  public static final String WEIGHT_REDISTRIBUTION_FAILED = "WeightRedistributionFailed";
  public static final String INVALID_EXPERIMENT = "InvalidExperiment";
  public static final String STAGE_ADVANCED = "StageAdvanced";

  /** Ours: a decision of the analysis (promote, roll back, hold, fail) with its reason. */
  public static final String DECISION = "Decision";
  /** Ours: a newer version of the same workload replaced this experiment's candidate. */
  public static final String SUPERSEDED = "Superseded";
  /** Ours: a task that the agent does not run (a {@code run:} script) was skipped. */
  public static final String TASK_SKIPPED = "TaskSkipped";
  /** Ours: metric queries failed {@code consecutiveErrorLimit} iterations in a row. */
  public static final String METRICS_ERROR_LIMIT = "MetricsErrorLimit";

  private Reasons() {}
}
