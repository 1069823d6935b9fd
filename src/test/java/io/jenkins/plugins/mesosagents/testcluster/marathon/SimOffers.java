package io.jenkins.plugins.mesosagents.testcluster.marathon;

import com.fasterxml.jackson.databind.JsonNode;

import io.jenkins.plugins.mesosagents.testcluster.marathon.SimModel.App;
import io.jenkins.plugins.mesosagents.testcluster.marathon.SimModel.Task;

import java.util.Collection;

/**
 * The simulated cluster's agents and their offers: each launch looks at one offer per agent and
 * declines it for the first reason of Marathon's funnel that applies
 * (NoOfferMatchReason.scala:24-35 at v1.10.26: UnfulfilledConstraint, then InsufficientCpus,
 * InsufficientMemory). Without agents configured, capacity is unlimited and tasks spread over three
 * hosts.
 */
final class SimOffers {
    private final int agents;
    private final double cpusPerAgent;
    private final double memPerAgent;

    SimOffers(int agents, double cpusPerAgent, double memPerAgent) {
        this.agents = agents;
        this.cpusPerAgent = cpusPerAgent;
        this.memPerAgent = memPerAgent;
    }

    static SimOffers unlimited() {
        return new SimOffers(0, 0, 0);
    }

    /**
     * The host (1-based) that takes the task, or 0 when every offer was declined; counts processed
     * and declined offers on the app for /v2/queue.
     */
    int place(App app, Collection<App> apps, int roundRobin) {
        if (agents == 0) {
            return roundRobin % 3 + 1;
        }
        for (int host = 1; host <= agents; host++) {
            app.processedOffers++;
            String reason = decline(app, apps, host);
            if (reason == null) {
                return host;
            }
            app.declinedOffers.merge(reason, 1, Integer::sum);
        }
        return 0;
    }

    private String decline(App app, Collection<App> apps, int host) {
        for (JsonNode constraint : app.definition.path("constraints")) {
            String field = constraint.path(0).asText();
            String operator = constraint.path(1).asText();
            if (!field.equals("hostname")) {
                continue;
            }
            boolean taken = app.tasks.stream().anyMatch(t -> t.host == host && !t.unreachable());
            if (operator.equals("UNIQUE") && taken) {
                return "UnfulfilledConstraint";
            }
            if (operator.equals("LIKE")
                    && !("agent-" + host + ".sim").matches(constraint.path(2).asText())) {
                return "UnfulfilledConstraint";
            }
        }
        double cpus = 0;
        double mem = 0;
        for (App other : apps) {
            for (Task task : other.tasks) {
                if (task.host == host) {
                    cpus += task.cpus;
                    mem += task.mem;
                }
            }
        }
        if (cpus + app.cpus() > cpusPerAgent + 1e-9) {
            return "InsufficientCpus";
        }
        if (mem + app.mem() > memPerAgent + 1e-9) {
            return "InsufficientMemory";
        }
        return null;
    }
}
