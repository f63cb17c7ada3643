package tools.iter8.webhook.tls;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509KeyManager;

/**
 * The serving certificate as read from {@code tls.crt} and {@code tls.key} in a directory (the names of a
 * {@code kubernetes.io/tls} Secret and of cert-manager's Secrets). The bytes are passed to Vert.x as values,
 * not paths, so what is served is exactly what was read and fingerprinted.
 *
 * @param fingerprint SHA-256 of both files' content: a change of either is a new certificate
 * @param notAfter when the (first) certificate expires
 */
public record ServingCertificate(byte[] cert, byte[] key, String fingerprint, Instant notAfter, String subject) {
  public static final String CERT_FILE = "tls.crt";
  public static final String KEY_FILE = "tls.key";

  /**
   * Reads the pair; follows symlinks anew each time (Secret volumes are updated by swapping a symlink).
   *
   * @throws IOException naming the missing or unreadable file, or a certificate that is not PEM X.509
   */
  public static ServingCertificate read(Path dir) throws IOException {
    byte[] cert = readFile(dir.resolve(CERT_FILE));
    byte[] key = readFile(dir.resolve(KEY_FILE));
    X509Certificate x509;
    try {
      x509 = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(cert));
    } catch (CertificateException | ClassCastException e) {
      throw new IOException(dir.resolve(CERT_FILE) + " is not a PEM X.509 certificate: " + e.getMessage(), e);
    }
    String fingerprint = fingerprint(cert, key);
    return new ServingCertificate(
        cert, key, fingerprint, x509.getNotAfter().toInstant(), x509.getSubjectX500Principal().getName());
  }

  /** {@link #read} and {@link #verifyKeyMatches}: a pair that can be served. */
  public static ServingCertificate readVerified(Vertx vertx, Path dir) throws IOException {
    ServingCertificate c = read(dir);
    c.verifyKeyMatches(vertx);
    return c;
  }

  private static String fingerprint(byte[] cert, byte[] key) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(cert);
      digest.update((byte) 0);
      digest.update(key);
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static byte[] readFile(Path file) throws IOException {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IOException(
          file + " does not exist; mount the webhook's TLS Secret there (scripts/gen-certs.sh or cert-manager make one)",
          e);
    }
  }

  /**
   * Checks that the key belongs to the certificate, with the PEM parser Vert.x serves with (PKCS#8, PKCS#1
   * RSA, SEC1 EC): Vert.x itself accepts a mismatched pair and every handshake then fails, so a renewal
   * caught half-written must be refused here.
   *
   * @throws IOException when the key cannot be read or does not sign for the certificate's public key
   */
  public void verifyKeyMatches(Vertx vertx) throws IOException {
    X509KeyManager keys;
    try {
      KeyManagerFactory kmf = keyCertOptions().getKeyManagerFactory(vertx);
      keys = (X509KeyManager) kmf.getKeyManagers()[0];
    } catch (Exception e) {
      throw new IOException("cannot read " + KEY_FILE + " with " + CERT_FILE + ": " + e.getMessage(), e);
    }
    for (String type : new String[] {"EC", "RSA", "EdDSA", "Ed25519"}) {
      String[] aliases = keys.getServerAliases(type, null);
      if (aliases == null) {
        continue;
      }
      for (String alias : aliases) {
        PrivateKey key = keys.getPrivateKey(alias);
        X509Certificate[] chain = keys.getCertificateChain(alias);
        if (key != null && chain != null && chain.length > 0 && signsFor(key, chain[0].getPublicKey())) {
          return;
        }
      }
    }
    throw new IOException(KEY_FILE + " is not the private key of " + CERT_FILE + " (" + subject + ")");
  }

  private static boolean signsFor(PrivateKey key, PublicKey publicKey) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "EC" -> "SHA256withECDSA";
          case "RSA" -> "SHA256withRSA";
          default -> key.getAlgorithm(); // EdDSA, Ed25519
        };
    try {
      byte[] challenge = "iter8-webhook key check".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private PemKeyCertOptions keyCertOptions() {
    return new PemKeyCertOptions().setCertValue(Buffer.buffer(cert)).setKeyValue(Buffer.buffer(key));
  }

  /** Vert.x server TLS options serving this certificate, restricted to the {@link TlsPolicy}. */
  public ServerSSLOptions sslOptions() {
    return TlsPolicy.apply(new ServerSSLOptions().setKeyCertOptions(keyCertOptions()));
  }

  @Override
  public String toString() {
    return "certificate " + subject + " (expires " + notAfter + ", sha256 " + fingerprint.substring(0, 12) + ")";
  }
}
