package tools.iter8.testkit.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The fabric8 CRUD dispatcher, corrected where it differs from a real API server in ways client-java, kubectl or a
 * controller notice. Each fix is a method below; in request order:
 * <ol>
 *   <li>Discovery, {@code /openapi/*} and health endpoints are answered from the {@link ResourceRegistry}.</li>
 *   <li>The query string keeps only what the mock interprets ({@code labelSelector}, {@code fieldSelector},
 *       {@code watch}). kubectl's {@code ?timeout=32s} would defeat the mock's exact-path stubs, and any query string
 *       turns a {@code /status} write into a main-resource write that drops {@code .status}.</li>
 *   <li>Core-group paths get a selector excluding objects of other groups: the mock ignores the group when a URL has
 *       none, so {@code /api/v1/services} would otherwise also return (and collide with) Knative Services.</li>
 *   <li>{@code dryRun} writes are refused: the mock would persist them. Protobuf bodies, strategic merge patches and
 *       server-side apply, which the mock cannot handle, get a 415 that says so.</li>
 *   <li>{@code apiVersion} and {@code kind} are filled in from the URL (the mock answers 422 without them, and typed
 *       client-java models and {@code LeaseLock} leave them unset), and {@code generateName} gets the random suffix the
 *       mock does not add.</li>
 *   <li>A {@code /status} PUT with a stale {@code resourceVersion} gets 409, which the mock skips.</li>
 *   <li>Error responses get a {@code metav1.Status} body with the right reason; PATCH answers 200, not 202; every
 *       response has a Content-Type.</li>
 * </ol>
 * Created CRDs are added to the registry, so discovery and kubectl see them as on a real cluster.
 *
 * <p>Writes, and the opening and closing of watches, are serialised by one lock. The mock notifies watches from
 * inside a write and a watch's listener is only half-registered while it opens or closes; without the lock a write
 * racing a closing watch fails with {@code RejectedExecutionException}, and one racing an opening watch loses its
 * event.
 */
final class ApiServerDispatcher extends KubernetesMixedDispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(ApiServerDispatcher.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PROTOBUF = "application/vnd.kubernetes.protobuf";
  private static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
  private static final String APPLY_PATCH = "application/apply-patch";
  private static final String MERGE_PATCH = "application/merge-patch+json";
  private static final Set<String> KEPT_QUERY_PARAMETERS = Set.of("labelSelector", "fieldSelector", "watch");
  private static final Set<HttpMethod> WRITES = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
      HttpMethod.DELETE);
  private static final Set<String> HEALTH_PATHS = Set.of("/healthz", "/livez", "/readyz");
  private static final String CRD_GROUP = "apiextensions.k8s.io";
  private static final String CRD_PLURAL = "customresourcedefinitions";
  /** The alphabet and length Kubernetes uses for generateName suffixes. */
  private static final String NAME_SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  private static final int NAME_SUFFIX_LENGTH = 5;

  private final ResourceRegistry registry;
  private final DiscoveryDocuments discovery;
  private final ReentrantLock writeLock = new ReentrantLock();

  ApiServerDispatcher(Map<ServerRequest, Queue<ServerResponse>> responses, ResourceRegistry registry) {
    super(responses);
    this.registry = registry;
    this.discovery = new DiscoveryDocuments(registry);
    registry.all().forEach(this::teachMock);
  }

  /** Makes a resource type known to discovery, to the kind filling and to the mock's status handling. */
  void register(ResourceType type) {
    registry.register(type);
    teachMock(type);
  }

  /** Runs {@code action} with writes held off; see the class comment for why watches need this. */
  void withWritesPaused(Runnable action) {
    writeLock.lock();
    try {
      action.run();
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String target = request.getPath();
    int queryStart = target.indexOf('?');
    String path = queryStart < 0 ? target : target.substring(0, queryStart);
    Map<String, String> query = parseQuery(queryStart < 0 ? "" : target.substring(queryStart + 1));
    Optional<ResourcePath> resource = ResourcePath.parse(path);
    HttpMethod method = request.method();

    MockResponse local = answerLocally(request, path, resource, query);
    if (local != null) {
      return local;
    }
    try {
      if (!WRITES.contains(method)) {
        RecordedRequest normalized = normalize(request, path, resource, query);
        boolean watch = "true".equals(query.get("watch")) || "1".equals(query.get("watch"));
        if (!watch && normalized.getPath().contains("watch=true")) {
          return finish(listFilteredHere(normalized, query.get("labelSelector")), method, resource);
        }
        return finish(super.dispatch(normalized), method, resource);
      }
      writeLock.lock();
      try {
        RecordedRequest normalized = mergePatchAsUpdate(normalize(request, path, resource, query));
        MockResponse conflict = staleStatusUpdate(normalized, resource).orElse(null);
        if (conflict != null) {
          return conflict;
        }
        MockResponse response = super.dispatch(normalized);
        learnCustomResourceDefinition(method, resource, response);
        return finish(response, method, resource);
      } finally {
        writeLock.unlock();
      }
    } catch (RuntimeException e) {
      // The mock throws on bodies it cannot parse; unanswered, the request would hang until the client times out.
      LOG.debug("the mock failed on {} {}", method, path, e);
      return status(400, "the Kubernetes API emulation cannot process this request: " + e.getMessage());
    }
  }

  private MockResponse answerLocally(RecordedRequest request, String path, Optional<ResourcePath> resource,
                                     Map<String, String> query) {
    HttpMethod method = request.method();
    if (method == null || method == HttpMethod.OPTIONS || method == HttpMethod.CONNECT) {
      return status(405, "the Kubernetes API emulation does not serve this method");
    }
    String contentType = request.getHeader("Content-Type");
    if (WRITES.contains(method) && contentType != null && contentType.startsWith(PROTOBUF)) {
      // kubectl's generators ("kubectl create namespace x") send built-in kinds as protobuf, which the mock cannot read
      // (unanswered, kubectl would hang). kubectl does not retry in JSON; "kubectl create/apply -f" sends JSON.
      return status(415, "the Kubernetes API emulation accepts JSON bodies only, not " + contentType);
    }
    if (method == HttpMethod.PATCH && contentType != null
        && (contentType.startsWith(STRATEGIC_MERGE_PATCH) || contentType.startsWith(APPLY_PATCH))) {
      // The mock answers a bare 415; say what to use instead.
      return status(415, "the Kubernetes API emulation supports neither strategic merge patch nor server-side apply; "
          + "use a JSON merge patch or a JSON patch");
    }
    if (path.equals("/openapi") || path.startsWith("/openapi/")) {
      // kubectl then skips client-side validation and OpenAPI-driven features, as with a server without OpenAPI.
      return status(404, "the Kubernetes API emulation has no OpenAPI documents");
    }
    if (method == HttpMethod.GET && HEALTH_PATHS.contains(path)) {
      return new MockResponse().setResponseCode(200).setHeader("Content-Type", "text/plain").setBody("ok");
    }
    if (method == HttpMethod.GET && path.equals("/api")) {
      return json(200, discovery.apiVersions());
    }
    if (method == HttpMethod.GET && path.equals("/apis")) {
      return json(200, discovery.apiGroupList());
    }
    if (resource.isPresent() && resource.get().isDiscovery()) {
      if (method != HttpMethod.GET) {
        return status(405, "discovery documents are read-only");
      }
      return discovery.render(resource.get())
          .map(doc -> json(200, doc))
          .orElseGet(() -> status(404, "the server could not find the requested resource"));
    }
    if (WRITES.contains(method) && query.containsKey("dryRun")) {
      // Stripping dryRun would silently persist the object; failing tells the test author what is missing.
      return status(400, "dryRun is not supported by the Kubernetes API emulation");
    }
    return null;
  }

  private RecordedRequest normalize(RecordedRequest request, String path, Optional<ResourcePath> resource,
                                    Map<String, String> query) {
    Map<String, String> kept = new LinkedHashMap<>();
    query.forEach((name, value) -> {
      if (KEPT_QUERY_PARAMETERS.contains(name)) {
        kept.put(name, value);
      }
    });
    if (kept.containsKey("watch")) {
      boolean watch = kept.get("watch").equals("true") || kept.get("watch").equals("1");
      if (watch) {
        kept.put("watch", "true");
      } else {
        kept.remove("watch");
      }
    }
    resource.filter(r -> isRegisteredCoreResource(r) && r.subresource() == null).ifPresent(r -> {
      // The mock stores no "api" attribute for core objects and matches a core URL against every group; a field
      // selector "!api" is the mock's own way of saying "has no group". Prepended, because the mock reads a watched
      // object's name from the last "=" of the field selector.
      String existing = kept.get("fieldSelector");
      kept.put("fieldSelector", existing == null || existing.isEmpty() ? "!api" : "!api," + existing);
    });
    String target = kept.isEmpty() ? path : path + "?" + encodeQuery(kept);
    byte[] body = request.getBody() == null ? new byte[0] : request.getBody().getBytes();
    if (resource.isPresent() && resource.get().plural() != null
        && (request.method() == HttpMethod.POST || request.method() == HttpMethod.PUT)) {
      body = completeObject(body, resource.get(), request.method() == HttpMethod.POST);
    }
    return new RecordedRequest(request.getHttpVersion(), request.method(), target, request.getHeaders(),
        new Buffer(body));
  }

  private boolean isRegisteredCoreResource(ResourcePath resource) {
    return resource.isCore() && resource.plural() != null
        && registry.find("", resource.version(), resource.plural()).isPresent();
  }

  /** Fills in what a real API server takes from the URL, and expands generateName. */
  private byte[] completeObject(byte[] body, ResourcePath resource, boolean create) {
    JsonNode tree;
    try {
      tree = JSON.readTree(body);
    } catch (IOException e) {
      return body; // not JSON: let the mock reject it as a real server would
    }
    if (!(tree instanceof ObjectNode object)) {
      return body;
    }
    if (!object.hasNonNull("apiVersion")) {
      object.put("apiVersion", resource.apiVersion());
    }
    if (!object.hasNonNull("kind")) {
      object.put("kind", registry.kindFor(resource.group(), resource.version(), resource.plural()));
    }
    JsonNode metadata = object.path("metadata");
    if (create && metadata instanceof ObjectNode meta && !meta.hasNonNull("name")
        && meta.hasNonNull("generateName")) {
      meta.put("name", meta.get("generateName").asText() + randomNameSuffix());
    }
    try {
      return JSON.writeValueAsBytes(object);
    } catch (JsonProcessingException e) {
      return body;
    }
  }

  private static String randomNameSuffix() {
    StringBuilder suffix = new StringBuilder(NAME_SUFFIX_LENGTH);
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < NAME_SUFFIX_LENGTH; i++) {
      suffix.append(NAME_SUFFIX_ALPHABET.charAt(random.nextInt(NAME_SUFFIX_ALPHABET.length())));
    }
    return suffix.toString();
  }

  /**
   * The 409 a real server gives a {@code /status} PUT based on an old {@code resourceVersion}; the mock compares
   * versions only for main-resource writes. Runs under the write lock, so the object cannot change in between.
   */
  private Optional<MockResponse> staleStatusUpdate(RecordedRequest request, Optional<ResourcePath> resource) {
    if (request.method() != HttpMethod.PUT || resource.isEmpty() || !"status".equals(resource.get().subresource())) {
      return Optional.empty();
    }
    String sentVersion;
    try {
      sentVersion = JSON.readTree(request.getBody().getBytes()).path("metadata").path("resourceVersion").asText("");
    } catch (IOException e) {
      return Optional.empty();
    }
    if (sentVersion.isEmpty()) {
      return Optional.empty();
    }
    String target = request.getPath();
    int queryStart = target.indexOf('?');
    String objectPath = (queryStart < 0 ? target : target.substring(0, queryStart)).replaceFirst("/status$", "");
    MockResponse current = super.dispatch(new RecordedRequest(request.getHttpVersion(), HttpMethod.GET,
        objectPath + (queryStart < 0 ? "" : target.substring(queryStart)), request.getHeaders(), new Buffer()));
    if (current.code() != 200) {
      return Optional.empty(); // the mock reports the missing object itself
    }
    try {
      String currentVersion = JSON.readTree(current.getBody().getBytes())
          .path("metadata").path("resourceVersion").asText("");
      if (currentVersion.equals(sentVersion)) {
        return Optional.empty();
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    ResourcePath r = resource.get();
    return Optional.of(status(409, "Conflict", String.format("Operation cannot be fulfilled on %s \"%s\": the object "
        + "has been modified; please apply your changes to the latest version and try again", qualified(r), r.name())));
  }

  /**
   * Lists without the label selector and filters here. The mock takes any request whose query contains
   * {@code watch=true} for a WebSocket watch — and iter8's own selector, {@code iter8.tools/watch=true}, does.
   * Equality and existence requirements are supported, as kube-apiserver's label selectors.
   */
  private MockResponse listFilteredHere(RecordedRequest request, String selector) {
    String target = request.getPath();
    String unselected = target.replaceAll("([?&])labelSelector=[^&]*&?", "$1").replaceAll("[?&]$", "");
    MockResponse all = super.dispatch(new RecordedRequest(request.getHttpVersion(), request.method(), unselected,
        request.getHeaders(), new Buffer()));
    if (all.code() != 200 || selector == null) {
      return all;
    }
    try {
      ObjectNode list = (ObjectNode) JSON.readTree(all.getBody().getBytes());
      com.fasterxml.jackson.databind.node.ArrayNode kept = JSON.createArrayNode();
      for (JsonNode item : list.path("items")) {
        if (matches(item.path("metadata").path("labels"), selector)) {
          kept.add(item);
        }
      }
      list.set("items", kept);
      return json(200, JSON.writeValueAsString(list));
    } catch (IOException | ClassCastException e) {
      return all;
    }
  }

  static boolean matches(JsonNode labels, String selector) {
    for (String requirement : selector.split(",")) {
      String r = requirement.trim();
      if (r.isEmpty()) {
        continue;
      }
      boolean ok;
      if (r.contains("!=")) {
        String[] kv = r.split("!=", 2);
        ok = !kv[1].trim().equals(labels.path(kv[0].trim()).asText(null));
      } else if (r.contains("=")) {
        String[] kv = r.split("==?", 2);
        ok = kv[1].trim().equals(labels.path(kv[0].trim()).asText(null));
      } else if (r.startsWith("!")) {
        ok = !labels.has(r.substring(1).trim());
      } else {
        ok = labels.has(r);
      }
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * Applies a JSON merge patch as RFC 7386 says and writes the result with a PUT. The mock merges lists by
   * appending, where a real API server replaces them: a status merge patch would pile up conditions. Runs under the
   * write lock, so the object read is the one replaced.
   */
  private RecordedRequest mergePatchAsUpdate(RecordedRequest request) {
    String contentType = request.getHeader("Content-Type");
    if (request.method() != HttpMethod.PATCH || contentType == null || !contentType.startsWith(MERGE_PATCH)) {
      return request;
    }
    String target = request.getPath();
    int queryStart = target.indexOf('?');
    String path = queryStart < 0 ? target : target.substring(0, queryStart);
    String objectPath = path.replaceFirst("/status$", "");
    MockResponse current = super.dispatch(new RecordedRequest(request.getHttpVersion(), HttpMethod.GET,
        objectPath + (queryStart < 0 ? "" : target.substring(queryStart)), request.getHeaders(), new Buffer()));
    if (current.code() != 200) {
      return request; // the mock reports the missing object itself
    }
    try {
      JsonNode merged = mergePatch(JSON.readTree(current.getBody().getBytes()), JSON.readTree(request.getBody().getBytes()));
      io.fabric8.mockwebserver.http.Headers headers = request.getHeaders().newBuilder()
          .set("Content-Type", "application/json").build();
      return new RecordedRequest(request.getHttpVersion(), HttpMethod.PUT, target, headers,
          new Buffer(JSON.writeValueAsBytes(merged)));
    } catch (IOException e) {
      return request; // not JSON: let the mock reject it as a real server would
    }
  }

  /** RFC 7386: objects merge key by key, {@code null} deletes, anything else (lists included) replaces. */
  static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch;
    }
    ObjectNode result = target != null && target.isObject() ? (ObjectNode) target : JSON.createObjectNode();
    patch.fields().forEachRemaining(f -> {
      if (f.getValue().isNull()) {
        result.remove(f.getKey());
      } else {
        result.set(f.getKey(), mergePatch(result.get(f.getKey()), f.getValue()));
      }
    });
    return result;
  }

  /** Keeps the registry in step with CRDs created, replaced or deleted through the API. */
  private void learnCustomResourceDefinition(HttpMethod method, Optional<ResourcePath> resource,
                                             MockResponse response) {
    if (resource.isEmpty() || !CRD_GROUP.equals(resource.get().group())
        || !CRD_PLURAL.equals(resource.get().plural()) || resource.get().subresource() != null
        || response.code() >= 300 || response.getBody() == null) {
      return;
    }
    JsonNode spec;
    try {
      spec = JSON.readTree(response.getBody().getBytes()).path("spec");
    } catch (IOException e) {
      return;
    }
    String group = spec.path("group").asText("");
    String plural = spec.path("names").path("plural").asText("");
    String kind = spec.path("names").path("kind").asText("");
    if (group.isEmpty() || plural.isEmpty() || kind.isEmpty()) {
      return;
    }
    for (JsonNode version : spec.path("versions")) {
      String name = version.path("name").asText("");
      if (name.isEmpty()) {
        continue;
      }
      if (method == HttpMethod.DELETE) {
        registry.unregister(group, name, plural);
      } else if (version.path("served").asBoolean(true)) {
        List<String> shortNames = new ArrayList<>();
        spec.path("names").path("shortNames").forEach(shortName -> shortNames.add(shortName.asText()));
        register(new ResourceType(group, name, plural, kind, "Namespaced".equals(spec.path("scope").asText()),
            version.path("subresources").has("status"), shortNames));
      }
    }
  }

  /** Repairs what the mock leaves out of a response; see the class comment. */
  private static MockResponse finish(MockResponse response, HttpMethod method, Optional<ResourcePath> resource) {
    if (response.getWebSocketListener() != null) {
      return response;
    }
    if (method == HttpMethod.PATCH && response.code() == 202) {
      response.setResponseCode(200);
    }
    int code = response.code();
    if (code >= 400) {
      if (response.getBody() == null || response.getBody().size() == 0) {
        response.setBody(KubeStatus.failure(code, defaultMessage(code, resource)));
      } else {
        correctReason(response, method);
      }
    }
    if (response.getHeaders().get("Content-Type") == null) {
      response.setHeader("Content-Type", KubeStatus.CONTENT_TYPE);
    }
    return response;
  }

  /** The mock labels every error "Invalid"; clients branch on AlreadyExists, Conflict and NotFound. */
  private static void correctReason(MockResponse response, HttpMethod method) {
    try {
      JsonNode body = JSON.readTree(response.getBody().getBytes());
      if (!(body instanceof ObjectNode status) || !"Status".equals(status.path("kind").asText())
          || !"Invalid".equals(status.path("reason").asText()) || response.code() == 422) {
        return;
      }
      boolean duplicateCreate = response.code() == 409 && method == HttpMethod.POST;
      status.put("reason", duplicateCreate ? "AlreadyExists" : KubeStatus.reasonFor(response.code()));
      response.setBody(JSON.writeValueAsString(status));
    } catch (IOException e) {
      // not a JSON body: leave it as the mock wrote it
    }
  }

  private static String defaultMessage(int code, Optional<ResourcePath> resource) {
    if (code == 404 && resource.isPresent() && resource.get().name() != null) {
      return String.format("%s \"%s\" not found", qualified(resource.get()), resource.get().name());
    }
    return KubeStatus.reasonFor(code);
  }

  /** How real error messages name a resource: {@code deployments.apps}, or just {@code pods} for the core group. */
  private static String qualified(ResourcePath resource) {
    return resource.isCore() ? resource.plural() : resource.plural() + "." + resource.group();
  }

  private void teachMock(ResourceType type) {
    // A null group is how the mock's CRD bookkeeping keys core resources.
    expectCustomResource(new CustomResourceDefinitionContext.Builder()
        .withGroup(type.isCore() ? null : type.group())
        .withVersion(type.version())
        .withPlural(type.plural())
        .withKind(type.kind())
        .withScope(type.namespaced() ? "Namespaced" : "Cluster")
        .withStatusSubresource(type.statusSubresource())
        .build());
  }

  private static Map<String, String> parseQuery(String rawQuery) {
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), UTF_8);
      String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), UTF_8);
      parameters.put(name, value);
    }
    return parameters;
  }

  /**
   * Encodes selectors the way the mock parses them: it splits on literal '=' and ',' and feeds the path to
   * {@code java.net.URI}, so those stay literal and everything else is percent-encoded.
   */
  private static String encodeQuery(Map<String, String> parameters) {
    List<String> pairs = new ArrayList<>();
    parameters.forEach((name, value) -> pairs.add(name + "=" + URLEncoder.encode(value, UTF_8)
        .replace("+", "%20")
        .replace("%3D", "=")
        .replace("%2C", ",")
        .replace("%21", "!")));
    return String.join("&", pairs);
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse().setResponseCode(code).setHeader("Content-Type", KubeStatus.CONTENT_TYPE).setBody(body);
  }

  private static MockResponse status(int code, String message) {
    return json(code, KubeStatus.failure(code, message));
  }

  private static MockResponse status(int code, String reason, String message) {
    return json(code, KubeStatus.failure(code, reason, message));
  }
}
