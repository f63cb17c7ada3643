package tools.iter8.webhook.generate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import tools.iter8.core.api.Criteria;
import tools.iter8.core.api.DurationSpec;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.ExperimentSpec;
import tools.iter8.core.api.NamedValue;
import tools.iter8.core.api.ObjectMeta;
import tools.iter8.core.api.ObjectReference;
import tools.iter8.core.api.Objective;
import tools.iter8.core.api.Quantity;
import tools.iter8.core.api.Reward;
import tools.iter8.core.api.Routing;
import tools.iter8.core.api.Strategy;
import tools.iter8.core.api.TaskSpec;
import tools.iter8.core.api.TestingPattern;
import tools.iter8.core.api.VersionDetail;
import tools.iter8.core.api.VersionInfo;
import tools.iter8.core.api.Weights;
import tools.iter8.core.tasks.BuiltinTask;
import tools.iter8.core.workload.WorkloadKeys;
import tools.iter8.core.workload.WorkloadKind;
import tools.iter8.webhook.generate.WorkloadSettings.ObjectiveSetting;
import tools.iter8.webhook.generate.WorkloadSettings.RewardSetting;

/**
 * Turns a labeled workload's new version into the Experiment that decides it ({@code docs/workloads.md},
 * "The generated Experiment"). Pure: the same input gives the same Experiment, field for field.
 */
public final class ExperimentGenerator {
  private ExperimentGenerator() {}

  /** Istio's VirtualService API: v1beta1 is served by every Istio release iter8 supports. */
  public static final String ISTIO_API_VERSION = "networking.istio.io/v1beta1";

  public static final String GATEWAY_API_VERSION = "gateway.networking.k8s.io/v1";

  /**
   * Which spec fields each annotation sets; with a template, these fields keep the generated value and
   * every other field may come from the template's spec.
   */
  static final Map<String, String> SPEC_FIELD_OF_ANNOTATION =
      Map.ofEntries(
          Map.entry(WorkloadKeys.TESTING_PATTERN, "strategy.testingPattern"),
          Map.entry(WorkloadKeys.DEPLOYMENT_PATTERN, "strategy.deploymentPattern"),
          Map.entry(WorkloadKeys.METRICS, "criteria.requestCount"),
          Map.entry(WorkloadKeys.OBJECTIVES, "criteria.objectives"),
          Map.entry(WorkloadKeys.REWARDS, "criteria.rewards"),
          Map.entry(WorkloadKeys.INTERVAL, "duration.intervalSeconds"),
          Map.entry(WorkloadKeys.ITERATIONS, "duration.iterationsPerLoop"),
          Map.entry(WorkloadKeys.MAX_CANDIDATE_WEIGHT, "strategy.weights.maxCandidateWeight"),
          Map.entry(WorkloadKeys.MAX_CANDIDATE_WEIGHT_INCREMENT, "strategy.weights.maxCandidateWeightIncrement"),
          Map.entry(WorkloadKeys.STRENGTH, "criteria.strength"));

  /** Built-in metric set {@code s} lives in namespace {@code iter8-s} ({@code docs/metrics.md}). */
  public static final String METRIC_SET_NAMESPACE_PREFIX = "iter8-";

  /** The workload whose version is tested. */
  public record Target(WorkloadKind kind, String namespace, String name) {}

  /**
   * One version: its template hash and, for Knative and KServe, its revision name when it is known (a
   * new revision is named by the controller after the write; the agent fills it in).
   */
  public record Version(String hash, String revision) {}

