package tools.iter8.bench.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.testkit.admission.AdmissionReviewBuilder;
import tools.iter8.testkit.admission.ApiServerObjects;

/**
 * Prints the AdmissionReview the webhook load run sends: the labeled Deployment of {@code
 * docs/examples/kubectl/deployment.yaml} updated from image v1 to v2, as kube-apiserver sends it for {@code kubectl
 * apply} (the stored object with its server-set fields, the applied one, the request envelope). The webhook answers
 * it by staging the new version: a JSON Patch and a generated Experiment.
 *
 * <pre>java -cp bench/target/iter8-bench.jar tools.iter8.bench.webhook.ReviewBody [REPO_ROOT]</pre>
 */
public final class ReviewBody {
  private ReviewBody() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args.length > 0 ? args[0] : ".");
    String yaml = Files.readString(root.resolve("docs/examples/kubectl/deployment.yaml"));
    ObjectNode deployment = null;
    for (JsonNode doc : ApiMapper.readAll(yaml)) {
      if ("Deployment".equals(doc.path("kind").asText())) {
        deployment = (ObjectNode) doc;
      }
    }
    if (deployment == null) {
      throw new IllegalStateException("no Deployment in docs/examples/kubectl/deployment.yaml");
    }
    ObjectNode v1 = ApiServerObjects.persisted(deployment, "shop", "kubectl-client-side-apply");
    ObjectNode v2manifest =
        (ObjectNode) ApiMapper.read(ApiMapper.toJson(deployment).replace(":v1", ":v2"), JsonNode.class);
    ObjectNode v2 = ApiServerObjects.applied(v1, v2manifest);
    System.out.println(AdmissionReviewBuilder.update(v1, v2).uid("bench-0001").toJson());
  }
}
