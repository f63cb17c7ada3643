package tools.iter8.install.k3s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;
import tools.iter8.core.api.ApiMapper;

/**
 * The k3s tier (docs/reliability.md): the shipped install on a real single-node Kubernetes (k3s in a
 * container, Testcontainers) and one canary end to end through it — a labeled Deployment, a new version
 * applied with kubectl, the real webhook staging it, the real agent promoting it.
 *
 * <p>Opt-in: {@code mvn -B -Pk3s -pl install-tests -am verify}. It needs a Docker engine (skipped, with
 * Testcontainers' message, where none runs — as on the project's own machines, where this tier has never
 * run) and the two images as tarballs, which Jib builds without Docker:
 *
 * <pre>
 * mvn -B -Pimage -pl agent,webhook -am -DskipTests package jib:buildTar
 * </pre>
 *
 * <p>({@code agent/target/jib-image.tar}, {@code webhook/target/jib-image.tar}; other paths with {@code
 * -Diter8.k3s.agentImage=... -Diter8.k3s.webhookImage=...}). They are imported into the k3s node's containerd
 * under the names the manifests use ({@code ghcr.io/iter8-java/iter8-*:<version>}, {@code IfNotPresent}), so
 * nothing is pulled from a registry but k3s itself and its pause image. The built-in {@code http} metric set is
 * given {@code mock} values for the two versions (no Prometheus in the cluster): the canary is judged on them.
 */
