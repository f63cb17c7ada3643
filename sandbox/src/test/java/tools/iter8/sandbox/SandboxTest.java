package tools.iter8.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The README's main job, end to end: a labeled Deployment, a new version applied over it, the real
 * webhook staging it over TLS, the real agent judging live traffic and promoting or rolling back, and
 * the outcome checked on the cluster. Once with the embedded metrics, once through a real Prometheus
 * (scripts/test.sh installs it).
 */
class SandboxTest {

  private static String run(String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code = SandboxMain.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(code).as("exit code; output:\n%s", out).isZero();
    return out;
  }

  @Test
  void aHealthyNewVersionIsStagedByTheWebhookAndPromotedByTheAgent() {
    String out = run("good", "--metrics", "embedded");

    assertThat(out).contains("the webhook paused the rollout and generated experiment")
        .contains("decision: Promote")
        .contains("image ghcr.io/iter8-java/demo-app:v2; candidate Deployment removed")
        .contains("OK: the healthy candidate was promoted");
  }

  @Test
  void aFaultyNewVersionIsRolledBackAndItsTemplateRecordedAsRejected() {
    String out = run("bad", "--metrics", "embedded");

    assertThat(out).contains("decision: Rollback").contains("iter8-http/error-rate")
        .contains("image ghcr.io/iter8-java/demo-app:v1").contains("status: rejected")
        .contains("OK: the faulty candidate was rolled back");
  }

  @Test
  void theSameCanaryIsJudgedThroughARealPrometheus() {
    String out = run("good", "--metrics", "prometheus");

    assertThat(out).contains("metrics through a real Prometheus").contains("OK: the healthy candidate was promoted");
  }
}
