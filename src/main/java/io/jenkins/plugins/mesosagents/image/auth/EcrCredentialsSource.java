package io.jenkins.plugins.mesosagents.image.auth;

import io.jenkins.plugins.mesosagents.image.registry.CredentialsSource;
import io.jenkins.plugins.mesosagents.image.registry.RegistryCredentials;

import okhttp3.OkHttpClient;
import okhttp3.Protocol;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.EcrClientBuilder;
import software.amazon.awssdk.services.ecr.auth.scheme.EcrAuthSchemeProvider;
import software.amazon.awssdk.services.ecr.model.AuthorizationData;
import software.amazon.awssdk.services.sts.model.StsException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Registry credentials for AWS ECR: calls {@code GetAuthorizationToken} through the AWS SDK v2 and
 * caches the resulting {@code AWS:<password>} until {@code refreshBefore} ahead of its expiry
 * (tokens live 12 h), so long-running agents never use a stale token and never call AWS for every
 * registry request. An SDK client lives only for one token request (one every ~11 hours), so this
 * source holds no threads in between; the OkHttp client it calls through keeps an idle connection
 * for at most five minutes (OkHttp's pool default).
 */
public final class EcrCredentialsSource implements CredentialsSource {
    private static final Duration API_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Direct to AWS; {@link #withHttpClient} routes the calls (e.g. through Jenkins' proxy).
     * HTTP/1.1 only, as the SDK's own synchronous clients speak to ECR and STS: the request is
     * signed over its Host header, and nothing here gains from HTTP/2.
     */
    public static final OkHttpClient DIRECT_HTTP =
            new OkHttpClient.Builder()
                    .protocols(List.of(Protocol.HTTP_1_1))
                    .connectTimeout(API_TIMEOUT)
                    .readTimeout(API_TIMEOUT)
                    .writeTimeout(API_TIMEOUT)
                    .build();

    private final URI endpoint;
    private final String region;
    private final boolean fips;
    private final AwsIdentity identity;
    private final Clock clock;
    private final Duration refreshBefore;
    private final OkHttpClient http;
    private RegistryCredentials cached;
    private Instant expiresAt = Instant.MIN;
    private int tokenRequests;

    /**
     * @param endpoint the ECR API endpoint (a VPC endpoint, a stand-in), or null for the SDK's
     *     endpoint of {@code region}
     * @param clock signs the request and decides when the token is due for refresh
     * @param refreshBefore how long before expiry to fetch a new token (e.g. 1 hour)
     */
    public EcrCredentialsSource(
            String endpoint,
            String region,
            Supplier<AwsCredentials> awsCredentials,
            Clock clock,
            Duration refreshBefore) {
        this(endpoint, region, AwsIdentity.keys(awsCredentials), clock, refreshBefore);
    }

    /** Like the other constructor, for any {@link AwsIdentity} (default chain, assumed role). */
    public EcrCredentialsSource(
            String endpoint,
            String region,
            AwsIdentity identity,
            Clock clock,
            Duration refreshBefore) {
        this(
                endpoint == null ? null : URI.create(endpoint),
                region,
                false,
                identity,
                clock,
                refreshBefore,
                DIRECT_HTTP);
    }

    private EcrCredentialsSource(
            URI endpoint,
            String region,
            boolean fips,
            AwsIdentity identity,
            Clock clock,
            Duration refreshBefore,
            OkHttpClient http) {
        this.endpoint = endpoint;
        this.region = region;
        this.fips = fips;
        this.identity = Objects.requireNonNull(identity, "identity");
        this.clock = clock;
        this.refreshBefore = refreshBefore;
        this.http = Objects.requireNonNull(http, "http");
    }

    /**
     * A source like this one (nothing cached) whose ECR and STS calls go through {@code http}: its
     * proxy, proxy login, TLS and timeouts.
     */
    public EcrCredentialsSource withHttpClient(OkHttpClient http) {
        return new EcrCredentialsSource(
                endpoint, region, fips, identity, clock, refreshBefore, http);
    }

    /**
     * Tokens for {@code registry} from its region's ECR API (FIPS endpoint for {@code dkr.ecr-fips}
     * hosts).
     */
    public static EcrCredentialsSource forRegistry(
            EcrRegistry registry, Supplier<AwsCredentials> awsCredentials, Clock clock) {
        return forRegistry(registry, AwsIdentity.keys(awsCredentials), clock);
    }

    /** Like {@link #forRegistry(EcrRegistry, Supplier, Clock)}, for any {@link AwsIdentity}. */
    public static EcrCredentialsSource forRegistry(
            EcrRegistry registry, AwsIdentity identity, Clock clock) {
        return new EcrCredentialsSource(
                null,
                registry.region(),
                registry.fips(),
                identity,
                clock,
                Duration.ofHours(1),
                DIRECT_HTTP);
    }

    @Override
    public synchronized RegistryCredentials credentials() throws IOException {
        if (cached == null || !clock.instant().isBefore(expiresAt.minus(refreshBefore))) {
            fetch();
        }
        return cached;
    }

    /**
     * When the cached token expires (for diagnostics), or {@link Instant#MIN} before the first
     * fetch.
     */
    public synchronized Instant expiresAt() {
        return expiresAt;
    }

    public synchronized int tokenRequests() {
        return tokenRequests;
    }

    private void fetch() throws IOException {
        tokenRequests++;
        AuthorizationData data;
        try (AwsIdentity.Provider provider = identity.provider(region, http);
                EcrClient ecr = client(provider.credentials())) {
            List<AuthorizationData> all =
                    ecr.getAuthorizationToken(request -> {}).authorizationData();
            if (all.isEmpty()
                    || all.get(0).authorizationToken() == null
                    || all.get(0).expiresAt() == null) {
                throw new IOException(
                        "ECR GetAuthorizationToken in "
                                + region
                                + " returned no authorization token");
            }
            data = all.get(0);
        } catch (AwsServiceException e) {
            throw new IOException(describe(e), e);
        } catch (SdkException e) {
            throw new IOException(describeUnreachable(e), e);
        }
        String decoded;
        try {
            decoded =
                    new String(
                            Base64.getDecoder().decode(data.authorizationToken()),
                            StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            throw new IOException("ECR returned an authorization token that is not base64");
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            throw new IOException("ECR returned an authorization token that is not user:password");
        }
        expiresAt = data.expiresAt();
        cached =
                RegistryCredentials.basic(
                        decoded.substring(0, colon), decoded.substring(colon + 1));
    }

    private EcrClient client(AwsCredentialsProvider credentials) {
        // an empty profile file keeps ~/.aws/config of the controller's user from changing
        // retries, endpoints or regions behind the job's back (the default credentials chain
        // still reads its credentials from there)
        ProfileFile noProfiles =
                ProfileFile.builder()
                        .content(new ByteArrayInputStream(new byte[0]))
                        .type(ProfileFile.Type.CONFIGURATION)
                        .build();
        EcrAuthSchemeProvider signWithOurClock =
                params ->
                        EcrAuthSchemeProvider.defaultProvider().resolveAuthScheme(params).stream()
                                .map(
                                        option ->
                                                option.toBuilder()
                                                        .putSignerProperty(
                                                                HttpSigner.SIGNING_CLOCK, clock)
                                                        .build())
                                .toList();
        EcrClientBuilder builder =
                EcrClient.builder()
                        .region(Region.of(region))
                        .fipsEnabled(fips)
                        .credentialsProvider(credentials)
                        .authSchemeProvider(signWithOurClock)
                        .httpClient(new OkHttpSdkClient(http))
                        .overrideConfiguration(
                                o ->
                                        o.defaultProfileFile(noProfiles)
                                                .apiCallTimeout(API_TIMEOUT.multipliedBy(3)));
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }

    private String describe(AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
        String message = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
        if (e instanceof StsException) {
            return "STS AssumeRole for ECR in "
                    + region
                    + " failed (HTTP "
                    + e.statusCode()
                    + (code == null || code.isEmpty() ? "" : " " + code)
                    + (message == null || message.isEmpty() ? "" : ": " + message)
                    + ") for "
                    + identity.describe()
                    + ": check the role's trust policy and that the caller may sts:AssumeRole it";
        }
        String hint =
                switch (code == null ? "" : code) {
                    case "UnrecognizedClientException",
                                    "InvalidSignatureException",
                                    "IncompleteSignatureException",
                                    "SignatureDoesNotMatch",
                                    "InvalidClientTokenId" ->
                            "the AWS access key id or secret key is wrong";
                    case "ExpiredTokenException" -> "the AWS session token has expired";
                    case "AccessDeniedException" ->
                            "the AWS identity lacks the ecr:GetAuthorizationToken permission";
                    default -> "see the AWS error";
                };
        return "ECR GetAuthorizationToken in "
                + region
                + " failed (HTTP "
                + e.statusCode()
                + (code == null || code.isEmpty() ? "" : " " + code)
                + (message == null || message.isEmpty() ? "" : ": " + message)
                + "): "
                + hint;
    }

    private String describeUnreachable(SdkException e) {
        if (String.valueOf(e.getMessage()).startsWith("Unable to load credentials")) {
            return "ECR GetAuthorizationToken in "
                    + region
                    + " failed: no AWS credentials found for "
                    + identity.describe()
                    + " ("
                    + e.getMessage()
                    + "): give the registry step a credential with AWS keys, or give the"
                    + " controller an AWS identity";
        }
        String where = endpoint != null ? endpoint.toString() : "the ECR API of " + region;
        String hint =
                Region.regions().contains(Region.of(region))
                        ? "check the controller's network access and proxy settings"
                        : "'"
                                + region
                                + "' is not an AWS region this plugin knows: check the region in"
                                + " the registry host";
        return "ECR GetAuthorizationToken in "
                + region
                + " failed: could not reach "
                + where
                + " ("
                + e.getMessage()
                + "): "
                + hint;
    }
}
