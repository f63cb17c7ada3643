package tools.iter8.webhook.admission;

import static tools.iter8.core.workload.WorkloadKeys.BASELINE_HASH;
import static tools.iter8.core.workload.WorkloadKeys.BASELINE_SPEC;
import static tools.iter8.core.workload.WorkloadKeys.BASELINE_TRAFFIC;
import static tools.iter8.core.workload.WorkloadKeys.CANDIDATE_HASH;
import static tools.iter8.core.workload.WorkloadKeys.EXPERIMENT;
import static tools.iter8.core.workload.WorkloadKeys.EXPERIMENT_SPEC;
import static tools.iter8.core.workload.WorkloadKeys.REJECTED_EXPERIMENT;
import static tools.iter8.core.workload.WorkloadKeys.REJECTED_HASH;
import static tools.iter8.core.workload.WorkloadKeys.REJECTED_RETRY;
import static tools.iter8.core.workload.WorkloadKeys.RETRY;
import static tools.iter8.core.workload.WorkloadKeys.STATUS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.TestingPattern;
import tools.iter8.core.schema.CrdSchemas;
import tools.iter8.core.validation.ExperimentValidator;
import tools.iter8.core.validation.Problem;
import tools.iter8.core.workload.TemplateHash;
import tools.iter8.core.workload.WorkloadKeys;
import tools.iter8.core.workload.WorkloadKind;
import tools.iter8.webhook.admission.AdmissionRequest.Operation;
import tools.iter8.webhook.generate.ExperimentGenerator;
import tools.iter8.webhook.generate.ExperimentGenerator.Target;
import tools.iter8.webhook.generate.ExperimentGenerator.Version;
import tools.iter8.webhook.generate.ExperimentNames;
import tools.iter8.webhook.generate.WorkloadAnnotations;
import tools.iter8.webhook.generate.WorkloadSettings;

/**
 * The zero-touch contract for labeled workloads ({@code docs/workloads.md}): decides from the stored and
 * the incoming object alone whether a write is a new version to stage with a generated Experiment, the
 * baseline coming back, a template that already lost, or nothing iter8 cares about; the per-kind {@link
 * WorkloadMutator} does the staging. The answer's patch is the difference between the raw incoming
 * object and its edited copy.
 *
 * <p>The state lives on the object (the webhook calls no API): it is <em>staged</em> while it carries
 * {@code iter8.tools/baseline-hash} (the version that still serves), and an experiment is recorded while
 * it carries {@code iter8.tools/experiment} with the {@code iter8.tools/candidate-hash} it tests.
 */
public final class WorkloadAdmission {
  /** State the webhook removes when an object stops being staged; {@code rejected-*} stay. */
  private static final List<String> STAGING_ANNOTATIONS =
      List.of(EXPERIMENT, EXPERIMENT_SPEC, BASELINE_HASH, CANDIDATE_HASH, BASELINE_SPEC, BASELINE_TRAFFIC);

  private final CrdSchemas schemas;
  private final Map<WorkloadKind, WorkloadMutator> mutators = new EnumMap<>(WorkloadKind.class);

  public WorkloadAdmission(CrdSchemas schemas) {
    this.schemas = schemas;
    for (WorkloadMutator m :
        List.of(new DeploymentMutator(), new KnativeServiceMutator(), new InferenceServiceMutator())) {
      mutators.put(m.kind(), m);
    }
  }

  public AdmissionResponse admit(AdmissionRequest req, WorkloadKind kind) {
    String what = kind.kind() + " " + req.objectKey();
    if (req.operation() != Operation.CREATE && req.operation() != Operation.UPDATE) {
      return AdmissionResponse.allow(req.uid(), what + ": " + req.operation() + " passes");
    }
    if (!req.subResource().isEmpty()) {
      return AdmissionResponse.allow(req.uid(), what + ": writes to /" + req.subResource() + " are not versions");
    }
    JsonNode object = req.object();
    if (!"true".equals(KubeObjects.labels(object).get(WorkloadKeys.WATCH_LABEL))) {
      return AdmissionResponse.allow(req.uid(), what + ": not labeled " + WorkloadKeys.WATCH_LABEL + "=true");
    }
    WorkloadAnnotations.Result parsed = WorkloadAnnotations.parse(kind, KubeObjects.annotations(object));
    return new Decision(req, kind, what, mutators.get(kind), parsed).decide();
  }

  /** One admission's inputs and the edited copy; {@link #decide()} is the state machine. */
  private final class Decision {
    private final AdmissionRequest req;
    private final WorkloadKind kind;
    private final String what;
    private final WorkloadMutator mutator;
    private final WorkloadAnnotations.Result parsed;
    private final JsonNode raw;
    private final ObjectNode edited;
    private final List<String> warnings = new ArrayList<>();

    Decision(
        AdmissionRequest req, WorkloadKind kind, String what, WorkloadMutator mutator,
        WorkloadAnnotations.Result parsed) {
      this.req = req;
      this.kind = kind;
      this.what = what;
      this.mutator = mutator;
      this.parsed = parsed;
      this.raw = req.object();
      this.edited = raw.deepCopy();
    }

