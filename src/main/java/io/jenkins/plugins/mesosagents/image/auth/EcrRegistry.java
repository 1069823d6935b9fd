package io.jenkins.plugins.mesosagents.image.auth;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An ECR registry host, {@code <account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]} or the
 * dual-stack (IPv4 + IPv6) {@code <account>.dkr-ecr[-fips].<region>.on.aws}: its account and
 * region. Both take the same registry token.
 */
public record EcrRegistry(String host, String accountId, String region) {
    private static final Pattern HOST =
            Pattern.compile(
                    "([0-9]{12})\\.(?:dkr\\.ecr(?:-fips)?\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?"
                        + "|dkr-ecr(?:-fips)?\\.([a-z0-9-]+)\\.on\\.aws)");

    public static boolean isEcr(String host) {
        return HOST.matcher(host).matches();
    }

    public static EcrRegistry parse(String host) {
        Matcher matcher = HOST.matcher(host);
        if (!matcher.matches()) {
            throw new IllegalArgumentException(
                    "'"
                            + host
                            + "' is not an ECR registry host "
                            + "(expected <12-digit account>.dkr.ecr.<region>.amazonaws.com)");
        }
        return new EcrRegistry(
                host,
                matcher.group(1),
                matcher.group(2) != null ? matcher.group(2) : matcher.group(3));
    }

    /**
     * Whether the host is a FIPS registry endpoint ({@code dkr.ecr-fips}), whose token comes from
     * the FIPS API.
     */
    public boolean fips() {
        return host.contains(".dkr.ecr-fips.") || host.contains(".dkr-ecr-fips.");
    }
}
