package tools.iter8.testkit.kube;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A mutating admission step for the emulation, as kube-apiserver calls admission webhooks: every create,
 * update or patch of a resource (not of a subresource) is shown to the hook with the object as it would
 * be stored and the stored one, and the hook answers with the object to store or a refusal.
 */
@FunctionalInterface
public interface AdmissionHook {

  /**
   * @param operation {@code CREATE} or {@code UPDATE} (a patch is an UPDATE of the patched object)
   * @param resource the resource written
   * @param object the object to be stored
   * @param oldObject the stored object for an UPDATE, else null
   */
  Result admit(String operation, ResourceType resource, JsonNode object, JsonNode oldObject);

  /** What to store, or why not. */
  sealed interface Result {
    record Allow(JsonNode object) implements Result {}

    record Deny(int code, String message) implements Result {}
  }
}
