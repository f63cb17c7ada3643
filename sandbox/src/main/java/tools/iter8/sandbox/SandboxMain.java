package tools.iter8.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.lifecycle.ExperimentFacts;
import tools.iter8.core.workload.WorkloadKeys;
import tools.iter8.testkit.prometheus.PrometheusProcess;

/**
 * The main job's embedded default (README: {@code scripts/demo.sh}): a whole canary end to end in the
 * sandbox. It applies a labeled Deployment, then a new version of it, the way {@code kubectl apply} would;
 * the webhook stages the new version and generates the experiment, the agent runs it against live traffic
 * and promotes or rolls back. {@code good} (default) expects the candidate promoted; {@code bad} expects a
 * faulty candidate rolled back. Exit 0 only on the expected outcome, 1 otherwise, 2 if the sandbox could
 * not run.
 *
 * <p>Options: {@code --metrics prometheus|embedded|auto} (auto: Prometheus when installed),
 * {@code --rps N} (simulated users' requests per second, default 100), {@code --timeout SECONDS} (110).
 */
public final class SandboxMain {
  private SandboxMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out));
  }

  static int run(String[] args, PrintStream out) {
    String scenario = "good";
    String metrics = "auto";
    double rps = 100;
    Duration timeout = Duration.ofSeconds(110);
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "good", "bad" -> scenario = args[i];
        case "--metrics" -> metrics = args[++i];
        case "--rps" -> rps = Double.parseDouble(args[++i]);
        case "--timeout" -> timeout = Duration.ofSeconds(Long.parseLong(args[++i]));
        default -> {
          out.println("usage: demo [good|bad] [--metrics prometheus|embedded|auto] [--rps N] [--timeout SECONDS]");
          return 2;
        }
      }
    }
    boolean good = scenario.equals("good");
    boolean prometheus = switch (metrics) {
      case "prometheus" -> true;
      case "embedded" -> false;
      default -> prometheusInstalled();
    };
    Display display = new Display(out, System.console() != null);
    display.line("iter8 sandbox: a canary of " + Sandbox.APP + " v1 -> v2 (" + (good ? AppProfile.V2_GOOD : AppProfile.V2_BAD).description()
        + "), metrics through " + (prometheus ? "a real Prometheus" : "the embedded source (no Prometheus installed)"));
    Instant begin = Instant.now();
    try (Sandbox sandbox = Sandbox.start(new Sandbox.Options(good ? AppProfile.V2_GOOD : AppProfile.V2_BAD, prometheus, rps,
        w -> display.line("Warning: " + w)))) {
      sandbox.install();
      sandbox.applyDeployment("ghcr.io/iter8-java/demo-app:v1");
      display.line("applied Deployment " + Sandbox.NAMESPACE + "/" + Sandbox.APP + " v1; users are sending " + (int) rps + " requests/s");
      await(() -> sandbox.podCount() > 0, Duration.ofSeconds(20), "v1 pods to run");
      Thread.sleep(4000);
      JsonNode staged = sandbox.applyDeployment("ghcr.io/iter8-java/demo-app:v2");
      String name = staged.at("/metadata/annotations").path(WorkloadKeys.EXPERIMENT).asText("");
      if (name.isEmpty()) {
        display.line("the webhook did not stage v2: " + staged.at("/metadata/annotations").path(WorkloadKeys.STATUS).asText());
        return 1;
      }
      display.line("applied v2: the webhook paused the rollout and generated experiment " + name);
      Experiment done = follow(sandbox, name, display, begin.plus(timeout));
      if (done == null) {
        display.line("FAILED: the experiment did not complete within " + timeout.toSeconds() + " s");
        return 1;
      }
      return verdict(sandbox, done, good, display, Duration.between(begin, Instant.now()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 2;
    } catch (RuntimeException e) {
      out.println("the sandbox could not run: " + e);
      return 2;
    }
  }

  private static Experiment follow(Sandbox sandbox, String name, Display display, Instant deadline) throws InterruptedException {
    while (Instant.now().isBefore(deadline)) {
      Optional<Experiment> e = sandbox.experiment(name);
      if (e.isPresent()) {
        display.show(e.get(), "users sent " + sandbox.requestsSent() + " requests so far");
        if (ExperimentFacts.completed(e.get())) {
          return e.get();
        }
      }
      Thread.sleep(1000);
    }
    return null;
  }

  /** Checks the outcome on the cluster, not only in status: what the user would see. */
  private static int verdict(Sandbox sandbox, Experiment done, boolean good, Display display, Duration took) {
    String action = done.status().decision() == null ? "" : done.status().decision().action();
    JsonNode d = sandbox.deployment().orElseThrow();
    String image = d.at("/spec/template/spec/containers/0/image").asText();
    boolean paused = d.at("/spec/paused").asBoolean(false);
    boolean candidateGone = !sandbox.exists(ResourceKind.DEPLOYMENT, done.metadata().name());
    display.line("");
    display.line("decision: " + action + " — " + (done.status().decision() == null ? "" : done.status().decision().reason()));
    display.line("Deployment " + Sandbox.NAMESPACE + "/" + Sandbox.APP + ": image " + image + (paused ? " (paused)" : "")
        + "; candidate Deployment " + (candidateGone ? "removed" : "still present"));
    display.line("status: " + d.at("/metadata/annotations").path(WorkloadKeys.STATUS).asText());
    boolean ok = good
        ? action.equals("Promote") && image.endsWith(":v2") && !paused && candidateGone
        : action.equals("Rollback") && image.endsWith(":v1") && !paused && candidateGone
            && !d.at("/metadata/annotations").path(WorkloadKeys.REJECTED_HASH).asText("").isEmpty();
    display.line((ok ? "OK: " : "UNEXPECTED: ") + (good ? "the healthy candidate was promoted" : "the faulty candidate was rolled back")
        + (ok ? "" : " — expected, but not what happened") + " (" + took.toSeconds() + " s)");
    return ok ? 0 : 1;
  }

  private static void await(java.util.function.BooleanSupplier condition, Duration limit, String what) throws InterruptedException {
    Instant until = Instant.now().plus(limit);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(until)) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      Thread.sleep(200);
    }
  }

  private static boolean prometheusInstalled() {
    try {
      PrometheusProcess.binary();
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }
}
