package tools.iter8.testkit.kube;

import java.time.Duration;

/** What {@link FaultInjector} decided for one request: answer it with an error, or serve it late. */
sealed interface Fault {

  /** Answer with {@code status} and a Status body carrying {@code message}, without reaching the API. */
  record Respond(int status, String message) implements Fault {
  }

  /** Serve the request normally after {@code delay}. */
  record Delay(Duration delay) implements Fault {
  }
}
