package tools.iter8.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static tools.iter8.agent.metrics.MetricsTestSupport.await;
import static tools.iter8.agent.metrics.MetricsTestSupport.version;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.iter8.agent.AgentConfig;
import tools.iter8.agent.metrics.HttpBackend.Answer;
import tools.iter8.agent.metrics.HttpBackend.Received;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Metric;
import tools.iter8.core.api.VersionDetail;
import tools.iter8.core.metrics.Observation;

/**
 * {@link HttpMetricsSource} against local stand-ins of metrics APIs: templates, methods and bodies,
 * credentials from Secrets as they arrive on the wire, the original's provider samples (New Relic, Sysdig,
 * Elastic) over HTTPS, failures as errors, TLS verification, and no credential in any reason or log line.
 */
class HttpMetricsSourceTest {
  private static final String NR_KEY = "nr-query-key-7f3a9c";
  private static final String NR_ACCOUNT = "4711042";
  private static final String SYSDIG_TOKEN = "sysdig-token-b81e2d";
  private static final String ELASTIC_USER = "elastic-reader";
  private static final String ELASTIC_PASSWORD = "elastic-pass-55d1e0";
  private static final String PLAIN_TOKEN = "plain-token-90c2aa";
  private static final List<String> CREDENTIALS =
      List.of(NR_KEY, NR_ACCOUNT, SYSDIG_TOKEN, ELASTIC_USER, ELASTIC_PASSWORD, PLAIN_TOKEN,
          Base64.getEncoder().encodeToString((ELASTIC_USER + ":" + ELASTIC_PASSWORD).getBytes(StandardCharsets.UTF_8)));

  private static final SecretSource SECRETS =
      SecretSource.of(
          Map.of(
              "myns/nrcredentials", Map.of("mykey", NR_KEY, "accountid", NR_ACCOUNT),
              "myns/sdcredentials", Map.of("token", SYSDIG_TOKEN),
              "myns/elasticcredentials", Map.of("username", ELASTIC_USER, "password", ELASTIC_PASSWORD),
              "myns/userless", Map.of("username", ELASTIC_USER),
              "iter8-system/plain", Map.of("token", PLAIN_TOKEN, "host", "127.0.0.1")));

