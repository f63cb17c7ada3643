package tools.iter8.testkit.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/**
 * The objects kube-apiserver puts into an AdmissionReview, made from a manifest as a user renders it
 * ({@code kubectl create --dry-run=client -o json}, {@code kubectl kustomize}, {@code helm template}):
 * what a CREATE carries, what is stored afterwards (the next UPDATE's {@code oldObject}), and what a
 * {@code kubectl apply} or {@code helm upgrade} of a new rendering turns into (the UPDATE's {@code object}:
 * the change applied to the live object, so server fields, status and annotations the user did not
 * manage are still there).
 */
public final class ApiServerObjects {
  /** The time every test object was created at, so tests are deterministic. */
  public static final String CREATED = "2025-01-01T00:00:00Z";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ApiServerObjects() {}

  /** The object of a CREATE: the manifest in its namespace with the request's managed fields. */
  public static ObjectNode forCreate(JsonNode manifest, String namespace, String manager) {
    ObjectNode o = manifest.deepCopy();
    ObjectNode meta = metadata(o);
    meta.put("namespace", namespace);
    if (meta.path("creationTimestamp").isNull()) {
      meta.remove("creationTimestamp");
    }
    meta.set("managedFields", managedFields(o, manager, CREATED));
    return o;
  }

  /** The object as stored after a CREATE: uid, resourceVersion, generation 1 and a creation time. */
  public static ObjectNode persisted(JsonNode manifest, String namespace, String manager) {
    ObjectNode o = forCreate(manifest, namespace, manager);
    ObjectNode meta = metadata(o);
    String name = meta.path("name").asText();
    meta.put("uid", UUID.nameUUIDFromBytes((namespace + "/" + name).getBytes(StandardCharsets.UTF_8)).toString());
    meta.put("resourceVersion", "1001");
    meta.put("generation", 1);
    meta.put("creationTimestamp", CREATED);
    return reorderMetadata(o);
  }

  /**
   * The object of the UPDATE a {@code kubectl apply}, {@code helm upgrade} or GitOps sync of {@code
   * manifest} sends when {@code live} is stored: the manifest's spec, labels and annotations merged into
   * the live object. Annotations the user does not manage (those the webhook or the agent wrote) stay,
   * as a three-way merge keeps fields absent from both the last and the new manifest; so does
   * {@code spec.paused} or any spec field the manifest does not set.
   */
  public static ObjectNode applied(JsonNode live, JsonNode manifest) {
    ObjectNode o = live.deepCopy();
    ObjectNode meta = metadata(o);
    JsonNode newMeta = manifest.path("metadata");
    if (newMeta.has("labels")) {
      meta.set("labels", newMeta.path("labels").deepCopy());
    }
    if (newMeta.path("annotations").isObject()) {
      ObjectNode annotations = meta.path("annotations").isObject()
          ? (ObjectNode) meta.path("annotations")
          : meta.putObject("annotations");
      newMeta.path("annotations").properties().forEach(e -> annotations.set(e.getKey(), e.getValue().deepCopy()));
    }
    if (manifest.path("spec").isObject()) {
      merge(o.withObjectProperty("spec"), (ObjectNode) manifest.path("spec"));
    }
    return o;
  }

  /** {@code object} with {@code status} set, as a controller would have written it. */
  public static ObjectNode withStatus(JsonNode object, JsonNode status) {
    ObjectNode o = object.deepCopy();
    o.set("status", status.deepCopy());
    return o;
  }

  /** {@code object} with these annotations added (or replaced), e.g. state written by the agent. */
  public static ObjectNode withAnnotations(JsonNode object, Map<String, String> annotations) {
    ObjectNode o = object.deepCopy();
    ObjectNode meta = metadata(o);
    ObjectNode a = meta.path("annotations").isObject() ? (ObjectNode) meta.path("annotations") : meta.putObject("annotations");
    annotations.forEach(a::put);
    return o;
  }

  /** Objects replace objects key by key; lists and scalars replace wholesale, as a JSON merge patch does. */
  private static void merge(ObjectNode target, ObjectNode source) {
    for (Map.Entry<String, JsonNode> e : source.properties()) {
      JsonNode existing = target.get(e.getKey());
      if (existing instanceof ObjectNode t && e.getValue() instanceof ObjectNode s) {
        merge(t, s);
      } else {
        target.set(e.getKey(), e.getValue().deepCopy());
      }
    }
  }

  private static ObjectNode metadata(ObjectNode o) {
    if (!o.path("metadata").isObject()) {
      o.putObject("metadata");
    }
    return (ObjectNode) o.get("metadata");
  }

  private static ArrayNode managedFields(JsonNode o, String manager, String time) {
    ArrayNode list = NODES.arrayNode();
    ObjectNode entry = list.addObject();
    entry.put("manager", manager);
    entry.put("operation", "Update");
    entry.put("apiVersion", o.path("apiVersion").asText());
    entry.put("time", time);
    entry.put("fieldsType", "FieldsV1");
    entry.putObject("fieldsV1").putObject("f:spec");
    return list;
  }

  /** The API server's metadata key order, so test objects read like real ones. */
  private static ObjectNode reorderMetadata(ObjectNode o) {
    ObjectNode meta = metadata(o);
    ObjectNode ordered = NODES.objectNode();
    for (String key : new String[] {"name", "generateName", "namespace", "uid", "resourceVersion", "generation",
        "creationTimestamp", "labels", "annotations"}) {
      if (meta.has(key)) {
        ordered.set(key, meta.get(key));
      }
    }
    meta.properties().forEach(e -> {
      if (!ordered.has(e.getKey())) {
        ordered.set(e.getKey(), e.getValue());
      }
    });
    o.set("metadata", ordered);
    return o;
  }
}
