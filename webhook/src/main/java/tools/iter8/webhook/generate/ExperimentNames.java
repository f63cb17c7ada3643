package tools.iter8.webhook.generate;

import tools.iter8.core.workload.TemplateHash;

/**
 * Names of generated Experiments (and of the candidate Deployments the agent creates for them):
 * {@code <workload>-<id>}, where the id is 8 hex digits of a SHA-256 over what makes one experiment:
 * the workload object's uid, the generation of the object being replaced, the baseline and candidate
 * template hashes and the {@code iter8.tools/retry} value.
 *
 * <p>So the same write seen twice (the API server retrying, a dry run then the real one) gives the same
 * name, hence one experiment; while a template that comes back later (A→B, B→A, A→B again; or a lost
 * candidate retried) gets a new name and never collides with a finished Experiment of the same pair.
 */
public final class ExperimentNames {
  /** Hex digits of the id. */
  public static final int ID_LENGTH = 8;

  private static final int MAX_NAME = 253;
  private static final int MAX_LABEL_VALUE = 63;

  private ExperimentNames() {}

  public static String id(String uid, long generation, String baselineHash, String candidateHash, String retry) {
    String input =
        "uid=" + nullToEmpty(uid)
            + "\ngeneration=" + generation
            + "\nbaseline=" + nullToEmpty(baselineHash)
            + "\ncandidate=" + nullToEmpty(candidateHash)
            + "\nretry=" + nullToEmpty(retry);
    return TemplateHash.sha256(input).substring(0, ID_LENGTH);
  }

  /** {@code <workload>-<id>}, the workload name shortened if the result would exceed 253 characters. */
  public static String experimentName(String workload, String id) {
    String prefix = trimEnd(workload, MAX_NAME - ID_LENGTH - 1);
    return prefix + "-" + id;
  }

  /**
   * A label value that stands for {@code name}: the name itself when it fits in 63 characters, else its
   * first 54 characters and 8 hex digits of its hash.
   */
  public static String labelValue(String name) {
    if (name.length() <= MAX_LABEL_VALUE) {
      return name;
    }
    return trimEnd(name, MAX_LABEL_VALUE - ID_LENGTH - 1) + "-" + TemplateHash.sha256(name).substring(0, ID_LENGTH);
  }

  private static String trimEnd(String s, int max) {
    String t = s.length() <= max ? s : s.substring(0, max);
    while (!t.isEmpty() && !Character.isLetterOrDigit(t.charAt(t.length() - 1))) {
      t = t.substring(0, t.length() - 1);
    }
    return t;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
