package tools.iter8.agent.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.core.http.HttpResponseHead;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.iter8.agent.AgentConfig;
import tools.iter8.agent.metrics.SecretSource.SecretException;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.MetricSpec;
import tools.iter8.core.api.NamedValue;
import tools.iter8.core.defaults.MetricDefaults;
import tools.iter8.core.metrics.Observation;
import tools.iter8.core.metrics.Template;

/**
 * Evaluates a Metric against Prometheus or any HTTP+JSON backend exactly as the original analytics did
 * (reference §2.2–2.3), with the Vert.x Web Client:
 *
 * <ol>
 *   <li>{@code urlTemplate}, filled from the Secret's data when {@code secret} is set;
 *   <li>{@code params}, each value a template of {@code $name}, {@code $elapsedTime}, {@code $namespace}
 *       and the version's variables ({@link MetricQuery#templateValues()});
 *   <li>{@code headerTemplates}, filled from the Secret's data only for {@code authType} APIKey or Bearer;
 *   <li>Basic authentication from the Secret's {@code username} and {@code password}; for Bearer without
 *       an {@code Authorization} header template, {@code Authorization: Bearer <token>} when the Secret has a
 *       {@code token} (ours; the original left that to the header template);
 *   <li>{@code body}, a template like params, parsed as JSON and sent as {@code application/json};
 *   <li>{@code method} GET or POST; one timeout for the whole request; redirects are not followed (they
 *       could carry credentials to another host);
 *   <li>the JSON response through {@code jqExpression}: see {@link ResponseEvaluator} for value, no data
 *       and error.
 * </ol>
 *
 * <p>A bare {@code secret} name resolves in the agent's own namespace, as the original. Differences from
 * the original, on purpose: TLS certificates are verified (the original passed {@code verify=False}),
 * non-2xx answers are errors with the status and an excerpt of the body, and nothing derived from a
 * Secret reaches a reason or a log line: messages show the {@code urlTemplate}, never the URL or headers,
 * and every text is passed through a {@link Redactor} of the Secret's values.
 */
public final class HttpMetricsSource implements MetricsSource {
  private static final Logger LOG = LoggerFactory.getLogger(HttpMetricsSource.class);

  static final String USER_AGENT = "iter8-agent";

  private final WebClient client;
  private final SecretSource secrets;
  private final String systemNamespace;
  private final Duration timeout;
  private final ObjectMapper json = ApiMapper.json();
  private final ResponseEvaluator evaluator = new ResponseEvaluator(json);

  /**
   * @param client the Web Client (see {@link #clientOptions(AgentConfig)}); not closed by this source
   * @param secrets where credentials come from
   * @param systemNamespace the agent's namespace, where bare Secret names resolve
   * @param timeout the deadline of one query, connection included
   */
  public HttpMetricsSource(WebClient client, SecretSource secrets, String systemNamespace, Duration timeout) {
    this.client = client;
    this.secrets = secrets;
    this.systemNamespace = systemNamespace;
    this.timeout = timeout;
  }

  /** A source with a Web Client configured from the agent configuration. */
  public static HttpMetricsSource create(Vertx vertx, SecretSource secrets, AgentConfig config) {
    WebClient client = WebClient.create(vertx, clientOptions(config), new PoolOptions().setHttp1MaxSize(16));
    return new HttpMetricsSource(client, secrets, config.systemNamespace(), config.metricsTimeout());
  }

