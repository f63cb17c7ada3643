package tools.iter8.webhook.tls;

import io.vertx.core.net.ServerSSLOptions;
import io.vertx.core.net.TCPSSLOptions;
import java.util.List;
import java.util.Set;

/**
 * The TLS the webhook speaks, set explicitly rather than left to the JDK's defaults: TLS 1.2 and 1.3 only,
 * and for TLS 1.2 only forward-secret AEAD suites (ECDHE with AES-GCM or ChaCha20-Poly1305), Mozilla's
 * "intermediate" list without finite-field DHE. kube-apiserver (Go's crypto/tls) offers all of them. The
 * same policy is applied at start and on every certificate reload ({@code updateSSLOptions} replaces the
 * whole TLS configuration, so a reload must carry it too).
 */
public final class TlsPolicy {
  /** No SSLv3, TLS 1.0 or 1.1. */
  public static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  /** TLS 1.3's suites (all AEAD), then TLS 1.2's: ECDHE key exchange, AEAD ciphers; ECDSA and RSA keys. */
  public static final List<String> CIPHER_SUITES =
      List.of(
          "TLS_AES_128_GCM_SHA256",
          "TLS_AES_256_GCM_SHA384",
          "TLS_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  private TlsPolicy() {}

  /** {@code options} restricted to the policy. */
  public static ServerSSLOptions apply(ServerSSLOptions options) {
    options.setEnabledSecureTransportProtocols(PROTOCOLS);
    CIPHER_SUITES.forEach(options::addEnabledCipherSuite);
    return options;
  }

  /** The server's options restricted to the policy. */
  public static <T extends TCPSSLOptions> T apply(T options) {
    options.setEnabledSecureTransportProtocols(PROTOCOLS);
    CIPHER_SUITES.forEach(options::addEnabledCipherSuite);
    return options;
  }
}
