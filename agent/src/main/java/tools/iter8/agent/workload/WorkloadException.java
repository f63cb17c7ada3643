package tools.iter8.agent.workload;

/**
 * A workload cannot be staged, promoted or rolled back because of what the cluster holds (the workload
 * is gone, another experiment now owns it, no ReplicaSet runs the baseline template, a Deployment did not
 * become available in time). The message names the object, says what state it was left in, and what to
 * do. Failures of the API itself arrive as {@link tools.iter8.agent.kube.KubernetesApiException}.
 */
public final class WorkloadException extends RuntimeException {

  public WorkloadException(String message) {
    super(message);
  }
}
