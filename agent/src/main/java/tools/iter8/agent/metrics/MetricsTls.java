package tools.iter8.agent.metrics;

import io.vertx.core.net.TrustOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The trust of the agent's HTTPS connections to metrics backends: the JVM's default CAs, plus the CAs of
 * a PEM bundle when one is configured ({@code ITER8_METRICS_CA_FILE}). Adding rather than replacing
 * keeps public SaaS backends (New Relic, Sysdig, Elastic Cloud) working next to an in-cluster Prometheus
 * behind a private CA.
 */
final class MetricsTls {
  private MetricsTls() {}

  /** Trust of the JVM's default CAs and every certificate in the PEM file. */
  static TrustOptions withExtraCas(Path pemBundle) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (X509Certificate ca : defaultCas()) {
        store.setCertificateEntry("default-" + i++, ca);
      }
      Collection<? extends Certificate> extra;
      try (InputStream in = Files.newInputStream(pemBundle)) {
        extra = CertificateFactory.getInstance("X.509").generateCertificates(in);
      }
      if (extra.isEmpty()) {
        throw new IllegalArgumentException(pemBundle + " holds no PEM certificate");
      }
      for (Certificate c : extra) {
        store.setCertificateEntry("extra-" + i++, c);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      return TrustOptions.wrap(tmf);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read the CA bundle " + pemBundle + ": " + e.getMessage(), e);
    }
  }

  private static X509Certificate[] defaultCas() throws GeneralSecurityException {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init((KeyStore) null);
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509TrustManager x) {
        return x.getAcceptedIssuers();
      }
    }
    return new X509Certificate[0];
  }
}
