package tools.iter8.testkit.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The legacy (unaggregated) discovery documents: {@code /api}, {@code /apis}, {@code /apis/<group>},
 * {@code /api/v1} and {@code /apis/<group>/<version>}, rendered from the {@link ResourceRegistry} on every request.
 *
 * <p>kubectl resolves every resource name through discovery before it sends a request, and the mock serves none of
 * these documents correctly (it answers {@code /api} with a list of every stored object). Rendering them from the
 * registry rather than stubbing each group keeps them in step with runtime registrations and CRD creations. kubectl
 * asks for aggregated discovery first and falls back to these documents when it receives plain JSON.
 */
final class DiscoveryDocuments {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
  private static final List<String> STATUS_VERBS = List.of("get", "patch", "update");

  private final ResourceRegistry registry;

  DiscoveryDocuments(ResourceRegistry registry) {
    this.registry = registry;
  }

  /**
   * The document for a discovery path, or empty when the path names a group or version nobody registered (a real API
   * server answers 404 there too).
   */
  Optional<String> render(ResourcePath path) {
    if (path.version() == null) {
      return apiGroup(path.group()).map(DiscoveryDocuments::write);
    }
    return apiResourceList(path.group(), path.version()).map(DiscoveryDocuments::write);
  }

  /** {@code /api}: the core group's versions. */
  String apiVersions() {
    ObjectNode doc = JSON.createObjectNode().put("kind", "APIVersions");
    ArrayNode versions = doc.putArray("versions");
    versionsByGroup().getOrDefault("", Set.of()).forEach(versions::add);
    doc.putArray("serverAddressByClientCIDRs");
    return write(doc);
  }

  /** {@code /apis}: every named group with its versions, the first registered version preferred. */
  String apiGroupList() {
    ObjectNode doc = JSON.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
    ArrayNode groups = doc.putArray("groups");
    versionsByGroup().forEach((group, versions) -> {
      if (!group.isEmpty()) {
        groups.add(group(group, versions));
      }
    });
    return write(doc);
  }

  private Optional<JsonNode> apiGroup(String group) {
    Set<String> versions = versionsByGroup().get(group);
    if (group.isEmpty() || versions == null) {
      return Optional.empty();
    }
    return Optional.of(group(group, versions).put("kind", "APIGroup").put("apiVersion", "v1"));
  }

  private Optional<JsonNode> apiResourceList(String group, String version) {
    List<ResourceType> types = registry.all().stream()
        .filter(t -> t.group().equals(group) && t.version().equals(version))
        .toList();
    if (types.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode doc = JSON.createObjectNode()
        .put("kind", "APIResourceList")
        .put("apiVersion", "v1")
        .put("groupVersion", types.get(0).apiVersion());
    ArrayNode resources = doc.putArray("resources");
    for (ResourceType type : types) {
      ObjectNode resource = resources.addObject()
          .put("name", type.plural())
          .put("singularName", type.singular())
          .put("namespaced", type.namespaced())
          .put("kind", type.kind());
      VERBS.forEach(resource.putArray("verbs")::add);
      if (!type.shortNames().isEmpty()) {
        type.shortNames().forEach(resource.putArray("shortNames")::add);
      }
      if (type.statusSubresource()) {
        ObjectNode status = resources.addObject()
            .put("name", type.plural() + "/status")
            .put("singularName", "")
            .put("namespaced", type.namespaced())
            .put("kind", type.kind());
        STATUS_VERBS.forEach(status.putArray("verbs")::add);
      }
    }
    return Optional.of(doc);
  }

  private static ObjectNode group(String group, Set<String> versions) {
    ObjectNode node = JSON.createObjectNode().put("name", group);
    ArrayNode list = node.putArray("versions");
    versions.forEach(v -> list.addObject().put("groupVersion", group + "/" + v).put("version", v));
    String preferred = versions.iterator().next();
    node.putObject("preferredVersion").put("groupVersion", group + "/" + preferred).put("version", preferred);
    return node;
  }

  private Map<String, Set<String>> versionsByGroup() {
    Map<String, Set<String>> result = new LinkedHashMap<>();
    registry.all().forEach(t -> result.computeIfAbsent(t.group(), g -> new LinkedHashSet<>()).add(t.version()));
    return result;
  }

  private static String write(JsonNode doc) {
    try {
      return JSON.writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
