package tools.iter8.testkit.kube;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A Kubernetes API URL path taken apart: {@code /api/v1/...} or {@code /apis/group/version/...}, then optionally
 * {@code namespaces/ns}, a plural, a name and a subresource. A path that stops after the version (or the group) is a
 * discovery path.
 *
 * <p>One parser for all the fixes in {@link ApiServerDispatcher}, instead of one regular expression per fix.
 *
 * @param group       the API group, empty for the core group
 * @param version     the version, or null for {@code /apis/group}
 * @param namespace   the namespace, or null
 * @param plural      the resource, or null for a discovery path
 * @param name        the object name, or null for a collection
 * @param subresource for example {@code status}, or null
 */
record ResourcePath(String group, String version, String namespace, String plural, String name,
                    String subresource) {

  /** Parses a path without query string; empty if it is not under {@code /api} or {@code /apis}. */
  static Optional<ResourcePath> parse(String path) {
    List<String> segments = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    if (segments.size() < 2) {
      return Optional.empty();
    }
    String group;
    String version;
    List<String> rest;
    if (segments.get(0).equals("api")) {
      group = "";
      version = segments.get(1);
      rest = segments.subList(2, segments.size());
    } else if (segments.get(0).equals("apis")) {
      group = segments.get(1);
      version = segments.size() > 2 ? segments.get(2) : null;
      rest = segments.size() > 3 ? segments.subList(3, segments.size()) : List.of();
    } else {
      return Optional.empty();
    }
    String namespace = null;
    // "namespaces/x" is a namespace prefix only when a resource follows; "namespaces/x" alone is the Namespace x.
    if (rest.size() >= 3 && rest.get(0).equals("namespaces")) {
      namespace = rest.get(1);
      rest = rest.subList(2, rest.size());
    }
    if (rest.size() > 3) {
      return Optional.empty();
    }
    return Optional.of(new ResourcePath(group, version, namespace,
        rest.isEmpty() ? null : rest.get(0),
        rest.size() > 1 ? rest.get(1) : null,
        rest.size() > 2 ? rest.get(2) : null));
  }

  boolean isDiscovery() {
    return plural == null;
  }

  boolean isCore() {
    return group.isEmpty();
  }

  String apiVersion() {
    return isCore() ? version : group + "/" + version;
  }
}