    AdmissionResponse decide() {
      String candidate = TemplateHash.of(kind, raw);
      if (req.operation() == Operation.CREATE) {
        if (!parsed.ok()) {
          return badAnnotations();
        }
        if (parsed.settings().testingPattern() == TestingPattern.CONFORMANCE) {
          return conformance(candidate, null);
        }
        return AdmissionResponse.allow(req.uid(), what + ": first version (template " + candidate + ")");
      }

      JsonNode old = req.oldObject();
      Map<String, String> oldState = KubeObjects.annotations(old);
      boolean staged = oldState.containsKey(BASELINE_HASH);
      String serving = staged ? oldState.get(BASELINE_HASH) : TemplateHash.of(kind, old);
      String tested = oldState.containsKey(EXPERIMENT) ? oldState.get(CANDIDATE_HASH) : null;
      boolean settingsChanged =
          !WorkloadAnnotations.userAnnotations(oldState)
              .equals(WorkloadAnnotations.userAnnotations(KubeObjects.annotations(raw)));

      if (candidate.equals(serving)) {
        if (staged) {
          return unstage(serving);
        }
        return unchanged(settingsChanged, "template " + candidate + " unchanged");
      }
      if (candidate.equals(tested)) {
        return unchanged(settingsChanged, "template " + candidate + " is already tested by experiment "
            + oldState.get(EXPERIMENT));
      }
      // A version that neither serves nor is being tested.
      if (!parsed.ok()) {
        return badAnnotations();
      }
      WorkloadSettings settings = parsed.settings();
      if (settings.testingPattern() == TestingPattern.CONFORMANCE) {
        if (staged) {
          mutator.unstage(edited, old);
          STAGING_ANNOTATIONS.forEach(k -> KubeObjects.removeAnnotation(edited, k));
        }
        return conformance(candidate, old);
      }
      Optional<String> notComparable = mutator.notComparable(old, staged);
      if (notComparable.isPresent()) {
        warnings.add("iter8: " + notComparable.get() + "; the new version rolls out without an experiment");
        return AdmissionResponse.allow(req.uid(), what + ": " + notComparable.get(), warnings);
      }
      if (candidate.equals(oldState.get(REJECTED_HASH))
          && Objects.equals(settings.retry(), oldState.get(REJECTED_RETRY))) {
        return rejected(candidate, serving, staged, oldState);
      }
      return experiment(candidate, serving, staged, oldState, settings);
    }

    /** Not a new version: untouched, unless iter8 settings changed to something invalid. */
    private AdmissionResponse unchanged(boolean settingsChanged, String why) {
      if (settingsChanged && !parsed.ok()) {
        return badAnnotations();
      }
      return AdmissionResponse.allow(req.uid(), what + ": " + why);
    }

    /**
     * The baseline's template is back (the agent's rollback, or a user reverting): the object serves its
     * spec alone again. The agent's rollback write does all this itself and so gets no patch.
     */
    private AdmissionResponse unstage(String serving) {
      JsonNode old = req.oldObject();
      mutator.unstage(edited, old);
      STAGING_ANNOTATIONS.forEach(k -> KubeObjects.removeAnnotation(edited, k));
      String oldStatus = KubeObjects.annotation(old, STATUS);
      if (Objects.equals(oldStatus, KubeObjects.annotation(raw, STATUS))) {
        KubeObjects.setAnnotation(edited, STATUS, "baseline template " + serving + " restored; nothing is staged");
      }
      return answer(what + ": baseline template " + serving + " is back, unstaged");
    }

    /** A template that lost, with the same retry value: staged again, no experiment, and the reason. */
    private AdmissionResponse rejected(String candidate, String serving, boolean staged, Map<String, String> oldState) {
      mutator.stage(edited, req.oldObject(), staged);
      KubeObjects.setAnnotation(edited, BASELINE_HASH, serving);
      KubeObjects.removeAnnotation(edited, EXPERIMENT);
      KubeObjects.removeAnnotation(edited, EXPERIMENT_SPEC);
      KubeObjects.removeAnnotation(edited, CANDIDATE_HASH);
      String lost = oldState.get(REJECTED_EXPERIMENT);
      String status =
          "rejected: template " + candidate + " lost " + (lost == null ? "an experiment" : "experiment " + lost)
              + "; change the template or " + RETRY + " to try again";
      KubeObjects.setAnnotation(edited, STATUS, status);
      warnings.add("iter8: " + what + " " + status);
      return answer(what + ": " + status);
    }

