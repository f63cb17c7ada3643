package tools.iter8.agent.tasks;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.iter8.agent.kube.ResourceKind;

/**
 * Finds the {@link ResourceKind} a readiness {@code objRef} names, among the kinds the agent knows
 * ({@link ResourceKind#KNOWN}: no discovery, so the agent's RBAC stays what the manifests grant).
 *
 * <p>{@code kind} is read as {@code kubectl get} reads it, which is how the original's task passed it on:
 * {@code TYPE[.VERSION][.GROUP]}, where TYPE is the Kind ({@code Deployment}), its plural or singular
 * resource name ({@code deployments}, {@code deployment}) or a short name ({@code deploy}, {@code svc},
 * {@code ksvc}, {@code isvc}, {@code vs}), case-insensitive. Without a group, a name several groups share
 * resolves as kubectl does, to the core or first-listed group: {@code Service} is the core Service, a
 * Knative Service is {@code ksvc} or {@code services.serving.knative.dev}. An {@code apiVersion}, when
 * given (ours), picks the group and version and makes {@code kind} a plain Kind or resource name. A kind
 * outside the table is an error naming what is known.
 */
final class KindResolver {
  private static final Pattern VERSION = Pattern.compile("v[0-9]+((alpha|beta)[0-9]+)?");

  /** kubectl's short names of the kinds the agent knows, as {@code group/plural}. */
  private static final Map<String, String> SHORT_NAMES =
      Map.ofEntries(
          Map.entry("deploy", "apps/deployments"),
          Map.entry("rs", "apps/replicasets"),
          Map.entry("svc", "/services"),
          Map.entry("ksvc", "serving.knative.dev/services"),
          Map.entry("kservice", "serving.knative.dev/services"),
          Map.entry("isvc", "serving.kserve.io/inferenceservices"),
          Map.entry("vs", "networking.istio.io/virtualservices"),
          Map.entry("dr", "networking.istio.io/destinationrules"),
          Map.entry("ts", "split.smi-spec.io/trafficsplits"));

  private KindResolver() {}

  static ResourceKind resolve(String kind, String apiVersion, String at) {
    if (kind == null || kind.isBlank()) {
      throw new TaskException(at + ".kind is required");
    }
    if (apiVersion != null && !apiVersion.isBlank()) {
      String type = kind.strip();
      return ResourceKind.KNOWN.stream()
          .filter(k -> k.apiVersion().equals(apiVersion.strip()) && matches(k, type))
          .findFirst()
          .orElseThrow(() -> unknown(at, kind + " in " + apiVersion));
    }
    String[] parts = kind.strip().split("\\.", 2);
    String type = parts[0];
    Optional<String> version = Optional.empty();
    Optional<String> group = Optional.empty();
    if (parts.length > 1) {
      String[] rest = parts[1].split("\\.", 2);
      if (VERSION.matcher(rest[0]).matches() && rest.length > 1) {
        version = Optional.of(rest[0]);
        group = Optional.of(rest[1]);
      } else {
        group = Optional.of(parts[1]);
      }
    }
    Optional<String> v = version;
    Optional<String> g = group;
    return ResourceKind.KNOWN.stream()
        .filter(k -> matches(k, type))
        .filter(k -> g.map(k.group()::equals).orElse(true))
        .filter(k -> v.map(k.version()::equals).orElse(true))
        .findFirst()
        .orElseThrow(() -> unknown(at, kind));
  }

  private static boolean matches(ResourceKind k, String type) {
    String t = type.toLowerCase(Locale.ROOT);
    String shortName = SHORT_NAMES.get(t);
    return k.kind().equalsIgnoreCase(type)
        || k.plural().equals(t)
        || (shortName != null && shortName.equals(k.group() + "/" + k.plural()));
  }

  private static TaskException unknown(String at, String what) {
    List<String> known =
        ResourceKind.KNOWN.stream().map(ResourceKind::toString).distinct().collect(Collectors.toList());
    return new TaskException(
        at + ": unknown kind " + what + "; the agent knows " + String.join(", ", known)
            + " (as Kind, resource name or kubectl short name, optionally .version.group)");
  }
}
