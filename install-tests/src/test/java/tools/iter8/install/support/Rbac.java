package tools.iter8.install.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import tools.iter8.install.support.ApiAccess.Permission;

/**
 * What a rendering lets a ServiceAccount do: its RoleBindings and ClusterRoleBindings, the roles they refer
 * to, and the ClusterRoles an aggregated ClusterRole selects, expanded to one {@link Grant} per verb, group
 * and resource. Wildcards, non-resource URLs and selectors other than matchLabels are refused: the manifests
 * should not need them, and the checks could not reason about them.
 */
public final class Rbac {
  /**
   * One verb on one resource, in {@code namespace} ("" = every namespace), limited to {@code resourceNames}
   * when not empty, granted by {@code role}.
   */
  public record Grant(Permission permission, String namespace, Set<String> resourceNames, String role) {}

  private Rbac() {}

  public static boolean isSubject(JsonNode binding, String namespace, String serviceAccount) {
    for (JsonNode s : binding.path("subjects")) {
      String ns = s.path("namespace").asText(binding.at("/metadata/namespace").asText(""));
      if (s.path("kind").asText().equals("ServiceAccount") && s.path("name").asText().equals(serviceAccount)
          && ns.equals(namespace)) {
        return true;
      }
    }
    return false;
  }

  /** The bindings (RoleBinding, ClusterRoleBinding) whose subjects include the ServiceAccount. */
  public static List<K8sObject> bindingsOf(Rendering r, String namespace, String serviceAccount) {
    return r.objects().stream()
        .filter(o -> o.kind().equals("RoleBinding") || o.kind().equals("ClusterRoleBinding"))
        .filter(o -> isSubject(o.node(), namespace, serviceAccount))
        .toList();
  }

  public static List<Grant> grants(Rendering r, String namespace, String serviceAccount) {
    List<Grant> grants = new ArrayList<>();
    for (K8sObject binding : bindingsOf(r, namespace, serviceAccount)) {
      JsonNode ref = binding.at("/roleRef");
      String scope = binding.kind().equals("RoleBinding") ? binding.namespace() : "";
      String refKind = ref.path("kind").asText();
      String refName = ref.path("name").asText();
      if (!ref.path("apiGroup").asText().equals("rbac.authorization.k8s.io")) {
        throw new AssertionError(binding + " refers to a role outside rbac.authorization.k8s.io: " + ref);
      }
      K8sObject role = refKind.equals("Role")
          ? r.objects().stream().filter(o -> o.kind().equals("Role") && o.name().equals(refName)
              && o.namespace().equals(binding.namespace())).findFirst()
              .orElseThrow(() -> new AssertionError(binding + " refers to Role " + refName + ", which is not rendered"))
          : r.one("ClusterRole", refName);
      for (K8sObject source : aggregated(r, role)) {
        grants.addAll(expand(source, scope));
      }
    }
    return grants;
  }

  /** The role itself, or for an aggregated ClusterRole every ClusterRole its selectors match. */
  public static List<K8sObject> aggregated(Rendering r, K8sObject role) {
    JsonNode rule = role.at("/aggregationRule");
    if (rule.isMissingNode()) {
      return List.of(role);
    }
    if (role.node().has("rules") && !role.node().path("rules").isEmpty()) {
      throw new AssertionError(role + " is aggregated but also lists rules, which the controller would overwrite");
    }
    Set<K8sObject> selected = new LinkedHashSet<>();
    for (JsonNode selector : rule.path("clusterRoleSelectors")) {
      if (selector.has("matchExpressions")) {
        throw new AssertionError(role + ": only matchLabels selectors are supported by the checks");
      }
      Map<String, String> wanted = new java.util.HashMap<>();
      selector.path("matchLabels").properties().forEach(e -> wanted.put(e.getKey(), e.getValue().asText()));
      for (K8sObject candidate : r.all("ClusterRole")) {
        if (!candidate.equals(role) && candidate.labels().entrySet().containsAll(wanted.entrySet())) {
          if (candidate.node().has("aggregationRule")) {
            throw new AssertionError(role + " aggregates " + candidate + ", itself aggregated; keep one level");
          }
          selected.add(candidate);
        }
      }
    }
    return List.copyOf(selected);
  }

  private static List<Grant> expand(K8sObject role, String bindingScope) {
    String scope = role.kind().equals("Role") ? role.namespace() : bindingScope;
    List<Grant> grants = new ArrayList<>();
    for (JsonNode rule : role.node().path("rules")) {
      if (rule.has("nonResourceURLs")) {
        throw new AssertionError(role + " grants nonResourceURLs " + rule.path("nonResourceURLs"));
      }
      Set<String> names = texts(rule.path("resourceNames"));
      for (String group : texts(rule.path("apiGroups"))) {
        for (String resource : texts(rule.path("resources"))) {
          for (String verb : texts(rule.path("verbs"))) {
            if (group.equals("*") || resource.equals("*") || verb.equals("*")) {
              throw new AssertionError(role + " grants a wildcard: " + rule);
            }
            grants.add(new Grant(new Permission(verb, group, resource), scope, names, role.id()));
          }
        }
      }
    }
    return grants;
  }

  public static Set<Permission> permissions(List<Grant> grants) {
    return grants.stream().map(Grant::permission).collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> texts(JsonNode array) {
    Set<String> set = new LinkedHashSet<>();
    array.forEach(n -> set.add(n.asText()));
    return set;
  }
}
