package io.jenkins.plugins.mesosagents.doctor;

import io.jenkins.plugins.mesosagents.engine.OfferFit;
import io.jenkins.plugins.mesosagents.engine.WaitReason;

import java.time.Duration;
import java.util.List;

/**
 * What the doctor found: the outcome (with its exit code), where it connected, the offers it saw
 * and, per template, whether one agent would fit and otherwise the engine's reason and what to do.
 *
 * @param master the leading master subscribed to, null when none was reached
 * @param detail why the connection failed, or notes (e.g. a failed TEARDOWN); empty when none
 */
public record DoctorReport(
        Outcome outcome,
        String framework,
        String master,
        String mesosVersion,
        Duration watched,
        int offersReceived,
        List<String> hosts,
        List<OfferFit.Result> templates,
        String detail) {

    /** The doctor's verdict and its process exit code. */
    public enum Outcome {
        ALL_FIT(0, "every template fits the offers seen"),
        SOME_NEVER_FIT(1, "some template fits none of the offers seen"),
        UNREACHABLE(2, "no leading Mesos master could be subscribed to"),
        AUTHENTICATION(3, "the master refused the credentials"),
        TLS(4, "the TLS connection to the master failed"),
        NO_OFFERS(5, "subscribed, but Mesos sent no offers");

        private final int exitCode;
        private final String meaning;

        Outcome(int exitCode, String meaning) {
            this.exitCode = exitCode;
            this.meaning = meaning;
        }

        public int exitCode() {
            return exitCode;
        }

        public String meaning() {
            return meaning;
        }
    }

    public DoctorReport {
        hosts = List.copyOf(hosts);
        templates = List.copyOf(templates);
        detail = detail == null ? "" : detail;
    }

    /** The report as lines of text, for a terminal or the cloud form. */
    public String render() {
        StringBuilder out = new StringBuilder();
        if (master == null) {
            out.append("Could not subscribe framework '").append(framework).append("'");
        } else {
            out.append("Subscribed framework '")
                    .append(framework)
                    .append("' at the leading master ")
                    .append(master)
                    .append(mesosVersion.isEmpty() ? "" : " (Mesos " + mesosVersion + ")")
                    .append('\n')
                    .append("Watched offers for ")
                    .append(watched.toMillis() / 1000.0)
                    .append(" s: ")
                    .append(offersReceived)
                    .append(offersReceived == 1 ? " offer" : " offers")
                    .append(" from ")
                    .append(hosts.size())
                    .append(hosts.size() == 1 ? " host" : " hosts")
                    .append(hosts.isEmpty() ? "" : " (" + String.join(", ", hosts) + ")")
                    .append(", all declined; framework torn down");
        }
        out.append('\n');
        for (OfferFit.Result t : templates) {
            out.append("  template ").append(t.template()).append(": ");
            if (t.fits()) {
                out.append("fits on ")
                        .append(t.fittingOffers())
                        .append(" of ")
                        .append(t.offers())
                        .append(" hosts (")
                        .append(String.join(", ", t.fittingHosts()))
                        .append(")");
            } else {
                out.append("does NOT fit: ")
                        .append(t.whyNot().reason())
                        .append(" - ")
                        .append(t.whyNot().detail())
                        .append("\n    what to do: ")
                        .append(Remedies.of(t.whyNot().reason()));
            }
            out.append('\n');
        }
        if (!detail.isEmpty()) {
            out.append(detail).append('\n');
        }
        out.append("Result ")
                .append(outcome.exitCode())
                .append(" (")
                .append(outcome.name())
                .append("): ")
                .append(outcome.meaning());
        return out.toString();
    }

    /** Whether any template's reason is this one; for callers that act on particular reasons. */
    public boolean anyTemplateWaitsFor(WaitReason reason) {
        return templates.stream().anyMatch(t -> !t.fits() && t.whyNot().reason() == reason);
    }
}
