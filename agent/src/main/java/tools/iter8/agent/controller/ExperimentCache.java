package tools.iter8.agent.controller;

import java.util.List;
import java.util.Optional;
import tools.iter8.core.api.Experiment;

/** Experiments as the informer last saw them. Cheap to read; may lag behind the API server. */
public interface ExperimentCache {

  /** The cached experiment, converted to the agent's model (a conversion per call). */
  Optional<Experiment> get(String namespace, String name);

  /** The cached experiment's {@code metadata.resourceVersion}, without converting it. */
  Optional<String> resourceVersion(String namespace, String name);

  /** Keys ({@code namespace/name}) of the cached experiments whose {@code spec.target} is {@code target}. */
  List<String> onTarget(String target);

  /** Keys of the cached experiments waiting for a target: {@code target}, or any when null. */
  List<String> waiting(String target);
}
