package tools.iter8.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import tools.iter8.core.api.ApiMapper;

/** Test access to the documented samples (docs/examples/v2alpha2, on the classpath under samples/). */
public final class Samples {
  private Samples() {}

  public static String text(String resource) {
    try (InputStream in = Samples.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every document of every sample file, with its file name, in file order. */
  public static List<Doc> all() {
    URL dir = Samples.class.getClassLoader().getResource("samples");
    if (dir == null) {
      throw new IllegalStateException("samples are not on the test classpath");
    }
    try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
      List<Doc> docs = new ArrayList<>();
      for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        String text = Files.readString(f);
        List<JsonNode> nodes = ApiMapper.readAll(text);
        for (int i = 0; i < nodes.size(); i++) {
          docs.add(new Doc(f.getFileName() + "#" + i, nodes.get(i)));
        }
      }
      return docs;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public static List<Doc> ofKind(String kind) {
    return all().stream().filter(d -> kind.equals(d.node().path("kind").asText())).toList();
  }

  /** One YAML document of a sample file. */
  public record Doc(String name, JsonNode node) {
    @Override
    public String toString() {
      return name;
    }
  }
}
