package tools.iter8.agent.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.Pair;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import okhttp3.Call;
import okhttp3.Response;
import okhttp3.ResponseBody;
import tools.iter8.core.api.ApiMapper;

/**
 * The agent's one blocking boundary (DESIGN §3): every Kubernetes API call runs here, on one named
 * worker pool, and comes back as a Vert.x {@link Future} of Jackson JSON, so the rest of the agent
 * never blocks an event loop and never sees Gson.
 *
 * <p>Calls go through client-java's {@link ApiClient} (so kubeconfig, in-cluster tokens and TLS are
 * handled as client-java does) but with raw JSON bodies, which keeps unknown fields of objects we do
 * not model. Writes are create, replace (with the resourceVersion read, so a concurrent change gives a
 * 409), status replace through the status subresource, JSON Patch and JSON merge patch — never
 * strategic merge or server-side apply (DESIGN §2.7).
 *
 * <p>Every (verb, resource) used is remembered in {@link #accessed()}, so tests can compare the RBAC
 * the manifests grant with what the code actually does.
 */
public final class KubernetesOps {
  public static final String JSON_PATCH = "application/json-patch+json";
  public static final String MERGE_PATCH = "application/merge-patch+json";
  /** The agent's User-Agent, so audit logs (and the RBAC tests) can tell its requests apart. */
  public static final String USER_AGENT = "iter8-agent";
  private static final String[] AUTH = {"BearerToken"};

  /** One permission the agent exercised: an RBAC verb on a resource of an API group. */
  public record Access(String verb, String group, String resource) {}

  private final ApiClient client;
  private final WorkerExecutor pool;
  private final Set<Access> accessed = ConcurrentHashMap.newKeySet();
  private final BooleanSupplier mayWrite;
  private final String userAgent;
  private volatile java.time.Duration requestTimeout = java.time.Duration.ofSeconds(15);

  public KubernetesOps(ApiClient client, WorkerExecutor pool) {
    this(client, pool, () -> true);
  }

  public KubernetesOps(ApiClient client, WorkerExecutor pool, BooleanSupplier mayWrite) {
    this(client, pool, mayWrite, USER_AGENT);
  }

  /**
   * @param mayWrite checked before every write: a replica that lost the leader lease must not change
   *     anything, even from a pass or task already under way
   */
  public KubernetesOps(ApiClient client, WorkerExecutor pool, BooleanSupplier mayWrite, String userAgent) {
    this.client = client;
    this.pool = pool;
    this.mayWrite = mayWrite;
    this.userAgent = userAgent;
  }

  /**
   * Bounds every call: the client's own read timeout is off (watches are long), so without this a
   * request to an API server that never answers would hold a worker forever instead of being retried.
   */
  public KubernetesOps withRequestTimeout(java.time.Duration timeout) {
    this.requestTimeout = timeout;
    return this;
  }

  public Set<Access> accessed() {
    return Set.copyOf(accessed);
  }

  /** The object, or empty when it does not exist. */
  public Future<Optional<JsonNode>> get(ResourceKind kind, String namespace, String name) {
    return blocking(
        () -> {
          try {
            return Optional.of(call("get", kind, "GET", kind.objectPath(namespace, name), List.of(), null, null));
          } catch (KubernetesApiException e) {
            if (e.isNotFound()) {
              return Optional.<JsonNode>empty();
            }
            throw e;
          }
        });
  }

  /** The items of a list, optionally filtered by a label selector; {@code namespace} null = all. */
  public Future<List<JsonNode>> list(ResourceKind kind, String namespace, String labelSelector) {
    return blocking(
        () -> {
          List<Pair> query = labelSelector == null ? List.of() : List.of(new Pair("labelSelector", labelSelector));
          JsonNode list = call("list", kind, "GET", kind.collectionPath(namespace), query, null, null);
          List<JsonNode> items = new ArrayList<>();
          list.path("items").forEach(items::add);
          return items;
        });
  }

  public Future<JsonNode> create(ResourceKind kind, String namespace, JsonNode object) {
    return blocking(() -> call("create", kind, "POST", kind.collectionPath(namespace), List.of(), object, null));
  }

  /** PUT of the whole object; its {@code metadata.resourceVersion} makes a concurrent change a 409. */
  public Future<JsonNode> replace(ResourceKind kind, String namespace, String name, JsonNode object) {
    return blocking(() -> call("update", kind, "PUT", kind.objectPath(namespace, name), List.of(), object, null));
  }

  /** PUT through the status subresource: only {@code .status} changes, {@code generation} does not. */
  public Future<JsonNode> replaceStatus(ResourceKind kind, String namespace, String name, JsonNode object) {
    return blocking(
        () -> call("update", kind.subresource("status"), "PUT", kind.objectPath(namespace, name) + "/status", List.of(), object, null));
  }

  /**
   * {@link #replaceStatus} of a model object, answered as the same model: the object is written straight to JSON
   * and the answer read straight into {@code type}, without the JSON trees in between (a status write is the
   * largest body a reconcile sends, and it sends two per iteration).
   */
  public <T> Future<T> replaceStatus(ResourceKind kind, String namespace, String name, Object object, Class<T> type) {
    return blocking(
        () -> {
          String text = exchange("update", kind.subresource("status"), "PUT", kind.objectPath(namespace, name) + "/status",
              List.of(), ApiMapper.json().writeValueAsBytes(object), null);
          return ApiMapper.json().readValue(text, type);
        });
  }

