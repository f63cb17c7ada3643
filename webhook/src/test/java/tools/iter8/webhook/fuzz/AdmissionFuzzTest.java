package tools.iter8.webhook.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.zjsonpatch.JsonPatch;
import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.Metric;
import tools.iter8.core.schema.CrdSchemas;
import tools.iter8.core.validation.ExperimentValidator;
import tools.iter8.core.validation.MetricValidator;
import tools.iter8.core.validation.Problem;
import tools.iter8.webhook.admission.AdmissionHandler;
import tools.iter8.webhook.admission.AdmissionHandler.Endpoint;
import tools.iter8.webhook.admission.AdmissionRequest;
import tools.iter8.webhook.admission.AdmissionRequest.Operation;
import tools.iter8.webhook.admission.AdmissionResponse;
import tools.iter8.webhook.admission.AdmissionResponse.Outcome;
import tools.iter8.webhook.admission.AdmissionReviewCodec;
import tools.iter8.webhook.admission.BadAdmissionReview;

/**
 * Coverage-guided fuzzing of the admission handler over raw request bodies, as the HTTP layer hands them
 * ({@code WebhookServer}: the codec, then the handler), on both endpoints. For every input:
 *
 * <ul>
 *   <li>no exception escapes the codec other than {@link BadAdmissionReview} (the only one the server
 *       catches) and none escapes the handler;
 *   <li>the answer encodes to a well-formed {@code admission.k8s.io/v1} AdmissionReview whose {@code
 *       response.uid} is the request's UID when one was readable, else empty;
 *   <li>a body the codec cannot read is never allowed; an answer that is not HTTP 200 is never allowed; a
 *       denial always says why (a {@code status} with a 4xx/5xx code and a message);
 *   <li>{@code /validate} allows an Experiment or Metric write only when the CRD schema and core's
 *       validator find no problem in it (an independent re-check);
 *   <li>a patch is only ever given with {@code allowed: true} and applies cleanly (an independent RFC 6902
 *       implementation) to the object that was sent; the defaults of Experiments and Metrics only {@code
 *       add}.
 * </ul>
 *
 * <p>{@code mvn test} runs this in regression mode over the committed inputs in {@code
 * src/test/resources/tools/iter8/webhook/fuzz/AdmissionFuzzTestInputs/} (real AdmissionReviews made by
 * {@link AdmissionSeeds}, and every crash ever found); the build's {@code fuzz-in-suite} profile and {@code
 * scripts/fuzz.sh} fuzz it for real (docs/reliability.md).
 */
class AdmissionFuzzTest {
  /** Same strictness as the codec: a body it refuses is one this cannot read either. */
  private static final ObjectMapper STRICT =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  private static final AdmissionHandler HANDLER = AdmissionHandler.create();
  private static final CrdSchemas SCHEMAS = CrdSchemas.builtin();
  private static final FuzzStats STATS = new FuzzStats("AdmissionFuzzTest#everyBodyGetsAWellFormedAnswer");

  @AfterAll
  static void report() {
    STATS.report();
  }

  @FuzzTest(maxDuration = "30s")
  @DictionaryEntries({
    "\"apiVersion\"", "\"kind\"", "admission.k8s.io/v1", "AdmissionReview", "\"request\"", "\"uid\"",
    "\"operation\"", "CREATE", "UPDATE", "DELETE", "CONNECT", "\"object\"", "\"oldObject\"", "\"subResource\"",
    "\"dryRun\"", "\"group\"", "\"version\"", "\"resource\"", "apps", "v1", "Deployment", "deployments",
    "serving.knative.dev", "Service", "serving.kserve.io", "v1beta1", "InferenceService", "iter8.tools",
    "iter8.tools/v2alpha2", "Experiment", "Metric", "\"metadata\"", "\"labels\"", "\"annotations\"",
    "iter8.tools/watch", "\"true\"", "\"spec\"", "\"template\"", "\"predictor\"", "\"traffic\"", "\"paused\"",
    "deletionTimestamp", "iter8.tools/objectives", "iter8.tools/testing-pattern", "iter8.tools/baseline-hash",
    "iter8.tools/candidate-hash", "iter8.tools/experiment", "iter8.tools/retry", "iter8.tools/router",
    "\"versionInfo\"", "\"criteria\"", "\"strategy\"", "\"testingPattern\"", "\"urlTemplate\"",
    "\"jqExpression\"", "null", "[]", "{}"
  })
  void everyBodyGetsAWellFormedAnswer(byte[] body) {
    STATS.count();
    for (Endpoint endpoint : Endpoint.values()) {
      check(endpoint, body);
    }
  }

