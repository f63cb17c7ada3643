package tools.iter8.webhook.health;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether {@code /readyz} says the webhook takes traffic: true once it serves, false from the moment it
 * begins to shut down, so the endpoints controller removes the Pod before the server stops accepting.
 */
public final class Readiness {
  private final AtomicBoolean ready = new AtomicBoolean();

  public boolean isReady() {
    return ready.get();
  }

  public void set(boolean value) {
    ready.set(value);
  }
}
