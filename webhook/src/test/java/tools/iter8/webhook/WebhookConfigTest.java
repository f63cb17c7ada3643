package tools.iter8.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.iter8.core.config.EnvSettings;

class WebhookConfigTest {

  @Test
  void defaults() {
    WebhookConfig c = WebhookConfig.fromEnv(Map.of());
    assertThat(c.host()).isEqualTo("0.0.0.0");
    assertThat(c.port()).isEqualTo(8443);
    assertThat(c.certDir()).isEqualTo(Path.of("/etc/iter8-webhook/tls"));
    assertThat(c.certReloadInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.bodyLimitBytes()).isEqualTo(7 * 1024 * 1024);
    assertThat(c.systemNamespace()).isEqualTo("iter8-system");
    assertThat(c.instances()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(c.shutdownDrain()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void everySettingComesFromTheEnvironment() {
    WebhookConfig c = WebhookConfig.fromEnv(Map.of(
        "ITER8_WEBHOOK_HOST", "127.0.0.1",
        "ITER8_WEBHOOK_PORT", "9443",
        "ITER8_WEBHOOK_CERT_DIR", "/certs",
        "ITER8_WEBHOOK_CERT_RELOAD_INTERVAL", "1m",
        "ITER8_WEBHOOK_BODY_LIMIT", "1048576",
        "POD_NAMESPACE", "platform",
        "ITER8_WEBHOOK_INSTANCES", "3",
        "ITER8_WEBHOOK_SHUTDOWN_DRAIN", "2s",
        "ITER8_WEBHOOK_SHUTDOWN_TIMEOUT", "PT20S"));
    assertThat(c).isEqualTo(new WebhookConfig("127.0.0.1", 9443, Path.of("/certs"), Duration.ofMinutes(1), 1048576,
        "platform", 3, Duration.ofSeconds(2), Duration.ofSeconds(20)));
    assertThat(WebhookConfig.fromEnv(Map.of("POD_NAMESPACE", "a", "ITER8_NAMESPACE", "b")).systemNamespace()).isEqualTo("b");
  }

  @Test
  void everyBadValueIsReportedAtOnce() {
    assertThatThrownBy(() -> WebhookConfig.fromEnv(Map.of(
            "ITER8_WEBHOOK_PORT", "https",
            "ITER8_WEBHOOK_BODY_LIMIT", "10",
            "ITER8_WEBHOOK_CERT_RELOAD_INTERVAL", "10ms")))
        .isInstanceOf(EnvSettings.InvalidConfigException.class)
        .hasMessageContaining("ITER8_WEBHOOK_PORT=https")
        .hasMessageContaining("ITER8_WEBHOOK_BODY_LIMIT=10")
        .hasMessageContaining("ITER8_WEBHOOK_CERT_RELOAD_INTERVAL=PT0.01S: must be at least 100ms");
  }
}
