package tools.iter8.cli;

import java.util.Optional;
import picocli.CommandLine.Mixin;
import tools.iter8.cli.ExperimentClient.KubeApiException;
import tools.iter8.core.api.Experiment;

/** A command that reads experiments from the cluster: the kube options, and finding the experiment meant. */
abstract class ClusterCommand {
  @Mixin KubeOptions kube;

  final CliIO io;
  private KubeContext context;
  private ExperimentClient client;

  ClusterCommand(CliIO io) {
    this.io = io;
  }

  KubeContext context() {
    if (context == null) {
      context = KubeContext.resolve(kube, io.env(), io.home());
    }
    return context;
  }

  ExperimentClient client() {
    if (client == null) {
      client = new ExperimentClient(context().client());
    }
    return client;
  }

  /** The named experiment, or with no name the one created last in the namespace; exit 2 when there is none. */
  Experiment find(String name) {
    try {
      return lookup(name).orElseThrow(() -> notFound(name));
    } catch (KubeApiException e) {
      throw unreachable(e);
    }
  }

  /** The named experiment, or the one created last; empty when there is none. */
  Optional<Experiment> lookup(String name) {
    String ns = context().namespace();
    return name == null ? client().latest(ns) : client().get(ns, name);
  }

  CliException notFound(String name) {
    String ns = context().namespace();
    return new CliException(ExitCodes.UNKNOWN, name == null
        ? "no experiments found in namespace " + ns
        : "experiment " + name + " not found in namespace " + ns);
  }

  CliException unreachable(KubeApiException e) {
    String hint = e.notFound() ? " (are iter8's CRDs installed?)" : "";
    return new CliException(ExitCodes.UNKNOWN, e.getMessage() + hint + " [" + context().source() + "]", e);
  }

  /** Sleeps between polls; false when interrupted (Ctrl-C on the way). */
  static boolean pause(java.time.Duration d) {
    try {
      Thread.sleep(Math.max(1, d.toMillis()));
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
