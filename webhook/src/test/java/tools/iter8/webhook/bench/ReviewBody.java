package tools.iter8.webhook.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import tools.iter8.testkit.admission.AdmissionReviewBuilder;
import tools.iter8.testkit.admission.ApiServerObjects;
import tools.iter8.webhook.support.Fixtures;

/**
 * Prints the AdmissionReview the load run sends: a labeled Deployment (docs/examples/kubectl) updated from
 * image v1 to v2, as kube-apiserver sends it for {@code kubectl apply}. Used by {@code webhook/bench/admission-load.sh}.
 */
public final class ReviewBody {
  private ReviewBody() {}

  public static void main(String[] args) {
    ObjectNode v1 = Fixtures.stored(Fixtures.deployment());
    ObjectNode v2 = ApiServerObjects.applied(v1, Fixtures.replace(Fixtures.deployment(), ":v1", ":v2"));
    System.out.println(AdmissionReviewBuilder.update(v1, v2).uid("bench-0001").toJson());
  }
}
