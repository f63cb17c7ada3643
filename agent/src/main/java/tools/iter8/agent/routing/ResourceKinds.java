package tools.iter8.agent.routing;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import tools.iter8.agent.kube.KubernetesApiException;
import tools.iter8.agent.kube.KubernetesOps;
import tools.iter8.agent.kube.ResourceKind;

/**
 * Finds the REST resource of an {@code apiVersion} and {@code kind}: from {@link ResourceKind#KNOWN}, else
 * from the group version's discovery document (the original used a RESTMapper the same way), so a
 * {@code weightObjRef} may name any kind the cluster serves, e.g. an SMI TrafficSplit of another version.
 *
 * <p>Discovered kinds are cached for the life of the agent: a served resource does not change plural or
 * scope. Failures are not cached, so a CRD installed later is found on the next try.
 */
public final class ResourceKinds {
  private final KubernetesOps ops;
  private final Map<String, ResourceKind> discovered = new ConcurrentHashMap<>();

  public ResourceKinds(KubernetesOps ops) {
    this.ops = ops;
  }

  public Future<ResourceKind> resolve(String apiVersion, String kind) {
    Optional<ResourceKind> known = ResourceKind.of(apiVersion, kind);
    if (known.isPresent()) {
      return Future.succeededFuture(known.get());
    }
    ResourceKind cached = discovered.get(apiVersion + "|" + kind);
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    return ops.apiResources(apiVersion)
        .recover(e -> Future.failedFuture(notServed(apiVersion, e)))
        .map(list -> find(list, apiVersion, kind))
        .onSuccess(k -> discovered.put(apiVersion + "|" + kind, k));
  }

  private static Throwable notServed(String apiVersion, Throwable e) {
    if (e instanceof KubernetesApiException k && k.isNotFound()) {
      return new RoutingException("the API server does not serve " + apiVersion + " (is its CRD installed?)");
    }
    return e;
  }

  private static ResourceKind find(JsonNode resourceList, String apiVersion, String kind) {
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    String version = apiVersion.substring(slash + 1);
    for (JsonNode r : resourceList.path("resources")) {
      String plural = r.path("name").asText("");
      // Subresources (deployments/status) share the kind; only the resource itself is patched.
      if (kind.equals(r.path("kind").asText()) && !plural.isEmpty() && !plural.contains("/")) {
        return new ResourceKind(group, version, plural, kind, r.path("namespaced").asBoolean(true));
      }
    }
    throw new RoutingException("the API server serves no kind " + kind + " in " + apiVersion);
  }
}