  /**
   * The Experiment for a candidate against a baseline; for {@link TestingPattern#CONFORMANCE}, {@code
   * baseline} is null and the one version tested is {@code candidate}.
   */
  public static Experiment generate(Target target, WorkloadSettings s, String id, Version baseline, Version candidate) {
    boolean conformance = s.testingPattern() == TestingPattern.CONFORMANCE;
    String name = ExperimentNames.experimentName(target.name(), id);

    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(WorkloadKeys.GENERATED_LABEL, "true");
    labels.put(WorkloadKeys.WORKLOAD_LABEL, ExperimentNames.labelValue(target.name()));
    Map<String, String> annotations = new LinkedHashMap<>();
    if (baseline != null) {
      annotations.put(WorkloadKeys.BASELINE_HASH, baseline.hash());
    }
    annotations.put(WorkloadKeys.CANDIDATE_HASH, candidate.hash());
    if (s.template() != null) {
      annotations.put(WorkloadKeys.TEMPLATE, s.template());
      TreeSet<String> overrides = new TreeSet<>();
      s.given().forEach(k -> {
        String field = SPEC_FIELD_OF_ANNOTATION.get(k);
        if (field != null) {
          overrides.add(field);
        }
      });
      annotations.put(WorkloadKeys.OVERRIDES, String.join(",", overrides));
    }
    ObjectMeta metadata =
        new ObjectMeta(name, null, target.namespace(), null, null, null, null, null, labels, annotations, null);

    VersionInfo versions =
        conformance
            ? new VersionInfo(version("baseline", target, target.name(), candidate), null, null)
            : new VersionInfo(
                version("baseline", target, target.name(), baseline),
                List.of(version("candidate", target, candidateWorkload(target, name), candidate)),
                null);

    ExperimentSpec spec =
        new ExperimentSpec(
            target.namespace() + "/" + target.name(),
            ObjectReference.to(target.kind().apiVersion(), target.kind().kind(), target.namespace(), target.name()),
            versions,
            strategy(s, conformance),
            criteria(s),
            new DurationSpec(s.intervalSeconds(), s.iterations(), 1, null),
            routing(s, target),
            null);
    return new Experiment(Experiment.API_VERSION, Experiment.KIND, metadata, spec, null, null);
  }

  /** Deployments: the agent runs the candidate as its own Deployment named like the experiment. */
  private static String candidateWorkload(Target target, String experimentName) {
    return target.kind() == WorkloadKind.DEPLOYMENT ? experimentName : target.name();
  }

  private static VersionDetail version(String name, Target target, String workload, Version v) {
    List<NamedValue> variables = new ArrayList<>();
    variables.add(new NamedValue("namespace", target.namespace()));
    variables.add(new NamedValue("workload", workload));
    if (v.revision() != null) {
      variables.add(new NamedValue("revision", v.revision()));
    }
    variables.add(new NamedValue("hash", v.hash()));
    return new VersionDetail(name, variables, null, null);
  }

  private static Strategy strategy(WorkloadSettings s, boolean conformance) {
    Map<String, List<TaskSpec>> actions = null;
    if (!conformance) {
      TaskSpec rollback = task(null, BuiltinTask.ROLLBACK);
      actions = new LinkedHashMap<>();
      actions.put(
          "finish",
          List.of(task("CandidateWon()", BuiltinTask.PROMOTE), task("not CandidateWon()", BuiltinTask.ROLLBACK)));
      actions.put("rollback", List.of(rollback));
      actions.put("failure", List.of(rollback));
    }
    return new Strategy(
        s.testingPattern().wireName(),
        s.deploymentPattern().wireName(),
        actions,
        conformance ? null : new Weights(s.maxCandidateWeight(), s.maxCandidateWeightIncrement(), null, null),
        null);
  }

  private static TaskSpec task(String condition, BuiltinTask task) {
    return new TaskSpec(task.taskName(), null, condition, null, null);
  }

  private static Criteria criteria(WorkloadSettings s) {
    List<Objective> objectives = new ArrayList<>();
    for (ObjectiveSetting o : s.objectives()) {
      objectives.add(
          new Objective(
              metric(s, o.metric()),
              o.upperLimit() == null ? null : Quantity.of(o.upperLimit()),
              o.lowerLimit() == null ? null : Quantity.of(o.lowerLimit()),
              true,
              null));
    }
    List<Reward> rewards = new ArrayList<>();
    for (RewardSetting r : s.rewards()) {
      rewards.add(new Reward(metric(s, r.metric()), r.direction().wireName(), null));
    }
    return new Criteria(
        metric(s, "request-count"),
        rewards.isEmpty() ? null : rewards,
        null,
        objectives,
        s.strength(),
        null,
        null,
        null);
  }

  /** {@code error-rate} → {@code iter8-<set>/error-rate}; {@code namespace/name} as written. */
  static String metric(WorkloadSettings s, String ref) {
    return ref.contains("/") ? ref : METRIC_SET_NAMESPACE_PREFIX + s.metricSet() + "/" + ref;
  }

  private static Routing routing(WorkloadSettings s, Target target) {
    ObjectReference objRef =
        switch (s.router()) {
          case ISTIO -> ObjectReference.to(ISTIO_API_VERSION, "VirtualService", target.namespace(), s.routerObject());
          case GATEWAY_API -> ObjectReference.to(GATEWAY_API_VERSION, "HTTPRoute", target.namespace(), s.routerObject());
          default -> null;
        };
    return new Routing(s.router().wireName(), objRef, null, null, null, null);
  }
}
