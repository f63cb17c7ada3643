package tools.iter8.cli;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where iter8ctl reads from: a client-java {@link ApiClient} and the namespace, resolved as kubectl does. The
 * kubeconfig is {@code --kubeconfig}, else the first file of {@code $KUBECONFIG} that exists (files are not merged),
 * else {@code ~/.kube/config}; without one, inside a pod, the pod's service account. The context is
 * {@code --context}, else the kubeconfig's current context. The namespace is {@code -n}, else the context's, else
 * {@code default}.
 *
 * @param source the kubeconfig file and context, or "in-cluster", for messages
 */
public record KubeContext(ApiClient client, String namespace, String source) {
  static final String DEFAULT_NAMESPACE = "default";
  private static final Path SERVICE_ACCOUNT_NAMESPACE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  public static KubeContext resolve(KubeOptions options, Map<String, String> env, Path home) {
    Path file = kubeconfigFile(options, env, home);
    if (file == null) {
      if (env.get("KUBERNETES_SERVICE_HOST") != null && options.context == null) {
        return inCluster(options);
      }
      throw new CliException(ExitCodes.UNKNOWN,
          "no kubeconfig: pass --kubeconfig, set KUBECONFIG, or create " + home.resolve(".kube/config"));
    }
    KubeConfig config;
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      config = KubeConfig.loadKubeConfig(reader);
    } catch (IOException | RuntimeException e) {
      throw new CliException(ExitCodes.UNKNOWN, "cannot read kubeconfig " + file + ": " + e.getMessage(), e);
    }
    config.setFile(file.toAbsolutePath().toFile());
    if (options.context != null && !config.setContext(options.context)) {
      throw new CliException(ExitCodes.UNKNOWN, "context \"" + options.context + "\" not found in " + file);
    }
    if (config.getCurrentContext() == null) {
      throw new CliException(ExitCodes.UNKNOWN, file + " has no current context; pass --context");
    }
    String namespace = firstNonBlank(options.namespace, config.getNamespace(), DEFAULT_NAMESPACE);
    try {
      ApiClient client = ClientBuilder.kubeconfig(config).build();
      return new KubeContext(client, namespace, file + ", context " + config.getCurrentContext());
    } catch (IOException | RuntimeException e) {
      throw new CliException(ExitCodes.UNKNOWN,
          "cannot use context " + config.getCurrentContext() + " of " + file + ": " + e.getMessage(), e);
    }
  }

  static Path kubeconfigFile(KubeOptions options, Map<String, String> env, Path home) {
    if (options.kubeconfig != null) {
      if (!Files.isRegularFile(options.kubeconfig)) {
        throw new CliException(ExitCodes.UNKNOWN, "kubeconfig " + options.kubeconfig + " does not exist");
      }
      return options.kubeconfig;
    }
    String list = env.get("KUBECONFIG");
    if (list != null && !list.isBlank()) {
      for (String entry : list.split(File.pathSeparator)) {
        if (!entry.isBlank() && Files.isRegularFile(Path.of(entry))) {
          return Path.of(entry);
        }
      }
    }
    Path standard = home.resolve(".kube").resolve("config");
    return Files.isRegularFile(standard) ? standard : null;
  }

  private static KubeContext inCluster(KubeOptions options) {
    String podNamespace = null;
    try {
      podNamespace = Files.isReadable(SERVICE_ACCOUNT_NAMESPACE)
          ? Files.readString(SERVICE_ACCOUNT_NAMESPACE).trim() : null;
      return new KubeContext(ClientBuilder.cluster().build(),
          firstNonBlank(options.namespace, podNamespace, DEFAULT_NAMESPACE), "in-cluster");
    } catch (IOException | RuntimeException e) {
      throw new CliException(ExitCodes.UNKNOWN, "cannot use the in-cluster service account: " + e.getMessage(), e);
    }
  }

  private static String firstNonBlank(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }
}
