package tools.iter8.webhook.admission;

import java.util.Optional;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.Metric;
import tools.iter8.core.schema.CrdSchemas;
import tools.iter8.core.workload.WorkloadKind;
import tools.iter8.webhook.admission.AdmissionRequest.Gvk;

/**
 * The webhook as a pure function: an AdmissionReview body in, the answer out. No Kubernetes API calls, no
 * clock, no state: the same request always gets the same answer, so a {@code dryRun} request is answered
 * exactly as the real one, and a write the API server rejects later leaves nothing half done.
 *
 * <p>Routes by endpoint and the request's group/version/kind: labeled workloads on {@code /mutate};
 * Experiments and Metrics on {@code /mutate} (defaults) and {@code /validate}. Anything else is a
 * configuration error, answered as a bad request. An exception becomes a 500 answer with the request's
 * UID. Thread-safe.
 */
public final class AdmissionHandler {

  /** The two admission endpoints. */
  public enum Endpoint {
    MUTATE("/mutate"),
    VALIDATE("/validate");

    private final String path;

    Endpoint(String path) {
      this.path = path;
    }

    public String path() {
      return path;
    }
  }

  private final WorkloadAdmission workloads;
  private final ExperimentAdmission experiments;
  private final MetricAdmission metrics;

  public AdmissionHandler(WorkloadAdmission workloads, ExperimentAdmission experiments, MetricAdmission metrics) {
    this.workloads = workloads;
    this.experiments = experiments;
    this.metrics = metrics;
  }

  /** The handler with iter8's own CRD schemas. */
  public static AdmissionHandler create() {
    CrdSchemas schemas = CrdSchemas.builtin();
    return new AdmissionHandler(
        new WorkloadAdmission(schemas),
        new ExperimentAdmission(schemas),
        new MetricAdmission(schemas));
  }

  /** Answers a request body; never throws. */
  public AdmissionResponse handle(Endpoint endpoint, byte[] body) {
    AdmissionRequest request;
    try {
      request = AdmissionReviewCodec.decode(body);
    } catch (BadAdmissionReview e) {
      return e.toResponse();
    } catch (RuntimeException e) {
      return AdmissionResponse.error(AdmissionReviewCodec.readUid(body), "cannot read the AdmissionReview: " + e);
    }
    return handle(endpoint, request);
  }

  /** Answers a decoded request; never throws. */
  public AdmissionResponse handle(Endpoint endpoint, AdmissionRequest request) {
    try {
      return dispatch(endpoint, request);
    } catch (BadAdmissionReview e) {
      return AdmissionResponse.badRequest(request.uid(), e.code(), e.getMessage());
    } catch (RuntimeException | StackOverflowError e) {
      return AdmissionResponse.error(
          request.uid(), "iter8 webhook failed on " + request.kind() + " " + request.objectKey() + ": " + e);
    }
  }

  private AdmissionResponse dispatch(Endpoint endpoint, AdmissionRequest req) {
    Gvk k = req.kind();
    if (k.apiVersion().equals(Experiment.API_VERSION) && k.kind().equals(Experiment.KIND)) {
      return endpoint == Endpoint.MUTATE ? experiments.mutate(req) : experiments.validate(req);
    }
    if (k.apiVersion().equals(Metric.API_VERSION) && k.kind().equals(Metric.KIND)) {
      return endpoint == Endpoint.MUTATE ? metrics.mutate(req) : metrics.validate(req);
    }
    Optional<WorkloadKind> workload = WorkloadKind.of(k.group(), k.version(), k.kind());
    if (workload.isPresent() && endpoint == Endpoint.MUTATE) {
      return workloads.admit(req, workload.get());
    }
    throw new BadAdmissionReview(
        400, req.uid(),
        "iter8 does not handle " + k + " on " + endpoint.path() + "; the webhook configuration's rules should send"
            + " only apps/v1 Deployments, serving.knative.dev/v1 Services and serving.kserve.io/v1beta1"
            + " InferenceServices to /mutate, and iter8.tools/v2alpha2 Experiments and Metrics to /mutate and"
            + " /validate");
  }
}
