package io.jenkins.plugins.mesosagents.testcluster.mesos;

import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * validation::scheduler::call::validate: structural checks that fail with 400 before any state is
 * consulted.
 */
final class CallValidation {
    private CallValidation() {}

    /** Returns the error message, or null when the call is structurally valid. */
    static String validate(Call c) {
        if (!c.hasType()) {
            return "Expecting 'type' to be present";
        }
        if (c.getType() == Call.Type.SUBSCRIBE) {
            if (!c.hasSubscribe()) {
                return "Expecting 'subscribe' to be present";
            }
            if (c.hasFrameworkId()
                    && !c.getSubscribe().getFrameworkInfo().getId().equals(c.getFrameworkId())) {
                return "'framework_id' differs from 'subscribe.framework_info.id'";
            }
            return null;
        }
        if (!c.hasFrameworkId()) {
            return "Expecting 'framework_id' to be present";
        }
        return switch (c.getType()) {
            case ACCEPT -> c.hasAccept() ? null : "Expecting 'accept' to be present";
            case DECLINE -> c.hasDecline() ? null : "Expecting 'decline' to be present";
            case ACCEPT_INVERSE_OFFERS ->
                    c.hasAcceptInverseOffers()
                            ? null
                            : "Expecting 'accept_inverse_offers' to be present";
            case DECLINE_INVERSE_OFFERS ->
                    c.hasDeclineInverseOffers()
                            ? null
                            : "Expecting 'decline_inverse_offers' to be present";
            case KILL -> c.hasKill() ? null : "Expecting 'kill' to be present";
            case SHUTDOWN -> c.hasShutdown() ? null : "Expecting 'shutdown' to be present";
            case ACKNOWLEDGE ->
                    !c.hasAcknowledge()
                            ? "Expecting 'acknowledge' to be present"
                            : c.getAcknowledge().getUuid().size() != 16
                                    ? "Not a valid UUID: the 'uuid' of ACKNOWLEDGE must be the"
                                            + " 16 bytes from the status update (Base64 in JSON)"
                                    : null;
            case ACKNOWLEDGE_OPERATION_STATUS ->
                    !c.hasAcknowledgeOperationStatus()
                            ? "Expecting 'acknowledge_operation_status' to be present"
                            : !c.getAcknowledgeOperationStatus().hasAgentId()
                                    ? "Expecting 'agent_id' to be present in"
                                            + " ACKNOWLEDGE_OPERATION_STATUS"
                                    : null;
            case RECONCILE -> c.hasReconcile() ? null : "Expecting 'reconcile' to be present";
            case RECONCILE_OPERATIONS ->
                    c.hasReconcileOperations()
                            ? null
                            : "Expecting 'reconcile_operations' to be present";
            case MESSAGE -> c.hasMessage() ? null : "Expecting 'message' to be present";
            case REQUEST -> c.hasRequest() ? null : "Expecting 'request' to be present";
            case UPDATE_FRAMEWORK ->
                    !c.hasUpdateFramework()
                            ? "Expecting 'update_framework' to be present"
                            : !c.getUpdateFramework()
                                            .getFrameworkInfo()
                                            .getId()
                                            .equals(c.getFrameworkId())
                                    ? "'framework_id' differs from"
                                            + " 'update_framework.framework_info.id'"
                                    : null;
            default -> null;
        };
    }
}