@ExtendWith(CanaryOnK3sIT.DockerNotice.class)
@Testcontainers(disabledWithoutDocker = true)
class CanaryOnK3sIT {
  /** Says plainly, on the console, why the tier is skipped. */
  static final class DockerNotice implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      if (DockerClientFactory.instance().isDockerAvailable()) {
        return ConditionEvaluationResult.enabled("a Docker engine is available");
      }
      String why = "k3s tier SKIPPED: no Docker engine is reachable from this machine, so k3s cannot run"
          + " (the project's own machines have none; this tier has not been run there, docs/reliability.md)";
      System.out.println("[k3s] " + why);
      return ConditionEvaluationResult.disabled(why);
    }
  }

  private static final String K3S_IMAGE = System.getProperty("iter8.k3s.image", "rancher/k3s:v1.31.4-k3s1");
  private static final Path ROOT = Path.of(System.getProperty("iter8.projectRoot", "..")).toAbsolutePath().normalize();
  private static final Duration LIMIT = Duration.ofMinutes(5);

  @Container
  private static final K3sContainer K3S = new K3sContainer(DockerImageName.parse(K3S_IMAGE));

  private static Path work;
  private static Path kubeconfig;

  @BeforeAll
  static void install() throws Exception {
    work = Files.createDirectories(ROOT.resolve("install-tests/target/k3s"));
    kubeconfig = work.resolve("kubeconfig.yaml");
    Files.writeString(kubeconfig, K3S.getKubeConfigYaml());

    importImage(System.getProperty("iter8.k3s.agentImage", ROOT.resolve("agent/target/jib-image.tar").toString()), "agent");
    importImage(System.getProperty("iter8.k3s.webhookImage", ROOT.resolve("webhook/target/jib-image.tar").toString()), "webhook");

    // CRDs first, established before anything of their kinds is applied.
    kubectl("apply", "--server-side", "-f", ROOT.resolve("manifests/crds").toString());
    kubectl("wait", "--for=condition=Established", "--timeout=60s", "crd/experiments.iter8.tools", "crd/metrics.iter8.tools");

    // The serving certificate and caBundle as scripts/install.sh makes them; the base with its placeholder filled.
    Path certs = Files.createDirectories(work.resolve("certs"));
    run(List.of(ROOT.resolve("scripts/gen-certs.sh").toString(), "--out", certs.toString()));
    String caBundle = Base64.getEncoder().encodeToString(Files.readAllBytes(certs.resolve("ca.crt")));
    String base = kubectl("kustomize", ROOT.resolve("manifests").toString()).replace("${CA_BUNDLE}", caBundle);
    Path rendered = work.resolve("base.yaml");
    Files.writeString(rendered, base);
    kubectl("apply", "--server-side", "-f", rendered.toString());
    kubectl("-n", "iter8-system", "create", "secret", "tls", "iter8-webhook-tls",
        "--cert=" + certs.resolve("tls.crt"), "--key=" + certs.resolve("tls.key"));
    kubectl("-n", "iter8-system", "rollout", "status", "deployment/iter8-webhook", "--timeout=180s");
    kubectl("-n", "iter8-system", "rollout", "status", "deployment/iter8-agent", "--timeout=180s");

    // No Prometheus here: the built-in http set answers with mocked levels for both versions.
    for (String[] m : new String[][] {{"request-count", "1000"}, {"error-rate", "0"}}) {
      kubectl("-n", "iter8-http", "patch", "metric", m[0], "--type=merge", "-p",
          "{\"spec\":{\"mock\":[{\"name\":\"baseline\",\"level\":\"" + m[1] + "\"},{\"name\":\"candidate\",\"level\":\""
              + m[1] + "\"}]}}");
    }
  }

  @AfterAll
  static void logs() {
    if (K3S.isRunning()) {
      for (String d : List.of("iter8-agent", "iter8-webhook")) {
        try {
          System.out.println("---- logs of " + d + "\n" + kubectl("-n", "iter8-system", "logs", "deployment/" + d, "--tail=200"));
        } catch (RuntimeException e) {
          System.out.println("no logs of " + d + ": " + e.getMessage());
        }
      }
    }
  }

  private static String deployment(String version) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: myapp
          namespace: shop
          labels: {app: myapp, iter8.tools/watch: "true"}
          annotations:
            iter8.tools/metrics: http
            iter8.tools/objectives: error-rate<=0.01
            iter8.tools/interval: 2s
            iter8.tools/iterations: "10"
        spec:
          replicas: 2
          selector: {matchLabels: {app: myapp}}
          template:
            metadata: {labels: {app: myapp}}
            spec:
              containers:
              - name: app
                image: rancher/mirrored-pause:3.6
                env: [{name: VERSION, value: "%s"}]
        """.formatted(version);
  }

  @Test
  void aNewVersionOfALabeledDeploymentIsStagedJudgedAndPromoted() throws Exception {
    kubectl("create", "namespace", "shop");
    apply(deployment("v1"));
    kubectl("-n", "shop", "rollout", "status", "deployment/myapp", "--timeout=120s");

    apply(deployment("v2"));
    JsonNode staged = json(kubectl("-n", "shop", "get", "deployment", "myapp", "-o", "json"));
    assertThat(staged.at("/spec/paused").asBoolean()).as("the webhook staged v2").isTrue();
    String experiment = staged.at("/metadata/annotations").path("iter8.tools/experiment").asText();
    assertThat(experiment).isNotEmpty();

    long deadline = System.nanoTime() + LIMIT.toNanos();
    JsonNode e = null;
    while (System.nanoTime() < deadline) {
      String out = kubectlOrEmpty("-n", "shop", "get", "experiment", experiment, "-o", "json");
      e = out.isEmpty() ? null : json(out);
      if (e != null && "Completed".equals(e.at("/status/stage").asText())) {
        break;
      }
      TimeUnit.SECONDS.sleep(2);
    }
    assertThat(e).as("experiment %s", experiment).isNotNull();
    assertThat(e.at("/status/stage").asText()).isEqualTo("Completed");
    assertThat(e.at("/status/decision/action").asText()).isEqualTo("Promote");

    kubectl("-n", "shop", "rollout", "status", "deployment/myapp", "--timeout=120s");
    JsonNode promoted = json(kubectl("-n", "shop", "get", "deployment", "myapp", "-o", "json"));
    assertThat(promoted.at("/spec/paused").asBoolean(false)).isFalse();
    assertThat(promoted.at("/spec/template/spec/containers/0/env/0/value").asText()).isEqualTo("v2");
    assertThat(json(kubectl("-n", "shop", "get", "deployments", "-o", "json")).path("items"))
        .as("the candidate Deployment is removed").hasSize(1);
  }

  private static void importImage(String tar, String what) throws IOException, InterruptedException {
    Path path = Path.of(tar);
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException("no " + what + " image at " + path + ": build it first with"
          + " mvn -B -Pimage -pl agent,webhook -am -DskipTests package jib:buildTar");
    }
    K3S.copyFileToContainer(MountableFile.forHostPath(path), "/tmp/" + what + ".tar");
    ExecResult r = K3S.execInContainer("k3s", "ctr", "images", "import", "/tmp/" + what + ".tar");
    assertThat(r.getExitCode()).as("import %s: %s", what, r.getStderr()).isZero();
  }

  private static void apply(String yaml) throws IOException {
    Path f = Files.createTempFile(work, "apply", ".yaml");
    Files.writeString(f, yaml);
    kubectl("apply", "-f", f.toString());
  }

  private static JsonNode json(String s) {
    return ApiMapper.read(s, JsonNode.class);
  }

  private static String kubectlOrEmpty(String... args) {
    try {
      return kubectl(args);
    } catch (RuntimeException e) {
      return "";
    }
  }

  private static String kubectl(String... args) {
    List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
    cmd.addAll(List.of(args));
    return run(cmd);
  }

  private static String run(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
      }
      return out;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
