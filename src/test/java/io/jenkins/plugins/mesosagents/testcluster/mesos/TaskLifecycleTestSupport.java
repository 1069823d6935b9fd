package io.jenkins.plugins.mesosagents.testcluster.mesos;

import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Event;

import java.time.Duration;

/** Shared test step: acknowledge every uuid-bearing update of a task until it reaches a state. */
final class TaskLifecycleTestSupport {
    private TaskLifecycleTestSupport() {}

    static TaskStatus ackUntil(SimClient c, String taskId, TaskState state) throws Exception {
        while (true) {
            Event e =
                    c.await(
                            x ->
                                    x.getType() == Event.Type.UPDATE
                                            && x.getUpdate()
                                                    .getStatus()
                                                    .getTaskId()
                                                    .getValue()
                                                    .equals(taskId),
                            Duration.ofSeconds(10));
            TaskStatus s = e.getUpdate().getStatus();
            if (s.hasUuid()) {
                c.send(SimCalls.ack(c, s));
            }
            if (s.getState() == state) {
                return s;
            }
        }
    }
}
