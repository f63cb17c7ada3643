package tools.iter8.testkit.kube;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The emulation's single source of truth about resource types: the built-in list (the resources iter8 touches) plus
 * whatever callers or CRD creations add. Discovery, the plural-to-kind mapping and the mock's status-subresource
 * handling are all derived from it, so they cannot disagree.
 *
 * <p>Thread-safe: registration may happen while requests are served.
 */
final class ResourceRegistry {

  /**
   * Registered at start. Status subresources follow real clusters (including pods, services and Istio's CRDs), so code
   * that writes {@code .status} the wrong way fails here as it would there. Namespaces are the exception: the mock
   * parses {@code /api/v1/namespaces/x/status} as a namespaced resource called "status". iter8's own resources come
   * first because discovery lists groups in registration order.
   */
  static final List<ResourceType> BUILT_IN = List.of(
      new ResourceType("iter8.tools", "v2alpha2", "experiments", "Experiment", true, true),
      new ResourceType("iter8.tools", "v2alpha2", "metrics", "Metric", true, false),
      new ResourceType("", "v1", "namespaces", "Namespace", false, false, List.of("ns")),
      new ResourceType("", "v1", "services", "Service", true, true, List.of("svc")),
      new ResourceType("", "v1", "pods", "Pod", true, true, List.of("po")),
      new ResourceType("", "v1", "secrets", "Secret", true, false),
      new ResourceType("", "v1", "configmaps", "ConfigMap", true, false, List.of("cm")),
      new ResourceType("", "v1", "events", "Event", true, false, List.of("ev")),
      new ResourceType("apps", "v1", "deployments", "Deployment", true, true, List.of("deploy")),
      new ResourceType("apps", "v1", "replicasets", "ReplicaSet", true, true, List.of("rs")),
      new ResourceType("coordination.k8s.io", "v1", "leases", "Lease", true, false),
      new ResourceType("events.k8s.io", "v1", "events", "Event", true, false, List.of("ev")),
      new ResourceType("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition",
          false, true, List.of("crd", "crds")),
      new ResourceType("serving.knative.dev", "v1", "services", "Service", true, true,
          List.of("kservice", "ksvc")),
      new ResourceType("serving.kserve.io", "v1beta1", "inferenceservices", "InferenceService", true, true,
          List.of("isvc")),
      new ResourceType("networking.istio.io", "v1beta1", "virtualservices", "VirtualService", true, true,
          List.of("vs")),
      new ResourceType("networking.istio.io", "v1beta1", "destinationrules", "DestinationRule", true, true,
          List.of("dr")),
      new ResourceType("gateway.networking.k8s.io", "v1", "httproutes", "HTTPRoute", true, true));

  private final Map<String, ResourceType> byKey = new LinkedHashMap<>();

  ResourceRegistry() {
    BUILT_IN.forEach(this::register);
  }

  /** Adds a type, or replaces the one with the same group, version and plural. */
  synchronized void register(ResourceType type) {
    byKey.put(key(type.group(), type.version(), type.plural()), type);
  }

  synchronized void unregister(String group, String version, String plural) {
    byKey.remove(key(group, version, plural));
  }

  synchronized Optional<ResourceType> find(String group, String version, String plural) {
    return Optional.ofNullable(byKey.get(key(group, version, plural)));
  }

  /** A snapshot, in registration order. */
  synchronized List<ResourceType> all() {
    return new ArrayList<>(byKey.values());
  }

  /**
   * The kind for a URL's resource: the registered one, or else a guess from the plural ({@code widgets} becomes
   * {@code Widget}). The guess cannot know camel case ({@code virtualservices} would become {@code Virtualservice}),
   * which is why resources used through typed clients that leave {@code kind} unset should be registered.
   */
  String kindFor(String group, String version, String plural) {
    return find(group, version, plural).map(ResourceType::kind).orElseGet(() -> guessKind(plural));
  }

  private static String guessKind(String plural) {
    String singular;
    if (plural.endsWith("ies")) {
      singular = plural.substring(0, plural.length() - 3) + "y";
    } else if (plural.endsWith("sses") || plural.endsWith("xes") || plural.endsWith("ches")
        || plural.endsWith("shes")) {
      singular = plural.substring(0, plural.length() - 2);
    } else if (plural.endsWith("s")) {
      singular = plural.substring(0, plural.length() - 1);
    } else {
      singular = plural;
    }
    if (singular.isEmpty()) {
      singular = plural;
    }
    return singular.substring(0, 1).toUpperCase(Locale.ROOT) + singular.substring(1);
  }

  private static String key(String group, String version, String plural) {
    return group + "/" + version + "/" + plural;
  }
}
