package tools.iter8.testkit.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static tools.iter8.testkit.kube.BuiltInResourcesTest.deployment;
import static tools.iter8.testkit.kube.CustomResourcesTest.EXPERIMENTS;
import static tools.iter8.testkit.kube.CustomResourcesTest.GROUP;
import static tools.iter8.testkit.kube.CustomResourcesTest.VERSION;

/** The real kubectl against the emulation, through {@link KubernetesApiEmulation#writeKubeconfig(Path)}. */
class KubectlTest {

  private static final Path KUBECTL = Path.of("/usr/bin/kubectl");
  private static final String NS = "team-a";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;
  private KubernetesApiEmulation kube;
  private Path kubeconfig;

  @BeforeEach
  void start() throws IOException {
    assumeTrue(Files.isExecutable(KUBECTL), "kubectl is not installed at " + KUBECTL);
    kube = KubernetesApiEmulation.start();
    kubeconfig = kube.writeKubeconfig(dir.resolve("kubeconfig"));
  }

  @AfterEach
  void stop() {
    if (kube != null) {
      kube.close();
    }
  }

  @Test
  void getDeploymentsInAllNamespaces() throws Exception {
    new AppsV1Api(kube.apiClient()).createNamespacedDeployment(NS, deployment("web")).execute();

    Result result = kubectl("get", "deployments", "-A", "-o", "name");

    assertThat(result.stdout().strip()).isEqualTo("deployment.apps/web");
  }

  @Test
  void applyCreatesExperimentAndGetReturnsItAsJson() throws Exception {
    Path manifest = Files.writeString(dir.resolve("experiment.yaml"), """
        apiVersion: iter8.tools/v2alpha2
        kind: Experiment
        metadata:
          name: canary
          namespace: team-a
        spec:
          target: team-a/web
          strategy:
            testingPattern: Canary
        """);

    assertThat(kubectl("apply", "--validate=false", "-f", manifest.toString()).stdout())
        .contains("experiment.iter8.tools/canary created");

    JsonNode list = JSON.readTree(kubectl("get", "experiments.iter8.tools", "-n", NS, "-o", "json").stdout());
    assertThat(list.path("items")).hasSize(1);
    assertThat(list.path("items").get(0).path("spec").path("target").asText()).isEqualTo("team-a/web");
  }

  @Test
  void mergePatchOfStatusSubresourceWritesStatus() throws Exception {
    CustomObjectsApi custom = new CustomObjectsApi(kube.apiClient());
    custom.createNamespacedCustomObject(GROUP, VERSION, NS, EXPERIMENTS, CustomResourcesTest.experiment("canary"))
        .execute();

    kubectl("patch", "experiments.iter8.tools", "canary", "-n", NS, "--type=merge", "--subresource=status",
        "-p", "{\"status\":{\"stage\":\"Completed\"}}");

    Map<?, ?> read = (Map<?, ?>) custom.getNamespacedCustomObject(GROUP, VERSION, NS, EXPERIMENTS, "canary").execute();
    assertThat(((Map<?, ?>) read.get("status")).get("stage")).isEqualTo("Completed");
  }

  @Test
  void versionReportsKubernetes132() throws Exception {
    JsonNode version = JSON.readTree(kubectl("version", "-o", "json").stdout());

    assertThat(version.path("serverVersion").path("gitVersion").asText())
        .isEqualTo(KubernetesApiEmulation.KUBERNETES_VERSION);
  }

  private record Result(String stdout, String stderr) {
  }

  /** Runs kubectl against the emulation and fails the test unless it exits with 0. */
  private Result kubectl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(KUBECTL.toString(),
        "--kubeconfig", kubeconfig.toString(),
        // Discovery is cached per server address; the emulation's port changes every run.
        "--cache-dir", dir.resolve("cache").toString()));
    command.addAll(List.of(args));
    Path stdout = dir.resolve("stdout");
    Path stderr = dir.resolve("stderr");
    Process process = new ProcessBuilder(command)
        .redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile())
        .start();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("kubectl %s did not finish within 30 s", List.of(args));
    }
    Result result = new Result(Files.readString(stdout, StandardCharsets.UTF_8),
        Files.readString(stderr, StandardCharsets.UTF_8));
    assertThat(process.exitValue()).as("kubectl %s exit code; stderr: %s", List.of(args), result.stderr()).isZero();
    return result;
  }
}
