package tools.iter8.agent.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import tools.iter8.agent.kube.KubernetesOps;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.HttpCookie;
import tools.iter8.core.api.ObjectReference;
import tools.iter8.core.api.StickySessions;
import tools.iter8.core.api.VersionDetail;
import tools.iter8.core.workload.WorkloadKeys;

/**
 * Routes through the Istio VirtualService named by {@code spec.routing.objRef}: weights, DarkLaunch
 * mirroring and request routing on the VirtualService (what changes there is {@link
 * VirtualServicePlan}'s job), plus the DestinationRules the experiment needs.
 *
 * <p><b>Sticky sessions</b> ({@code spec.routing.sticky}): a DestinationRule {@code <experiment>-sticky}
 * for the route's host with {@code trafficPolicy.loadBalancer.consistentHash} by header or cookie (a
 * cookie without {@code ttl} gets {@code 0s}, a session cookie Envoy generates), owned by the Experiment.
 * Istio hashes within a destination's endpoints, so this keeps a user on one pod of a version; it does
 * not pin a user to a version across weighted destinations, which {@code match} does.
 *
 * <p><b>Managed subsets</b> (a generated Deployment experiment whose route has one destination): a
 * DestinationRule {@code <workload>-iter8} for that host with subsets named after the versions: the
 * baseline's selects {@code pod-template-hash} of the ReplicaSet running the baseline template (a paused
 * Deployment keeps it), the candidate's selects {@code iter8.tools/version: candidate}. Sticky sessions
 * then go into this rule's {@code trafficPolicy} rather than a second rule for the same host, which Istio
 * would not merge. The rule is written before the VirtualService refers to it, and deleted after the
 * route is restored, so no request meets an unknown subset. The router also starts the candidate: the
 * Deployment handler creates it with 0 replicas (its pods would otherwise get traffic through the Service
 * before the route can tell them apart), and once the subsets exist the router gives it the baseline's
 * replica count. Until the candidate has an available pod, live traffic stays on the baseline and no
 * match route is installed (a subset without endpoints would answer 503); the weights read back say so.
 *
 * <p>Cleanup removes the mirror and the match route, restores the user's route (managed subsets), and
 * deletes the rules this experiment owns (by label).
 */
public final class IstioRouter implements TrafficRouter {
  private final KubernetesOps ops;
  private final ReplicaSets replicaSets;
  private final DestinationRules rules;

  public IstioRouter(KubernetesOps ops, ReplicaSets replicaSets) {
    this.ops = ops;
    this.replicaSets = replicaSets;
    this.rules = new DestinationRules(ops);
  }

  /**
   * The VirtualService as read and what is known about applying to it; {@code candidateLive} is false
   * while a managed candidate has no available pod.
   */
  private record Step(
      Experiment experiment, ResourceKind kind, JsonNode vs, VirtualServicePlan plan, Map<String, Integer> weights,
      boolean candidateLive) {
    String namespace() {
      return vs.at("/metadata/namespace").asText();
    }

    String name() {
      return vs.at("/metadata/name").asText();
    }

    Step withCandidateLive(boolean live) {
      return new Step(experiment, kind, vs, plan, weights, live);
    }

    /** With a candidate that cannot serve yet, everything stays on the baseline and nothing is matched to it. */
    JsonPatch applyPatch() {
      return plan.apply(
          candidateLive ? Experiments.liveWeights(experiment, weights) : Experiments.baselineOnly(experiment),
          Experiments.isDarkLaunch(experiment),
          candidateLive ? Experiments.match(experiment) : List.of());
    }
  }

  /** The baseline Deployment and the pod-template-hash of its serving ReplicaSet. */
  private record Baseline(JsonNode deployment, String podTemplateHash) {}

  @Override
  public Future<Map<String, Integer>> read(Experiment experiment) {
    return Futures.safely(() -> virtualService(experiment)).map(vs -> new VirtualServicePlan(vs, experiment).weights());
  }

  @Override
  public Future<Void> apply(Experiment experiment, Map<String, Integer> weights) {
    return Futures.safely(() -> virtualService(experiment))
        .map(vs -> step(experiment, vs, weights))
        .compose(this::managedSubsets)
        .compose(step -> send(step, step.applyPatch()).map(step))
        .compose(this::sticky);
  }

