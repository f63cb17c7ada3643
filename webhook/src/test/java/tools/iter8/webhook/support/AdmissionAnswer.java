package tools.iter8.webhook.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.zjsonpatch.JsonPatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.schema.CrdSchemas;
import tools.iter8.core.validation.ExperimentValidator;
import tools.iter8.core.validation.Problem;
import tools.iter8.core.workload.WorkloadKeys;

/**
 * An AdmissionReview answer with the checks every test makes: a well-formed v1 review, the UID, the patch
 * decoded and applied to the object with an independent RFC 6902 implementation (fabric8's zjsonpatch).
 */
public final class AdmissionAnswer {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JsonNode review;

  public AdmissionAnswer(JsonNode review) {
    this.review = review;
    assertThat(review.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
    assertThat(review.path("kind").asText()).isEqualTo("AdmissionReview");
    assertThat(review.path("response").isObject()).as("response in %s", review).isTrue();
  }

  public JsonNode review() {
    return review;
  }

  public JsonNode response() {
    return review.path("response");
  }

  public String uid() {
    return response().path("uid").asText();
  }

  public boolean allowed() {
    return response().path("allowed").asBoolean();
  }

  public boolean hasPatch() {
    return response().has("patch");
  }

  public String message() {
    return response().path("status").path("message").asText();
  }

  public int code() {
    return response().path("status").path("code").asInt();
  }

  public List<String> warnings() {
    List<String> w = new ArrayList<>();
    response().path("warnings").forEach(n -> w.add(n.asText()));
    return w;
  }

  /** The decoded JSON Patch; empty when there is none. */
  public JsonNode patch() {
    if (!hasPatch()) {
      return JSON.createArrayNode();
    }
    assertThat(response().path("patchType").asText()).isEqualTo("JSONPatch");
    try {
      return JSON.readTree(Base64.getDecoder().decode(response().path("patch").asText()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The object as the API server stores it after applying the patch. */
  public JsonNode applyTo(JsonNode object) {
    return hasPatch() ? JsonPatch.apply(patch(), object) : object;
  }

  /** The iter8 annotations of the patched object. */
  public static Map<String, String> iter8Annotations(JsonNode object) {
    Map<String, String> a = new TreeMap<>();
    object.path("metadata").path("annotations").properties().forEach(e -> {
      if (e.getKey().startsWith(WorkloadKeys.PREFIX)) {
        a.put(e.getKey(), e.getValue().asText());
      }
    });
    return a;
  }

  /** The Experiment the webhook generated, after checking it passes core validation and the CRD schema. */
  public static Experiment generatedExperiment(JsonNode patchedObject) {
    String spec = patchedObject.path("metadata").path("annotations").path(WorkloadKeys.EXPERIMENT_SPEC).asText(null);
    assertThat(spec).as("iter8.tools/experiment-spec on %s", patchedObject.path("metadata")).isNotNull();
    JsonNode tree = ApiMapper.read(spec, JsonNode.class);
    assertThat(CrdSchemas.builtin().validate(tree)).as("schema problems").isEmpty();
    Experiment e = ApiMapper.fromTree(tree, Experiment.class);
    List<Problem> problems = ExperimentValidator.validate(e);
    assertThat(problems).as("validation problems of %s", spec).isEmpty();
    return e;
  }

  @Override
  public String toString() {
    return review.toString();
  }
}
