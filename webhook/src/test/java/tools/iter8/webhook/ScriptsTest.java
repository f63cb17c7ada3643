package tools.iter8.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.webhook.support.Processes;
import tools.iter8.webhook.support.Repo;
import tools.iter8.webhook.support.TestCertificates;

/** scripts/gen-certs.sh and scripts/install.sh, run for real (openssl, kubectl kustomize). */
class ScriptsTest {
  @TempDir Path dir;

  private static X509Certificate x509(Path file) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(file)));
  }

  private static List<String> sans(X509Certificate c) throws Exception {
    List<String> names = new ArrayList<>();
    for (List<?> san : c.getSubjectAlternativeNames()) {
      names.add(san.get(1).toString());
    }
    return names;
  }

  @Test
  void genCertsMakesACaAndAServingCertificateForTheServiceNames() throws Exception {
    TestCertificates.generateInto(dir);
    X509Certificate ca = x509(dir.resolve("ca.crt"));
    X509Certificate tls = x509(dir.resolve("tls.crt"));

    assertThat(sans(tls)).containsExactly(
        "iter8-webhook.iter8-system.svc", "iter8-webhook.iter8-system.svc.cluster.local", "localhost", "127.0.0.1");
    tls.verify(ca.getPublicKey());
    assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(tls.getBasicConstraints()).isEqualTo(-1);
    assertThat(tls.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(Files.getPosixFilePermissions(dir.resolve("tls.key")))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    assertThat(Files.getPosixFilePermissions(dir.resolve("ca.key")))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  }

  @Test
  void genCertsTakesTheServiceAndNamespaceAndKeepsTheCa() throws Exception {
    TestCertificates.generateInto(dir);
    byte[] ca = Files.readAllBytes(dir.resolve("ca.crt"));
    TestCertificates.generateInto(dir, "--service", "hooks", "--namespace", "platform");

    assertThat(Files.readAllBytes(dir.resolve("ca.crt"))).isEqualTo(ca);
    assertThat(sans(x509(dir.resolve("tls.crt"))))
        .startsWith("hooks.platform.svc", "hooks.platform.svc.cluster.local");

    TestCertificates.generateInto(dir, "--new-ca");
    assertThat(Files.readAllBytes(dir.resolve("ca.crt"))).isNotEqualTo(ca);
  }

  @Test
  void genCertsRefusesUnknownArguments() {
    Processes.Result r = Processes.run(Map.of(), null, Repo.path("scripts/gen-certs.sh").toString(), "--colour", "red");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).contains("unknown argument --colour");
  }

  @Test
  void installRendersTheSecretAndEveryCaBundleFromTheCertificates() throws IOException {
    TestCertificates.generateInto(dir);
    String out = Processes.ok(Map.of("KUBECTL", Processes.kubectl()), null,
        Repo.path("scripts/install.sh").toString(), "--render", "--certs", dir.toString());

    List<JsonNode> docs = ApiMapper.readAll(out);
    String caBundle = Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve("ca.crt")));
    JsonNode secret = docs.stream().filter(d -> d.path("kind").asText().equals("Secret")).findFirst().orElseThrow();
    assertThat(secret.path("type").asText()).isEqualTo("kubernetes.io/tls");
    assertThat(secret.at("/metadata/name").asText()).isEqualTo("iter8-webhook-tls");
    assertThat(Base64.getDecoder().decode(secret.at("/data/tls.crt").asText()))
        .isEqualTo(Files.readAllBytes(dir.resolve("tls.crt")));
    JsonNode namespace = docs.get(0);
    assertThat(namespace.path("kind").asText()).isEqualTo("Namespace");
    assertThat(namespace.at("/metadata/labels/app.kubernetes.io~1part-of").asText()).isEqualTo("iter8");
    int bundles = 0;
    for (JsonNode d : docs) {
      for (JsonNode w : d.path("webhooks")) {
        assertThat(w.at("/clientConfig/caBundle").asText()).isEqualTo(caBundle);
        bundles++;
      }
    }
    assertThat(bundles).isEqualTo(3);
    assertThat(out).doesNotContain("${CA_BUNDLE}");
  }

  @Test
  void installWithTheWholeBaseRendersIter8OnceWithTheSecretAndEveryCaBundle() throws IOException {
    TestCertificates.generateInto(dir);
    String out = Processes.ok(Map.of("KUBECTL", Processes.kubectl()), null,
        Repo.path("scripts/install.sh").toString(), "--render", "--certs", dir.toString(),
        "--kustomization", Repo.path("manifests").toString());

    List<JsonNode> docs = ApiMapper.readAll(out);
    assertThat(docs.stream()
        .filter(d -> d.path("kind").asText().equals("Namespace"))
        .filter(d -> d.at("/metadata/name").asText().equals("iter8-system")))
        .as("the base declares the namespace; the script must not add a second copy").hasSize(1);
    assertThat(docs).anySatisfy(d -> {
      assertThat(d.path("kind").asText()).isEqualTo("Secret");
      assertThat(d.at("/metadata/name").asText()).isEqualTo("iter8-webhook-tls");
    });
    assertThat(docs).anySatisfy(d -> {
      assertThat(d.path("kind").asText()).isEqualTo("Deployment");
      assertThat(d.at("/metadata/name").asText()).isEqualTo("iter8-agent");
    });
    assertThat(docs.stream().filter(d -> d.path("kind").asText().equals("CustomResourceDefinition"))).hasSize(2);
    String caBundle = Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve("ca.crt")));
    long bundles = docs.stream().flatMap(d -> java.util.stream.StreamSupport.stream(d.path("webhooks").spliterator(), false))
        .peek(w -> assertThat(w.at("/clientConfig/caBundle").asText()).isEqualTo(caBundle))
        .count();
    assertThat(bundles).isEqualTo(3);
  }

  @Test
  void installRefusesADirectoryWithoutAKustomization() {
    TestCertificates.generateInto(dir);
    Processes.Result r = Processes.run(Map.of("KUBECTL", Processes.kubectl()), null,
        Repo.path("scripts/install.sh").toString(), "--render", "--certs", dir.toString(),
        "--kustomization", dir.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).contains("has no kustomization.yaml");
  }

  @Test
  void installRefusesACertificateForAnotherNamespace() {
    TestCertificates.generateInto(dir);
    Processes.Result r = Processes.run(Map.of("KUBECTL", Processes.kubectl()), null,
        Repo.path("scripts/install.sh").toString(), "--render", "--certs", dir.toString(), "--namespace", "platform");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).contains("is not valid for iter8-webhook.platform.svc");
  }

  @Test
  void installInAnotherNamespaceRendersItEverywhere() {
    TestCertificates.generateInto(dir, "--namespace", "platform");
    String out = Processes.ok(Map.of("KUBECTL", Processes.kubectl()), null,
        Repo.path("scripts/install.sh").toString(), "--render", "--certs", dir.toString(), "--namespace", "platform");
    assertThat(out).doesNotContain("iter8-system");
    for (JsonNode d : ApiMapper.readAll(out)) {
      for (JsonNode w : d.path("webhooks")) {
        assertThat(w.at("/clientConfig/service/namespace").asText()).isEqualTo("platform");
      }
    }
  }

  @Test
  void certsAreNeverCommitted() throws IOException {
    String gitignore = Files.readString(Repo.path(".gitignore"));
    assertThat(gitignore).contains("/certs/*").contains("!/certs/README.md");
  }
}
