package tools.iter8.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;

/** The hand-written experiments with status under test resources {@code experiments/}. */
final class Fixtures {
  /** One of each kind the golden tests cover. */
  static final List<String> EXPERIMENTS = List.of("canary", "conformance", "ab-reward", "abn", "failed");

  private Fixtures() {}

  static String text(String resource) {
    try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path path(String resource) {
    URL url = Fixtures.class.getClassLoader().getResource(resource);
    if (url == null) {
      throw new IllegalArgumentException("no test resource " + resource);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static String experimentText(String name) {
    return text("experiments/" + name + ".yaml");
  }

  static Experiment experiment(String name) {
    return ApiMapper.read(experimentText(name), Experiment.class);
  }

  static Experiment experimentOf(String resource) {
    return ApiMapper.read(text(resource), Experiment.class);
  }

  /** The repository root (set by the build; the module's parent when run from an IDE). */
  static Path projectRoot() {
    return Path.of(System.getProperty("iter8.projectRoot", "..")).toAbsolutePath().normalize();
  }
}
