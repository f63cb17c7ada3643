package tools.iter8.agent.workload;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import tools.iter8.agent.kube.KubernetesOps;
import tools.iter8.agent.kube.ResourceKind;

/**
 * Waits, without blocking a thread, until a Deployment has rolled out its current template: the
 * controller has seen the latest spec ({@code status.observedGeneration ≥ metadata.generation}) and every
 * desired replica is updated and available. Promotion waits for this before it removes the candidate, so
 * capacity never drops below what served during the experiment.
 *
 * <p>Polls (a timer between reads) rather than watching: promotion is rare and short, and a poll needs no
 * informer state. Gives up after the timeout with a message saying where the rollout stands.
 */
public final class DeploymentReadiness {
  /** Kubernetes' own default {@code progressDeadlineSeconds}: past it, a rollout is considered stuck. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);

  private final KubernetesOps ops;
  private final Vertx vertx;
  private final Clock clock;
  private final Duration interval;
  private final Duration timeout;

  public DeploymentReadiness(KubernetesOps ops, Vertx vertx, Clock clock, Duration interval, Duration timeout) {
    this.ops = ops;
    this.vertx = vertx;
    this.clock = clock;
    this.interval = interval;
    this.timeout = timeout;
  }

  /** The Deployment once available with its current template. */
  public Future<JsonNode> awaitAvailable(String namespace, String name) {
    return poll(namespace, name, clock.instant().plus(timeout));
  }

  private Future<JsonNode> poll(String namespace, String name, Instant deadline) {
    return ops.get(ResourceKind.DEPLOYMENT, namespace, name)
        .compose(
            found -> {
              JsonNode deployment =
                  found.orElseThrow(
                      () -> new WorkloadException("Deployment " + namespace + "/" + name + " disappeared while iter8 waited for it"));
              if (isAvailable(deployment)) {
                return Future.succeededFuture(deployment);
              }
              if (!clock.instant().isBefore(deadline)) {
                return Future.failedFuture(
                    new WorkloadException(
                        "Deployment " + namespace + "/" + name + " did not become available with its new template within "
                            + timeout.toSeconds() + "s: " + progress(deployment)
                            + "; it is unpaused and rolling out, and the candidate Deployment still runs"));
              }
              return vertx.timer(interval.toMillis()).compose(t -> poll(namespace, name, deadline));
            });
  }

  static boolean isAvailable(JsonNode deployment) {
    long generation = deployment.at("/metadata/generation").asLong(0);
    long observed = deployment.at("/status/observedGeneration").asLong(-1);
    int replicas = deployment.at("/spec/replicas").asInt(1);
    int updated = deployment.at("/status/updatedReplicas").asInt(0);
    int available = deployment.at("/status/availableReplicas").asInt(0);
    return observed >= generation && updated == replicas && available == replicas;
  }

  private static String progress(JsonNode d) {
    return "observedGeneration " + d.at("/status/observedGeneration").asText("none") + " of generation "
        + d.at("/metadata/generation").asText("?") + ", " + d.at("/status/updatedReplicas").asInt(0) + " updated and "
        + d.at("/status/availableReplicas").asInt(0) + " available of " + d.at("/spec/replicas").asInt(1) + " replicas";
  }
}