  public Future<JsonNode> jsonPatch(ResourceKind kind, String namespace, String name, ArrayNode ops) {
    return blocking(() -> call("patch", kind, "PATCH", kind.objectPath(namespace, name), List.of(), ops, JSON_PATCH));
  }

  public Future<JsonNode> mergePatch(ResourceKind kind, String namespace, String name, ObjectNode patch) {
    return blocking(() -> call("patch", kind, "PATCH", kind.objectPath(namespace, name), List.of(), patch, MERGE_PATCH));
  }

  /** Deletes the object; an object already gone counts as deleted. */
  public Future<Void> delete(ResourceKind kind, String namespace, String name) {
    return blocking(
        () -> {
          try {
            call("delete", kind, "DELETE", kind.objectPath(namespace, name), List.of(), null, null);
          } catch (KubernetesApiException e) {
            if (!e.isNotFound()) {
              throw e;
            }
          }
          return null;
        });
  }

  /**
   * The discovery document ({@code APIResourceList}) of one group version, e.g. {@code
   * networking.istio.io/v1beta1} or {@code v1}: which resources it serves, with their plurals and
   * scope. Needed to patch a {@code weightObjRef} of a kind the agent does not know. Discovery is open to
   * every authenticated client ({@code system:discovery}), so it is not recorded in {@link #accessed()}.
   */
  public Future<JsonNode> apiResources(String apiVersion) {
    String path = apiVersion.contains("/") ? "/apis/" + apiVersion : "/api/" + apiVersion;
    return blocking(() -> call("get", null, "GET", path, List.of(), null, null));
  }

  /** Whether the API server serves this kind (a cluster without Knative does not serve its Services). */
  public Future<Boolean> served(ResourceKind kind) {
    String path = kind.group().isEmpty() ? "/api/" + kind.version() : "/apis/" + kind.group() + "/" + kind.version();
    ResourceKind discovery = new ResourceKind(kind.group(), kind.version(), "", "APIResourceList", false);
    return blocking(() -> {
      try {
        JsonNode list = call("get", discovery, "GET", path, List.of(), null, null);
        for (JsonNode r : list.path("resources")) {
          if (kind.plural().equals(r.path("name").asText())) {
            return true;
          }
        }
        return false;
      } catch (KubernetesApiException e) {
        if (e.isNotFound()) {
          return false;
        }
        throw e;
      }
    });
  }

  private <T> Future<T> blocking(java.util.concurrent.Callable<T> call) {
    // Unordered: calls of different experiments must not queue behind each other.
    return pool.executeBlocking(call, false);
  }

  private JsonNode call(
      String verb, ResourceKind kind, String method, String path, List<Pair> query, JsonNode body, String contentType) {
    byte[] bytes = body == null ? null : ApiMapper.toJson(body).getBytes(StandardCharsets.UTF_8);
    String text = exchange(verb, kind, method, path, query, bytes, contentType);
    try {
      return text.isBlank() ? ApiMapper.json().createObjectNode() : ApiMapper.json().readTree(text);
    } catch (IOException e) {
      throw new KubernetesApiException(0, "Unreachable", method + " " + path + ": " + e.getMessage(), e);
    }
  }

  /** One request with a JSON body already serialized (or none); the answer's text, or the failure thrown. */
  private String exchange(
      String verb, ResourceKind kind, String method, String path, List<Pair> query, byte[] bytes, String contentType) {
    if (!"GET".equals(method) && !mayWrite.getAsBoolean()) {
      throw new KubernetesApiException(0, "NotLeader", method + " " + path + ": this replica is not the leader", null);
    }
    if (kind != null) {
      accessed.add(new Access(verb, kind.group(), kind.plural()));
    }
    Map<String, String> headers = new HashMap<>();
    headers.put("Accept", "application/json");
    headers.put("User-Agent", userAgent);
    if (bytes != null) {
      headers.put("Content-Type", contentType != null ? contentType : "application/json");
    }
    String where = method + " " + path;
    try {
      Call call =
          client.buildCall(
              client.getBasePath(), path, method, new ArrayList<>(query), new ArrayList<>(), bytes,
              headers, new HashMap<>(), new HashMap<>(), AUTH, null);
      call.timeout().timeout(requestTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      try (Response response = call.execute()) {
        ResponseBody rb = response.body();
        String text = rb == null ? "" : rb.string();
        if (!response.isSuccessful()) {
          throw failure(response.code(), text, where);
        }
        return text;
      }
    } catch (KubernetesApiException e) {
      throw e;
    } catch (IOException e) {
      throw new KubernetesApiException(0, "Unreachable", where + ": " + e.getMessage(), e);
    } catch (io.kubernetes.client.openapi.ApiException e) {
      throw new KubernetesApiException(e.getCode(), "ClientError", where + ": " + e.getMessage(), e);
    }
  }

  private static KubernetesApiException failure(int code, String body, String where) {
    String reason = "HTTP" + code;
    String message = body;
    try {
      JsonNode status = ApiMapper.json().readTree(body);
      reason = status.path("reason").asText(reason);
      message = status.path("message").asText(body);
    } catch (IOException | RuntimeException ignored) {
      // Not a Status body (a proxy in between, say): the raw text is the best message there is.
    }
    return new KubernetesApiException(code, reason, where + ": " + code + " " + reason + ": " + message, null);
  }
}
