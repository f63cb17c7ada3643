package tools.iter8.agent.controller;

import java.util.List;
import java.util.Optional;
import tools.iter8.core.api.Experiment;

/** Experiments as the informer last saw them. Cheap to read; may lag behind the API server. */
public interface ExperimentCache {

  Optional<Experiment> get(String namespace, String name);

  List<Experiment> all();
}
