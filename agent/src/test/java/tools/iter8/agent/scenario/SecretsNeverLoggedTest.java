package tools.iter8.agent.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.iter8.agent.Agent;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.lifecycle.ExperimentFacts;

/**
 * No credential ever reaches a log line, a status or an Event (docs/reliability.md): a whole canary run by
 * the real agent (its default metrics sources, Secrets read from the Kubernetes API) whose Metrics
 * authenticate with Basic and Bearer credentials from Secrets against a local backend that checks them, and
 * whose finish action is a {@code notification/http} with a Bearer token. The backend echoes the
 * credentials it received in the errors it answers now and then, as misbehaving backends do. Every log line of
 * the run is captured at TRACE (iter8, Vert.x, client-java, OkHttp and the root), with its exceptions and their
 * causes, and so are the experiment's status and every Event; none may contain a credential, raw, URL-encoded
 * or base64-encoded (as in a Secret's data or a Basic header).
 */
class SecretsNeverLoggedTest {
  private static final String NS = "vault";
  private static final String USER = "iter8-reader-Zq7";
  private static final String PASSWORD = "P@ss w0rd/+%42-kT9";
  private static final String METRICS_TOKEN = "tok3n.Bearer-Xy9_secret+/=";
  private static final String NOTIFY_TOKEN = "N0tify-T0ken-4bc.def";
  private static final Duration LIMIT = Duration.ofSeconds(60);
  /** The emulation (testkit over fabric8's mock server) logs what it stores at TRACE; it stands in for etcd. */
  private static final List<String> EMULATION_LOGGERS =
      List.of("tools.iter8.testkit", "io.fabric8.kubernetes.client.server.mock", "io.fabric8.mockwebserver",
          "okhttp3.mockwebserver");

  private static AgentHarness harness;
  private static HttpServer backend;
  private static final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private static final List<String> notifications = new CopyOnWriteArrayList<>();
  private static final List<String> rejected = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    harness = new AgentHarness();
    backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    String basic = "Basic " + b64(USER + ":" + PASSWORD);
    backend.createContext("/count", ex -> {
      if (!basic.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        reject(ex);
        return;
      }
      int n = calls.computeIfAbsent("count " + ex.getRequestURI().getQuery(), k -> new AtomicInteger()).incrementAndGet();
      answer(ex, 200, "{\"v\": " + (200 * n) + "}");
    });
    backend.createContext("/rate", ex -> {
      if (!("Bearer " + METRICS_TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        reject(ex);
        return;
      }
      int n = calls.computeIfAbsent("rate", k -> new AtomicInteger()).incrementAndGet();
      if (n == 2 || n == 5) {
        // A backend error that echoes what it was sent.
        answer(ex, 500, "{\"error\": \"upstream failed for " + ex.getRequestHeaders().getFirst("Authorization") + " at "
            + ex.getRequestURI() + "\"}");
        return;
      }
      answer(ex, 200, "{\"v\": 0.001}");
    });
    backend.createContext("/notify", ex -> {
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      notifications.add(auth);
      answer(ex, 503, "try later, " + auth); // a failing receiver that echoes the token (ignoreFailure: true)
    });
    backend.start();
  }

  @AfterAll
  static void stop() {
    backend.stop(0);
    harness.close();
  }

  private static void reject(HttpExchange ex) throws IOException {
    rejected.add(ex.getRequestURI().getPath());
    answer(ex, 401, "bad credentials: " + ex.getRequestHeaders().getFirst("Authorization"));
  }

