package tools.iter8.webhook.health;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The webhook's own metrics, served on {@code /metrics} in the Prometheus format:
 *
 * <ul>
 *   <li>{@code iter8_webhook_admissions_total{endpoint, kind, operation, result}}: answers by outcome
 *       ({@code allowed}, {@code patched}, {@code denied}, {@code bad_request}, {@code error});
 *   <li>{@code iter8_webhook_admission_duration_seconds{endpoint, kind}}: time to answer, as a histogram
 *       with buckets from 0.5 ms to 1 s (the API server's timeout is a few seconds);
 *   <li>{@code iter8_webhook_certificate_expiry_timestamp_seconds}: when the served certificate expires,
 *       to alert on before the API server stops trusting it;
 *   <li>{@code iter8_webhook_certificate_reloads_total{result}}: certificates picked up or refused.
 * </ul>
 */
public final class AdmissionMetrics {
  private final MeterRegistry registry;
  private final AtomicLong certificateExpiry = new AtomicLong();

  public AdmissionMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("iter8.webhook.certificate.expiry.timestamp", certificateExpiry, AtomicLong::get)
        .description("When the served certificate expires (Unix time)")
        .baseUnit("seconds")
        .register(registry);
  }

  /** The meters of one label set, registered once: building and looking them up per request cost 2% of the CPU. */
  private record Meters(Counter admissions, Timer duration) {}

  private record Labels(String endpoint, String kind, String operation, String result) {}

  private final java.util.Map<Labels, Meters> meters = new java.util.concurrent.ConcurrentHashMap<>();

  public void admission(String endpoint, String kind, String operation, String result, long nanos) {
    Meters m = meters.computeIfAbsent(new Labels(endpoint, kind, operation, result), this::register);
    m.admissions().increment();
    m.duration().record(nanos, TimeUnit.NANOSECONDS);
  }

  private Meters register(Labels l) {
    String endpoint = l.endpoint();
    String kind = l.kind();
    String operation = l.operation();
    String result = l.result();
    Counter admissions = Counter.builder("iter8.webhook.admissions")
        .description("AdmissionReviews answered")
        .tag("endpoint", endpoint)
        .tag("kind", kind)
        .tag("operation", operation)
        .tag("result", result)
        .register(registry);
    Timer duration = Timer.builder("iter8.webhook.admission.duration")
        .description("Time to answer an AdmissionReview, from the whole body received to the answer written")
        .tag("endpoint", endpoint)
        .tag("kind", kind)
        .serviceLevelObjectives(
            Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1))
        .register(registry);
    return new Meters(admissions, duration);
  }

  public void certificateServed(Instant notAfter) {
    certificateExpiry.set(notAfter.getEpochSecond());
  }

  public void certificateReload(boolean ok) {
    Counter.builder("iter8.webhook.certificate.reloads")
        .description("New certificates picked up (ok) or refused (failed)")
        .tag("result", ok ? "ok" : "failed")
        .register(registry)
        .increment();
  }
}
