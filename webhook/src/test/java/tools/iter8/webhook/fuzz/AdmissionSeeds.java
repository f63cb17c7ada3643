package tools.iter8.webhook.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.testkit.admission.AdmissionReviewBuilder;
import tools.iter8.testkit.admission.ApiServerObjects;
import tools.iter8.webhook.support.Fixtures;
import tools.iter8.webhook.support.Repo;

/**
 * Writes the seed corpus of {@link AdmissionFuzzTest}: AdmissionReviews as kube-apiserver sends them for
 * the documented examples (labeled workloads of each kind, the original's Experiment and Metric samples) and
 * a few malformed ones. Run it again after a change of the examples:
 *
 * <pre>
 * mvn -q -pl webhook test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp webhook/target/test-classes:webhook/target/classes:$(cat webhook/target/cp.txt) \
 *     tools.iter8.webhook.fuzz.AdmissionSeeds
 * </pre>
 */
public final class AdmissionSeeds {
  static final String DIR =
      "webhook/src/test/resources/tools/iter8/webhook/fuzz/AdmissionFuzzTestInputs/everyBodyGetsAWellFormedAnswer";

  private AdmissionSeeds() {}

  static Map<String, String> seeds() throws IOException {
    Map<String, String> seeds = new LinkedHashMap<>();
    ObjectNode deployment = Fixtures.stored(Fixtures.deployment());
    ObjectNode v2 = ApiServerObjects.applied(deployment, Fixtures.replace(Fixtures.deployment(), ":v1", ":v2"));
    seeds.put("deployment-update-new-image", AdmissionReviewBuilder.update(deployment, v2).uid("u-1").toJson());
    seeds.put("deployment-create", AdmissionReviewBuilder.create(Fixtures.deployment()).uid("u-2").toJson());
    ObjectNode scaled = deployment.deepCopy();
    scaled.with("spec").put("replicas", 7);
    seeds.put("deployment-update-scale", AdmissionReviewBuilder.update(deployment, scaled).uid("u-3").toJson());
    ObjectNode badAnnotations = Fixtures.withAnnotations(v2, Map.of(
        "iter8.tools/objectives", "error-rate<=lots,latency-p95", "iter8.tools/interval", "-3s",
        "iter8.tools/unknown-key", "x"));
    seeds.put("deployment-update-bad-annotations",
        AdmissionReviewBuilder.update(deployment, badAnnotations).uid("u-4").toJson());
    seeds.put("deployment-update-dry-run", AdmissionReviewBuilder.update(deployment, v2).uid("u-5").dryRun(true).toJson());
    seeds.put("deployment-delete", AdmissionReviewBuilder.delete(deployment).uid("u-6").toJson());

    ObjectNode knative = Fixtures.readyKnative(Fixtures.knativeService(), "hello-00001");
    seeds.put("knative-update", AdmissionReviewBuilder.update(knative,
        ApiServerObjects.applied(knative, Fixtures.replace(Fixtures.knativeService(), ":v1", ":v2"))).uid("u-7").toJson());
    ObjectNode isvc = Fixtures.readyInferenceService(Fixtures.inferenceService(), "model-predictor-00001");
    ObjectNode isvc2 = isvc.deepCopy();
    ((ObjectNode) isvc2.at("/spec/predictor")).put("minReplicas", 2);
    ((ObjectNode) isvc2.at("/spec/predictor")).put("iter8-seed", "v2");
    seeds.put("inferenceservice-update", AdmissionReviewBuilder.update(isvc, isvc2).uid("u-8").toJson());

    int n = 0;
    try (Stream<Path> files = Files.list(Repo.path("docs/examples/v2alpha2"))) {
      for (Path f : files.sorted().toList()) {
        for (JsonNode doc : ApiMapper.readAll(Files.readString(f))) {
          String kind = doc.path("kind").asText();
          if (!List.of("Experiment", "Metric").contains(kind)) {
            continue;
          }
          ObjectNode stored = ApiServerObjects.persisted(doc, doc.path("metadata").path("namespace").asText("default"), "kubectl");
          String name = f.getFileName().toString().replace(".yaml", "") + "-" + (++n);
          seeds.put(name + "-create", AdmissionReviewBuilder.create(stored).uid("u-c" + n).toJson());
          if (kind.equals("Experiment") && n % 2 == 0) {
            ObjectNode changed = stored.deepCopy();
            changed.with("spec").with("duration").put("iterationsPerLoop", 0);
            changed.with("spec").with("criteria").put("strength", 2);
            seeds.put(name + "-update-invalid", AdmissionReviewBuilder.update(stored, changed).uid("u-u" + n).toJson());
          }
        }
      }
    }

    String valid = seeds.get("deployment-update-new-image");
    seeds.put("bad-wrong-version", valid.replace("admission.k8s.io/v1", "admission.k8s.io/v1beta1"));
    seeds.put("bad-no-request", "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}");
    seeds.put("bad-truncated", valid.substring(0, valid.length() / 2));
    seeds.put("bad-operation", valid.replace("\"UPDATE\"", "\"PATCH\""));
    seeds.put("bad-object-array", "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":"
        + "{\"uid\":\"x\",\"kind\":{\"group\":\"apps\",\"version\":\"v1\",\"kind\":\"Deployment\"},\"operation\":\"CREATE\","
        + "\"object\":[]}}");
    return seeds;
  }

  public static void main(String[] args) throws IOException {
    Path dir = Repo.path(DIR);
    Files.createDirectories(dir);
    for (Map.Entry<String, String> e : seeds().entrySet()) {
      Files.writeString(dir.resolve("seed-" + e.getKey() + ".json"), e.getValue(), StandardCharsets.UTF_8);
    }
    System.out.println("wrote " + seeds().size() + " seeds to " + dir);
  }
}
