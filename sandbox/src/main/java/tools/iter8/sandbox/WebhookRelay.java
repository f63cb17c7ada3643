package tools.iter8.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.zjsonpatch.JsonPatch;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.workload.WorkloadKeys;
import tools.iter8.testkit.admission.AdmissionReviewBuilder;
import tools.iter8.testkit.kube.AdmissionHook;
import tools.iter8.testkit.kube.ResourceType;

/**
 * What kube-apiserver does with the manifests' webhook configurations, for the sandbox: every create or
 * update of a labeled Deployment, Knative Service or InferenceService goes to the webhook's
 * {@code /mutate}, and of an Experiment or Metric to {@code /mutate} then {@code /validate}, as an
 * AdmissionReview over HTTPS trusting the webhook's certificate (its caBundle); the answer's JSON Patch
 * is applied to what gets stored, a denial is the writer's error, and warnings are shown. The agent's own
 * writes to labeled workloads go through it too, as they would on a cluster.
 *
 * <p>A call that fails (the webhook cannot be reached, times out, answers with an HTTP error or with
 * something that is not an AdmissionReview) is handled by that webhook's {@link FailurePolicy}, as
 * kube-apiserver does: {@code Fail} refuses the write with kube-apiserver's message ({@code Internal error
 * occurred: failed calling webhook "..."}), {@code Ignore} lets it through unchanged. The sandbox uses
 * {@code Fail} everywhere (a demo write the webhook did not see would not be staged); the outage tests use the
 * policies shipped in {@code manifests/webhook}.
 */
final class WebhookRelay implements AdmissionHook {
  private static final List<String> WORKLOADS = List.of("deployments", "services", "inferenceservices");
  private static final List<String> WORKLOAD_GROUPS = List.of("apps", "serving.knative.dev", "serving.kserve.io");

  /** The webhooks of {@code manifests/webhook}, by the names the configurations give them. */
  static final String WORKLOADS_WEBHOOK = "workloads.webhook.iter8.tools";
  static final String DEFAULTS_WEBHOOK = "defaults.webhook.iter8.tools";
  static final String VALIDATE_WEBHOOK = "validate.webhook.iter8.tools";

  /** A webhook configuration's {@code failurePolicy}: what a failed call means for the write. */
  enum FailurePolicy {
    /** Refuse the write. */
    FAIL,
    /** Let the write through unchanged. */
    IGNORE;

    static FailurePolicy parse(String value) {
      return switch (value) {
        case "Fail" -> FAIL;
        case "Ignore" -> IGNORE;
        default -> throw new IllegalArgumentException("failurePolicy must be Fail or Ignore, got " + value);
      };
    }
  }

  private final HttpClient client;
  private final String base;
  private final Consumer<String> warnings;
  private final Map<String, FailurePolicy> policies;
  private final Duration timeout;
  private final List<String> log = new CopyOnWriteArrayList<>();

  /** Every webhook with {@code failurePolicy: Fail}, as the sandbox runs. */
  WebhookRelay(SSLContext trust, int port, Consumer<String> warnings) {
    this(trust, port, warnings, Map.of(), Duration.ofSeconds(10));
  }

  /**
   * @param policies the failurePolicy per webhook name ({@link #WORKLOADS_WEBHOOK}, ...); absent ones Fail
   * @param timeout the webhook's {@code timeoutSeconds}
   */
  WebhookRelay(SSLContext trust, int port, Consumer<String> warnings, Map<String, FailurePolicy> policies,
      Duration timeout) {
    this.client = HttpClient.newBuilder().sslContext(trust).connectTimeout(timeout).build();
    this.base = "https://127.0.0.1:" + port;
    this.warnings = warnings;
    this.policies = Map.copyOf(policies);
    this.timeout = timeout;
  }

  /** One line per admission: operation, object, webhook answer. */
  List<String> log() {
    return List.copyOf(log);
  }