  /**
   * Web Client options: certificates and host names verified against the JVM's CAs plus
   * {@code metricsCaFile}, unless {@code metricsInsecureSkipTlsVerify}; no redirects; the metrics timeout
   * as connect timeout.
   */
  public static WebClientOptions clientOptions(AgentConfig config) {
    WebClientOptions options =
        new WebClientOptions()
            .setUserAgent(USER_AGENT)
            .setFollowRedirects(false)
            .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.metricsTimeout().toMillis()))
            .setVerifyHost(true);
    if (config.metricsInsecureSkipTlsVerify()) {
      LOG.warn(
          "ITER8_METRICS_INSECURE_SKIP_TLS_VERIFY=true: certificates of HTTPS metrics backends are not verified, "
              + "so credentials from Secrets may be sent to an impostor");
      options.setTrustAll(true).setVerifyHost(false);
    } else if (config.metricsCaFile() != null) {
      options.setTrustOptions(MetricsTls.withExtraCas(Path.of(config.metricsCaFile())));
    }
    return options;
  }

  @Override
  public Future<Observation> evaluate(MetricQuery query) {
    MetricSpec spec = MetricDefaults.apply(query.metric()).spec();
    String prefix = "metric " + query.metricKey() + " (version " + query.version().name() + "): ";
    boolean histogram = ResponseEvaluator.isHistogram(spec.type());
    long started = System.nanoTime();
    return Future.succeededFuture(spec)
        .compose(this::credentials)
        .compose(
            creds ->
                send(query, spec, creds)
                    .map(body -> evaluator.evaluate(body, spec.jqExpression(), histogram, prefix))
                    .recover(e -> Future.succeededFuture(new Observation.Error(prefix + describe(e, spec))))
                    .map(observation -> redact(hint(observation, query, spec), creds.redactor())))
        .recover(e -> Future.succeededFuture(new Observation.Error(prefix + describe(e, spec))))
        .onSuccess(o -> log(query, o, started));
  }

  /** The Secret's data and its redactor; none when the Metric has no {@code secret}. */
  private Future<Credentials> credentials(MetricSpec spec) {
    if (spec.secret() == null || spec.secret().isBlank()) {
      return Future.succeededFuture(Credentials.NONE);
    }
    String ref = spec.secret().strip();
    int slash = ref.indexOf('/');
    String namespace = slash < 0 ? systemNamespace : ref.substring(0, slash);
    String name = slash < 0 ? ref : ref.substring(slash + 1);
    return secrets
        .secret(namespace, name)
        .map(data -> Credentials.of(namespace + "/" + name, data, spec.authType()));
  }

  private Future<String> send(MetricQuery query, MetricSpec spec, Credentials creds) {
    HttpRequest<Buffer> request;
    Buffer body;
    try {
      String url = creds.present() ? Template.safeSubstitute(spec.urlTemplate(), creds.data()) : spec.urlTemplate();
      request =
          client
              .requestAbs(HttpMethod.valueOf(spec.method()), url)
              .timeout(timeout.toMillis())
              .followRedirects(false);
      Map<String, String> values = query.templateValues();
      for (NamedValue p : nonNull(spec.params())) {
        request.addQueryParam(p.name(), Template.safeSubstitute(p.value(), values));
      }
      boolean interpolateHeaders =
          creds.present() && ("APIKey".equals(spec.authType()) || "Bearer".equals(spec.authType()));
      boolean authorizationHeader = false;
      for (NamedValue h : nonNull(spec.headerTemplates())) {
        request.putHeader(h.name(), interpolateHeaders ? Template.safeSubstitute(h.value(), creds.data()) : h.value());
        authorizationHeader |= "Authorization".equalsIgnoreCase(h.name());
      }
      if ("Basic".equals(spec.authType())) {
        request.basicAuthentication(creds.require("username", "Basic"), creds.require("password", "Basic"));
      } else if ("Bearer".equals(spec.authType()) && !authorizationHeader && creds.data().containsKey("token")) {
        request.bearerTokenAuthentication(creds.data().get("token"));
      }
      body = spec.body() == null ? null : jsonBody(Template.safeSubstitute(spec.body(), values));
      if (body != null) {
        request.putHeader("Content-Type", "application/json");
      }
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    Future<HttpResponse<Buffer>> response = body == null ? request.send() : request.sendBuffer(body);
    return response
        .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .expecting(HttpResponseExpectation.SC_SUCCESS.wrappingFailure(BackendStatusException::of))
        .map(r -> r.body() == null ? "" : r.body().toString());
  }

  private Buffer jsonBody(String text) {
    try {
      return Buffer.buffer(json.writeValueAsBytes(json.readTree(text)));
    } catch (JsonProcessingException e) {
      throw new RequestException(
          "the body is not valid JSON after substitution: " + ResponseEvaluator.excerpt(e.getOriginalMessage()));
    }
  }

  /** Why the query failed, without credentials (the caller redacts what is not ours). */
  private String describe(Throwable failure, MetricSpec spec) {
    String where = spec.urlTemplate();
    for (Throwable e = failure; e != null; e = e.getCause()) {
      if (e instanceof BackendStatusException b) {
        return "HTTP " + b.status + " from " + where + (b.body.isBlank() ? "" : ": " + ResponseEvaluator.excerpt(b.body));
      }
      if (e instanceof RequestException || e instanceof SecretException) {
        return e.getMessage();
      }
      if (e instanceof TimeoutException || e.getClass().getSimpleName().contains("Timeout")) {
        return "no answer from " + where + " within " + timeout.toMillis() + " ms";
      }
      if (e instanceof UnknownHostException) {
        return "unknown host in " + where + ": " + e.getMessage();
      }
      if (e instanceof ConnectException) {
        return "cannot connect to " + where + ": " + e.getMessage();
      }
      if (e instanceof SSLException) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
          root = root.getCause();
        }
        return "TLS with " + where + " failed: " + ResponseEvaluator.excerpt(root.getMessage())
            + " (a private CA can be trusted with ITER8_METRICS_CA_FILE)";
      }
    }
    String message = failure.getMessage();
    return "request to " + where + " failed: " + failure.getClass().getSimpleName()
        + (message == null ? "" : ": " + ResponseEvaluator.excerpt(message));
  }

  /**
   * No data because of a placeholder nobody filled (the original leaves them verbatim, so the query
   * silently matches nothing) says so: e.g. a hand-written experiment using a built-in set without the
   * {@code workload} variable.
   */
  private static Observation hint(Observation o, MetricQuery query, MetricSpec spec) {
    if (!(o instanceof Observation.NoData n)) {
      return o;
    }
    Map<String, String> values = query.templateValues();
    Set<String> unresolved = new TreeSet<>();
    for (NamedValue p : nonNull(spec.params())) {
      unresolved.addAll(Template.of(p.value()).identifiers());
    }
    if (spec.body() != null) {
      unresolved.addAll(Template.of(spec.body()).identifiers());
    }
    unresolved.removeAll(values.keySet());
    if (unresolved.isEmpty()) {
      return o;
    }
    return new Observation.NoData(
        n.reason() + " (the query has unresolved placeholders "
            + unresolved.stream().map(id -> "$" + id).collect(Collectors.joining(", "))
            + ": are they missing from the version's variables?)");
  }

  private static Observation redact(Observation o, Redactor redactor) {
    if (o instanceof Observation.Error e) {
      return new Observation.Error(redactor.redact(e.reason()));
    }
    if (o instanceof Observation.NoData n) {
      return new Observation.NoData(redactor.redact(n.reason()));
    }
    return o;
  }

  private static void log(MetricQuery query, Observation o, long started) {
    if (LOG.isDebugEnabled()) {
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      LOG.debug("{}: {} in {} ms: {}", query.describe(), o.outcome(), millis, Observations.detail(o));
    }
  }

  private static <T> List<T> nonNull(List<T> list) {
    return list == null ? List.of() : list;
  }

  /** The Secret's data for one query, and what to redact. */
  private record Credentials(String secret, Map<String, String> data, Redactor redactor) {
    static final Credentials NONE = new Credentials(null, Map.of(), Redactor.NONE);

    static Credentials of(String secret, Map<String, String> data, String authType) {
      Redactor redactor =
          "Basic".equals(authType)
              ? Redactor.of(data.values(), data.get("username"), data.get("password"))
              : Redactor.of(data.values(), null, null);
      return new Credentials(secret, Map.copyOf(data), redactor);
    }

    boolean present() {
      return secret != null;
    }

    String require(String key, String authType) {
      String v = data.get(key);
      if (v == null) {
        throw new RequestException(
            "authType " + authType + " needs the key '" + key + "' in Secret "
                + (secret == null ? "(no secret set)" : secret));
      }
      return v;
    }
  }

  /** A query that cannot be built; the message names why, without credentials. */
  private static final class RequestException extends RuntimeException {
    RequestException(String message) {
      super(message, null, false, false);
    }
  }

  /** A non-2xx answer, with its body for the reason. */
  private static final class BackendStatusException extends RuntimeException {
    final int status;
    final String body;

    private BackendStatusException(int status, String body) {
      super("HTTP " + status, null, false, false);
      this.status = status;
      this.body = body == null ? "" : body;
    }

    static Throwable of(HttpResponseHead head, Throwable cause) {
      String body = head instanceof HttpResponse<?> r && r.body() != null ? r.body().toString() : "";
      return new BackendStatusException(head.statusCode(), body);
    }
  }
}
