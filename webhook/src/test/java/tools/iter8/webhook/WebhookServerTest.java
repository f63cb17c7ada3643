package tools.iter8.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.iter8.testkit.admission.AdmissionReviewBuilder;
import tools.iter8.testkit.admission.ApiServerObjects;
import tools.iter8.webhook.support.AdmissionAnswer;
import tools.iter8.webhook.support.Fixtures;
import tools.iter8.webhook.support.TestCertificates;
import tools.iter8.webhook.support.TestWebhook;
import tools.iter8.webhook.support.TestWebhook.Reply;

/** The HTTP contract of the server, over real TLS: endpoints, health, metrics and every kind of bad input. */
class WebhookServerTest {
  private static final String UID = "705ab4f5-6393-11e8-b7cc-42010a800002";

  private final TestWebhook webhook = TestWebhook.shared();

  private static String labeledUpdate(String uid) {
    ObjectNode v1 = Fixtures.stored(Fixtures.deployment());
    ObjectNode v2 = ApiServerObjects.applied(v1, Fixtures.replace(Fixtures.deployment(), ":v1", ":v2"));
    return AdmissionReviewBuilder.update(v1, v2).uid(uid).toJson();
  }

  @Test
  void healthAndReadinessAnswerOk() {
    assertThat(webhook.get("/healthz").status()).isEqualTo(200);
    Reply ready = webhook.get("/readyz");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.body()).isEqualTo("ok");
  }

  @Test
  void metricsCountAdmissionsByKindOperationAndResult() {
    webhook.review("/mutate", labeledUpdate(UID));
    Reply metrics = webhook.get("/metrics");

    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.contentType()).startsWith("text/plain");
    assertThat(metrics.body())
        .containsPattern(
            "iter8_webhook_admissions_total\\{endpoint=\"mutate\",kind=\"Deployment\",operation=\"UPDATE\","
                + "result=\"patched\"} [1-9]")
        .contains("iter8_webhook_admission_duration_seconds_bucket{endpoint=\"mutate\",kind=\"Deployment\",le=\"0.005\"}")
        .containsPattern("iter8_webhook_certificate_expiry_timestamp_seconds [0-9.E]+")
        .contains("jvm_memory_used_bytes");
  }

  @Test
  void answersAreAdmissionReviewsWithTheUidAndJsonContentType() {
    Reply reply = webhook.post("/mutate", "application/json", labeledUpdate(UID).getBytes(StandardCharsets.UTF_8));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.contentType()).isEqualTo("application/json");
    AdmissionAnswer answer = reply.answer();
    assertThat(answer.uid()).isEqualTo(UID);
    assertThat(answer.allowed()).isTrue();
    assertThat(answer.hasPatch()).isTrue();
  }

  @Test
  void contentTypeWithCharsetIsJson() {
    Reply reply =
        webhook.post("/mutate", "application/json; charset=utf-8", labeledUpdate(UID).getBytes(StandardCharsets.UTF_8));
    assertThat(reply.status()).isEqualTo(200);
  }

  @Test
  void dryRunGetsTheSameAnswerAsTheRealWrite() {
    ObjectNode v1 = Fixtures.stored(Fixtures.deployment());
    ObjectNode v2 = ApiServerObjects.applied(v1, Fixtures.replace(Fixtures.deployment(), ":v1", ":v2"));
    AdmissionAnswer real = webhook.review("/mutate", AdmissionReviewBuilder.update(v1, v2).uid(UID).toJson());
    AdmissionAnswer dry =
        webhook.review("/mutate", AdmissionReviewBuilder.update(v1, v2).uid(UID).dryRun(true).toJson());

    assertThat(dry.review()).isEqualTo(real.review());
    assertThat(dry.hasPatch()).isTrue();
  }

  static Stream<Arguments> badInput() {
    String valid = labeledUpdate(UID);
    ObjectNode missingOld = (ObjectNode) json(valid);
    ((ObjectNode) missingOld.path("request")).putNull("oldObject");
    ObjectNode noRequest = (ObjectNode) json(valid);
    noRequest.remove("request");
    ObjectNode configMap = AdmissionReviewBuilder.create(
            json("{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"c\", \"namespace\": \"shop\"}}"))
        .uid(UID).build();
    ObjectNode noUid = (ObjectNode) json(valid);
    ((ObjectNode) noUid.path("request")).remove("uid");
    ObjectNode badOperation = (ObjectNode) json(valid);
    ((ObjectNode) badOperation.path("request")).put("operation", "PATCH");
    byte[] giant = new byte[8 * 1024 * 1024];
    java.util.Arrays.fill(giant, (byte) ' ');
    byte[] validBytes = valid.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(validBytes, 0, giant, 0, validBytes.length);
    return Stream.of(
        Arguments.of("malformed JSON", "application/json", bytes("{\"apiVersion\": "), 400, "", "not JSON"),
        Arguments.of("empty body", "application/json", new byte[0], 400, "", "the request body is empty"),
        Arguments.of("wrong apiVersion", "application/json", bytes(valid.replace("admission.k8s.io/v1", "admission.k8s.io/v1beta1")),
            400, UID, "expected apiVersion admission.k8s.io/v1"),
        Arguments.of("missing request", "application/json", bytes(noRequest.toString()), 400, "", "has no request"),
        Arguments.of("missing uid", "application/json", bytes(noUid.toString()), 400, "", "request.uid is required"),
        Arguments.of("missing oldObject on UPDATE", "application/json", bytes(missingOld.toString()), 400, UID,
            "request.oldObject is required for UPDATE"),
        Arguments.of("unknown operation", "application/json", bytes(badOperation.toString()), 400, UID,
            "request.operation must be"),
        Arguments.of("unknown kind", "application/json", bytes(configMap.toString()), 400, UID,
            "iter8 does not handle ConfigMap (v1) on /mutate"),
        Arguments.of("giant body", "application/json", giant, 413, "", "exceeds the limit of 7340032 bytes"),
        Arguments.of("wrong content type", "text/plain", bytes(valid), 415, UID, "Content-Type must be application/json"),
        Arguments.of("no content type", null, bytes(valid), 415, UID, "got none"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInput")
  void badInputGetsAWellFormedAnswerWithTheUidWhenReadable(
      String name, String contentType, byte[] body, int status, String uid, String message) {
    Reply reply = webhook.post("/mutate", contentType, body);

    assertThat(reply.status()).isEqualTo(status);
    assertThat(reply.contentType()).isEqualTo("application/json");
    AdmissionAnswer answer = reply.answer();
    assertThat(answer.uid()).isEqualTo(uid);
    assertThat(answer.allowed()).isFalse();
    assertThat(answer.code()).isEqualTo(status);
    assertThat(answer.message()).contains(message);
    assertThat(answer.hasPatch()).isFalse();
  }

  @Test
  void anExceptionInTheHandlerIsA500WithTheUid() {
    // An object no API server would send: a labeled Deployment whose spec is a list. Staging it throws.
    ObjectNode v1 = Fixtures.stored(Fixtures.deployment());
    ObjectNode broken = v1.deepCopy();
    broken.putArray("spec");
    Reply reply = webhook.post("/mutate", "application/json",
        bytes(AdmissionReviewBuilder.update(v1, broken).uid(UID).toJson()));

    assertThat(reply.status()).isEqualTo(500);
    AdmissionAnswer answer = reply.answer();
    assertThat(answer.uid()).isEqualTo(UID);
    assertThat(answer.allowed()).isFalse();
    assertThat(answer.code()).isEqualTo(500);
    assertThat(answer.message()).startsWith("iter8 webhook failed on Deployment (apps/v1) shop/myapp: ");
    assertThat(webhook.get("/metrics").body()).containsPattern(
        "iter8_webhook_admissions_total\\{endpoint=\"mutate\",kind=\"Deployment\",operation=\"UPDATE\",result=\"error\"} [1-9]");
  }

  @Test
  void workloadsAreNotValidatedOnValidate() {
    Reply reply = webhook.post("/validate", "application/json", bytes(labeledUpdate(UID)));
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.answer().uid()).isEqualTo(UID);
  }

  @Test
  void gracefulStopTurnsReadinessOffThenCloses() throws Exception {
    TestWebhook own = TestWebhook.start(TestCertificates.shared(), Map.of("ITER8_WEBHOOK_SHUTDOWN_DRAIN", "1s"));
    try {
      assertThat(own.get("/readyz").status()).isEqualTo(200);
      var stopping = own.webhook().stop();
      Reply during = own.get("/readyz");
      assertThat(during.status()).isEqualTo(503);
      assertThat(during.body()).isEqualTo("shutting down");
      assertThat(own.webhook().server().readiness().isReady()).isFalse();
      TestWebhook.await(stopping);
      assertThat(stopping.succeeded()).isTrue();
    } finally {
      own.close();
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static JsonNode json(String s) {
    return tools.iter8.core.api.ApiMapper.read(s, JsonNode.class);
  }
}