  private static void answer(HttpExchange ex, int status, String body) throws IOException {
    ex.getRequestBody().readAllBytes();
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  /** Every form in which a credential could leak. */
  private static Set<String> forbidden() {
    Set<String> forms = new LinkedHashSet<>();
    for (String secret : List.of(PASSWORD, METRICS_TOKEN, NOTIFY_TOKEN)) {
      forms.add(secret);
      forms.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
      forms.add(b64(secret));
    }
    forms.add(b64(USER + ":" + PASSWORD));
    return forms;
  }

  private static String resources(int port) {
    String url = "http://127.0.0.1:" + port;
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: basic, namespace: vault}
        type: Opaque
        data: {username: %s, password: %s}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: bearer, namespace: vault}
        type: Opaque
        data: {token: %s}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: notify, namespace: vault}
        type: Opaque
        data: {token: %s}
        ---
        apiVersion: iter8.tools/v2alpha2
        kind: Metric
        metadata: {name: request-count, namespace: vault}
        spec:
          type: Counter
          authType: Basic
          secret: vault/basic
          params: [{name: version, value: $name}]
          urlTemplate: %s/count
          jqExpression: .v
        ---
        apiVersion: iter8.tools/v2alpha2
        kind: Metric
        metadata: {name: error-rate, namespace: vault}
        spec:
          type: Gauge
          sampleSize: request-count
          posterior: {model: Rate}
          authType: Bearer
          secret: vault/bearer
          params: [{name: version, value: $name}]
          urlTemplate: %s/rate
          jqExpression: .v
        """.formatted(b64(USER), b64(PASSWORD), b64(METRICS_TOKEN), b64(NOTIFY_TOKEN), url, url);
  }

  private static String experiment(int port) {
    String yaml = Scenarios.experiment(NS, "exp", "Canary", "Progressive", """
        requestCount: vault/request-count
        objectives:
        - {metric: vault/error-rate, upperLimit: "0.05"}""", 8, "v1", "v2");
    return yaml.replace("strategy: {testingPattern: Canary, deploymentPattern: Progressive}", """
        strategy:
            testingPattern: Canary
            deploymentPattern: Progressive
            actions:
              finish:
              - task: notification/http
                with: {url: "http://127.0.0.1:%d/notify", authType: Bearer, secret: vault/notify}""".formatted(port));
  }

  @Test
  void aCanaryWithBasicAndBearerCredentialsLeavesNoCredentialInLogsStatusOrEvents() {
    List<Logger> loggers = new ArrayList<>();
    Map<Logger, Level> before = new LinkedHashMap<>();
    for (String name : List.of(org.slf4j.Logger.ROOT_LOGGER_NAME, "tools.iter8", "io.vertx", "io.kubernetes", "okhttp3",
        "io.netty")) {
      Logger l = (Logger) LoggerFactory.getLogger(name);
      loggers.add(l);
      before.put(l, l.getLevel());
    }
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger root = loggers.get(0);
    root.addAppender(logs);
    loggers.forEach(l -> l.setLevel(Level.TRACE));
    Agent agent = null;
    Experiment done;
    List<JsonNode> events;
    try {
      int port = backend.getAddress().getPort();
      harness.apply(ApiMapper.read(Scenarios.namespace(NS), JsonNode.class));
      harness.apply(ApiMapper.read(Scenarios.virtualService(NS, "v1", "v2"), JsonNode.class));
      agent = harness.startAgent("secrets", false, null);
      for (JsonNode doc : ApiMapper.readAll(resources(port))) {
        harness.apply(doc);
      }
      harness.apply(ApiMapper.read(experiment(port), JsonNode.class));

      done = harness.awaitExperiment(NS, "exp", ExperimentFacts::completed, LIMIT);
      // The finish action ran (it retries nothing: one notification, answered 503 and ignored).
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !notifications.isEmpty());
      done = harness.experiment(NS, "exp");
      events = AgentHarness.join(harness.ops.list(ResourceKind.EVENT, NS, null));
    } finally {
      if (agent != null) {
        harness.stopAgent(agent);
      }
      root.detachAppender(logs);
      before.forEach(Logger::setLevel);
    }

    // The credentials were really used, and the run went through the backend's echoing errors.
    assertThat(rejected).as("requests with wrong credentials").isEmpty();
    assertThat(notifications).first().isEqualTo("Bearer " + NOTIFY_TOKEN);
    assertThat(calls.get("rate").get()).as("error-rate queries, the second answered with an echoing 500").isGreaterThanOrEqualTo(2);
    assertThat(done.status().decision().action()).isEqualTo("Promote");

    List<String> lines = new ArrayList<>();
    for (ILoggingEvent e : logs.list) {
      if (EMULATION_LOGGERS.stream().anyMatch(e.getLoggerName()::startsWith)) {
        continue; // the Kubernetes API emulation's own lines (it stores the Secrets), not the product's
      }
      lines.add(e.getLoggerName() + " " + e.getFormattedMessage());
      for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
        lines.add(t.getClassName() + ": " + t.getMessage());
        for (StackTraceElementProxy s : t.getStackTraceElementProxyArray()) {
          lines.add(s.getSTEAsString());
        }
      }
    }
    assertThat(lines).as("log lines captured").hasSizeGreaterThan(50);
    System.out.printf("secrets scan: %d log lines (of %d events), %d Events, status of %d chars, %d forms of %d credentials%n",
        lines.size(), logs.list.size(), events.size(), ApiMapper.toJson(done).length(), forbidden().size(), 4);
    String status = ApiMapper.toJson(done);
    String eventText = ApiMapper.toJson(events);
    assertThat(lines.stream().anyMatch(l -> l.contains("<redacted>")) || status.contains("<redacted>")
        || eventText.contains("<redacted>"))
        .as("an echoed credential was met and masked somewhere").isTrue();
    for (String secret : forbidden()) {
      assertThat(lines).as("log lines").noneMatch(l -> l.contains(secret));
      assertThat(status).as("experiment status").doesNotContain(secret);
      assertThat(eventText).as("events").doesNotContain(secret);
    }
  }
}
