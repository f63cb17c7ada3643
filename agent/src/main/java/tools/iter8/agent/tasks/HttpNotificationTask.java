package tools.iter8.agent.tasks;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.iter8.agent.metrics.SecretSource;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.TaskSpec;
import tools.iter8.core.metrics.Template;
import tools.iter8.core.tasks.BuiltinTask;

/**
 * {@code notification/http}: sends the experiment's outcome to a URL (reference §4.7), e.g. a chat
 * webhook or a CI system's dispatch API. Inputs:
 *
 * <ul>
 *   <li>{@code url} (also {@code URL}, the original's spelling), filled from the Secret's data when
 *       {@code secret} is set, as a Metric's {@code urlTemplate};
 *   <li>{@code method}: POST (default), PUT, PATCH or GET (a GET carries no body);
 *   <li>{@code authType}: {@code Basic} (the Secret's {@code username} and {@code password}),
 *       {@code Bearer} ({@code Authorization: Bearer <token>} unless a header sets Authorization) or
 *       {@code APIKey} (headers only); {@code secret}: {@code namespace/name}, a bare name being in the
 *       experiment's namespace;
 *   <li>{@code headers}: {@code [{name, value}]}; for Bearer and APIKey, values are templates over the
 *       Secret's data ({@code Authorization: "Token $apikey"}), exactly like a Metric's
 *       {@code headerTemplates};
 *   <li>{@code body}: a template over the experiment (below); by default the original's summary,
 *       {@code {summary: {winnerFound, winner?, versionRecommendedForPromotion?, lastRecommendedWeights?},
 *       experiment: <the Experiment>}};
 *   <li>{@code ignoreFailure}: true by default, as the original: a notification that does not arrive does
 *       not fail the experiment.
 * </ul>
 *
 * <p>Body placeholders ({@code $name} or {@code ${name}}, Python {@code safe_substitute} rules as for
 * Metrics): {@code name}, {@code namespace}, {@code target}, {@code testingPattern}, {@code stage},
 * {@code action}, {@code winnerFound}, {@code winner}, {@code versionRecommendedForPromotion},
 * {@code baseline}, {@code candidates} (comma-separated), {@code failed}, {@code reason}, whose values are
 * JSON-escaped so they can sit inside JSON strings; and {@code summary} and {@code experiment}, which are
 * JSON documents. The original used Go templates over the Experiment instead; the agent keeps one template
 * language everywhere. The Secret's data is never put into the body.
 *
 * <p>The request has {@code Content-type: application/json}, a 5 s deadline and does not follow redirects
 * (they could carry credentials elsewhere). A non-2xx answer is a failure. Messages show the URL as
 * written, never filled in, and pass through a {@link Redaction} of the Secret's values.
 */
public final class HttpNotificationTask implements Task {
  private static final Logger LOG = LoggerFactory.getLogger(HttpNotificationTask.class);

  /** The original's client timeout. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private static final List<String> METHODS = List.of("POST", "PUT", "PATCH", "GET");
  private static final List<String> AUTH_TYPES = List.of("Basic", "Bearer", "APIKey");

  private final WebClient client;
  private final SecretSource secrets;
  private final Duration timeout;

  /** @param client shared; not closed by the task */
  public HttpNotificationTask(WebClient client, SecretSource secrets, Duration timeout) {
    this.client = client;
    this.secrets = secrets;
    this.timeout = timeout;
  }

  public HttpNotificationTask(WebClient client, SecretSource secrets) {
    this(client, secrets, DEFAULT_TIMEOUT);
  }

  @Override
  public String name() {
    return BuiltinTask.NOTIFICATION_HTTP.taskName();
  }

  @Override
  public boolean ignoresFailureByDefault() {
    return true;
  }

  /** The parsed inputs. */
  private record Inputs(
      String url, String method, String authType, String secret, Map<String, String> headers, String body) {
    String where() {
      return method + " " + url;
    }
  }

  @Override
  public Future<TaskOutcome> run(TaskContext context, TaskSpec spec) {
    Inputs inputs;
    try {
      inputs = parse(new TaskInputs(spec.with()));
    } catch (TaskException e) {
      return Future.failedFuture(e);
    }
    return TaskCredentials.read(secrets, inputs.secret(), context.experiment().metadata().namespace())
        .compose(creds -> send(context, inputs, creds)
            .recover(e -> Future.failedFuture(
                new TaskException(creds.redaction().apply(HttpFailures.describe(e, inputs.where(), timeout))))))
        .map(status -> TaskOutcome.done(inputs.where() + " answered HTTP " + status));
  }