  @Override
  public Result admit(String operation, ResourceType resource, JsonNode object, JsonNode oldObject) {
    if (isWorkload(resource) && (labeled(object) || (oldObject != null && labeled(oldObject)))) {
      return review(WORKLOADS_WEBHOOK, "/mutate", operation, object, oldObject);
    }
    if ("iter8.tools".equals(resource.group())) {
      Result mutated = review(DEFAULTS_WEBHOOK, "/mutate", operation, object, oldObject);
      if (mutated instanceof Result.Allow allow) {
        Result validated = review(VALIDATE_WEBHOOK, "/validate", operation, allow.object(), oldObject);
        return validated instanceof Result.Deny ? validated : mutated;
      }
      return mutated;
    }
    return new Result.Allow(object);
  }

  private static boolean isWorkload(ResourceType r) {
    int i = WORKLOAD_GROUPS.indexOf(r.group());
    return i >= 0 && WORKLOADS.get(i).equals(r.plural());
  }

  private static boolean labeled(JsonNode o) {
    return "true".equals(o.path("metadata").path("labels").path(WorkloadKeys.WATCH_LABEL).asText());
  }

  private Result review(String webhook, String path, String operation, JsonNode object, JsonNode oldObject) {
    AdmissionReviewBuilder b = operation.equals("CREATE")
        ? AdmissionReviewBuilder.create(object) : AdmissionReviewBuilder.update(oldObject, object);
    String what = operation + " " + object.path("kind").asText() + " " + object.path("metadata").path("namespace").asText()
        + "/" + object.path("metadata").path("name").asText();
    URI uri = URI.create(base + path + "?timeout=" + timeout.toSeconds() + "s");
    JsonNode response;
    try {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri)
              .header("Content-Type", "application/json")
              .timeout(timeout)
              .POST(HttpRequest.BodyPublishers.ofString(b.toJson())).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        // kube-apiserver treats any answer but 200 as a failed call, whatever its body says.
        return failed(webhook, what, uri, object, "HTTP " + r.statusCode() + ": " + r.body());
      }
      response = ApiMapper.json().readTree(r.body()).path("response");
      if (!response.path("allowed").isBoolean()) {
        return failed(webhook, what, uri, object, "the answer is not an AdmissionReview response");
      }
    } catch (IOException e) {
      return failed(webhook, what, uri, object, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result.Deny(500, "interrupted");
    }
    response.path("warnings").forEach(w -> warnings.accept(w.asText()));
    if (!response.path("allowed").asBoolean(false)) {
      String message = response.path("status").path("message").asText("denied");
      log.add(what + " -> " + path + " denied: " + message);
      return new Result.Deny(response.path("status").path("code").asInt(400),
          "admission webhook \"" + webhook + "\" denied the request: " + message);
    }
    String patch = response.path("patch").asText("");
    if (patch.isEmpty()) {
      log.add(what + " -> " + path + " allowed");
      return new Result.Allow(object);
    }
    try {
      JsonNode ops = ApiMapper.json().readTree(Base64.getDecoder().decode(patch));
      log.add(what + " -> " + path + " patched (" + ops.size() + " operations)");
      return new Result.Allow(JsonPatch.apply(ops, object));
    } catch (IOException | RuntimeException e) {
      return failed(webhook, what, uri, object, "the patch cannot be applied: " + e);
    }
  }

  /** A failed call: the webhook's failurePolicy decides, with kube-apiserver's wording. */
  private Result failed(String webhook, String what, URI uri, JsonNode object, String why) {
    FailurePolicy policy = policies.getOrDefault(webhook, FailurePolicy.FAIL);
    String message = "failed calling webhook \"" + webhook + "\": failed to call webhook: Post \"" + uri + "\": " + why;
    if (policy == FailurePolicy.IGNORE) {
      log.add(what + " -> " + webhook + " ignored (failurePolicy Ignore): " + message);
      return new Result.Allow(object);
    }
    log.add(what + " -> " + webhook + " refused (failurePolicy Fail): " + message);
    return new Result.Deny(500, "Internal error occurred: " + message);
  }
}
