package tools.iter8.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Function;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.schema.CrdSchemas;
import tools.iter8.core.validation.Problem;
import tools.iter8.webhook.admission.AdmissionRequest.Operation;

/**
 * Defaulting ({@code /mutate}) and validation ({@code /validate}) of one of iter8's own resources, the
 * Experiment or the Metric, with core's defaults and validator and the shipped CRD schema. The two
 * concrete admissions differ only in the type and the functions.
 *
 * <p>Validation leaves alone what it must not block: deletes, objects being deleted (finalizer removal),
 * and updates that do not change {@code spec} (labels, annotations, finalizers), so a resource stored
 * before a rule was added stays manageable.
 */
abstract class ResourceAdmission<T> {
  private final String kind;
  private final Class<T> type;
  private final Function<T, T> defaults;
  private final Function<T, List<Problem>> validator;
  private final CrdSchemas schemas;

  ResourceAdmission(
      String kind, Class<T> type, Function<T, T> defaults, Function<T, List<Problem>> validator, CrdSchemas schemas) {
    this.kind = kind;
    this.type = type;
    this.defaults = defaults;
    this.validator = validator;
    this.schemas = schemas;
  }

  /** Fills absent fields with their defaults. */
  public AdmissionResponse mutate(AdmissionRequest req) {
    String what = kind + " " + req.objectKey();
    if (!writes(req) || beingDeleted(req.object())) {
      return AdmissionResponse.allow(req.uid(), what + ": nothing to default");
    }
    T parsed;
    try {
      parsed = ApiMapper.fromTree(req.object(), type);
    } catch (IllegalArgumentException e) {
      // Validation reports it with the schema's words; defaulting cannot work on it.
      return AdmissionResponse.allow(req.uid(), what + ": not parsable, left to validation");
    }
    ObjectNode edited = req.object().deepCopy();
    Defaulting.fillAbsent(edited, ApiMapper.toTree(defaults.apply(parsed)));
    return AdmissionResponse.patched(
        req.uid(), JsonPatch.diff(req.object(), edited), what + ": defaults applied", List.of());
  }

  /** Denies an invalid resource with every problem. */
  public AdmissionResponse validate(AdmissionRequest req) {
    String what = kind + " " + req.objectKey();
    if (!writes(req) || beingDeleted(req.object())) {
      return AdmissionResponse.allow(req.uid(), what + ": not validated (" + req.operation() + ")");
    }
    if (req.operation() == Operation.UPDATE
        && req.object().path("spec").equals(req.oldObject().path("spec"))) {
      return AdmissionResponse.allow(req.uid(), what + ": spec unchanged");
    }
    LinkedHashSet<Problem> problems = new LinkedHashSet<>(schemas.validate(req.object()));
    try {
      problems.addAll(validator.apply(ApiMapper.fromTree(req.object(), type)));
    } catch (IllegalArgumentException e) {
      if (problems.isEmpty()) {
        problems.add(new Problem("(root)", "cannot be read as " + kind + ": " + e.getMessage()));
      }
    }
    if (problems.isEmpty()) {
      return AdmissionResponse.allow(req.uid(), what + ": valid");
    }
    List<Problem> sorted = new ArrayList<>(problems);
    sorted.sort(null);
    StringBuilder msg =
        new StringBuilder(what)
            .append(" is invalid (")
            .append(sorted.size())
            .append(sorted.size() == 1 ? " problem" : " problems")
            .append("): ");
    for (int i = 0; i < sorted.size(); i++) {
      msg.append(i == 0 ? "" : "; ").append(sorted.get(i));
    }
    return AdmissionResponse.invalid(req.uid(), msg.toString(), sorted);
  }

  private static boolean writes(AdmissionRequest req) {
    return (req.operation() == Operation.CREATE || req.operation() == Operation.UPDATE)
        && req.subResource().isEmpty();
  }

  private static boolean beingDeleted(JsonNode object) {
    JsonNode ts = object.path("metadata").path("deletionTimestamp");
    return ts.isTextual() && !ts.asText().isEmpty();
  }
}