  @Override
  public Future<Void> cleanup(Experiment experiment, Map<String, Integer> weights) {
    return Futures.safely(() -> virtualService(experiment))
        .map(vs -> step(experiment, vs, weights))
        .compose(step -> send(step, step.plan().cleanup(step.weights())).map(step))
        .compose(step -> rules.deleteIfOwned(step.namespace(), stickyRuleName(experiment), experiment).map(step))
        .compose(
            step ->
                step.plan().restoresOriginalRoute()
                    ? rules.deleteIfOwned(step.namespace(), subsetRuleName(experiment), experiment)
                    : Future.<Void>succeededFuture());
  }

  private static Step step(Experiment experiment, JsonNode vs, Map<String, Integer> weights) {
    // Plan and weights are checked before the first write.
    return new Step(
        experiment, kindOf(Experiments.routingObject(experiment, "VirtualService")), vs,
        new VirtualServicePlan(vs, experiment), Experiments.allWeights(experiment, weights), true);
  }

  private Future<Void> send(Step step, JsonPatch patch) {
    if (patch.isEmpty()) {
      return Future.succeededFuture();
    }
    return ops.jsonPatch(step.kind(), step.namespace(), step.name(), patch.ops()).mapEmpty();
  }

  /**
   * For a generated Deployment experiment whose route has one destination: the subsets rule, then the
   * candidate's pods (see the class comment). Other experiments pass unchanged.
   */
  private Future<Step> managedSubsets(Step step) {
    if (!step.plan().managesSubsets()) {
      return Future.succeededFuture(step);
    }
    Experiment experiment = step.experiment();
    ObjectReference target = Experiments.targetRef(experiment);
    String namespace = Experiments.namespaceOf(target, experiment);
    return deployment(namespace, target.name(), experiment)
        .compose(d -> baselinePodTemplateHash(experiment, d).map(hash -> new Baseline(d, hash)))
        .compose(
            b ->
                rules.ensure(step.namespace(), subsetRuleName(experiment), subsetRule(step, b.podTemplateHash()), experiment, false)
                    .map(b))
        .compose(b -> startCandidate(experiment, b.deployment()))
        .map(step::withCandidateLive);
  }

  /**
   * Whether the candidate Deployment can take live traffic: it exists and has an available pod. A
   * candidate still at 0 replicas is started with the baseline's replica count now that the route can
   * tell its pods apart, so it never receives traffic through the Service before the split.
   */
  private Future<Boolean> startCandidate(Experiment experiment, JsonNode baseline) {
    String namespace = baseline.at("/metadata/namespace").asText();
    String name = Experiments.requireVariable(experiment, Experiments.candidates(experiment).get(0), "workload");
    int replicas = baseline.at("/spec/replicas").asInt(1);
    return ops.get(ResourceKind.DEPLOYMENT, namespace, name)
        .compose(
            found -> {
              if (found.isEmpty()) {
                return Future.succeededFuture(false);
              }
              JsonNode candidate = found.get();
              if (candidate.at("/spec/replicas").asInt(1) == 0 && replicas > 0) {
                ObjectNode patch = ApiMapper.json().createObjectNode();
                patch.putObject("spec").put("replicas", replicas);
                return ops.mergePatch(ResourceKind.DEPLOYMENT, namespace, name, patch).map(false);
              }
              return Future.succeededFuture(candidate.at("/status/availableReplicas").asInt(0) > 0);
            });
  }

  private Future<JsonNode> deployment(String namespace, String name, Experiment experiment) {
    return ops.get(ResourceKind.DEPLOYMENT, namespace, name)
        .map(
            found ->
                found.orElseThrow(
                    () ->
                        new RoutingException(
                            "Deployment " + namespace + "/" + name + " (spec.targetRef of experiment "
                                + Experiments.key(experiment) + ") not found")));
  }

