package tools.iter8.agent.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static tools.iter8.agent.tasks.TaskTestSupport.assertJson;
import static tools.iter8.agent.tasks.TaskTestSupport.await;
import static tools.iter8.agent.tasks.TaskTestSupport.canaryWithStatus;
import static tools.iter8.agent.tasks.TaskTestSupport.context;
import static tools.iter8.agent.tasks.TaskTestSupport.failure;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.iter8.agent.kube.KubernetesOps;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.agent.metrics.KubernetesSecretSource;
import tools.iter8.agent.metrics.SecretSource;
import tools.iter8.agent.tasks.HttpStandIn.Answer;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.TaskSpec;
import tools.iter8.testkit.kube.KubernetesApiEmulation;

/**
 * {@link HttpNotificationTask} against a local receiver: the original's default body, credentials from
 * Secrets as they arrive on the wire, body templates, failures ignored by default, and no Secret value in
 * any message.
 */
class HttpNotificationTaskTest {
  private static final String TOKEN = "hook-token-6d1f0a";
  private static final String USER = "hook-user";
  private static final String PASSWORD = "hook-pass-93be7c";
  private static final String API_KEY = "hook-apikey-0c55e2";

  private static final SecretSource SECRETS = SecretSource.of(Map.of(
      "shop/hook-token", Map.of("token", TOKEN),
      "shop/hook-basic", Map.of("username", USER, "password", PASSWORD),
      "ops/hook-apikey", Map.of("apikey", API_KEY)));

  /** Finishing, the candidate won, and a reason with characters JSON must escape. */
  private static final Experiment FINISHING = canaryWithStatus("""
      stage: Finishing
      versionRecommendedForPromotion: candidate
      decision: {action: Promote, version: candidate, reason: 'candidate meets "error-rate" with probability 0.97'}
      analysis:
        winnerAssessment: {data: {winnerFound: true, winner: candidate}}
        weights: {data: [{name: baseline, value: 0}, {name: candidate, value: 100}]}
      """);

