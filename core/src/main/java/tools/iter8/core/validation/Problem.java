package tools.iter8.core.validation;

/**
 * One thing wrong with a resource: the field path in the resource (e.g.
 * {@code spec.versionInfo.candidates[1].name}) and what was expected there. Validation reports every
 * problem at once, so a user fixes a manifest in one pass.
 */
public record Problem(String path, String message) implements Comparable<Problem> {

  public Problem {
    if (path == null || message == null) {
      throw new IllegalArgumentException("a problem needs a path and a message");
    }
  }

  @Override
  public int compareTo(Problem o) {
    int c = path.compareTo(o.path);
    return c != 0 ? c : message.compareTo(o.message);
  }

  @Override
  public String toString() {
    return path + ": " + message;
  }
}
