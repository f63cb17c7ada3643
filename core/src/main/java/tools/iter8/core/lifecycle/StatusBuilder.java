package tools.iter8.core.lifecycle;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import tools.iter8.core.api.Analysis;
import tools.iter8.core.api.Condition;
import tools.iter8.core.api.Decision;
import tools.iter8.core.api.ExperimentStatus;
import tools.iter8.core.api.MetricInfo;
import tools.iter8.core.api.Stage;
import tools.iter8.core.api.WeightData;

/**
 * Edits an {@link ExperimentStatus} field by field; {@link #build()} gives the new record. Fields the
 * model does not know are carried over. Conditions follow Kubernetes rules: one per type, and
 * {@code lastTransitionTime} changes only when the condition's status does.
 */
public final class StatusBuilder {
  private List<Condition> conditions;
  private Instant initTime;
  private Instant startTime;
  private Instant lastUpdateTime;
  private String stage;
  private Integer completedIterations;
  private List<WeightData> currentWeightDistribution;
  private Analysis analysis;
  private String versionRecommendedForPromotion;
  private String message;
  private List<MetricInfo> metrics;
  private Decision decision;
  private List<String> completedActions;
  private Integer consecutiveErrors;
  private Integer weightsAppliedIteration;
  private Long observedGeneration;
  private final java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> extra;

  private StatusBuilder(ExperimentStatus s) {
    conditions = s.conditions() == null ? new ArrayList<>() : new ArrayList<>(s.conditions());
    initTime = s.initTime();
    startTime = s.startTime();
    lastUpdateTime = s.lastUpdateTime();
    stage = s.stage();
    completedIterations = s.completedIterations();
    currentWeightDistribution = s.currentWeightDistribution();
    analysis = s.analysis();
    versionRecommendedForPromotion = s.versionRecommendedForPromotion();
    message = s.message();
    metrics = s.metrics();
    decision = s.decision();
    completedActions = s.completedActions();
    consecutiveErrors = s.consecutiveErrors();
    weightsAppliedIteration = s.weightsAppliedIteration();
    observedGeneration = s.observedGeneration();
    extra = new LinkedHashMap<>(s.extra());
  }

  public static StatusBuilder from(ExperimentStatus status) {
    return new StatusBuilder(
        status != null
            ? status
            : new ExperimentStatus(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null));
  }

  public StatusBuilder condition(String type, boolean value, String reason, String msg, Instant now) {
    String wanted = value ? "True" : "False";
    for (int i = 0; i < conditions.size(); i++) {
      Condition c = conditions.get(i);
      if (type.equals(c.type())) {
        Instant transition = wanted.equals(c.status()) && c.lastTransitionTime() != null ? c.lastTransitionTime() : now;
        conditions.set(i, new Condition(type, wanted, transition, reason, msg, c.extra()));
        return this;
      }
    }
    conditions.add(new Condition(type, wanted, now, reason, msg, null));
    return this;
  }

  public StatusBuilder initTime(Instant v) {
    initTime = v;
    return this;
  }

  public StatusBuilder startTime(Instant v) {
    startTime = v;
    return this;
  }

  public StatusBuilder lastUpdateTime(Instant v) {
    lastUpdateTime = v;
    return this;
  }

  public StatusBuilder stage(Stage v) {
    stage = v.wireName();
    return this;
  }

  public StatusBuilder completedIterations(int v) {
    completedIterations = v;
    return this;
  }

  public StatusBuilder currentWeightDistribution(List<WeightData> v) {
    currentWeightDistribution = v;
    return this;
  }

  public StatusBuilder analysis(Analysis v) {
    analysis = v;
    return this;
  }

  public StatusBuilder versionRecommendedForPromotion(String v) {
    versionRecommendedForPromotion = v;
    return this;
  }

  /** The original's {@code status.message}: {@code "<Reason>: <message>"} of the latest event. */
  public StatusBuilder message(String reason, String msg) {
    message = reason + ": " + msg;
    return this;
  }

  public StatusBuilder metrics(List<MetricInfo> v) {
    metrics = v;
    return this;
  }

  public StatusBuilder decision(Decision v) {
    decision = v;
    return this;
  }

  public StatusBuilder actionCompleted(String actionId) {
    List<String> done = completedActions == null ? new ArrayList<>() : new ArrayList<>(completedActions);
    if (!done.contains(actionId)) {
      done.add(actionId);
    }
    completedActions = done;
    return this;
  }

  public StatusBuilder consecutiveErrors(int v) {
    consecutiveErrors = v;
    return this;
  }

  public StatusBuilder weightsAppliedIteration(int v) {
    weightsAppliedIteration = v;
    return this;
  }

  public StatusBuilder observedGeneration(Long v) {
    observedGeneration = v;
    return this;
  }

  public ExperimentStatus build() {
    return new ExperimentStatus(
        conditions.isEmpty() ? null : List.copyOf(conditions),
        initTime,
        startTime,
        lastUpdateTime,
        stage,
        completedIterations,
        currentWeightDistribution,
        analysis,
        versionRecommendedForPromotion,
        message,
        metrics,
        decision,
        completedActions,
        consecutiveErrors,
        weightsAppliedIteration,
        observedGeneration,
        extra);
  }
}