  private static Vertx vertx;
  private static HttpStandIn receiver;
  private static WebClient client;
  private static HttpNotificationTask task;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    receiver = await(new HttpStandIn(vertx).start());
    receiver.on("/hook", r -> Answer.ok("{\"accepted\": true}"));
    client = WebClient.create(vertx);
    task = new HttpNotificationTask(client, SECRETS);
  }

  @AfterAll
  static void stop() {
    client.close();
    await(receiver.stop());
    await(vertx.close());
  }

  private static TaskSpec spec(String with) {
    return TaskTestSupport.spec("notification/http", with);
  }

  private static Future<TaskOutcome> run(String with) {
    return task.run(context(FINISHING), spec(with));
  }

  @Test
  void theDefaultBodyIsTheOriginalsSummaryWithTheExperiment() {
    TaskOutcome outcome = await(run("{url: '%s'}".formatted(receiver.url("/hook"))));

    HttpStandIn.Received r = receiver.last("/hook");
    JsonNode body = ApiMapper.read(r.body(), JsonNode.class);
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.header("Content-Type")).isEqualTo("application/json");
    assertThat(r.header("Authorization")).isNull();
    assertJson(body.path("summary"), """
        winnerFound: true
        winner: candidate
        versionRecommendedForPromotion: candidate
        lastRecommendedWeights: [{name: baseline, value: 0}, {name: candidate, value: 100}]
        """);
    assertThat(body.path("experiment").path("metadata").path("name").asText()).isEqualTo("exp");
    assertThat(body.path("experiment").path("status").path("stage").asText()).isEqualTo("Finishing");
    assertThat(outcome.message()).isEqualTo("POST " + receiver.url("/hook") + " answered HTTP 200");
  }

  @Test
  void withoutAWinnerTheSummarySaysSoAndOmitsWhatIsUnknown() {
    await(task.run(context(TaskTestSupport.experiment(TaskTestSupport.CANARY)), spec("{URL: '%s'}".formatted(receiver.url("/hook")))));

    assertJson(ApiMapper.read(receiver.last("/hook").body(), JsonNode.class).path("summary"), "{winnerFound: false}");
  }

  @Test
  void bearerAndBasicCredentialsComeFromTheSecretInTheExperimentsNamespace() {
    await(run("{url: '%s', authType: Bearer, secret: hook-token}".formatted(receiver.url("/hook"))));
    String bearer = receiver.last("/hook").header("Authorization");
    await(run("{url: '%s', authType: Basic, secret: shop/hook-basic}".formatted(receiver.url("/hook"))));
    String basic = receiver.last("/hook").header("Authorization");

    assertThat(bearer).isEqualTo("Bearer " + TOKEN);
    assertThat(basic).isEqualTo(
        "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void apiKeyHeadersAreTemplatesOverTheSecretsData() {
    await(run("""
        url: '%s'
        method: put
        authType: APIKey
        secret: ops/hook-apikey
        headers: [{name: X-Api-Key, value: $apikey}, {name: X-Other, value: "$unknown and $$"}]
        """.formatted(receiver.url("/hook"))));

    HttpStandIn.Received r = receiver.last("/hook");
    assertThat(r.method()).isEqualTo("PUT");
    assertThat(r.header("X-Api-Key")).isEqualTo(API_KEY);
    assertThat(r.header("X-Other")).isEqualTo("$unknown and $");
  }

  @Test
  void aSecretInTheKubernetesApiIsReadLikeAnyOther() {
    try (KubernetesApiEmulation api = KubernetesApiEmulation.start()) {
      WorkerExecutor pool = vertx.createSharedWorkerExecutor("kubernetes-ops-http-test", 2);
      try {
        String data = Base64.getEncoder().encodeToString(TOKEN.getBytes(StandardCharsets.UTF_8));
        await(new KubernetesOps(api.apiClient(), pool, () -> true, "iter8-test").create(ResourceKind.SECRET, "shop", ApiMapper.read(
            "{apiVersion: v1, kind: Secret, metadata: {name: github, namespace: shop}, data: {token: " + data + "}}",
            JsonNode.class)));
        SecretSource secrets =
            new KubernetesSecretSource(new KubernetesOps(api.apiClient(), pool), Clock.systemUTC(), Duration.ofSeconds(10));

        await(new HttpNotificationTask(client, secrets).run(context(FINISHING),
            spec("{url: '%s', authType: Bearer, secret: github}".formatted(receiver.url("/hook")))));

        assertThat(receiver.last("/hook").header("Authorization")).isEqualTo("Bearer " + TOKEN);
      } finally {
        pool.close();
      }
    }
  }

  @Test
  void aBodyTemplateGetsTheExperimentsFactsEscapedForJson() {
    await(run("""
        url: '%s'
        body: '{"text": "$testingPattern experiment $namespace/$name on $target ($action): winner $winner, $reason", "summary": $summary}'
        """.formatted(receiver.url("/hook"))));

    JsonNode body = ApiMapper.read(receiver.last("/hook").body(), JsonNode.class);
    assertThat(body.path("text").asText()).isEqualTo(
        "Canary experiment shop/exp on shop/backend (finish): winner candidate, candidate meets \"error-rate\" with probability 0.97");
    assertThat(body.path("summary").path("winner").asText()).isEqualTo("candidate");
  }

  @Test
  void failuresAreIgnoredByDefaultAndFailTheActionWhenIgnoreFailureIsFalse() {
    receiver.on("/down", r -> Answer.status(503, "maintenance until 14:00"));
    ActionRunner runner = new ActionRunner(TaskRegistry.of(task), Clock.systemUTC());
    String url = receiver.url("/down");

    ActionOutcome ignored = await(runner.run(context(FINISHING), List.of(spec("{url: '%s'}".formatted(url)))));
    Throwable surfaced = failure(runner.run(context(FINISHING), List.of(spec("{url: '%s', ignoreFailure: false}".formatted(url)))));

    assertThat(ignored.messages()).containsExactly(
        "[0] notification/http: failed, ignored (ignoreFailure): HTTP 503 from POST " + url + ": maintenance until 14:00");
    assertThat(surfaced).isInstanceOf(ActionFailedException.class)
        .hasMessage("finish action: task [0] notification/http failed: HTTP 503 from POST " + url + ": maintenance until 14:00");
  }

  @Test
  void noSecretValueReachesAMessageEvenWhenTheReceiverEchoesTheRequest() {
    receiver.on("/echo/" + TOKEN, r -> Answer.status(401, "rejected " + r.path() + " with " + r.header("Authorization")));
    receiver.on("/echo-basic", r -> Answer.status(403, "rejected " + r.header("Authorization")));
    String template = receiver.url("/echo/$token");

    Throwable bearer = failure(run("{url: '%s', authType: Bearer, secret: hook-token}".formatted(template)));
    Throwable basic = failure(run("{url: '%s', authType: Basic, secret: hook-basic}".formatted(receiver.url("/echo-basic"))));
    Throwable missingKey = failure(run("{url: '%s', authType: Basic, secret: hook-token}".formatted(receiver.url("/hook"))));

    assertThat(bearer.getMessage()).isEqualTo(
        "HTTP 401 from POST " + template + ": rejected /echo/<redacted> with Bearer <redacted>");
    assertThat(basic.getMessage()).startsWith("HTTP 403 from POST").endsWith("rejected Basic <redacted>");
    assertThat(missingKey).hasMessage("authType Basic needs the key 'username' in Secret shop/hook-token");
    for (Throwable e : List.of(bearer, basic, missingKey)) {
      assertThat(e.getMessage()).doesNotContain(TOKEN, USER + ":", PASSWORD);
    }
  }

  @Test
  void aReceiverThatDoesNotAnswerInTimeIsAFailure() {
    receiver.on("/stuck", r -> Answer.ok("{}").after(5_000));
    HttpNotificationTask impatient = new HttpNotificationTask(client, SECRETS, Duration.ofMillis(200));

    Throwable e = failure(impatient.run(context(FINISHING), spec("{url: '%s'}".formatted(receiver.url("/stuck")))));

    assertThat(e).hasMessage("no answer from POST " + receiver.url("/stuck") + " within 200 ms");
  }

  @Test
  void invalidInputsAndMissingSecretsAreNamed() {
    assertThat(failure(run("{method: POST}"))).hasMessage("with.url is required");
    assertThat(failure(run("{url: 'http://x/', authType: Bearer}"))).hasMessage("with.authType Bearer needs with.secret");
    assertThat(failure(run("{url: 'http://x/', authType: OAuth, secret: s}")))
        .hasMessage("with.authType: expected one of Basic, Bearer, APIKey, got OAuth");
    assertThat(failure(run("{url: 'http://x/', authType: Bearer, secret: nope}"))).hasMessage("Secret shop/nope not found");
  }
}
