package tools.iter8.agent.routing;

/**
 * Traffic cannot be read or moved because of what the cluster or the experiment holds, not because the
 * API server failed: an object that does not exist, a field path with no integer, a route with no
 * destination for a version. Retrying unchanged does not help; the message says what to fix. (Failures
 * of the API itself arrive as {@link tools.iter8.agent.kube.KubernetesApiException}.)
 */
public final class RoutingException extends RuntimeException {

  public RoutingException(String message) {
    super(message);
  }
}