  private static Inputs parse(TaskInputs with) {
    String url = with.string("url").or(() -> with.string("URL")).filter(s -> !s.isBlank())
        .orElseThrow(() -> new TaskException("with.url is required"));
    String method = with.string("method").map(m -> m.strip().toUpperCase(Locale.ROOT)).orElse("POST");
    if (!METHODS.contains(method)) {
      throw new TaskException("with.method: expected one of " + String.join(", ", METHODS) + ", got " + method);
    }
    String authType = with.string("authType").filter(s -> !s.isBlank()).orElse(null);
    if (authType != null && !AUTH_TYPES.contains(authType)) {
      throw new TaskException("with.authType: expected one of " + String.join(", ", AUTH_TYPES) + ", got " + authType);
    }
    String secret = with.string("secret").filter(s -> !s.isBlank()).orElse(null);
    if (authType != null && secret == null) {
      throw new TaskException("with.authType " + authType + " needs with.secret");
    }
    // A body given as YAML structure rather than text is sent as its JSON.
    String body = with.node("body").map(b -> b.isTextual() ? b.asText() : ApiMapper.toJson(b)).orElse(null);
    return new Inputs(url.strip(), method, authType, secret,
        TaskInputs.stringMap(with.node("headers").orElse(null), "with.headers"), body);
  }

  private Future<Integer> send(TaskContext context, Inputs inputs, TaskCredentials creds) {
    HttpRequest<Buffer> request;
    Buffer body;
    try {
      String url = creds.present() ? Template.safeSubstitute(inputs.url(), creds.data()) : inputs.url();
      request = client.requestAbs(HttpMethod.valueOf(inputs.method()), url)
          .timeout(timeout.toMillis())
          .followRedirects(false)
          .putHeader("Content-type", "application/json");
      boolean fromSecret = creds.present() && ("APIKey".equals(inputs.authType()) || "Bearer".equals(inputs.authType()));
      boolean authorization = false;
      for (Map.Entry<String, String> h : inputs.headers().entrySet()) {
        request.putHeader(h.getKey(), fromSecret ? Template.safeSubstitute(h.getValue(), creds.data()) : h.getValue());
        authorization |= "Authorization".equalsIgnoreCase(h.getKey());
      }
      if ("Basic".equals(inputs.authType())) {
        request.basicAuthentication(creds.require("username", "authType Basic"), creds.require("password", "authType Basic"));
      } else if ("Bearer".equals(inputs.authType()) && !authorization) {
        request.bearerTokenAuthentication(creds.require("token", "authType Bearer"));
      }
      body = "GET".equals(inputs.method()) ? null : Buffer.buffer(body(context, inputs));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    Future<HttpResponse<Buffer>> response = body == null ? request.send() : request.sendBuffer(body);
    return response
        .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .expecting(HttpResponseExpectation.SC_SUCCESS.wrappingFailure(HttpFailures.StatusException::of))
        .map(HttpResponse::statusCode)
        .onSuccess(status -> LOG.debug("experiment {}: {} answered {}", context.experimentKey(), inputs.where(), status));
  }

  private static String body(TaskContext context, Inputs inputs) {
    ExperimentSummary summary = ExperimentSummary.of(context.experiment());
    JsonNode experiment = ApiMapper.toTree(context.experiment());
    ObjectNode defaultBody = ApiMapper.json().createObjectNode();
    defaultBody.set("summary", summary(summary));
    defaultBody.set("experiment", experiment);
    if (inputs.body() == null) {
      return ApiMapper.toJson(defaultBody);
    }
    Map<String, String> values = new HashMap<>();
    put(values, "namespace", context.experiment().metadata().namespace());
    put(values, "name", context.experiment().metadata().name());
    put(values, "target", summary.target());
    put(values, "testingPattern", summary.testingPattern());
    put(values, "stage", summary.stage());
    put(values, "action", context.action() == null ? null : context.action().key());
    put(values, "winnerFound", Boolean.toString(summary.winnerFound()));
    put(values, "winner", summary.winner());
    put(values, "versionRecommendedForPromotion", summary.versionRecommendedForPromotion());
    put(values, "baseline", summary.baseline());
    put(values, "candidates", String.join(",", summary.candidates()));
    put(values, "failed", Boolean.toString(summary.failed()));
    put(values, "reason", summary.reason());
    values.put("summary", ApiMapper.toJson(defaultBody.get("summary")));
    values.put("experiment", ApiMapper.toJson(experiment));
    return Template.safeSubstitute(inputs.body(), values);
  }

  /** The original's summary: winnerFound always, the rest when known. */
  private static ObjectNode summary(ExperimentSummary s) {
    ObjectNode out = ApiMapper.json().createObjectNode();
    out.put("winnerFound", s.winnerFound());
    if (s.winner() != null) {
      out.put("winner", s.winner());
    }
    if (s.versionRecommendedForPromotion() != null) {
      out.put("versionRecommendedForPromotion", s.versionRecommendedForPromotion());
    }
    if (!s.recommendedWeights().isEmpty()) {
      out.set("lastRecommendedWeights", ApiMapper.toTree(s.recommendedWeights()));
    }
    return out;
  }

  /** JSON-escaped, so that a value with quotes cannot break the JSON it is placed in. */
  private static void put(Map<String, String> values, String key, String value) {
    if (value != null) {
      values.put(key, new String(JsonStringEncoder.getInstance().quoteAsString(value)));
    }
  }
}
