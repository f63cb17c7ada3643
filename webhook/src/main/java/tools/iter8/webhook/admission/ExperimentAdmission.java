package tools.iter8.webhook.admission;

import tools.iter8.core.api.Experiment;
import tools.iter8.core.defaults.ExperimentDefaults;
import tools.iter8.core.schema.CrdSchemas;
import tools.iter8.core.validation.ExperimentValidator;

/**
 * Experiments: defaults applied on {@code /mutate} (so {@code kubectl get -o yaml} shows what the agent
 * will do), and on {@code /validate} every problem of {@link ExperimentValidator} and of the CRD schema
 * listed in one denial.
 */
public final class ExperimentAdmission extends ResourceAdmission<Experiment> {
  public ExperimentAdmission(CrdSchemas schemas) {
    super(Experiment.KIND, Experiment.class, ExperimentDefaults::apply, ExperimentValidator::validate, schemas);
  }
}
