package tools.iter8.testkit.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The HTTP front of the emulation, the address clients use: it applies {@link FaultInjector} rules, records the
 * {@link RequestLog}, serves watches as chunked HTTP streams ({@link WatchStream}), and forwards everything else to the
 * fabric8 mock server over HTTP.
 *
 * <p>It exists because client-java watches with chunked HTTP GETs, which the mock cannot serve, and because faults and
 * the request log belong in front of the API rather than inside it. JDK-only ({@code com.sun.net.httpserver} and
 * {@code java.net.http}) so it adds no dependency; all its threads are daemons and are stopped by {@link #close()}.
 */
final class ApiShim implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ApiShim.class);
  /** How long a watch lasts when the client gives no timeoutSeconds; kube-apiserver's default is 30 to 60 minutes. */
  private static final Duration DEFAULT_WATCH_TIMEOUT = Duration.ofMinutes(30);
  private static final Set<String> SERVED_METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

  static {
    // The JDK server sends headers and body in separate segments; with Nagle's algorithm and the client's delayed
    // ACK every request then takes about 40 ms instead of 1 ms. The JDK reads this property once per JVM, when its
    // first HttpServer starts, and an explicit setting by the user wins.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final ApiServerDispatcher dispatcher;
  private final String backend;
  private final Runnable afterForward;
  private final FaultInjector faults;
  private final RequestLog log;
  private final ResourceRegistry registry;
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
  private volatile AdmissionHook admission;
  private final ExecutorService handlers = Executors.newCachedThreadPool(daemonThreads("kube-emulation-http"));
  private final ExecutorService forwarders = Executors.newCachedThreadPool(daemonThreads("kube-emulation-forward"));
  private final HttpClient client;
  private final Set<WatchStream> watches = ConcurrentHashMap.newKeySet();
  private final HttpServer server;

  /**
   * @param backend      the mock's base URL, for example {@code http://127.0.0.1:41234}
   * @param afterForward run after each forwarded request; the emulation uses it to empty the mock's request journal
   */
  ApiShim(ApiServerDispatcher dispatcher, ResourceRegistry registry, String backend, Runnable afterForward,
      FaultInjector faults, RequestLog log) throws IOException {
    this.dispatcher = dispatcher;
    this.registry = registry;
    this.backend = backend;
    this.afterForward = afterForward;
    this.faults = faults;
    this.log = log;
    // HTTP/1.1 because the mock's HTTP/2 upgrade path is not needed and is one more thing to go wrong.
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(forwarders).build();
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(handlers);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Runs every resource write through {@code hook} from now on (null: no admission). */
  void admission(AdmissionHook hook) {
    this.admission = hook;
  }

  /** The base URL clients use, for example {@code http://127.0.0.1:40123}. */
  String url() {
    return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
  }

  /** Ends open watches, stops listening and stops every thread; requests still in flight are cut off. */
  @Override
  public void close() {
    watches.forEach(WatchStream::end);
    server.stop(0);
    stop(handlers); // interrupts injected delays; watch handlers unsubscribe from the mock on their way out
    stop(forwarders);
  }

  private void handle(HttpExchange exchange) {
    String method = exchange.getRequestMethod();
    URI uri = exchange.getRequestURI();
    String path = uri.getRawPath();
    String query = uri.getRawQuery();
    ApiAccessRecorder.record(exchange.getRequestHeaders().getFirst("User-Agent"), method, path, query);
    try {
      byte[] body = exchange.getRequestBody().readAllBytes();
      if (!SERVED_METHODS.contains(method)) {
        respondWithStatus(exchange, 405, "the Kubernetes API emulation does not serve " + method);
        return;
      }
      Optional<Fault> fault = faults.decide(method, path);
      if (fault.isPresent() && fault.get() instanceof Fault.Respond respond) {
        respondWithStatus(exchange, respond.status(), respond.message());
        return;
      }
      if (fault.isPresent() && fault.get() instanceof Fault.Delay delay) {
        // Sleeping is the fault itself; close() interrupts it.
        Thread.sleep(delay.delay().toMillis());
      }
      if (method.equals("GET") && isWatch(query)) {
        serveWatch(exchange, path, query);
        return;
      }
      AdmissionHook hook = admission;
      if (hook != null && (method.equals("POST") || method.equals("PUT") || method.equals("PATCH"))) {
        Optional<Admitted> admitted = admit(hook, exchange, method, path, query, body);
        if (admitted.isEmpty()) {
          return; // refused: answered already
        }
        forward(exchange, admitted.get().method(), path, query, admitted.get().body(), "application/json");
        return;
      }
      forward(exchange, method, path, query, body, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      LOG.debug("client went away during {} {}", method, path, e);
    } catch (RuntimeException e) {
      LOG.warn("the Kubernetes API emulation failed on {} {}", method, path, e);
      try {
        respondWithStatus(exchange, 500, "the Kubernetes API emulation failed: " + e);
      } catch (IOException | RuntimeException ignored) {
        // the response had already started; closing the exchange below is all that is left to do
      }
    } finally {
      exchange.close();
    }
  }

  private record Admitted(String method, byte[] body) {}

  /**
   * Runs a write of a resource through the admission hook, as kube-apiserver runs mutating webhooks: the
   * object as it would be stored (a patch applied to the stored object) and the stored one. Subresource
   * writes (status) are not admitted, as no iter8 webhook rule names a subresource.
   */
  private Optional<Admitted> admit(AdmissionHook hook, HttpExchange exchange, String method, String path, String query,
      byte[] body) throws IOException, InterruptedException {
    Optional<ResourcePath> parsed = ResourcePath.parse(path);
    if (parsed.isEmpty() || parsed.get().plural() == null || parsed.get().subresource() != null
        || parsed.get().isDiscovery()) {
      return Optional.of(new Admitted(method, body));
    }
    ResourcePath r = parsed.get();
    Optional<ResourceType> type = registry.find(r.group() == null ? "" : r.group(), r.version(), r.plural());
    if (type.isEmpty()) {
      return Optional.of(new Admitted(method, body));
    }
    JsonNode stored = null;
    if (!method.equals("POST")) {
      HttpResponse<byte[]> current = client.send(HttpRequest.newBuilder(URI.create(backend + path)).GET().build(),
          HttpResponse.BodyHandlers.ofByteArray());
      if (current.statusCode() == 200) {
        stored = JSON.readTree(current.body());
      }
    }
    JsonNode object;
    try {
      object = method.equals("PATCH") ? patched(stored, body, exchange.getRequestHeaders().getFirst("Content-Type"))
          : JSON.readTree(body);
    } catch (RuntimeException | IOException e) {
      respondWithStatus(exchange, 422, "the patch cannot be applied: " + e.getMessage());
      return Optional.empty();
    }
    if (object == null || (stored == null && !method.equals("POST"))) {
      return Optional.of(new Admitted(method, body)); // let the store report the missing object
    }
    AdmissionHook.Result result = hook.admit(method.equals("POST") ? "CREATE" : "UPDATE", type.get(), object, stored);
    if (result instanceof AdmissionHook.Result.Deny deny) {
      respondWithStatus(exchange, deny.code(), deny.message());
      return Optional.empty();
    }
    JsonNode admitted = ((AdmissionHook.Result.Allow) result).object();
    return Optional.of(new Admitted(method.equals("PATCH") ? "PUT" : method, JSON.writeValueAsBytes(admitted)));
  }

  private static JsonNode patched(JsonNode stored, byte[] body, String contentType) throws IOException {
    if (stored == null) {
      return null;
    }
    JsonNode patch = JSON.readTree(body);
    if (contentType != null && contentType.startsWith("application/json-patch+json")) {
      return io.fabric8.zjsonpatch.JsonPatch.apply(patch, stored);
    }
    return ApiServerDispatcher.mergePatch(stored.deepCopy(), patch);
  }

  private void forward(HttpExchange exchange, String method, String path, String query, byte[] body,
      String contentTypeOverride) throws IOException, InterruptedException {
    URI target = URI.create(backend + path + (query == null ? "" : "?" + query));
    HttpRequest.Builder request = HttpRequest.newBuilder(target)
        .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    // Only these matter to the mock; java.net.http refuses to copy hop-by-hop headers such as Connection.
    for (String header : new String[] {"Content-Type", "Accept"}) {
      String value = header.equals("Content-Type") && contentTypeOverride != null
          ? contentTypeOverride : exchange.getRequestHeaders().getFirst(header);
      if (value != null) {
        request.header(header, value);
      }
    }
    HttpResponse<byte[]> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      respondWithStatus(exchange, 503, "the emulated API server's backend is unavailable: " + e.getMessage());
      return;
    } finally {
      afterForward.run();
    }
    respond(exchange, response.statusCode(),
        response.headers().firstValue("Content-Type").orElse(KubeStatus.CONTENT_TYPE), response.body());
  }

  private void serveWatch(HttpExchange exchange, String path, String query) throws InterruptedException, IOException {
    RecordedRequest request = new RecordedRequest("HTTP/1.1", HttpMethod.GET, path + "?" + query,
        Headers.builder().build(), new Buffer());
    WatchStream stream = new WatchStream(exchange, request, longParameter(query, "resourceVersion").orElse(0L));
    Optional<MockResponse> refusal = stream.open(dispatcher);
    if (refusal.isPresent()) {
      MockResponse response = refusal.get();
      respond(exchange, response.code(), response.getHeaders().get("Content-Type"),
          response.getBody() == null ? new byte[0] : response.getBody().getBytes());
      return;
    }
    log.record("GET", path, query, 200, exchange.getRequestHeaders().getFirst("User-Agent"));
    watches.add(stream);
    try {
      stream.awaitEnd(longParameter(query, "timeoutSeconds").filter(seconds -> seconds > 0)
          .map(Duration::ofSeconds)
          .orElse(DEFAULT_WATCH_TIMEOUT));
    } finally {
      watches.remove(stream);
      stream.close(dispatcher);
    }
  }

  private void respondWithStatus(HttpExchange exchange, int status, String message) throws IOException {
    respond(exchange, status, KubeStatus.CONTENT_TYPE, KubeStatus.failure(status, message).getBytes(UTF_8));
  }

  private void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
    URI uri = exchange.getRequestURI();
    log.record(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(), status,
        exchange.getRequestHeaders().getFirst("User-Agent"));
    exchange.getResponseHeaders().set("Content-Type", contentType == null ? KubeStatus.CONTENT_TYPE : contentType);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
  }

  private static boolean isWatch(String query) {
    return queryParameter(query, "watch").filter(v -> v.equals("true") || v.equals("1")).isPresent();
  }

  private static Optional<String> queryParameter(String rawQuery, String name) {
    if (rawQuery == null) {
      return Optional.empty();
    }
    return Arrays.stream(rawQuery.split("&"))
        .filter(pair -> pair.startsWith(name + "="))
        .map(pair -> pair.substring(name.length() + 1))
        .findFirst();
  }

  private static Optional<Long> longParameter(String rawQuery, String name) {
    try {
      return queryParameter(rawQuery, name).map(Long::parseLong);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static void stop(ExecutorService executor) {
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("threads of the Kubernetes API emulation did not stop within {}", SHUTDOWN_GRACE);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
