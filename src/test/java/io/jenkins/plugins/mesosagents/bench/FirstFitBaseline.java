package io.jenkins.plugins.mesosagents.bench;

import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.Constraint;

import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.Attribute;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Label;
import org.apache.mesos.v1.Protos.Labels;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.scheduler.Protos.Call;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The incumbent's algorithm (mesos-plugin 1.0 {@code JenkinsScheduler.resourceOffers}),
 * re-implemented for the comparison: for each offer in arrival order, walk the FIFO request queue
 * and launch the first request that fits — one task per offer — re-reading the offer's resources
 * and attributes for every check; offers that fit no request are declined. Kept fair: regexes are
 * precompiled and TaskInfos carry comparable content.
 */
final class FirstFitBaseline {
    private FirstFitBaseline() {}

    /** A queued request: the template and the agent name. */
    record Request(AgentTemplate template, String name, Pattern[] patterns) {
        static Request of(AgentTemplate t, String name) {
            Pattern[] p = new Pattern[t.constraints().size()];
            for (int i = 0; i < p.length; i++) {
                Constraint c = t.constraints().get(i);
                p[i] = c.operator() == Constraint.Operator.LIKE ? Pattern.compile(c.value()) : null;
            }
            return new Request(t, name, p);
        }
    }

    /**
     * Runs one OFFERS batch; returns the calls it would send. Consumes matched requests from the
     * queue.
     */
    static List<Call> onOffers(List<Offer> offers, List<Request> queue, String jenkinsUrl) {
        FrameworkID fw = FrameworkID.newBuilder().setValue(BenchCluster.FRAMEWORK).build();
        List<Call> calls = new ArrayList<>();
        List<String> usedHosts = new ArrayList<>();
        for (Offer offer : offers) {
            Request match = null;
            for (Iterator<Request> it = queue.iterator(); it.hasNext(); ) {
                Request r = it.next();
                if (matches(offer, r, usedHosts)) {
                    match = r;
                    it.remove();
                    break;
                }
            }
            if (match == null) {
                calls.add(
                        Call.newBuilder()
                                .setFrameworkId(fw)
                                .setType(Call.Type.DECLINE)
                                .setDecline(
                                        Call.Decline.newBuilder()
                                                .addOfferIds(offer.getId())
                                                .setFilters(
                                                        Filters.newBuilder().setRefuseSeconds(5)))
                                .build());
                continue;
            }
            usedHosts.add(offer.getHostname());
            calls.add(
                    Call.newBuilder()
                            .setFrameworkId(fw)
                            .setType(Call.Type.ACCEPT)
                            .setAccept(
                                    Call.Accept.newBuilder()
                                            .addOfferIds(offer.getId())
                                            .addOperations(
                                                    Offer.Operation.newBuilder()
                                                            .setType(Offer.Operation.Type.LAUNCH)
                                                            .setLaunch(
                                                                    Offer.Operation.Launch
                                                                            .newBuilder()
                                                                            .addTaskInfos(
                                                                                    task(
                                                                                            offer,
                                                                                            match,
                                                                                            jenkinsUrl))))
                                            .setFilters(Filters.newBuilder().setRefuseSeconds(1)))
                            .build());
        }
        return calls;
    }

    private static boolean matches(Offer offer, Request r, List<String> usedHosts) {
        AgentTemplate t = r.template();
        double cpus = 0;
        double mem = 0;
        double disk = 0;
        long ports = 0;
        for (Resource res : offer.getResourcesList()) {
            switch (res.getName()) {
                case "cpus" -> cpus += res.getScalar().getValue();
                case "mem" -> mem += res.getScalar().getValue();
                case "disk" -> disk += res.getScalar().getValue();
                case "ports" -> {
                    for (Value.Range range : res.getRanges().getRangeList()) {
                        ports += range.getEnd() - range.getBegin() + 1;
                    }
                }
                default -> {}
            }
        }
        if (cpus < t.cpus() || mem < t.memMb() || disk < t.diskMb() || ports < t.portsNeeded()) {
            return false;
        }
        for (int i = 0; i < t.constraints().size(); i++) {
            Constraint c = t.constraints().get(i);
            String v = c.attribute().equals("hostname") ? offer.getHostname() : null;
            for (Attribute a : offer.getAttributesList()) {
                if (a.getName().equals(c.attribute())) {
                    v = a.getText().getValue();
                }
            }
            boolean ok =
                    switch (c.operator()) {
                        case EQ -> c.value().equals(v);
                        case LIKE -> v != null && r.patterns()[i].matcher(v).matches();
                        case UNIQUE -> !usedHosts.contains(offer.getHostname());
                        default -> true;
                    };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static TaskInfo task(Offer offer, Request r, String jenkinsUrl) {
        AgentTemplate t = r.template();
        return TaskInfo.newBuilder()
                .setName(r.name())
                .setTaskId(TaskID.newBuilder().setValue(r.name()))
                .setAgentId(AgentID.newBuilder().setValue(offer.getAgentId().getValue()))
                .addResources(scalar("cpus", t.cpus()))
                .addResources(scalar("mem", t.memMb()))
                .setCommand(
                        CommandInfo.newBuilder()
                                .addUris(
                                        CommandInfo.URI
                                                .newBuilder()
                                                .setValue(jenkinsUrl + "jnlpJars/agent.jar"))
                                .setEnvironment(
                                        Environment.newBuilder()
                                                .addVariables(
                                                        Environment.Variable.newBuilder()
                                                                .setName("JENKINS_SECRET")
                                                                .setValue(
                                                                        "0123456789abcdef0123456789abcdef")))
                                .setValue(
                                        "java -Xmx"
                                                + t.effectiveJvmHeapMb()
                                                + "m -jar agent.jar -url "
                                                + jenkinsUrl
                                                + " -name "
                                                + r.name()
                                                + " -webSocket"))
                .setLabels(
                        Labels.newBuilder()
                                .addLabels(Label.newBuilder().setKey("agent").setValue(r.name())))
                .build();
    }

    private static Resource scalar(String name, double v) {
        return Resource.newBuilder()
                .setName(name)
                .setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(v))
                .build();
    }
}
