package tools.iter8.agent.routing;

import io.vertx.core.Future;
import java.util.EnumMap;
import java.util.Map;
import tools.iter8.agent.kube.KubernetesOps;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.ObjectReference;
import tools.iter8.core.api.Router;
import tools.iter8.core.api.Routing;
import tools.iter8.core.api.VersionDetail;

/**
 * Picks the router of an experiment: {@code spec.routing.router} when set; otherwise {@code FieldPath}
 * when any version has a {@code weightObjRef} (the original's samples), else the kind of {@code
 * spec.routing.objRef} (VirtualService → Istio, HTTPRoute → GatewayAPI), else the kind of {@code
 * spec.targetRef} (Deployment → Replicas, Knative Service → Knative, InferenceService → KServe).
 *
 * <p>Routers keep no per-experiment state, so one instance of each serves every experiment.
 */
public final class TrafficRouters {
  private final Map<Router, TrafficRouter> routers = new EnumMap<>(Router.class);

  public TrafficRouters(KubernetesOps ops) {
    ReplicaSets replicaSets = new ReplicaSets(ops);
    routers.put(Router.REPLICAS, new ReplicaRouter(ops));
    routers.put(Router.ISTIO, new IstioRouter(ops, replicaSets));
    routers.put(Router.GATEWAY_API, new GatewayApiRouter(ops));
    routers.put(Router.KNATIVE, new KnativeRouter(ops));
    routers.put(Router.KSERVE, new KServeRouter(ops));
    routers.put(Router.FIELD_PATH, new FieldPathRouter(ops, new ResourceKinds(ops)));
  }

  /**
   * The router for the experiment. When none applies, a router whose every call fails with the {@link
   * RoutingException} saying why: callers compose Futures and never see a synchronous throw.
   */
  public TrafficRouter forExperiment(Experiment experiment) {
    try {
      return routers.get(routerOf(experiment));
    } catch (RoutingException e) {
      return new Unroutable(e);
    }
  }

  /** The router of an experiment that does not say how to route. */
  private record Unroutable(RoutingException reason) implements TrafficRouter {
    @Override
    public Future<Map<String, Integer>> read(Experiment experiment) {
      return Future.failedFuture(reason);
    }

    @Override
    public Future<Void> apply(Experiment experiment, Map<String, Integer> weights) {
      return Future.failedFuture(reason);
    }
  }

  /** Which router an experiment uses (see the class comment). */
  public static Router routerOf(Experiment experiment) {
    Routing routing = Experiments.routing(experiment).orElse(null);
    if (routing != null && routing.router() != null) {
      return Router.parse(routing.router())
          .orElseThrow(
              () ->
                  new RoutingException(
                      "experiment " + Experiments.key(experiment) + ": unknown spec.routing.router \""
                          + routing.router() + "\"; expected one of " + Router.allowed()));
    }
    if (Experiments.versions(experiment).stream().map(VersionDetail::weightObjRef).anyMatch(r -> r != null)) {
      return Router.FIELD_PATH;
    }
    if (routing != null && routing.objRef() != null && routing.objRef().kind() != null) {
      switch (routing.objRef().kind()) {
        case "VirtualService":
          return Router.ISTIO;
        case "HTTPRoute":
          return Router.GATEWAY_API;
        default:
          break;
      }
    }
    ObjectReference target = experiment.spec().targetRef();
    if (target != null && target.kind() != null) {
      String group = target.apiVersion() == null ? "" : target.apiVersion().replaceFirst("/.*$", "");
      switch (target.kind()) {
        case "Deployment":
          return Router.REPLICAS;
        case "Service":
          if (group.equals("serving.knative.dev")) {
            return Router.KNATIVE;
          }
          break;
        case "InferenceService":
          return Router.KSERVE;
        default:
          break;
      }
    }
    throw new RoutingException(
        "experiment " + Experiments.key(experiment) + " does not say how to route traffic: set spec.routing.router,"
            + " weightObjRefs on the versions, or spec.targetRef to a Deployment, Knative Service or InferenceService");
  }
}
