package tools.iter8.agent.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static tools.iter8.agent.tasks.TaskTestSupport.await;
import static tools.iter8.agent.tasks.TaskTestSupport.canaryWithStatus;
import static tools.iter8.agent.tasks.TaskTestSupport.context;
import static tools.iter8.agent.tasks.TaskTestSupport.failure;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.iter8.agent.metrics.SecretSource;
import tools.iter8.agent.tasks.HttpStandIn.Answer;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.TaskSpec;

/** {@link SlackNotificationTask} against a local stand-in of Slack's Web API. */
class SlackNotificationTaskTest {
  private static final String BOT_TOKEN = "xoxb-1111-2222-secret";
  private static final SecretSource SECRETS = SecretSource.of(Map.of(
      "shop/slack", Map.of("token", BOT_TOKEN),
      "shop/no-token", Map.of("webhook", "https://hooks.slack.com/x")));

  private static Vertx vertx;
  private static HttpStandIn slack;
  private static WebClient client;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    slack = await(new HttpStandIn(vertx).start());
    slack.on("/ok/chat.postMessage", r -> Answer.ok("{\"ok\": true, \"channel\": \"C123\", \"ts\": \"1.2\"}"));
    slack.on("/refuses/chat.postMessage", r -> Answer.ok("{\"ok\": false, \"error\": \"channel_not_found\"}"));
    slack.on("/broken/chat.postMessage", r -> Answer.status(500, "upstream " + r.header("Authorization")));
    client = WebClient.create(vertx);
  }

  @AfterAll
  static void stop() {
    client.close();
    await(slack.stop());
    await(vertx.close());
  }

  private static SlackNotificationTask slackAt(String path) {
    return new SlackNotificationTask(client, SECRETS, slack.url(path), Duration.ofSeconds(5));
  }

  private static TaskSpec spec(String with) {
    return TaskTestSupport.spec("notification/slack", with);
  }

  @Test
  void postsTheOriginalsBlocksWithTheBotToken() {
    Experiment e = canaryWithStatus("""
        stage: Finishing
        decision: {action: Promote, reason: "P(error-rate <= 0.01) > 0.95 & latency ok"}
        analysis: {winnerAssessment: {data: {winnerFound: true, winner: candidate}}}
        """);

    TaskOutcome outcome = await(slackAt("/ok").run(context(e), spec("{channel: '#releases', secret: slack}")));

    HttpStandIn.Received r = slack.last("/ok/chat.postMessage");
    JsonNode message = ApiMapper.read(r.body(), JsonNode.class);
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.header("Authorization")).isEqualTo("Bearer " + BOT_TOKEN);
    assertThat(r.header("Content-Type")).startsWith("application/json");
    assertThat(message.path("channel").asText()).isEqualTo("#releases");
    assertThat(message.at("/blocks/0/text/type").asText()).isEqualTo("mrkdwn");
    assertThat(message.at("/blocks/0/text/text").asText()).isEqualTo("*Canary experiment on shop/backend*");
    assertThat(message.at("/attachments/0/blocks/0/text/text").asText()).isEqualTo("""
        *Name:* _shop/exp_
        *Versions:* _baseline, candidate_
        *Stage:* _Finishing_
        *Winner:* _candidate_
        *Reason:* P(error-rate &lt;= 0.01) &gt; 0.95 &amp; latency ok""");
    assertThat(message.path("text").asText()).isEqualTo("Canary experiment on shop/backend: Finishing, winner candidate");
    assertThat(outcome.message()).isEqualTo("posted to Slack channel #releases");
  }

  @Test
  void aFailedExperimentWithoutWinnerSaysNotFoundAndFailed() {
    Experiment e = canaryWithStatus("""
        stage: Completed
        conditions: [{type: Failed, status: "True", reason: HandlerFailed}]
        analysis: {winnerAssessment: {data: {winnerFound: false}}}
        """);

    await(slackAt("/ok").run(context(e), spec("{channel: C123, secret: shop/slack}")));

    String text = ApiMapper.read(slack.last("/ok/chat.postMessage").body(), JsonNode.class)
        .at("/attachments/0/blocks/0/text/text").asText();
    assertThat(text).contains("*Winner:* _not found_").contains("*Failed:* _true_").contains("*Stage:* _Completed_");
  }

  @Test
  void slacksOkFalseIsAFailureWithSlacksError() {
    Throwable e = failure(slackAt("/refuses").run(context(canaryWithStatus("stage: Running")), spec("{channel: '#gone', secret: slack}")));

    assertThat(e).isInstanceOf(TaskException.class).hasMessage("Slack refused the message: channel_not_found");
  }

  @Test
  void httpErrorsAndMissingTokensFailWithoutShowingTheToken() {
    Experiment e = canaryWithStatus("stage: Running");

    Throwable broken = failure(slackAt("/broken").run(context(e), spec("{channel: '#releases', secret: slack}")));
    Throwable noToken = failure(slackAt("/ok").run(context(e), spec("{channel: '#releases', secret: no-token}")));
    Throwable noChannel = failure(slackAt("/ok").run(context(e), spec("{secret: slack}")));

    assertThat(broken).hasMessage("HTTP 500 from Slack chat.postMessage to #releases: upstream Bearer <redacted>");
    assertThat(noToken).hasMessage("notification/slack needs the key 'token' in Secret shop/no-token");
    assertThat(noChannel).hasMessage("with.channel is required");
  }

  @Test
  void aSlackFailureIsIgnoredByDefault() {
    assertThat(slackAt("/ok").ignoresFailureByDefault()).isTrue();
  }
}
