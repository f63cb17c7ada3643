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
 */
final class WebhookRelay implements AdmissionHook {
  private static final List<String> WORKLOADS = List.of("deployments", "services", "inferenceservices");
  private static final List<String> WORKLOAD_GROUPS = List.of("apps", "serving.knative.dev", "serving.kserve.io");

  private final HttpClient client;
  private final String base;
  private final Consumer<String> warnings;
  private final List<String> log = new CopyOnWriteArrayList<>();

  WebhookRelay(SSLContext trust, int port, Consumer<String> warnings) {
    this.client = HttpClient.newBuilder().sslContext(trust).connectTimeout(Duration.ofSeconds(5)).build();
    this.base = "https://127.0.0.1:" + port;
    this.warnings = warnings;
  }

  /** One line per admission: operation, object, webhook answer. */
  List<String> log() {
    return List.copyOf(log);
  }

  @Override
  public Result admit(String operation, ResourceType resource, JsonNode object, JsonNode oldObject) {
    if (isWorkload(resource) && (labeled(object) || (oldObject != null && labeled(oldObject)))) {
      return review("/mutate", operation, object, oldObject);
    }
    if ("iter8.tools".equals(resource.group())) {
      Result mutated = review("/mutate", operation, object, oldObject);
      if (mutated instanceof Result.Allow allow) {
        Result validated = review("/validate", operation, allow.object(), oldObject);
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

  private Result review(String path, String operation, JsonNode object, JsonNode oldObject) {
    AdmissionReviewBuilder b = operation.equals("CREATE")
        ? AdmissionReviewBuilder.create(object) : AdmissionReviewBuilder.update(oldObject, object);
    String what = operation + " " + object.path("kind").asText() + " " + object.path("metadata").path("namespace").asText()
        + "/" + object.path("metadata").path("name").asText();
    try {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + path))
              .header("Content-Type", "application/json")
              .timeout(Duration.ofSeconds(10))
              .POST(HttpRequest.BodyPublishers.ofString(b.toJson())).build(),
          HttpResponse.BodyHandlers.ofString());
      JsonNode response = ApiMapper.json().readTree(r.body()).path("response");
      response.path("warnings").forEach(w -> warnings.accept(w.asText()));
      if (!response.path("allowed").asBoolean(false)) {
        String message = response.path("status").path("message").asText("denied");
        log.add(what + " -> " + path + " denied: " + message);
        return new Result.Deny(response.path("status").path("code").asInt(400),
            "admission webhook \"iter8\" denied the request: " + message);
      }
      String patch = response.path("patch").asText("");
      if (patch.isEmpty()) {
        log.add(what + " -> " + path + " allowed");
        return new Result.Allow(object);
      }
      JsonNode ops = ApiMapper.json().readTree(Base64.getDecoder().decode(patch));
      log.add(what + " -> " + path + " patched (" + ops.size() + " operations)");
      return new Result.Allow(JsonPatch.apply(ops, object));
    } catch (IOException e) {
      // failurePolicy Fail for the sandbox: a write the webhook did not see would not be staged.
      return new Result.Deny(500, "the iter8 webhook could not be reached: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result.Deny(500, "interrupted");
    }
  }
}
