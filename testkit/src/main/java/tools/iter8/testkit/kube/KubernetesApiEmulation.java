package tools.iter8.testkit.kube;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.util.StdDateFormat;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * An in-memory Kubernetes API server for tests and sandboxes: enough of kube-apiserver for client-java controllers
 * (CRUD, custom resources, merge and JSON patches, status subresources, optimistic concurrency, real-time watches and
 * informers, Lease leader election) and for {@code kubectl} get, apply (with {@code --validate=false}), replace, patch
 * and delete.
 *
 * <p>It is fabric8's {@code kubernetes-server-mock} in CRUD mode, corrected where it differs from a real server (see
 * {@link ApiServerDispatcher}), behind a small HTTP front that serves client-java's watches and injects
 * {@linkplain #faults() faults}. A test gets a fresh, empty cluster in a few tens of milliseconds:
 *
 * <pre>{@code
 * try (KubernetesApiEmulation kube = KubernetesApiEmulation.start()) {
 *   ApiClient client = kube.apiClient();
 *   new AppsV1Api(client).createNamespacedDeployment("ns", deployment).execute();
 * }
 * }</pre>
 *
 * <p>Known differences from a real cluster, inherited from the mock: no strategic-merge patch, no server-side apply and
 * no protobuf bodies (415; so {@code kubectl create deployment} and other kubectl generators fail, while
 * {@code kubectl apply -f} works), no {@code dryRun} (400), no OpenAPI (so kubectl needs {@code --validate=false}), no
 * admission, defaulting or schema validation, no controllers (Deployments never become ready unless the test writes
 * their status), no pre-existing namespaces and no namespace enforcement, no scale or log subresources, list
 * pagination ignored, one resourceVersion counter for all kinds, and watches without bookmarks or "410 Gone".
 *
 * <p>Thread-safe. {@link #close()} stops every thread the emulation started.
 */
public final class KubernetesApiEmulation implements AutoCloseable {

  /** The Kubernetes version reported by {@code /version}; kubectl warns when it is far from its own (1.32). */
  public static final String KUBERNETES_VERSION = "v1.32.0";

  /**
   * The mock logs one INFO line per request through java.util.logging. Held in a static field because JUL keeps only
   * weak references to loggers: a level set on an unreferenced logger is lost when it is garbage-collected.
   */
  private static final Logger MOCK_WEB_SERVER_LOG = Logger.getLogger(MockWebServer.class.getName());

  static {
    MOCK_WEB_SERVER_LOG.setLevel(Level.WARNING);
  }

  private final ResourceRegistry registry;
  private final ApiServerDispatcher dispatcher;
  private final KubernetesMockServer mock;
  private final ApiShim shim;
  private final FaultInjector faults;
  private final RequestLog requests;
  private final List<ApiClient> clients = new CopyOnWriteArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  private KubernetesApiEmulation(ResourceRegistry registry, ApiServerDispatcher dispatcher, KubernetesMockServer mock,
                                 ApiShim shim, FaultInjector faults, RequestLog requests) {
    this.registry = registry;
    this.dispatcher = dispatcher;
    this.mock = mock;
    this.shim = shim;
    this.faults = faults;
    this.requests = requests;
  }

  /** Starts an empty cluster on 127.0.0.1, random ports, with the built-in resource types registered. */
  public static KubernetesApiEmulation start() {
    Map<ServerRequest, Queue<ServerResponse>> stubs = new HashMap<>();
    ResourceRegistry registry = new ResourceRegistry();
    ApiServerDispatcher dispatcher = new ApiServerDispatcher(stubs, registry);
    MockWebServer webServer = new MockWebServer();
    KubernetesMockServer mock = new KubernetesMockServer(new Context(versionInfoMapper()), webServer, stubs,
        dispatcher, false);
    mock.setVersionInfo(new VersionInfo.Builder()
        .withMajor("1")
        .withMinor("32")
        .withGitVersion(KUBERNETES_VERSION)
        .withGitCommit("iter8-testkit")
        .withGitTreeState("clean")
        .withGoVersion("go1.23")
        .withCompiler("gc")
        .withPlatform("linux/amd64")
        .withBuildDate(Date.from(Instant.parse("2025-01-01T00:00:00Z")))
        .build());
    InetAddress loopback = InetAddress.getLoopbackAddress();
    mock.init(loopback, 0);
    FaultInjector faults = new FaultInjector();
    RequestLog requests = new RequestLog();
    try {
      // Nobody reads the mock's own request journal, which would otherwise grow for as long as the emulation runs.
      ApiShim shim = new ApiShim(dispatcher, registry, "http://" + loopback.getHostAddress() + ":" + mock.getPort(),
          webServer::reset, faults, requests);
      return new KubernetesApiEmulation(registry, dispatcher, mock, shim, faults, requests);
    } catch (IOException e) {
      mock.destroy();
      throw new UncheckedIOException("cannot start the Kubernetes API emulation's HTTP front", e);
    }
  }

  /** The API server's base URL, for example {@code http://127.0.0.1:40123}, without a trailing slash. */
  public String url() {
    return shim.url();
  }

  /**
   * A new client-java client for this server. Its read timeout is disabled, because client-java applies it to the
   * whole of a watch and would otherwise end every quiet watch after 10 seconds. The client's connections are
   * released by {@link #close()}.
   */
  public ApiClient apiClient() {
    ApiClient client = new ClientBuilder().setBasePath(url()).setReadTimeout(Duration.ZERO).build();
    clients.add(client);
    return client;
  }

  /**
   * Writes a kubeconfig for this server (plain HTTP, no credentials, namespace {@code default}) and returns its path.
   *
   * <p>kubectl caches discovery per server address under {@code ~/.kube/cache}; since every emulation has a new port,
   * pass {@code --cache-dir} to a temporary directory so test runs do not pile up cache directories.
   */
  public Path writeKubeconfig(Path file) throws IOException {
    String kubeconfig = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: iter8-emulation
          cluster:
            server: %s
        users:
        - name: iter8-emulation
          user: {}
        contexts:
        - name: iter8-emulation
          context:
            cluster: iter8-emulation
            user: iter8-emulation
            namespace: default
        current-context: iter8-emulation
        """.formatted(url());
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    return Files.writeString(file, kubeconfig, UTF_8);
  }

  /** The fault rules applied to requests before they reach the API; empty at start. */
  /**
   * Sends every create, update and patch of a resource through {@code hook} before it is stored, as
   * kube-apiserver sends them to admission webhooks (the sandbox relays them to the real webhook).
   */
  public void admission(AdmissionHook hook) {
    shim.admission(hook);
  }

  public FaultInjector faults() {
    return faults;
  }

  /** The requests answered so far, including faulted ones. */
  public RequestLog requests() {
    return requests;
  }

  /**
   * Teaches the server another resource type (or replaces one with the same group, version and plural): discovery
   * lists it, so kubectl can use it; objects sent without {@code apiVersion} or {@code kind} get them; and with
   * {@code statusSubresource}, {@code .status} is written only through {@code /status}. Custom resources work
   * without registration too, but then have none of these. Creating a CustomResourceDefinition through the API
   * registers its served versions automatically.
   */
  public void register(ResourceType type) {
    dispatcher.register(type);
  }

  /** The resource types the server knows, built-in ones first. */
  public List<ResourceType> resources() {
    return registry.all();
  }

  /** Stops the HTTP front (ending open watches), the mock server and the connections of handed-out clients. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      shim.close();
    } finally {
      mock.destroy();
      clients.forEach(client -> {
        client.getHttpClient().dispatcher().executorService().shutdown();
        client.getHttpClient().connectionPool().evictAll();
      });
    }
  }

  /** The mock serialises {@link VersionInfo} with this; kubectl and client-java expect buildDate as a string. */
  private static ObjectMapper versionInfoMapper() {
    return new ObjectMapper()
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .setDateFormat(new StdDateFormat().withColonInTimeZone(true))
        .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);
  }
}
