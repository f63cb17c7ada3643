package tools.iter8.agent.routing;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import java.util.Map;
import tools.iter8.agent.kube.KubernetesOps;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.ObjectReference;

/**
 * Routes through the Gateway API HTTPRoute named by {@code spec.routing.objRef}: backendRef weights,
 * a {@code RequestMirror} filter for a DarkLaunch and a header-matching rule for request routing, all in
 * one JSON Patch per call (the rules are {@link HttpRoutePlan}'s). Each version needs its own backend
 * (a Service per version): an HTTPRoute has no subsets, so a generated Deployment experiment whose route
 * has a single backendRef cannot be split here (use {@code router: replicas} or Istio for those).
 */
public final class GatewayApiRouter implements TrafficRouter {
  private final KubernetesOps ops;

  public GatewayApiRouter(KubernetesOps ops) {
    this.ops = ops;
  }

  @Override
  public Future<Map<String, Integer>> read(Experiment experiment) {
    return Futures.safely(() -> httpRoute(experiment)).map(route -> new HttpRoutePlan(route, experiment).weights());
  }

  @Override
  public Future<Void> apply(Experiment experiment, Map<String, Integer> weights) {
    return Futures.safely(() -> httpRoute(experiment))
        .compose(
            route ->
                send(
                    experiment, route,
                    new HttpRoutePlan(route, experiment)
                        .apply(
                            Experiments.liveWeights(experiment, weights), Experiments.isDarkLaunch(experiment),
                            Experiments.match(experiment))));
  }

  @Override
  public Future<Void> cleanup(Experiment experiment, Map<String, Integer> weights) {
    return Futures.safely(() -> httpRoute(experiment))
        .compose(route -> send(experiment, route, new HttpRoutePlan(route, experiment).cleanup(Experiments.allWeights(experiment, weights))));
  }

  private Future<Void> send(Experiment experiment, JsonNode route, JsonPatch patch) {
    if (patch.isEmpty()) {
      return Future.succeededFuture();
    }
    return ops.jsonPatch(
            kindOf(Experiments.routingObject(experiment, "HTTPRoute")), route.at("/metadata/namespace").asText(),
            route.at("/metadata/name").asText(), patch.ops())
        .mapEmpty();
  }

  private Future<JsonNode> httpRoute(Experiment experiment) {
    ObjectReference ref = Experiments.routingObject(experiment, "HTTPRoute");
    String namespace = Experiments.namespaceOf(ref, experiment);
    return ops.get(kindOf(ref), namespace, ref.name())
        .map(
            found ->
                found.orElseThrow(
                    () ->
                        new RoutingException(
                            "HTTPRoute " + namespace + "/" + ref.name() + " (spec.routing.objRef of experiment "
                                + Experiments.key(experiment) + ") not found")));
  }



  /** The HTTPRoute resource of the ref's apiVersion; {@code gateway.networking.k8s.io/v1} by default. */
  static ResourceKind kindOf(ObjectReference ref) {
    if (ref.apiVersion() == null || ref.apiVersion().isEmpty()) {
      return ResourceKind.HTTP_ROUTE;
    }
    return ResourceKind.of(ref.apiVersion(), "HTTPRoute")
        .orElseGet(
            () -> {
              int slash = ref.apiVersion().indexOf('/');
              return new ResourceKind(
                  ref.apiVersion().substring(0, Math.max(slash, 0)), ref.apiVersion().substring(slash + 1),
                  "httproutes", "HTTPRoute", true);
            });
  }
}
