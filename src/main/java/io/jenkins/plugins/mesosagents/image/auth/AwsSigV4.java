package io.jenkins.plugins.mesosagents.image.auth;

import io.jenkins.plugins.mesosagents.image.Digest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.HttpUrl;

/**
 * AWS Signature Version 4 for one request with headers (no chunked payloads): the few dozen lines ECR's
 * GetAuthorizationToken needs, instead of the AWS SDK's ~20 jars. Verified against AWS's published test suite.
 */
public final class AwsSigV4 {
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private AwsSigV4() {}

  /**
   * Returns the headers to add ({@code X-Amz-Date}, {@code X-Amz-Security-Token} if any, {@code Authorization});
   * {@code headers} are the other headers to sign (host is added from the URL).
   */
  public static Map<String, String> sign(String method, HttpUrl url, Map<String, String> headers, byte[] body,
      String region, String service, AwsCredentials credentials, Instant now) {
    String amzDate = AMZ_DATE.format(now);
    String date = amzDate.substring(0, 8);
    Map<String, String> added = new LinkedHashMap<>();
    added.put("X-Amz-Date", amzDate);
    if (credentials.sessionToken() != null) {
      added.put("X-Amz-Security-Token", credentials.sessionToken());
    }
    TreeMap<String, String> signed = new TreeMap<>();
    String host = url.host() + (url.port() == HttpUrl.defaultPort(url.scheme()) ? "" : ":" + url.port());
    signed.put("host", host);
    headers.forEach((name, value) -> signed.put(name.toLowerCase(Locale.ROOT), value.trim().replaceAll("\\s+", " ")));
    added.forEach((name, value) -> signed.put(name.toLowerCase(Locale.ROOT), value));
    String signedHeaders = String.join(";", signed.keySet());
    StringBuilder canonicalHeaders = new StringBuilder();
    signed.forEach((name, value) -> canonicalHeaders.append(name).append(':').append(value).append('\n'));
    String canonicalRequest = method + "\n" + canonicalPath(url) + "\n" + canonicalQuery(url) + "\n"
        + canonicalHeaders + "\n" + signedHeaders + "\n" + Digest.sha256(body).hex();
    String scope = date + "/" + region + "/" + service + "/aws4_request";
    String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + Digest.sha256(canonicalRequest).hex();
    byte[] key = hmac(("AWS4" + credentials.secretAccessKey()).getBytes(StandardCharsets.UTF_8), date);
    key = hmac(key, region);
    key = hmac(key, service);
    key = hmac(key, "aws4_request");
    String signature = HexFormat.of().formatHex(hmac(key, stringToSign));
    added.put("Authorization", "AWS4-HMAC-SHA256 Credential=" + credentials.accessKeyId() + "/" + scope
        + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature);
    return added;
  }

  private static String canonicalPath(HttpUrl url) {
    StringBuilder path = new StringBuilder();
    for (String segment : url.pathSegments()) {
      path.append('/').append(encode(segment));
    }
    return path.length() == 0 ? "/" : path.toString();
  }

  private static String canonicalQuery(HttpUrl url) {
    List<String> pairs = new ArrayList<>();
    for (int i = 0; i < url.querySize(); i++) {
      String value = url.queryParameterValue(i);
      pairs.add(encode(url.queryParameterName(i)) + "=" + encode(value == null ? "" : value));
    }
    pairs.sort(null);
    return String.join("&", pairs);
  }

  private static String encode(String text) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-_.~".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK always has HmacSHA256", e);
    }
  }
}
