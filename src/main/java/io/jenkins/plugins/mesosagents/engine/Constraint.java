package io.jenkins.plugins.mesosagents.engine;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A placement rule on an offer attribute (Marathon-style). The pseudo-attribute {@code hostname}
 * means the offer's host name. {@code value} is the operand: a literal for EQ and CLUSTER, a
 * full-match regular expression for LIKE and UNLIKE, an optional group count for GROUP_BY, unused
 * for UNIQUE.
 */
public record Constraint(String attribute, Operator operator, String value) {

    /** How an attribute value is compared. */
    public enum Operator {
        /** The attribute equals the value. */
        EQ,
        /** The attribute matches the regular expression (whole value). */
        LIKE,
        /** The attribute is absent or does not match the regular expression. */
        UNLIKE,
        /** At most one agent of this template per distinct attribute value. */
        UNIQUE,
        /**
         * All agents of this template share one attribute value: {@code value} if given, else the
         * first one used.
         */
        CLUSTER,
        /** Agents of this template spread evenly across the attribute's values. */
        GROUP_BY;

        boolean isDynamic() {
            return this == UNIQUE || this == CLUSTER || this == GROUP_BY;
        }
    }

    public static final String HOSTNAME = "hostname";

    public Constraint {
        Objects.requireNonNull(attribute, "attribute");
        Objects.requireNonNull(operator, "operator");
        value = value == null ? "" : value;
    }

    public static Constraint of(String attribute, Operator operator, String value) {
        return new Constraint(attribute, operator, value);
    }

    public static Constraint of(String attribute, Operator operator) {
        return new Constraint(attribute, operator, "");
    }

    /** The compiled operand for LIKE/UNLIKE; callers validate first. */
    Pattern pattern() {
        return Pattern.compile(value);
    }

    @Override
    public String toString() {
        return value.isEmpty()
                ? attribute + ":" + operator
                : attribute + ":" + operator + ":" + value;
    }
}