  private static Vertx vertx;
  private static TestCertificate certificate;
  private static HttpBackend http;
  private static HttpBackend https;
  private static WebClient plainClient;
  private static HttpMetricsSource source;
  private static HttpMetricsSource tlsSource;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    certificate = TestCertificate.create();
    http = await(new HttpBackend().start(vertx, null));
    https = await(new HttpBackend().start(vertx, certificate));
    plainClient = WebClient.create(vertx);
    source = new HttpMetricsSource(plainClient, SECRETS, "iter8-system", Duration.ofSeconds(5));
    AgentConfig config = AgentConfig.fromEnv(Map.of("ITER8_METRICS_CA_FILE", certificate.certificatePath()));
    tlsSource = HttpMetricsSource.create(vertx, SECRETS, config);
  }

  @AfterAll
  static void stop() {
    plainClient.close();
    await(vertx.close());
    certificate.close();
  }

  private static Metric metric(String yaml) {
    return ApiMapper.read(
        "apiVersion: iter8.tools/v2alpha2\nkind: Metric\nmetadata: {name: m, namespace: team}\nspec:\n" + yaml.indent(2),
        Metric.class);
  }

  private static Observation evaluate(HttpMetricsSource s, Metric m, VersionDetail v) {
    return await(s.evaluate(new MetricQuery("team/exp", "team/m", m, v, "team", 600, null)));
  }

  private static Observation evaluate(Metric m) {
    return evaluate(source, m, new VersionDetail("v2"));
  }

  private static String reason(Observation o) {
    if (o instanceof Observation.Error e) {
      return e.reason();
    }
    if (o instanceof Observation.NoData n) {
      return n.reason();
    }
    throw new AssertionError("expected an error or no data, got " + o);
  }

  @Test
  void paramsGetTheVersionVariablesWithNameAndElapsedTimeReserved() {
    http.on("/q", r -> Answer.json("{\"v\": 7}"));
    Metric m = metric("""
        urlTemplate: %s/q
        jqExpression: .v
        params:
        - {name: query, value: "$name|$elapsedTime|$namespace|$revision|${name}x|$unknown|$$|${elapsedTime}s"}
        - {name: plain, value: "sum(x{le=\\"+Inf\\"})"}
        """.formatted(http.url()));
    VersionDetail v = version("v2", Map.of("name", "ignored", "elapsedTime", "1", "namespace", "team-b", "revision", "r2"));

    assertThat(evaluate(source, m, v)).isEqualTo(new Observation.Value(7));

    Received r = http.last("/q");
    assertThat(r.method()).isEqualTo("GET");
    assertThat(r.query()).containsEntry("query", "v2|600|team-b|r2|v2x|$unknown|$|600s").containsEntry("plain", "sum(x{le=\"+Inf\"})");
  }

  @Test
  void noDataFromAnUnfilledPlaceholderSaysWhichOne() {
    http.on("/empty", r -> Answer.json("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}"));
    Metric m = metric("urlTemplate: %s/empty\njqExpression: '.data.result[0].value[1] | tonumber'\n".formatted(http.url())
        + "params: [{name: query, value: \"sum(x{workload='$workload',ns='$namespace'})\"}]");
    assertThat(evaluate(m)).isEqualTo(new Observation.NoData(
        "no series matched the query (empty result) (the query has unresolved placeholders $workload: "
            + "are they missing from the version's variables?)"));
    assertThat(http.last("/empty").query()).containsEntry("query", "sum(x{workload='$workload',ns='team'})");
  }

  @Test
  void namespaceDefaultsToTheExperimentsNamespace() {
    http.on("/ns", r -> Answer.json("{\"v\": 1}"));
    evaluate(metric("urlTemplate: %s/ns\njqExpression: .v\nparams: [{name: q, value: $namespace}]".formatted(http.url())));
    assertThat(http.last("/ns").query()).containsEntry("q", "team");
  }

  @Test
  void newRelicSampleSendsItsApiKeyHeaderToTheAccountFromTheSecret() {
    https.on("/v1/accounts/" + NR_ACCOUNT + "/query", r -> Answer.json("{\"results\":[{\"count\": 42}]}"));
    Metric m = providerSample("name-count");

    assertThat(evaluate(tlsSource, m, version("v2", Map.of("revision", "rev-2")))).isEqualTo(new Observation.Value(42));

    Received r = https.last("/v1/accounts/" + NR_ACCOUNT + "/query");
    assertThat(r.method()).isEqualTo("GET");
    assertThat(r.header("X-Query-Key")).isEqualTo(NR_KEY);
    assertThat(r.query().get("nrql"))
        .isEqualTo("SELECT count(appName) FROM PageView WHERE revisionName='rev-2' SINCE 600 seconds ago\n");
  }

  @Test
  void sysdigSamplePostsItsBodyWithTheBearerToken() throws Exception {
    https.on("/api/data", r -> Answer.json("{\"data\":[{\"t\":1,\"d\":[0.25]}]}"));
    Metric m = providerSample("cpu-utilization");

    assertThat(evaluate(tlsSource, m, version("v2", Map.of("revision", "rev-2")))).isEqualTo(new Observation.Value(0.25));

    Received r = https.last("/api/data");
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.header("Authorization")).isEqualTo("Bearer " + SYSDIG_TOKEN);
    assertThat(r.header("Accept")).isEqualTo("application/json");
    assertThat(r.header("Content-Type")).isEqualTo("application/json");
    JsonNode body = ApiMapper.json().readTree(r.body());
    assertThat(body.path("last").asInt()).isEqualTo(600);
    assertThat(body.path("filter").asText()).isEqualTo("kubernetes.app.revision.name = 'rev-2'");
  }

  @Test
  void elasticSamplePostsWithBasicAuthentication() throws Exception {
    https.on("/my/sales", r -> Answer.json("{\"aggregations\":{\"items_to_sell\":{\"avg_sales\":{\"value\":17.5}}}}"));
    Metric m = providerSample("average-sales");

    assertThat(evaluate(tlsSource, m, version("v2", Map.of("revision", "rev-2")))).isEqualTo(new Observation.Value(17.5));

    Received r = https.last("/my/sales");
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.header("Authorization"))
        .isEqualTo("Basic " + Base64.getEncoder().encodeToString((ELASTIC_USER + ":" + ELASTIC_PASSWORD).getBytes(StandardCharsets.UTF_8)));
    JsonNode body = ApiMapper.json().readTree(r.body());
    assertThat(body.at("/aggs/range/date_range/ranges/0/from").asText()).isEqualTo("now-600s/s");
    assertThat(body.at("/aggs/items_to_sell/filter/term/version").asText()).isEqualTo("rev-2");
  }

  @Test
  void bearerWithoutAnAuthorizationTemplateSendsTheSecretsToken() {
    http.on("/bearer", r -> Answer.json("{\"v\": 1}"));
    evaluate(metric("urlTemplate: %s/bearer\njqExpression: .v\nauthType: Bearer\nsecret: plain".formatted(http.url())));
    assertThat(http.last("/bearer").header("Authorization")).isEqualTo("Bearer " + PLAIN_TOKEN);
  }

  @Test
  void headersAreFilledFromTheSecretOnlyForApiKeyAndBearer() {
    http.on("/headers", r -> Answer.json("{\"v\": 1}"));
    String base = "urlTemplate: %s/headers\njqExpression: .v\nsecret: plain\nheaderTemplates: [{name: X-Token, value: '${token}'}]\n"
        .formatted(http.url());

    evaluate(metric(base + "authType: APIKey"));
    assertThat(http.last("/headers").header("X-Token")).isEqualTo(PLAIN_TOKEN);

    evaluate(metric(base));
    assertThat(http.last("/headers").header("X-Token")).isEqualTo("${token}");
  }

  @Test
  void theUrlIsFilledFromTheSecretAndABareSecretNameIsInTheAgentsNamespace() {
    http.on("/from-secret", r -> Answer.json("{\"v\": 3}"));
    String url = http.url().replace("127.0.0.1", "${host}");
    assertThat(evaluate(metric("urlTemplate: %s/from-secret\njqExpression: .v\nsecret: plain".formatted(url))))
        .isEqualTo(new Observation.Value(3));
  }

  @Test
  void backendErrorsAreErrorsWithTheStatusAndNoCredential() {
    // A backend that echoes the credentials it got, as some error pages do.
    https.on("/echo", r -> Answer.status(401, "{\"error\":\"bad key " + r.header("X-Query-Key") + "\"}"));
    Metric m = metric("""
        urlTemplate: https://localhost:%d/echo
        jqExpression: .v
        authType: APIKey
        secret: myns/nrcredentials
        headerTemplates: [{name: X-Query-Key, value: '${mykey}'}]
        """.formatted(port(https)));

    String reason = reason(evaluate(tlsSource, m, new VersionDetail("v2")));

    assertThat(reason).startsWith("metric team/m (version v2): HTTP 401 from https://localhost:").contains("bad key <redacted>");
    assertThat(reason).doesNotContain(NR_KEY);
  }

  @Test
  void failuresAreErrorsNamingTheMetricAndWhy() {
    http.on("/500", r -> Answer.status(500, "{\"status\":\"error\",\"error\":\"overloaded\"}"));
    http.on("/html", r -> new Answer(200, "<html>login</html>", false));
    http.on("/slow", r -> Answer.never());
    http.on("/redirect", r -> new Answer(302, "", false));
    String u = http.url();
    HttpMetricsSource impatient = new HttpMetricsSource(plainClient, SECRETS, "iter8-system", Duration.ofMillis(300));

    assertThat(reason(evaluate(metric("urlTemplate: %s/500\njqExpression: .v".formatted(u)))))
        .isEqualTo("metric team/m (version v2): HTTP 500 from " + u + "/500: {\"status\":\"error\",\"error\":\"overloaded\"}");
    assertThat(reason(evaluate(metric("urlTemplate: %s/html\njqExpression: .v".formatted(u)))))
        .isEqualTo("metric team/m (version v2): the response is not JSON: <html>login</html>");
    assertThat(reason(evaluate(impatient, metric("urlTemplate: %s/slow\njqExpression: .v".formatted(u)), new VersionDetail("v2"))))
        .isEqualTo("metric team/m (version v2): no answer from " + u + "/slow within 300 ms");
    assertThat(reason(evaluate(metric("urlTemplate: %s/redirect\njqExpression: .v".formatted(u)))))
        .startsWith("metric team/m (version v2): HTTP 302 from ");
    assertThat(reason(evaluate(metric("urlTemplate: %s/x\njqExpression: .v\nmethod: POST\nbody: '{\"a\": $name}'".formatted(u)))))
        .startsWith("metric team/m (version v2): the body is not valid JSON after substitution: ");
    assertThat(reason(evaluate(metric("urlTemplate: %s/x\njqExpression: .v\nsecret: myns/absent".formatted(u)))))
        .isEqualTo("metric team/m (version v2): Secret myns/absent not found");
    assertThat(reason(evaluate(metric("urlTemplate: %s/x\njqExpression: .v\nauthType: Basic\nsecret: myns/userless".formatted(u)))))
        .isEqualTo("metric team/m (version v2): authType Basic needs the key 'password' in Secret myns/userless");
    assertThat(reason(evaluate(metric("urlTemplate: 'http://'\njqExpression: .v"))))
        .startsWith("metric team/m (version v2): ");
  }

  @Test
  void certificatesAreVerifiedUnlessConfiguredOtherwise() {
    https.on("/tls", r -> Answer.json("{\"v\": 5}"));
    Metric m = metric("urlTemplate: %s/tls\njqExpression: .v".formatted(https.url()));

    HttpMetricsSource verifying = HttpMetricsSource.create(vertx, SECRETS, AgentConfig.fromEnv(Map.of()));
    assertThat(reason(evaluate(verifying, m, new VersionDetail("v2"))))
        .startsWith("metric team/m (version v2): TLS with " + https.url() + "/tls failed: ")
        .endsWith("(a private CA can be trusted with ITER8_METRICS_CA_FILE)");

    assertThat(evaluate(tlsSource, m, new VersionDetail("v2"))).isEqualTo(new Observation.Value(5));

    HttpMetricsSource insecure =
        HttpMetricsSource.create(vertx, SECRETS, AgentConfig.fromEnv(Map.of("ITER8_METRICS_INSECURE_SKIP_TLS_VERIFY", "true")));
    assertThat(evaluate(insecure, m, new VersionDetail("v2"))).isEqualTo(new Observation.Value(5));
  }

  @Test
  void anUnreadableCaBundleStopsTheAgentAtStartUp() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> AgentConfig.fromEnv(Map.of("ITER8_METRICS_CA_FILE", "/nonexistent/ca.crt")))
        .hasMessageContaining("ITER8_METRICS_CA_FILE=/nonexistent/ca.crt: not a readable file");
  }

  @Test
  void noCredentialReachesAReasonOrALogLine() throws Exception {
    ch.qos.logback.classic.Logger root =
        (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level before = root.getLevel();
    // The agent's own loggers may be configured apart from the root (logback-test.xml): open them too.
    ch.qos.logback.classic.Logger iter8 = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("tools.iter8");
    Level iter8Before = iter8.getLevel();
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    root.setLevel(Level.TRACE);
    iter8.setLevel(Level.TRACE);
    List<String> reasons = new ArrayList<>();
    try {
      https.on("/leak", r -> Answer.status(403, "{\"error\":\"denied for " + r.header("Authorization") + " / "
          + r.header("X-Query-Key") + " from " + r.query() + "\"}"));
      https.on("/leak-ok", r -> Answer.json("{\"echo\": \"" + r.header("Authorization") + "\"}"));
      int port = port(https);
      int closed = closedPort();
      List<Metric> metrics = List.of(
          // Every credential-bearing sample, answered with an error that echoes the credentials.
          retarget(providerSample("name-count"), "https://localhost:" + port + "/leak"),
          retarget(providerSample("cpu-utilization"), "https://localhost:" + port + "/leak"),
          retarget(providerSample("average-sales"), "https://localhost:" + port + "/leak"),
          // A credential echoed in a 200 answer that is not a number: no data, whose reason quotes the value.
          metric("urlTemplate: https://localhost:%d/leak-ok\njqExpression: .echo\nauthType: Bearer\nsecret: myns/sdcredentials"
              .formatted(port)),
          // Unreachable host and port taken from the Secret: the connection error quotes them.
          metric("urlTemplate: 'http://${host}:%d/x'\njqExpression: .v\nauthType: Bearer\nsecret: plain".formatted(closed)),
          // The account id in the URL path of a server that never answers: the timeout message quotes the URI.
          retarget(providerSample("name-count"), "https://localhost:" + port + "/never/${accountid}"));
      https.on("/never/" + NR_ACCOUNT, r -> Answer.never());
      HttpMetricsSource impatient = HttpMetricsSource.create(vertx, SECRETS,
          AgentConfig.fromEnv(Map.of("ITER8_METRICS_CA_FILE", certificate.certificatePath(), "ITER8_METRICS_TIMEOUT", "500ms")));
      for (Metric m : metrics) {
        Observation o = evaluate(impatient, m, version("v2", Map.of("revision", "rev-2")));
        reasons.add(reason(o));
      }
    } finally {
      root.detachAppender(logs);
      root.setLevel(before);
      iter8.setLevel(iter8Before);
    }
    assertThat(reasons).hasSize(6);
    assertThat(reasons.get(3)).startsWith("jq expression '.echo' produced the string \"Bearer <redacted>\", not a number");
    // The first five quote text with credentials in it (echoed by the backend, or in an exception message).
    assertThat(reasons.subList(0, 5)).allSatisfy(r -> assertThat(r).contains("<redacted>"));
    List<String> lines = new ArrayList<>();
    for (ILoggingEvent e : logs.list) {
      lines.add(e.getFormattedMessage());
      for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
        lines.add(t.getClassName() + ": " + t.getMessage());
      }
    }
    assertThat(lines).as("log lines of the agent").anyMatch(l -> l.contains("metric team/m"));
    for (String credential : CREDENTIALS) {
      assertThat(reasons).as("reasons").noneMatch(r -> r.contains(credential));
      assertThat(lines).as("log lines").noneMatch(l -> l.contains(credential));
    }
  }

  /** One of the original's provider samples from docs/examples/v2alpha2, pointed at the HTTPS stand-in. */
  private static Metric providerSample(String name) {
    try {
      Path file = MetricsTestSupport.repositoryRoot().resolve("docs/examples/v2alpha2/metrics-providers.yaml");
      for (JsonNode doc : ApiMapper.readAll(Files.readString(file))) {
        if (doc.path("metadata").path("name").asText().equals(name)) {
          Metric m = ApiMapper.fromTree(doc, Metric.class);
          String url = m.spec().urlTemplate().replaceFirst("^https://[^/]+", "https://localhost:" + port(https));
          return MetricsTestSupport.withUrl(m, url);
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    throw new IllegalArgumentException("no sample " + name);
  }

  private static Metric retarget(Metric m, String url) {
    return MetricsTestSupport.withUrl(m, url);
  }

  private static int port(HttpBackend backend) {
    return Integer.parseInt(backend.url().substring(backend.url().lastIndexOf(':') + 1));
  }

  private static int closedPort() throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
