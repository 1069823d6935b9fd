package io.jenkins.plugins.mesosagents.mesos;

import org.apache.mesos.v1.scheduler.Protos.Event;

import java.util.logging.Logger;

/** One log line per received event, naming every event type so that none passes unnoticed. */
final class EventLog {
    private static final Logger LOG = Logger.getLogger(EventLog.class.getName());

    private EventLog() {}

    static void log(Event event) {
        switch (event.getType()) {
            case SUBSCRIBED ->
                    LOG.info(
                            () ->
                                    "SUBSCRIBED as framework "
                                            + event.getSubscribed().getFrameworkId().getValue()
                                            + ", heartbeat every "
                                            + event.getSubscribed().getHeartbeatIntervalSeconds()
                                            + " s");
            case OFFERS ->
                    LOG.fine(() -> "OFFERS: " + event.getOffers().getOffersCount() + " offer(s)");
            case INVERSE_OFFERS ->
                    LOG.fine(
                            () ->
                                    "INVERSE_OFFERS: "
                                            + event.getInverseOffers().getInverseOffersCount()
                                            + " inverse offer(s)");
            case RESCIND ->
                    LOG.fine(() -> "RESCIND offer " + event.getRescind().getOfferId().getValue());
            case RESCIND_INVERSE_OFFER ->
                    LOG.fine(
                            () ->
                                    "RESCIND_INVERSE_OFFER "
                                            + event.getRescindInverseOffer()
                                                    .getInverseOfferId()
                                                    .getValue());
            case UPDATE ->
                    LOG.fine(
                            () ->
                                    "UPDATE task "
                                            + event.getUpdate().getStatus().getTaskId().getValue()
                                            + " "
                                            + event.getUpdate().getStatus().getState()
                                            + (event.getUpdate().getStatus().hasUuid()
                                                    ? " (needs ACKNOWLEDGE)"
                                                    : ""));
            case UPDATE_OPERATION_STATUS ->
                    LOG.fine(
                            () ->
                                    "UPDATE_OPERATION_STATUS "
                                            + event.getUpdateOperationStatus()
                                                    .getStatus()
                                                    .getState());
            case MESSAGE ->
                    LOG.fine(
                            () ->
                                    "MESSAGE from executor "
                                            + event.getMessage().getExecutorId().getValue()
                                            + " ("
                                            + event.getMessage().getData().size()
                                            + " bytes)");
            case FAILURE ->
                    LOG.info(
                            () ->
                                    "FAILURE: agent "
                                            + event.getFailure().getAgentId().getValue()
                                            + (event.getFailure().hasExecutorId()
                                                    ? ", executor "
                                                            + event.getFailure()
                                                                    .getExecutorId()
                                                                    .getValue()
                                                            + " exited with status "
                                                            + event.getFailure().getStatus()
                                                    : " removed"));
            case ERROR ->
                    LOG.warning(() -> "ERROR from the master: " + event.getError().getMessage());
            case HEARTBEAT -> LOG.finest("HEARTBEAT");
            case UNKNOWN ->
                    LOG.info(
                            "Ignoring an event of a type this client does not know (newer"
                                    + " master?)");
        }
    }
}
