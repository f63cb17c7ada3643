package tools.iter8.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1Service;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.iter8.agent.AgentConfig;
import tools.iter8.install.support.K8sObject;
import tools.iter8.install.support.Rendering;
import tools.iter8.install.support.Renderings;
import tools.iter8.install.support.TypedModels;
import tools.iter8.webhook.WebhookConfig;

/**
 * Both programs run hardened and highly available: two replicas, non-root with a read-only root filesystem
 * (a writable /tmp for the JVM), no privilege escalation, no capabilities, the runtime's seccomp profile,
 * probes on the ports and paths each server really serves, resources, a PodDisruptionBudget, spread over
 * nodes; and their environment is a configuration the programs accept.
 */
class DeploymentsTest {
  static Stream<Rendering> renderings() {
    return Stream.of(Renderings.base(), Renderings.everything(), Renderings.helmDefaults());
  }

  /** The container's environment as the kubelet would set it for a pod of this Deployment. */
  static Map<String, String> env(K8sObject deployment, String podName) {
    Map<String, String> env = new HashMap<>();
    for (JsonNode e : deployment.at("/spec/template/spec/containers/0/env")) {
      String name = e.path("name").asText();
      if (e.has("value")) {
        env.put(name, e.path("value").asText());
      } else {
        String field = e.at("/valueFrom/fieldRef/fieldPath").asText();
        switch (field) {
          case "metadata.name" -> env.put(name, podName);
          case "metadata.namespace" -> env.put(name, deployment.namespace());
          default -> throw new AssertionError(deployment + ": unexpected env source " + e);
        }
      }
    }
    return env;
  }

  private static V1Container container(V1Deployment d) {
    assertThat(d.getSpec().getTemplate().getSpec().getContainers()).hasSize(1);
    return d.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void bothDeploymentsAreHardenedAndHighlyAvailable(Rendering r) {
    for (String name : List.of("iter8-agent", "iter8-webhook")) {
      V1Deployment d = TypedModels.parse(r.one("Deployment", name), V1Deployment.class);
      String what = name + " in " + r;
      assertThat(d.getSpec().getReplicas()).as(what).isEqualTo(2);
      assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntValue()).as(what).isZero();
      V1PodSpec pod = d.getSpec().getTemplate().getSpec();
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(what).isTrue();
      assertThat(pod.getSecurityContext().getRunAsUser()).as(what).isEqualTo(65532L);
      assertThat(pod.getSecurityContext().getSeccompProfile().getType()).as(what).isEqualTo("RuntimeDefault");
      assertThat(pod.getAffinity().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution().get(0)
          .getPodAffinityTerm().getLabelSelector().getMatchLabels()).as(what).isEqualTo(d.getSpec().getSelector().getMatchLabels());

      V1Container c = container(d);
      assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).as(what).isTrue();
      assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(what).isFalse();
      assertThat(c.getSecurityContext().getCapabilities().getDrop()).as(what).containsExactly("ALL");
      assertThat(c.getSecurityContext().getCapabilities().getAdd()).as(what).isNullOrEmpty();
      assertThat(c.getSecurityContext().getPrivileged()).as(what).isNull();
      // The JVM needs a writable temporary directory: an emptyDir at /tmp.
      String tmp = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp")).findFirst()
          .orElseThrow(() -> new AssertionError(what + " mounts nothing at /tmp")).getName();
      assertThat(pod.getVolumes()).filteredOn(v -> v.getName().equals(tmp)).singleElement()
          .satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
      assertThat(env(r.one("Deployment", name), "p").get("JAVA_TOOL_OPTIONS")).as(what).contains("-XX:MaxRAMPercentage=");

      Map<String, Quantity> requests = c.getResources().getRequests();
      assertThat(requests).as(what).containsKeys("cpu", "memory");
      assertThat(c.getResources().getLimits()).as(what).containsKey("memory");
      assertThat(c.getResources().getLimits().get("memory").getNumber())
          .isGreaterThanOrEqualTo(requests.get("memory").getNumber());

      for (V1Probe probe : List.of(c.getReadinessProbe(), c.getLivenessProbe(), c.getStartupProbe())) {
        assertThat(probe).as(what).isNotNull();
        String port = probe.getHttpGet().getPort().getStrValue();
        assertThat(c.getPorts()).as("%s: probe port %s", what, port).anySatisfy(p -> assertThat(p.getName()).isEqualTo(port));
      }
      assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
      assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
      assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/healthz");

      V1PodDisruptionBudget pdb = TypedModels.parse(r.one("PodDisruptionBudget", name), V1PodDisruptionBudget.class);
      assertThat(pdb.getSpec().getMinAvailable().getIntValue()).as(what).isEqualTo(1);
      assertThat(pdb.getSpec().getSelector().getMatchLabels()).isEqualTo(d.getSpec().getSelector().getMatchLabels());
      assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());

