package tools.iter8.agent.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.iter8.agent.kube.KubernetesOps;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.ObjectReference;
import tools.iter8.core.api.VersionDetail;

/**
 * Splits traffic by replica count for plain Deployments behind one Service (no mesh): the Service
 * spreads requests over the ready pods of both, so the candidate's share is {@code k / (N + k)}.
 *
 * <p>The baseline is the {@code spec.targetRef} Deployment; its {@code spec.replicas} N is the user's and
 * is never changed, so Helm, kubectl and GitOps tools see no drift. The candidate is the Deployment
 * named by the candidate's {@code workload} variable; only its {@code spec.replicas} is patched (a JSON
 * merge patch). For a weight w the candidate gets the smallest k with {@code k / (N + k) ≥ w / 100}, so a
 * non-zero weight always gets at least one pod, capped at N: the candidate never runs more pods than the
 * baseline, which caps its share at 50% (generated experiments ask for {@code maxCandidateWeight: 50}).
 * The granularity is one pod: with N = 3, 10% becomes one pod, 25% of the traffic.
 *
 * <p>Read reports the share the replica counts ask for ({@code spec.replicas}), not the ready pods:
 * waiting for pods is the readiness task's job.
 */
public final class ReplicaRouter implements TrafficRouter {
  private final KubernetesOps ops;

  public ReplicaRouter(KubernetesOps ops) {
    this.ops = ops;
  }

  /** The two Deployments, as read. */
  private record Pair(VersionDetail baselineVersion, JsonNode baseline, VersionDetail candidateVersion, JsonNode candidate) {}

  @Override
  public Future<Map<String, Integer>> read(Experiment experiment) {
    return Futures.safely(() -> pair(experiment)).map(ReplicaRouter::weights);
  }

  @Override
  public Future<Void> apply(Experiment experiment, Map<String, Integer> weights) {
    return Futures.safely(() -> pair(experiment)).compose(p -> scale(experiment, p, weights));
  }

  /** The candidate's replicas for weight {@code w} next to {@code n} baseline replicas. */
  static int candidateReplicas(int n, int w) {
    if (w <= 0 || n <= 0) {
      return 0;
    }
    if (w >= 100) {
      return n;
    }
    // Smallest k with k / (n + k) >= w / 100, i.e. k >= w n / (100 - w), in integers.
    int k = (w * n + (100 - w) - 1) / (100 - w);
    return Math.min(k, n);
  }

  /** The candidate's share of traffic, in percent, with {@code k} of {@code n + k} pods. */
  static int candidateWeight(int n, int k) {
    if (n + k <= 0) {
      return 0;
    }
    return (int) Math.round(100.0 * k / (n + k));
  }

  private Future<Pair> pair(Experiment experiment) {
    ObjectReference target = Experiments.targetRef(experiment);
    if (!"Deployment".equals(target.kind())) {
      throw new RoutingException(
          "router Replicas splits traffic between Deployments; spec.targetRef of experiment "
              + Experiments.key(experiment) + " is a " + target.kind());
    }
    String namespace = Experiments.namespaceOf(target, experiment);
    VersionDetail baseline = Experiments.baseline(experiment);
    VersionDetail candidate = Experiments.onlyCandidate(experiment, "router Replicas");
    String candidateName = Experiments.requireVariable(experiment, candidate, "workload");
    Future<JsonNode> b = deployment(namespace, target.name(), "baseline", experiment);
    Future<JsonNode> c = deployment(namespace, candidateName, "candidate", experiment);
    return Future.all(b, c).map(all -> new Pair(baseline, b.result(), candidate, c.result()));
  }

  private Future<JsonNode> deployment(String namespace, String name, String role, Experiment experiment) {
    return ops.get(ResourceKind.DEPLOYMENT, namespace, name)
        .map(
            found ->
                found.orElseThrow(
                    () ->
                        new RoutingException(
                            "the " + role + " Deployment " + namespace + "/" + name + " of experiment "
                                + Experiments.key(experiment) + " does not exist")));
  }

  private static Map<String, Integer> weights(Pair p) {
    int candidate = candidateWeight(replicas(p.baseline()), replicas(p.candidate()));
    Map<String, Integer> weights = new LinkedHashMap<>();
    weights.put(p.baselineVersion().name(), 100 - candidate);
    weights.put(p.candidateVersion().name(), candidate);
    return weights;
  }

  private Future<Void> scale(Experiment experiment, Pair p, Map<String, Integer> weights) {
    int k = candidateReplicas(replicas(p.baseline()), Experiments.weight(experiment, weights, p.candidateVersion().name()));
    if (p.candidate().at("/spec/replicas").isInt() && replicas(p.candidate()) == k) {
      return Future.succeededFuture();
    }
    ObjectNode patch = ApiMapper.json().createObjectNode();
    patch.putObject("spec").put("replicas", k);
    JsonNode meta = p.candidate().path("metadata");
    return ops.mergePatch(ResourceKind.DEPLOYMENT, meta.path("namespace").asText(), meta.path("name").asText(), patch)
        .mapEmpty();
  }

  /** {@code spec.replicas}, which Kubernetes defaults to 1. */
  private static int replicas(JsonNode deployment) {
    return deployment.path("spec").path("replicas").asInt(1);
  }
}
