package tools.iter8.core.lifecycle;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.iter8.core.api.DeploymentPattern;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.VersionDetail;
import tools.iter8.core.api.Weights;

/**
 * The split applied when an experiment starts running, before any data. Progressive gives each
 * candidate its exploration floor (within the per-candidate caps), so the first iteration already has
 * candidate data to judge; the original instead started at 100/0 and reached 95/5 only after the first
 * look. Every other pattern starts with all live traffic on the baseline (BlueGreen switches at the
 * decision, a DarkLaunch only mirrors).
 */
public final class InitialWeights {
  private InitialWeights() {}

  /** By version name; expects defaults applied. */
  public static Map<String, Integer> of(Experiment e) {
    List<VersionDetail> versions = e.spec().versionInfo().all();
    Map<String, Integer> split = new LinkedHashMap<>();
    boolean progressive = DeploymentPattern.PROGRESSIVE.wireName().equals(e.spec().strategy().deploymentPattern());
    Weights w = e.spec().strategy().weights();
    int each = progressive ? Math.min(w.explorationFloor(), Math.min(w.maxCandidateWeight(), w.maxCandidateWeightIncrement())) : 0;
    int baseline = 100 - each * (versions.size() - 1);
    for (int i = 0; i < versions.size(); i++) {
      split.put(versions.get(i).name(), i == 0 ? baseline : each);
    }
    return split;
  }
}