  static void check(Endpoint endpoint, byte[] body) {
    // The server's path: the codec, then the handler; only BadAdmissionReview is caught in between.
    AdmissionRequest request = null;
    try {
      request = AdmissionReviewCodec.decode(body);
    } catch (BadAdmissionReview expected) {
      // answered below as the server answers it
    }
    AdmissionResponse answer = HANDLER.handle(endpoint, body);
    if (request != null) {
      assertThat(HANDLER.handle(endpoint, request))
          .as("the handler is a pure function of the review")
          .usingRecursiveComparison()
          .isEqualTo(answer);
    }

    JsonNode review = wellFormed(AdmissionReviewCodec.encodeBytes(answer));
    JsonNode response = review.path("response");
    assertThat(response.path("uid").asText()).as("response.uid").isEqualTo(readableUid(body));
    boolean allowed = response.path("allowed").asBoolean();

    if (request == null) {
      assertThat(allowed).as("a body the codec cannot read is never allowed").isFalse();
      assertThat(answer.outcome()).isEqualTo(Outcome.BAD_REQUEST);
    }
    if (answer.httpStatus() != 200) {
      assertThat(allowed).as("an answer that is not HTTP 200 is never allowed").isFalse();
      assertThat(answer.outcome()).isIn(Outcome.BAD_REQUEST, Outcome.ERROR);
    }
    if (answer.outcome() == Outcome.ERROR) {
      throw new AssertionError("the handler failed (HTTP 500) on a " + endpoint + " body: " + answer.status().message());
    }
    if (allowed) {
      assertThat(answer.httpStatus()).isEqualTo(200);
      assertThat(answer.outcome()).isIn(Outcome.ALLOWED, Outcome.PATCHED);
      assertThat(response.has("status")).as("an allowed answer carries no failure status").isFalse();
    } else {
      assertThat(response.path("status").path("code").asInt()).as("status.code").isBetween(400, 599);
      assertThat(response.path("status").path("message").asText()).as("status.message").isNotBlank();
      assertThat(response.has("patch")).as("a denial carries no patch").isFalse();
      assertThat(answer.outcome()).isIn(Outcome.DENIED, Outcome.BAD_REQUEST, Outcome.ERROR);
    }
    if (response.has("patch")) {
      checkPatch(endpoint, request, response);
    }
    if (allowed && request != null && endpoint == Endpoint.VALIDATE) {
      checkValidationAllowedOnlyValid(request);
    }
  }

  /** A well-formed AdmissionReview v1 answer. */
  private static JsonNode wellFormed(byte[] bytes) {
    JsonNode review;
    try {
      review = STRICT.readTree(bytes);
    } catch (IOException e) {
      throw new AssertionError("the answer is not JSON", e);
    }
    assertThat(review.path("apiVersion").asText()).isEqualTo(AdmissionReviewCodec.API_VERSION);
    assertThat(review.path("kind").asText()).isEqualTo(AdmissionReviewCodec.KIND);
    JsonNode response = review.path("response");
    assertThat(response.isObject()).as("response").isTrue();
    assertThat(response.path("uid").isTextual()).as("response.uid").isTrue();
    assertThat(response.path("allowed").isBoolean()).as("response.allowed").isTrue();
    return review;
  }

  /** The request's UID as any reader of the body finds it, or empty. */
  static String readableUid(byte[] body) {
    try {
      JsonNode root = STRICT.readTree(body);
      JsonNode request = root == null ? null : root.get("request");
      JsonNode uid = request == null ? null : request.get("uid");
      return uid != null && uid.isTextual() ? uid.asText() : "";
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static void checkPatch(Endpoint endpoint, AdmissionRequest request, JsonNode response) {
    assertThat(endpoint).as("only /mutate patches").isEqualTo(Endpoint.MUTATE);
    assertThat(response.path("allowed").asBoolean()).isTrue();
    assertThat(response.path("patchType").asText()).isEqualTo("JSONPatch");
    JsonNode ops;
    try {
      ops = STRICT.readTree(Base64.getDecoder().decode(response.path("patch").asText()));
    } catch (IOException | IllegalArgumentException e) {
      throw new AssertionError("the patch is not base64 JSON", e);
    }
    assertThat(ops.isArray() && !ops.isEmpty()).as("the patch is a non-empty JSON array").isTrue();
    assertThat(request).as("a patch answers a request that was read").isNotNull();
    assertThatCode(() -> JsonPatch.apply(ops, request.object()))
        .as("the patch applies to the object that was sent: %s", ops)
        .doesNotThrowAnyException();
    String kind = request.kind().kind();
    if (request.kind().group().equals("iter8.tools") && (kind.equals(Experiment.KIND) || kind.equals(Metric.KIND))) {
      for (JsonNode op : ops) {
        assertThat(op.path("op").asText()).as("defaults only add: %s", op).isEqualTo("add");
      }
    }
  }

  /** {@code /validate} allowed a write: it must be one the schema and the validator accept. */
  private static void checkValidationAllowedOnlyValid(AdmissionRequest request) {
    String kind = request.kind().kind();
    boolean ours = request.kind().apiVersion().equals(Experiment.API_VERSION)
        && (kind.equals(Experiment.KIND) || kind.equals(Metric.KIND));
    JsonNode deletion = request.object() == null ? null : request.object().path("metadata").path("deletionTimestamp");
    boolean judged = ours
        && (request.operation() == Operation.CREATE || request.operation() == Operation.UPDATE)
        && request.subResource().isEmpty()
        && !(deletion.isTextual() && !deletion.asText().isEmpty())
        && !(request.operation() == Operation.UPDATE
            && request.object().path("spec").equals(request.oldObject().path("spec")));
    if (!judged) {
      return; // deletes, finalizer removal, subresources and metadata-only updates pass by design (webhook.md)
    }
    Set<Problem> problems = new LinkedHashSet<>(SCHEMAS.validate(request.object()));
    try {
      problems.addAll(
          kind.equals(Experiment.KIND)
              ? ExperimentValidator.validate(ApiMapper.fromTree(request.object(), Experiment.class))
              : MetricValidator.validate(ApiMapper.fromTree(request.object(), Metric.class)));
    } catch (IllegalArgumentException unreadable) {
      problems.add(new Problem("(root)", "unreadable: " + unreadable.getMessage()));
    }
    assertThat(List.copyOf(problems)).as("/validate allowed %s %s with problems", kind, request.objectKey()).isEmpty();
  }
}