      V1Service service = TypedModels.parse(r.one("Service", name), V1Service.class);
      assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(service.getSpec().getSelector());
      assertThat(c.getPorts()).extracting(p -> p.getName())
          .contains(service.getSpec().getPorts().get(0).getTargetPort().getStrValue());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void theAgentsEnvironmentIsAValidConfigurationThatItsProbesAndLeaseMatch(Rendering r) {
    K8sObject deployment = r.one("Deployment", "iter8-agent");
    AgentConfig config = AgentConfig.fromEnv(env(deployment, "iter8-agent-7d9f-abcde"));
    V1Container c = container(TypedModels.parse(deployment, V1Deployment.class));
    assertThat(config.identity()).as("each replica competes for the lease as itself").isEqualTo("iter8-agent-7d9f-abcde");
    assertThat(config.systemNamespace()).isEqualTo(deployment.namespace());
    assertThat(config.leaderElection()).isTrue();
    assertThat(config.watchNamespaces()).as("all namespaces by default").isEmpty();
    String probePort = c.getReadinessProbe().getHttpGet().getPort().getStrValue();
    assertThat(c.getPorts()).filteredOn(p -> p.getName().equals(probePort)).singleElement()
        .satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(config.healthPort()));
    // A graceful stop (stop acting, release the lease, close Vert.x within 10 s) fits the grace period.
    long grace = deployment.at("/spec/template/spec/terminationGracePeriodSeconds").asLong();
    assertThat(Duration.ofSeconds(grace)).isGreaterThan(Duration.ofSeconds(10).plus(config.retryPeriod()));
    // /metrics is scraped where it is served.
    assertThat(r.one("Service", "iter8-agent").at("/spec/ports/0/targetPort").asText()).isEqualTo(probePort);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void theWebhooksEnvironmentIsAValidConfigurationThatItsVolumesProbesAndGraceMatch(Rendering r) {
    K8sObject deployment = r.one("Deployment", "iter8-webhook");
    WebhookConfig config = WebhookConfig.fromEnv(env(deployment, "iter8-webhook-1"));
    V1Deployment d = TypedModels.parse(deployment, V1Deployment.class);
    V1Container c = container(d);
    assertThat(config.systemNamespace()).isEqualTo(deployment.namespace());
    assertThat(c.getPorts()).filteredOn(p -> p.getName().equals("https")).singleElement()
        .satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(config.port()));
    for (V1Probe probe : List.of(c.getReadinessProbe(), c.getLivenessProbe(), c.getStartupProbe())) {
      assertThat(probe.getHttpGet().getScheme()).isEqualTo("HTTPS");
    }
    String tls = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(config.certDir().toString()))
        .findFirst().orElseThrow(() -> new AssertionError("no volume at " + config.certDir())).getName();
    assertThat(d.getSpec().getTemplate().getSpec().getVolumes()).filteredOn(v -> v.getName().equals(tls)).singleElement()
        .satisfies(v -> assertThat(v.getSecret().getSecretName()).isEqualTo("iter8-webhook-tls"));
    long grace = deployment.at("/spec/template/spec/terminationGracePeriodSeconds").asLong();
    assertThat(Duration.ofSeconds(grace)).isGreaterThan(config.shutdownDrain().plus(config.shutdownTimeout()));
  }

  @Test
  void imagesComeFromTheIter8RegistryAtTheProjectVersion() {
    for (Rendering r : List.of(Renderings.base(), Renderings.helmDefaults())) {
      assertThat(r.one("Deployment", "iter8-agent").at("/spec/template/spec/containers/0/image").asText())
          .isEqualTo("ghcr.io/iter8-java/iter8-agent:" + ImageProfilesTest.projectVersion());
      assertThat(r.one("Deployment", "iter8-webhook").at("/spec/template/spec/containers/0/image").asText())
          .isEqualTo("ghcr.io/iter8-java/iter8-webhook:" + ImageProfilesTest.projectVersion());
    }
  }
}
