package tools.iter8.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import tools.iter8.install.support.K8sObject;
import tools.iter8.install.support.Renderings;
import tools.iter8.install.support.Repo;

/**
 * The container images (Jib, the `image` profiles of agent/pom.xml and webhook/pom.xml) fit the manifests:
 * the main class exists, the user is the manifests' runAsUser, the port is the container port, the image is
 * the one the manifests pull. Jib itself is not run here (it needs a registry or a Docker engine).
 */
class ImageProfilesTest {

  static String projectVersion() {
    return child(document(Repo.path("pom.xml")).getDocumentElement(), "version").getTextContent().strip();
  }

  private static Document document(Path pom) {
    try {
      return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    } catch (Exception e) {
      throw new AssertionError("cannot read " + pom, e);
    }
  }

  private static Element child(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return e;
      }
    }
    throw new AssertionError("no <" + name + "> in <" + parent.getTagName() + ">");
  }

  private static Element at(Element e, String... path) {
    for (String p : path) {
      e = child(e, p);
    }
    return e;
  }

  private static Element jibOfImageProfile(String module) {
    Element project = document(Repo.path(module + "/pom.xml")).getDocumentElement();
    NodeList profiles = at(project, "profiles").getElementsByTagName("profile");
    for (int i = 0; i < profiles.getLength(); i++) {
      Element profile = (Element) profiles.item(i);
      if (child(profile, "id").getTextContent().strip().equals("image")) {
        NodeList plugins = at(profile, "build", "plugins").getElementsByTagName("plugin");
        for (int j = 0; j < plugins.getLength(); j++) {
          Element plugin = (Element) plugins.item(j);
          if (child(plugin, "artifactId").getTextContent().strip().equals("jib-maven-plugin")) {
            return child(plugin, "configuration");
          }
        }
      }
    }
    throw new AssertionError(module + "/pom.xml has no `image` profile with jib-maven-plugin");
  }

  @ParameterizedTest
  @CsvSource({"agent, iter8-agent", "webhook, iter8-webhook"})
  void theImageRunsTheProgramAsTheManifestsExpect(String module, String deployment) throws Exception {
    Element jib = jibOfImageProfile(module);
    assertThat(child(jib, "skip").getTextContent().strip()).isEqualTo("false");
    assertThat(at(jib, "from", "image").getTextContent().strip()).isEqualTo("eclipse-temurin:17-jre");

    Class<?> main = Class.forName(at(jib, "container", "mainClass").getTextContent().strip());
    Method m = main.getMethod("main", String[].class);
    assertThat(Modifier.isStatic(m.getModifiers())).isTrue();

    K8sObject d = Renderings.base().one("Deployment", deployment);
    String user = at(jib, "container", "user").getTextContent().strip();
    assertThat(user).isEqualTo(d.at("/spec/template/spec/securityContext/runAsUser").asText() + ":65532");
    assertThat(at(jib, "container", "ports", "port").getTextContent().strip())
        .isEqualTo(d.at("/spec/template/spec/containers/0/ports/0/containerPort").asText());
    String image = d.at("/spec/template/spec/containers/0/image").asText();
    assertThat(at(jib, "to", "image").getTextContent().strip().replace("${project.version}", projectVersion()))
        .isEqualTo(image);
  }

  @Test
  void normalBuildsNeverContainerize() {
    Element project = document(Repo.path("pom.xml")).getDocumentElement();
    NodeList plugins = at(project, "build", "pluginManagement", "plugins").getElementsByTagName("plugin");
    boolean found = false;
    for (int i = 0; i < plugins.getLength(); i++) {
      Element plugin = (Element) plugins.item(i);
      if (child(plugin, "artifactId").getTextContent().strip().equals("jib-maven-plugin")) {
        found = true;
        assertThat(child(plugin, "version").getTextContent()).isNotBlank();
        assertThat(at(plugin, "configuration", "skip").getTextContent().strip()).isEqualTo("true");
      }
    }
    assertThat(found).as("jib-maven-plugin's version is managed in the root pom").isTrue();
    for (String module : List.of("agent", "webhook")) {
      Element root = document(Repo.path(module + "/pom.xml")).getDocumentElement();
      NodeList buildPlugins = child(root, "build").getElementsByTagName("artifactId");
      for (int i = 0; i < buildPlugins.getLength(); i++) {
        Node n = buildPlugins.item(i);
        assertThat(n.getTextContent().strip()).as("%s builds jib only in its `image` profile", module).isNotEqualTo("jib-maven-plugin");
      }
    }
  }
}