  private Future<String> baselinePodTemplateHash(Experiment experiment, JsonNode deployment) {
    VersionDetail baseline = Experiments.baseline(experiment);
    String hash =
        Experiments.variable(baseline, "hash")
            .orElseGet(() -> deployment.at("/metadata/annotations").path(WorkloadKeys.BASELINE_HASH).asText(""));
    String where = "Deployment " + deployment.at("/metadata/namespace").asText() + "/" + deployment.at("/metadata/name").asText();
    if (hash.isEmpty()) {
      throw new RoutingException(
          where + ": no baseline template hash (variable hash of version " + baseline.name() + " or annotation "
              + WorkloadKeys.BASELINE_HASH + ") to find the baseline's pods by");
    }
    return replicaSets.withTemplateHash(deployment, hash)
        .map(
            rs ->
                rs.map(r -> r.at("/metadata/labels").path(ReplicaSets.POD_TEMPLATE_HASH).asText(""))
                    .filter(h -> !h.isEmpty())
                    .orElseThrow(
                        () ->
                            new RoutingException(
                                where + " has no ReplicaSet with a pod-template-hash running the baseline template "
                                    + hash + ", so the Istio subset of version " + baseline.name()
                                    + " cannot select its pods")));
  }

  private static ObjectNode subsetRule(Step step, String podTemplateHash) {
    Experiment experiment = step.experiment();
    ObjectNode spec = ApiMapper.json().createObjectNode().put("host", step.plan().host());
    var subsets = spec.putArray("subsets");
    subsets.addObject()
        .put("name", Experiments.baseline(experiment).name())
        .putObject("labels")
        .put(ReplicaSets.POD_TEMPLATE_HASH, podTemplateHash);
    subsets.addObject()
        .put("name", Experiments.candidates(experiment).get(0).name())
        .putObject("labels")
        .put(CandidatePods.VERSION_LABEL, CandidatePods.CANDIDATE);
    Experiments.sticky(experiment).ifPresent(s -> spec.set("trafficPolicy", trafficPolicy(s)));
    return spec;
  }

  /** The sticky-session DestinationRule, unless the subsets rule carries the policy. */
  private Future<Void> sticky(Step step) {
    Experiment experiment = step.experiment();
    if (step.plan().managesSubsets() || Experiments.sticky(experiment).isEmpty()) {
      return Future.succeededFuture();
    }
    ObjectNode spec = ApiMapper.json().createObjectNode().put("host", step.plan().host());
    spec.set("trafficPolicy", trafficPolicy(Experiments.sticky(experiment).get()));
    return rules.ensure(step.namespace(), stickyRuleName(experiment), spec, experiment, true);
  }

  static ObjectNode trafficPolicy(StickySessions sticky) {
    ObjectNode policy = ApiMapper.json().createObjectNode();
    ObjectNode hash = policy.putObject("loadBalancer").putObject("consistentHash");
    if (sticky.httpHeaderName() != null) {
      hash.put("httpHeaderName", sticky.httpHeaderName());
    } else {
      HttpCookie c = sticky.httpCookie();
      ObjectNode cookie = hash.putObject("httpCookie").put("name", c.name());
      if (c.path() != null) {
        cookie.put("path", c.path());
      }
      cookie.put("ttl", c.ttl() != null ? c.ttl() : "0s");
    }
    return policy;
  }

  static String stickyRuleName(Experiment experiment) {
    return Experiments.name(experiment) + "-sticky";
  }

  static String subsetRuleName(Experiment experiment) {
    return Experiments.targetRef(experiment).name() + "-iter8";
  }



  private Future<JsonNode> virtualService(Experiment experiment) {
    ObjectReference ref = Experiments.routingObject(experiment, "VirtualService");
    String namespace = Experiments.namespaceOf(ref, experiment);
    return ops.get(kindOf(ref), namespace, ref.name())
        .map(
            found ->
                found.orElseThrow(
                    () ->
                        new RoutingException(
                            "VirtualService " + namespace + "/" + ref.name() + " (spec.routing.objRef of experiment "
                                + Experiments.key(experiment) + ") not found")));
  }

  /** The VirtualService resource of the ref's apiVersion; v1beta1, served by every supported Istio, by default. */
  static ResourceKind kindOf(ObjectReference ref) {
    if (ref.apiVersion() == null || ref.apiVersion().isEmpty()) {
      return ResourceKind.VIRTUAL_SERVICE;
    }
    return ResourceKind.of(ref.apiVersion(), "VirtualService")
        .orElseGet(
            () -> {
              int slash = ref.apiVersion().indexOf('/');
              return new ResourceKind(
                  ref.apiVersion().substring(0, Math.max(slash, 0)), ref.apiVersion().substring(slash + 1),
                  "virtualservices", "VirtualService", true);
            });
  }
}
