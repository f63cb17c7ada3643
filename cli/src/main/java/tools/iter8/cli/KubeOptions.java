package tools.iter8.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every command that reads the cluster takes, as kubectl spells them. */
public final class KubeOptions {
  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description = "Kubeconfig file. Default: the first file of $KUBECONFIG that exists, else ~/.kube/config.")
  Path kubeconfig;

  @Option(names = "--context", paramLabel = "NAME", description = "Kubeconfig context. Default: its current context.")
  String context;

  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "NS",
      description = "Namespace of the experiment. Default: the context's namespace, else default.")
  String namespace;
}
