package tools.iter8.agent.routing;

import io.vertx.core.Future;
import java.util.Map;
import tools.iter8.core.api.Experiment;

/**
 * Moves an experiment's traffic between its versions on one kind of object (DESIGN §2.7): a
 * VirtualService, an HTTPRoute, a Knative Service, an InferenceService, replica counts, or the
 * original's {@code weightObjRef.fieldPath}s. Every write is a JSON Patch or JSON merge patch.
 *
 * <p>Weights are absolute percents keyed by version name, never by position, so applying the same
 * weights twice is harmless: that is what makes a restarted agent safe.
 */
public interface TrafficRouter {

  /** The split now in the cluster, by version name, summing to 100 (reference §4.6 rules). */
  Future<Map<String, Integer>> read(Experiment experiment);

  /**
   * Makes the cluster route by {@code weights}. For a DarkLaunch the live weights stay on the
   * baseline and the candidate receives mirrored traffic; with {@code spec.routing.match} the
   * candidate receives the matching requests.
   */
  Future<Void> apply(Experiment experiment, Map<String, Integer> weights);

  /** Removes what the router added for the experiment (mirrors, match routes, subsets), keeping {@code weights}. */
  default Future<Void> cleanup(Experiment experiment, Map<String, Integer> weights) {
    return apply(experiment, weights);
  }
}
