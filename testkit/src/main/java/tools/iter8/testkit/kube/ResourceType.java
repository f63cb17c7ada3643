package tools.iter8.testkit.kube;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What the emulated API server knows about one kind of resource: where it lives (group, version, plural), what it is
 * called (kind), and how it behaves (namespaced or cluster-scoped, with or without a status subresource).
 *
 * <p>A real API server learns this from its built-in types and from CRDs. The emulation needs it explicitly because the
 * underlying mock cannot derive a kind from a URL, cannot tell a status subresource from the main resource without
 * it, and has no discovery documents of its own; see {@link KubernetesApiEmulation#register(ResourceType)}.
 *
 * @param group             API group; the empty string for the core ("legacy") group served under {@code /api}
 * @param version           API version, for example {@code v1} or {@code v2alpha2}
 * @param plural            lower-case plural name used in URLs, for example {@code experiments}
 * @param kind              the {@code kind} of objects of this resource, for example {@code Experiment}
 * @param namespaced        whether objects live in a namespace
 * @param statusSubresource whether {@code .status} is written only through {@code /status}, as for a CRD with
 *                          {@code subresources.status} or for built-in workloads
 * @param shortNames        abbreviations kubectl accepts, such as {@code deploy}; discovery is their only source
 */
public record ResourceType(String group, String version, String plural, String kind, boolean namespaced,
                           boolean statusSubresource, List<String> shortNames) {

  /** Validates the names, because a typo here would surface much later as a puzzling 404 or 422. */
  public ResourceType {
    Objects.requireNonNull(group, "group (use \"\" for the core group)");
    requireText(version, "version");
    requireText(plural, "plural");
    requireText(kind, "kind");
    if (!plural.equals(plural.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("plural must be lower case: " + plural);
    }
    shortNames = List.copyOf(shortNames);
  }

  /** A resource type without short names. */
  public ResourceType(String group, String version, String plural, String kind, boolean namespaced,
                      boolean statusSubresource) {
    this(group, version, plural, kind, namespaced, statusSubresource, List.of());
  }

  /** The value of {@code apiVersion} in objects of this resource: {@code v1} or {@code group/version}. */
  public String apiVersion() {
    return isCore() ? version : group + "/" + version;
  }

  /** Whether this resource is in the core group, served under {@code /api} rather than {@code /apis}. */
  public boolean isCore() {
    return group.isEmpty();
  }

  /** The singular name as discovery reports it: the lower-cased kind. */
  public String singular() {
    return kind.toLowerCase(Locale.ROOT);
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }
}
