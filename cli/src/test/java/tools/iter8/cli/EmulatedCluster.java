package tools.iter8.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.ExperimentStatus;
import tools.iter8.testkit.kube.KubernetesApiEmulation;

/**
 * A Kubernetes API emulation holding experiments, written the way the agent writes them: the resource without
 * status, then status through the status subresource (JSON merge patch).
 */
final class EmulatedCluster implements AutoCloseable {
  static final String GROUP = ExperimentClient.GROUP;
  static final String VERSION = ExperimentClient.VERSION;
  static final String PLURAL = ExperimentClient.PLURAL;

  private final KubernetesApiEmulation kube = KubernetesApiEmulation.start();
  private final ApiClient client = kube.apiClient();
  private final CustomObjectsApi custom = new CustomObjectsApi(client);

  KubernetesApiEmulation kube() {
    return kube;
  }

  Path writeKubeconfig(Path file) {
    try {
      return kube.writeKubeconfig(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates the experiment (its status, if any, is left out as the API server would). */
  void create(Experiment experiment) {
    ObjectNode body = (ObjectNode) ApiMapper.toTree(experiment.withStatus(null));
    String ns = experiment.metadata().namespace();
    try {
      custom.createNamespacedCustomObject(GROUP, VERSION, ns, PLURAL, map(body)).execute();
    } catch (ApiException e) {
      throw new IllegalStateException("create failed: " + e.getCode() + " " + e.getResponseBody(), e);
    }
  }

  /**
   * Replaces the status through {@code PUT /status}, with the resourceVersion just read. Not a JSON merge patch:
   * the emulation appends to arrays on merge patches where RFC 7386 (and kube-apiserver) replace them, which would
   * pile up conditions.
   */
  void writeStatus(String ns, String name, ExperimentStatus status) {
    Experiment current = new ExperimentClient(client).get(ns, name)
        .orElseThrow(() -> new IllegalStateException("no experiment " + ns + "/" + name));
    try {
      custom.replaceNamespacedCustomObjectStatus(GROUP, VERSION, ns, PLURAL, name,
          map(ApiMapper.toTree(current.withStatus(status)))).execute();
    } catch (ApiException e) {
      throw new IllegalStateException("status write failed: " + e.getCode() + " " + e.getResponseBody(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(JsonNode node) {
    return ApiMapper.json().convertValue(node, Map.class);
  }

  @Override
  public void close() {
    kube.close();
  }
}
