package io.jenkins.plugins.mesosagents.image.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

/** Vectors from AWS's published Signature Version 4 test suite (get-vanilla, post-vanilla, query order). */
class AwsSigV4Test {
  private static final AwsCredentials SUITE =
      new AwsCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);
  private static final Instant AT = Instant.parse("2015-08-30T12:36:00Z");

  private static String authorization(String method, String url) {
    return AwsSigV4.sign(method, HttpUrl.get(url), Map.of(), new byte[0], "us-east-1", "service", SUITE, AT)
        .get("Authorization");
  }

  @Test
  void getVanilla() {
    assertThat(authorization("GET", "https://example.amazonaws.com/")).isEqualTo(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            + "SignedHeaders=host;x-amz-date, "
            + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  }

  @Test
  void postVanilla() {
    assertThat(authorization("POST", "https://example.amazonaws.com/"))
        .endsWith("Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
  }

  @Test
  void queryParametersAreSorted() {
    assertThat(authorization("GET", "https://example.amazonaws.com/?Param2=value2&Param1=value1"))
        .endsWith("Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
  }

  @Test
  void sessionTokenIsSentAndSigned() {
    Map<String, String> headers = AwsSigV4.sign("POST", HttpUrl.get("https://api.ecr.eu-west-1.amazonaws.com/"),
        Map.of(), new byte[0], "eu-west-1", "ecr", new AwsCredentials("AKID", "secret", "session-token"), AT);
    assertThat(headers.get("X-Amz-Security-Token")).isEqualTo("session-token");
    assertThat(headers.get("Authorization")).contains("SignedHeaders=host;x-amz-date;x-amz-security-token");
    assertThat(headers.get("X-Amz-Date")).isEqualTo("20150830T123600Z");
  }
}
