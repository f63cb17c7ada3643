package tools.iter8.core.analysis;

/**
 * How a reason names a version by its role: "candidate v2", but just "candidate" when the version is
 * called that (generated experiments name theirs baseline and candidate), never "candidate candidate".
 */
final class VersionLabel {
  private VersionLabel() {}

  static String of(String role, String name) {
    return role.equals(name) ? name : role + " " + name;
  }
}
