package io.jenkins.plugins.mesosagents.engine;

import java.util.Objects;

/**
 * Where in the cluster's fault domains an agent may run: only in the master's home region (the
 * default, and all a framework without REGION_AWARE is offered), anywhere, or in a given region and
 * optionally zone.
 */
public record FaultDomainPlacement(Mode mode, String region, String zone) {

    /** The placement policy. */
    public enum Mode {
        HOME_REGION,
        ANY,
        REGION
    }

    public static final FaultDomainPlacement HOME =
            new FaultDomainPlacement(Mode.HOME_REGION, "", "");
    public static final FaultDomainPlacement ANYWHERE = new FaultDomainPlacement(Mode.ANY, "", "");

    public FaultDomainPlacement {
        Objects.requireNonNull(mode, "mode");
        region = region == null ? "" : region;
        zone = zone == null ? "" : zone;
    }

    public static FaultDomainPlacement in(String region, String zone) {
        return new FaultDomainPlacement(Mode.REGION, region, zone);
    }

    /**
     * Whether an offer in {@code offerRegion}/{@code offerZone} ("" = no domain) fits, given the
     * master's region.
     */
    boolean admits(String offerRegion, String offerZone, String homeRegion) {
        return switch (mode) {
            case ANY -> true;
            case HOME_REGION ->
                    offerRegion.isEmpty() || homeRegion.isEmpty() || offerRegion.equals(homeRegion);
            case REGION -> offerRegion.equals(region) && (zone.isEmpty() || offerZone.equals(zone));
        };
    }

    @Override
    public String toString() {
        return switch (mode) {
            case ANY -> "any region";
            case HOME_REGION -> "home region";
            case REGION ->
                    zone.isEmpty() ? "region " + region : "region " + region + " zone " + zone;
        };
    }
}