    /** A new version: staged, with the Experiment that decides it. */
    private AdmissionResponse experiment(
        String candidate, String serving, boolean staged, Map<String, String> oldState, WorkloadSettings s) {
      JsonNode old = req.oldObject();
      String id =
          ExperimentNames.id(
              KubeObjects.uid(old), KubeObjects.generation(old), serving, candidate, s.retry());
      Experiment experiment =
          ExperimentGenerator.generate(
              target(),
              s,
              id,
              new Version(serving, mutator.baselineRevision(old, staged)),
              new Version(candidate, mutator.candidateRevision(raw)));
      JsonNode tree = ApiMapper.toTree(experiment);
      List<Problem> problems = check(experiment, tree);
      if (!problems.isEmpty()) {
        return generatedInvalid(problems);
      }
      String name = experiment.metadata().name();
      mutator.stage(edited, old, staged);
      KubeObjects.setAnnotation(edited, EXPERIMENT, name);
      KubeObjects.setAnnotation(edited, EXPERIMENT_SPEC, ApiMapper.toJson(tree));
      KubeObjects.setAnnotation(edited, BASELINE_HASH, serving);
      KubeObjects.setAnnotation(edited, CANDIDATE_HASH, candidate);
      KubeObjects.setAnnotation(edited, STATUS, "experiment " + name + " started for template " + candidate);
      String previous = oldState.get(EXPERIMENT);
      warnings.add(
          "iter8: the new version of " + what + " (template " + candidate + ") is staged; experiment " + name
              + " decides whether it rolls out"
              + (previous != null && !previous.equals(name) ? " (it supersedes " + previous + ")" : ""));
      return answer(what + ": staged template " + candidate + " against " + serving + ", experiment " + name);
    }

    /** Conformance: the new version rolls out as usual and a one-version experiment checks it. */
    private AdmissionResponse conformance(String candidate, JsonNode old) {
      if (target().name().isEmpty()) {
        warnings.add("iter8: " + what + " has no name yet (generateName), so no conformance experiment can be named");
        return AdmissionResponse.allow(req.uid(), what + ": no name to generate an experiment for", warnings);
      }
      WorkloadSettings s = parsed.settings();
      String id =
          ExperimentNames.id(
              old == null ? "" : KubeObjects.uid(old), KubeObjects.generation(old), null, candidate, s.retry());
      Experiment experiment =
          ExperimentGenerator.generate(target(), s, id, null, new Version(candidate, mutator.candidateRevision(raw)));
      JsonNode tree = ApiMapper.toTree(experiment);
      List<Problem> problems = check(experiment, tree);
      if (!problems.isEmpty()) {
        return generatedInvalid(problems);
      }
      String name = experiment.metadata().name();
      KubeObjects.setAnnotation(edited, EXPERIMENT, name);
      KubeObjects.setAnnotation(edited, EXPERIMENT_SPEC, ApiMapper.toJson(tree));
      KubeObjects.setAnnotation(edited, CANDIDATE_HASH, candidate);
      KubeObjects.setAnnotation(edited, STATUS, "experiment " + name + " started for template " + candidate);
      warnings.add("iter8: conformance experiment " + name + " checks the new version of " + what);
      return answer(what + ": conformance experiment " + name + " for template " + candidate);
    }

    private Target target() {
      String ns = req.namespace().isEmpty() ? raw.path("metadata").path("namespace").asText("") : req.namespace();
      String name = req.name().isEmpty() ? KubeObjects.name(raw) : req.name();
      return new Target(kind, ns, name);
    }

    /**
     * The core validation and the CRD schema, as the agent's create of the Experiment will meet them. {@code tree} is
     * the experiment as JSON, converted once for the schema and the annotation.
     */
    private List<Problem> check(Experiment experiment, JsonNode tree) {
      List<Problem> problems = new ArrayList<>(ExperimentValidator.validate(experiment));
      problems.addAll(schemas.validate(tree));
      return problems;
    }

    private AdmissionResponse answer(String summary) {
      ArrayNode patch = JsonPatch.diff(raw, edited);
      return AdmissionResponse.patched(req.uid(), patch, summary, warnings);
    }

    private AdmissionResponse badAnnotations() {
      List<Problem> problems =
          parsed.problems().stream()
              .map(p -> new Problem("metadata.annotations[" + p.path() + "]", p.message()))
              .toList();
      StringBuilder msg =
          new StringBuilder("iter8 cannot use the annotations of ")
              .append(what)
              .append(" (")
              .append(problems.size())
              .append(problems.size() == 1 ? " problem" : " problems")
              .append("): ");
      for (int i = 0; i < parsed.problems().size(); i++) {
        msg.append(i == 0 ? "" : "; ").append(parsed.problems().get(i));
      }
      return AdmissionResponse.invalid(req.uid(), msg.toString(), problems);
    }

    private AdmissionResponse generatedInvalid(List<Problem> problems) {
      StringBuilder msg =
          new StringBuilder("iter8 cannot generate a valid Experiment from the annotations of ")
              .append(what)
              .append(": ");
      for (int i = 0; i < problems.size(); i++) {
        msg.append(i == 0 ? "" : "; ").append(problems.get(i));
      }
      return AdmissionResponse.invalid(req.uid(), msg.toString(), problems);
    }
  }
}
