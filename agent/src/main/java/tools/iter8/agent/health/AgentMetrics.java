package tools.iter8.agent.health;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import tools.iter8.core.api.Stage;

/**
 * The agent's own metrics, exported at {@code /metrics} in Prometheus format: experiments by stage,
 * iterations, decisions by kind, completions, analysis and reconcile durations, and errors. Micrometer
 * does the bookkeeping and the exposition format.
 */
public final class AgentMetrics {
  private final MeterRegistry registry;
  private final Counter iterations;
  private final Timer analysis;

  public AgentMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.iterations = Counter.builder("iter8_iterations").description("Experiment iterations completed").register(registry);
    this.analysis = Timer.builder("iter8_analysis_duration").description("Time of one analysis iteration").register(registry);
  }

  /** Reports the number of experiments in each stage, read from the cache when scraped. */
  public void experimentsByStage(Supplier<Map<Stage, Long>> counts) {
    for (Stage stage : Stage.values()) {
      // A strong reference: Micrometer holds a gauge's object weakly, and the supplier is referenced nowhere else,
      // so after the first garbage collection every stage read NaN.
      Gauge.builder("iter8_experiments", counts, c -> c.get().getOrDefault(stage, 0L))
          .description("Experiments by stage")
          .tag("stage", stage.wireName())
          .strongReference(true)
          .register(registry);
    }
  }

  public void iteration() {
    iterations.increment();
  }

  public void decision(String action) {
    registry.counter("iter8_decisions", "action", action).increment();
  }

  public void completed(boolean failed) {
    registry.counter("iter8_experiments_completed", "result", failed ? "failed" : "succeeded").increment();
  }

  public void analysis(Duration d) {
    analysis.record(d);
  }

  public void reconcile(Duration d, String outcome) {
    Timer.builder("iter8_reconcile_duration")
        .description("Time of one reconcile pass")
        .tag("outcome", outcome)
        .register(registry)
        .record(d);
  }

  public void error(String kind) {
    registry.counter("iter8_errors", "kind", kind).increment();
  }

  public MeterRegistry registry() {
    return registry;
  }
}
