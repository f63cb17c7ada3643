package tools.iter8.testkit.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Builds an {@code admission.k8s.io/v1} AdmissionReview request as kube-apiserver sends it: the same keys
 * in the same order, {@code oldObject: null} on CREATE and {@code object: null} on DELETE, {@code kind} and
 * {@code resource} with their {@code request*} twins, {@code userInfo}, {@code dryRun} and {@code options}
 * ({@code CreateOptions}, {@code UpdateOptions}, {@code PatchOptions} or {@code DeleteOptions}: a {@code
 * kubectl apply} or {@code helm upgrade} is a PATCH, which admission sees as operation UPDATE with
 * {@code PatchOptions}).
 *
 * <pre>{@code
 * String review = AdmissionReviewBuilder.update(live, applied).patch("helm").dryRun(true).toJson();
 * }</pre>
 */
public final class AdmissionReviewBuilder {
  /** The user kubeadm clusters give {@code kubectl}. */
  public static final String ADMIN = "kubernetes-admin";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final String operation;
  private final JsonNode object;
  private final JsonNode oldObject;
  private String uid = UUID.randomUUID().toString();
  private String group;
  private String version;
  private String kind;
  private String resource;
  private String subResource;
  private String name;
  private String namespace;
  private String username = ADMIN;
  private List<String> groups = List.of("kubeadm:cluster-admins", "system:authenticated");
  private boolean dryRun;
  private String optionsKind;
  private String fieldManager;

  private AdmissionReviewBuilder(String operation, JsonNode object, JsonNode oldObject) {
    this.operation = operation;
    this.object = object;
    this.oldObject = oldObject;
    JsonNode typed = object != null ? object : oldObject;
    String apiVersion = typed.path("apiVersion").asText("");
    int slash = apiVersion.indexOf('/');
    this.group = slash < 0 ? "" : apiVersion.substring(0, slash);
    this.version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
    this.kind = typed.path("kind").asText("");
    this.resource = ResourceNames.plural(group, kind);
    this.name = typed.path("metadata").path("name").asText("");
    this.namespace = typed.path("metadata").path("namespace").asText("");
    switch (operation) {
      case "CREATE" -> options("CreateOptions", "kubectl-client-side-apply");
      case "UPDATE" -> options("PatchOptions", "kubectl-client-side-apply");
      case "DELETE" -> options("DeleteOptions", null);
      default -> options(null, null);
    }
  }

  /** A CREATE of {@code object} (oldObject is null). */
  public static AdmissionReviewBuilder create(JsonNode object) {
    return new AdmissionReviewBuilder("CREATE", Objects.requireNonNull(object, "object"), null);
  }

  /** An UPDATE from {@code oldObject} (the stored object) to {@code object}; a PATCH by default. */
  public static AdmissionReviewBuilder update(JsonNode oldObject, JsonNode object) {
    return new AdmissionReviewBuilder(
        "UPDATE", Objects.requireNonNull(object, "object"), Objects.requireNonNull(oldObject, "oldObject"));
  }

  /** A DELETE of {@code oldObject} (object is null). */
  public static AdmissionReviewBuilder delete(JsonNode oldObject) {
    return new AdmissionReviewBuilder("DELETE", null, Objects.requireNonNull(oldObject, "oldObject"));
  }

  public AdmissionReviewBuilder uid(String value) {
    this.uid = value;
    return this;
  }

  public AdmissionReviewBuilder namespace(String value) {
    this.namespace = value;
    return this;
  }

  public AdmissionReviewBuilder name(String value) {
    this.name = value;
    return this;
  }

  /** Overrides the kind (and its resource name) taken from the object. */
  public AdmissionReviewBuilder kind(String newGroup, String newVersion, String newKind) {
    this.group = newGroup;
    this.version = newVersion;
    this.kind = newKind;
    this.resource = ResourceNames.plural(newGroup, newKind);
    return this;
  }

  /** A write to a subresource such as {@code status} or {@code scale}. */
  public AdmissionReviewBuilder subResource(String value) {
    this.subResource = value;
    return this;
  }

  public AdmissionReviewBuilder user(String newUsername, String... newGroups) {
    this.username = newUsername;
    this.groups = List.of(newGroups);
    return this;
  }

  /** The agent's service account, as the API server names it. */
  public AdmissionReviewBuilder serviceAccount(String saNamespace, String saName) {
    return user(
        "system:serviceaccount:" + saNamespace + ":" + saName,
        "system:serviceaccounts",
        "system:serviceaccounts:" + saNamespace,
        "system:authenticated");
  }

  /** {@code kubectl --dry-run=server} or a dry-run client: nothing is persisted. */
  public AdmissionReviewBuilder dryRun(boolean value) {
    this.dryRun = value;
    return this;
  }

  /** The UPDATE came as a PATCH ({@code kubectl apply}, {@code helm upgrade}, GitOps) by this field manager. */
  public AdmissionReviewBuilder patch(String manager) {
    return options("PatchOptions", manager);
  }

  /** The UPDATE came as a PUT ({@code kubectl replace}) by this field manager. */
  public AdmissionReviewBuilder put(String manager) {
    return options("UpdateOptions", manager);
  }

  private AdmissionReviewBuilder options(String kindOfOptions, String manager) {
    this.optionsKind = kindOfOptions;
    this.fieldManager = manager;
    return this;
  }

  /** The AdmissionReview as a JSON tree. */
  public ObjectNode build() {
    ObjectNode review = NODES.objectNode();
    review.put("kind", "AdmissionReview");
    review.put("apiVersion", "admission.k8s.io/v1");
    ObjectNode request = review.putObject("request");
    request.put("uid", uid);
    request.set("kind", gvk());
    request.set("resource", gvr());
    if (subResource != null) {
      request.put("subResource", subResource);
    }
    request.set("requestKind", gvk());
    request.set("requestResource", gvr());
    if (subResource != null) {
      request.put("requestSubResource", subResource);
    }
    if (!name.isEmpty()) {
      request.put("name", name);
    }
    if (!namespace.isEmpty()) {
      request.put("namespace", namespace);
    }
    request.put("operation", operation);
    ObjectNode userInfo = request.putObject("userInfo");
    userInfo.put("username", username);
    if (username.startsWith("system:serviceaccount:")) {
      userInfo.put("uid", UUID.nameUUIDFromBytes(username.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString());
    }
    ArrayNode g = userInfo.putArray("groups");
    groups.forEach(g::add);
    request.set("object", object == null ? NullNode.getInstance() : object.deepCopy());
    request.set("oldObject", oldObject == null ? NullNode.getInstance() : oldObject.deepCopy());
    request.put("dryRun", dryRun);
    if (optionsKind == null) {
      request.putNull("options");
    } else {
      ObjectNode options = request.putObject("options");
      options.put("kind", optionsKind);
      options.put("apiVersion", "meta.k8s.io/v1");
      if (dryRun) {
        options.putArray("dryRun").add("All");
      }
      if (fieldManager != null) {
        options.put("fieldManager", fieldManager);
      }
      if (optionsKind.equals("DeleteOptions")) {
        options.put("propagationPolicy", "Background");
      }
    }
    return review;
  }

  /** The AdmissionReview as the bytes of a request body. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(build());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public String uid() {
    return uid;
  }

  private ObjectNode gvk() {
    ObjectNode n = NODES.objectNode();
    n.put("group", group);
    n.put("version", version);
    n.put("kind", kind);
    return n;
  }

  private ObjectNode gvr() {
    ObjectNode n = NODES.objectNode();
    n.put("group", group);
    n.put("version", version);
    n.put("resource", resource);
    return n;
  }
}
