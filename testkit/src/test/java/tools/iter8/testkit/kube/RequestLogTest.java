package tools.iter8.testkit.kube;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequestLogTest {

  @Test
  void keepsOnlyTheNewestEntries() {
    RequestLog log = new RequestLog();
    for (int i = 0; i < RequestLog.CAPACITY + 10; i++) {
      log.record("GET", "/api/v1/pods/p" + i, null, 200, "test");
    }

    assertThat(log.entries()).hasSize(RequestLog.CAPACITY);
    assertThat(log.entries().get(0).path()).isEqualTo("/api/v1/pods/p10");
    assertThat(log.entries().get(0).query()).isEmpty();
  }

  @Test
  void clearForgetsEverything() {
    RequestLog log = new RequestLog();
    log.record("PUT", "/api/v1/namespaces/a/configmaps/c", "fieldManager=x", 409, "test");

    log.clear();

    assertThat(log.entries()).isEmpty();
  }
}
