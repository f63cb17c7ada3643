package tools.iter8.agent.controller;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One reconcile pass of one experiment, named in every log line it writes:
 * {@code Experiment(default/myapp-3f9a1c2b)#42}.
 */
public record Reconciliation(long id, String namespace, String name, String trigger) {
  private static final AtomicLong IDS = new AtomicLong();

  public static Reconciliation of(String namespace, String name, String trigger) {
    return new Reconciliation(IDS.incrementAndGet(), namespace, name, trigger);
  }

  public String key() {
    return namespace + "/" + name;
  }

  @Override
  public String toString() {
    return "Experiment(" + key() + ")#" + id;
  }
}
