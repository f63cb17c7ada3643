package tools.iter8.agent.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.iter8.agent.metrics.SecretSource;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.TaskSpec;
import tools.iter8.core.tasks.BuiltinTask;

/**
 * {@code notification/slack}: posts the experiment's state to a Slack channel (reference §4.7). Inputs
 * as the original: {@code channel}, {@code secret} ({@code namespace/name}, a bare name being in the
 * experiment's namespace) whose key {@code token} is a bot token with {@code chat:write}, and
 * {@code ignoreFailure} (true by default).
 *
 * <p>The message is the original's: a bold title {@code <testingPattern> experiment on <target>}, then
 * Name ({@code namespace/name}), Versions, Stage, Winner ({@code not found} when there is none) and
 * {@code Failed: true} when the experiment failed; ours adds Reason, the last decision's reason. It goes
 * to {@code <slackApiUrl>/chat.postMessage} as JSON with {@code Authorization: Bearer <token>}. Slack
 * answers HTTP 200 even when it refuses a message, so {@code "ok": false} is a failure carrying Slack's
 * {@code error} (e.g. {@code channel_not_found}, {@code not_in_channel}, {@code invalid_auth}).
 */
public final class SlackNotificationTask implements Task {
  /** Slack's Web API. */
  public static final String DEFAULT_API_URL = "https://slack.com/api";

  private final WebClient client;
  private final SecretSource secrets;
  private final String apiUrl;
  private final Duration timeout;

  /**
   * @param client shared; not closed by the task
   * @param apiUrl Slack's Web API base URL, {@link #DEFAULT_API_URL} outside tests
   */
  public SlackNotificationTask(WebClient client, SecretSource secrets, String apiUrl, Duration timeout) {
    this.client = client;
    this.secrets = secrets;
    this.apiUrl = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
    this.timeout = timeout;
  }

  public SlackNotificationTask(WebClient client, SecretSource secrets) {
    this(client, secrets, DEFAULT_API_URL, HttpNotificationTask.DEFAULT_TIMEOUT);
  }

  @Override
  public String name() {
    return BuiltinTask.NOTIFICATION_SLACK.taskName();
  }

  @Override
  public boolean ignoresFailureByDefault() {
    return true;
  }

  @Override
  public Future<TaskOutcome> run(TaskContext context, TaskSpec spec) {
    String channel;
    String secret;
    try {
      TaskInputs with = new TaskInputs(spec.with());
      channel = with.requiredString("channel");
      secret = with.requiredString("secret");
    } catch (TaskException e) {
      return Future.failedFuture(e);
    }
    String where = "Slack chat.postMessage to " + channel;
    return TaskCredentials.read(secrets, secret, context.experiment().metadata().namespace())
        .compose(creds -> post(creds, message(channel, ExperimentSummary.of(context.experiment())))
            .recover(e -> Future.failedFuture(
                new TaskException(creds.redaction().apply(HttpFailures.describe(e, where, timeout))))))
        .map(v -> TaskOutcome.done("posted to Slack channel " + channel));
  }

  private Future<Void> post(TaskCredentials creds, ObjectNode message) {
    String token;
    try {
      token = creds.require("token", "notification/slack");
    } catch (TaskException e) {
      return Future.failedFuture(e);
    }
    return client.postAbs(apiUrl + "/chat.postMessage")
        .timeout(timeout.toMillis())
        .followRedirects(false)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .bearerTokenAuthentication(token)
        .sendBuffer(Buffer.buffer(ApiMapper.toJson(message)))
        .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .expecting(HttpResponseExpectation.SC_SUCCESS.wrappingFailure(HttpFailures.StatusException::of))
        .compose(SlackNotificationTask::accepted);
  }

  /** Slack's verdict is in the body: {@code {"ok": true}} or {@code {"ok": false, "error": "..."}}. */
  private static Future<Void> accepted(HttpResponse<Buffer> response) {
    JsonNode answer;
    try {
      answer = ApiMapper.json().readTree(response.body() == null ? "" : response.body().toString());
    } catch (IOException e) {
      return Future.failedFuture(new TaskException("Slack answered with something that is not JSON"));
    }
    if (answer != null && answer.path("ok").asBoolean(false)) {
      return Future.succeededFuture();
    }
    String error = answer == null ? "" : answer.path("error").asText("");
    return Future.failedFuture(new TaskException(
        "Slack refused the message: " + (error.isBlank() ? "ok is not true" : error)));
  }

  /** The original's blocks, as JSON for {@code chat.postMessage}. */
  static ObjectNode message(String channel, ExperimentSummary s) {
    String title = bold(escape(s.testingPattern() + " experiment on " + s.target()));
    List<String> lines = new ArrayList<>();
    lines.add(bold("Name:") + " " + italic(escape(s.key())));
    lines.add(bold("Versions:") + " " + italic(escape(String.join(", ", s.versions()))));
    lines.add(bold("Stage:") + " " + italic(escape(s.stage())));
    lines.add(bold("Winner:") + " " + italic(escape(s.winner() == null ? "not found" : s.winner())));
    if (s.failed()) {
      lines.add(bold("Failed:") + " " + italic("true"));
    }
    if (s.reason() != null && !s.reason().isBlank()) {
      lines.add(bold("Reason:") + " " + escape(s.reason()));
    }
    ObjectNode message = ApiMapper.json().createObjectNode();
    message.put("channel", channel);
    // The plain-text fallback Slack shows in notifications and to screen readers.
    message.put("text", s.testingPattern() + " experiment on " + s.target() + ": " + s.stage()
        + ", winner " + (s.winner() == null ? "not found" : s.winner()));
    section(message.putArray("blocks"), title);
    section(message.putArray("attachments").addObject().putArray("blocks"), String.join("\n", lines));
    return message;
  }

  private static void section(ArrayNode blocks, String markdown) {
    ObjectNode text = blocks.addObject().put("type", "section").putObject("text");
    text.put("type", "mrkdwn").put("text", markdown);
  }

  private static String bold(String text) {
    return "*" + text + "*";
  }

  private static String italic(String text) {
    return "_" + text + "_";
  }

  /** Slack's mrkdwn control characters; everything else is shown as written. */
  private static String escape(String text) {
    return String.valueOf(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
