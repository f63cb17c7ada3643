package tools.iter8.testkit.admission;

import java.util.Locale;
import java.util.Map;

/** The URL resource names (plurals) of the kinds the tests send, as discovery would report them. */
final class ResourceNames {
  private static final Map<String, String> PLURALS =
      Map.ofEntries(
          Map.entry("apps/Deployment", "deployments"),
          Map.entry("apps/ReplicaSet", "replicasets"),
          Map.entry("serving.knative.dev/Service", "services"),
          Map.entry("serving.kserve.io/InferenceService", "inferenceservices"),
          Map.entry("iter8.tools/Experiment", "experiments"),
          Map.entry("iter8.tools/Metric", "metrics"),
          Map.entry("/Service", "services"),
          Map.entry("/Pod", "pods"),
          Map.entry("/ConfigMap", "configmaps"),
          Map.entry("/Secret", "secrets"),
          Map.entry("networking.istio.io/VirtualService", "virtualservices"),
          Map.entry("gateway.networking.k8s.io/HTTPRoute", "httproutes"));

  private ResourceNames() {}

  static String plural(String group, String kind) {
    String known = PLURALS.get(group + "/" + kind);
    return known != null ? known : kind.toLowerCase(Locale.ROOT) + "s";
  }
}
