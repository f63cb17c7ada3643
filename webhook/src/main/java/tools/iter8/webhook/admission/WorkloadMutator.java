package tools.iter8.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import tools.iter8.core.workload.WorkloadKind;

/**
 * How one kind of workload is staged (DESIGN §2.3): the write of a new version succeeds at once, but the
 * version that served before keeps serving until the experiment decides. {@link WorkloadAdmission} decides
 * <em>when</em> to stage, unstage or do nothing; an implementation says <em>how</em> for its kind. Each
 * method edits the mutable copy of the incoming object; the patch is the difference.
 */
interface WorkloadMutator {

  WorkloadKind kind();

  /**
   * Why the stored object has no serving version to compare a new one with (e.g. no ready revision), in
   * which case the write passes untouched; empty when it has one.
   *
   * @param staged whether the stored object is staged (a baseline is recorded)
   */
  Optional<String> notComparable(JsonNode oldObject, boolean staged);

  /** The revision serving the baseline, for the experiment's variables; null when not applicable. */
  String baselineRevision(JsonNode oldObject, boolean staged);

  /** The revision of the new version when it is known before the write (a named template); else null. */
  String candidateRevision(JsonNode object);

  /** Stages the new version so that the baseline keeps serving, and records what unstaging needs. */
  void stage(ObjectNode object, JsonNode oldObject, boolean staged);

  /** Makes the object serve its spec alone again, as before it was staged. */
  void unstage(ObjectNode object, JsonNode oldObject);
}
