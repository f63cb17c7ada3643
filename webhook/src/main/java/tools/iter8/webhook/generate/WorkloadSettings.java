package tools.iter8.webhook.generate;

import java.util.List;
import java.util.Set;
import tools.iter8.core.api.DeploymentPattern;
import tools.iter8.core.api.PreferredDirection;
import tools.iter8.core.api.Router;
import tools.iter8.core.api.TestingPattern;

/**
 * What a labeled workload's {@code iter8.tools/} annotations ask for, with every default filled in: the
 * input of {@link ExperimentGenerator}.
 *
 * @param metricSet the built-in metric set unqualified metric names refer to
 * @param router how traffic reaches the versions; {@code routerObject} names the VirtualService or
 *     HTTPRoute for {@link Router#ISTIO} and {@link Router#GATEWAY_API}
 * @param template the template Experiment named by {@code iter8.tools/template}, or null
 * @param retry the value of {@code iter8.tools/retry}, or null
 * @param given the annotations the user set (and that parsed), which win over a template's spec
 */
public record WorkloadSettings(
    TestingPattern testingPattern,
    DeploymentPattern deploymentPattern,
    String metricSet,
    List<ObjectiveSetting> objectives,
    List<RewardSetting> rewards,
    int intervalSeconds,
    int iterations,
    int maxCandidateWeight,
    int maxCandidateWeightIncrement,
    double strength,
    Router router,
    String routerObject,
    String template,
    String retry,
    Set<String> given) {

  public WorkloadSettings {
    objectives = List.copyOf(objectives);
    rewards = List.copyOf(rewards);
    given = Set.copyOf(given);
  }

  /** One objective: a metric reference with an inclusive upper and/or lower limit (quantity text). */
  public record ObjectiveSetting(String metric, String upperLimit, String lowerLimit) {}

  /** One reward: a metric reference and whether higher or lower is better. */
  public record RewardSetting(String metric, PreferredDirection direction) {}
}
