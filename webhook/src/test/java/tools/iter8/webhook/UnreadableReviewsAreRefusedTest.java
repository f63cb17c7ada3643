package tools.iter8.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.iter8.webhook.support.AdmissionAnswer;
import tools.iter8.webhook.support.TestWebhook;
import tools.iter8.webhook.support.TestWebhook.Reply;

/**
 * The webhook refuses what it cannot read instead of allowing it by accident (docs/reliability.md): bodies
 * beyond {@link WebhookServerTest}'s table — JSON that is not an object, duplicate keys, malformed
 * {@code request} parts, nesting past Jackson's limit, invalid UTF-8 — each get an HTTP 4xx and a well-formed
 * AdmissionReview with {@code allowed: false}, on both endpoints. {@code AdmissionFuzzTest} checks the same
 * property on every input the fuzzer makes.
 */
class UnreadableReviewsAreRefusedTest {
  private static final String HEAD = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":";
  private static final String KIND = "\"kind\":{\"group\":\"apps\",\"version\":\"v1\",\"kind\":\"Deployment\"}";

  private final TestWebhook webhook = TestWebhook.shared();

  static Stream<Arguments> unreadable() {
    byte[] invalidUtf8 = (HEAD + "{\"uid\":\"u\"," + KIND + ",\"operation\":\"CREATE\",\"object\":{\"a\":\"")
        .getBytes(StandardCharsets.UTF_8);
    byte[] withBadByte = new byte[invalidUtf8.length + 4];
    System.arraycopy(invalidUtf8, 0, withBadByte, 0, invalidUtf8.length);
    withBadByte[invalidUtf8.length] = (byte) 0xC3; // a lead byte with no continuation
    withBadByte[invalidUtf8.length + 1] = '"';
    withBadByte[invalidUtf8.length + 2] = '}';
    withBadByte[invalidUtf8.length + 3] = '}';
    return Stream.of(
        Arguments.of("an array", bytes("[]"), ""),
        Arguments.of("null", bytes("null"), ""),
        Arguments.of("a string", bytes("\"AdmissionReview\""), ""),
        Arguments.of("trailing garbage only", bytes("}{"), ""),
        Arguments.of("duplicate keys", bytes(HEAD + "{\"uid\":\"u1\",\"uid\":\"u2\"}}"), ""),
        Arguments.of("request is an array", bytes(HEAD + "[]}"), ""),
        Arguments.of("uid is a number", bytes(HEAD + "{\"uid\":7," + KIND + ",\"operation\":\"CREATE\",\"object\":{}}}"), ""),
        Arguments.of("kind is a string", bytes(HEAD + "{\"uid\":\"u3\",\"kind\":\"Deployment\",\"operation\":\"CREATE\",\"object\":{}}}"), "u3"),
        Arguments.of("object is an array", bytes(HEAD + "{\"uid\":\"u4\"," + KIND + ",\"operation\":\"CREATE\",\"object\":[]}}"), "u4"),
        Arguments.of("no object on CREATE", bytes(HEAD + "{\"uid\":\"u5\"," + KIND + ",\"operation\":\"CREATE\"}}"), "u5"),
        Arguments.of("operation is an object", bytes(HEAD + "{\"uid\":\"u6\"," + KIND + ",\"operation\":{},\"object\":{}}}"), "u6"),
        Arguments.of("nesting deeper than 1000", bytes(HEAD + "{\"uid\":\"u7\"," + KIND + ",\"operation\":\"CREATE\",\"object\":{\"a\":"
            + "[".repeat(5000) + "]".repeat(5000) + "}}}"), ""),
        Arguments.of("invalid UTF-8", withBadByte, ""),
        // Found by AdmissionFuzzTest (found-number-past-the-range-of-a-big-decimal): escaped the codec as a 500.
        Arguments.of("a number no BigDecimal holds", bytes(HEAD + "{\"uid\":\"u8\",\"x\":1111e1111111111111}}"), ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unreadable")
  void isRefusedWithAWellFormedAnswer(String name, byte[] body, String uid) {
    for (String path : new String[] {"/mutate", "/validate"}) {
      Reply reply = webhook.post(path, "application/json", body);
      assertThat(reply.status()).as(path).isBetween(400, 499);
      AdmissionAnswer answer = reply.answer();
      assertThat(answer.allowed()).as(path).isFalse();
      assertThat(answer.uid()).as(path).isEqualTo(uid);
      assertThat(answer.code()).as(path).isEqualTo(reply.status());
      assertThat(answer.message()).as(path).isNotBlank();
      assertThat(answer.hasPatch()).as(path).isFalse();
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
