package io.jenkins.plugins.mesosagents.cloud;

import hudson.Extension;
import hudson.model.PeriodicWork;

import jenkins.YesNoMaybe;
import jenkins.model.Jenkins;

import java.util.concurrent.TimeUnit;

/**
 * Closes the scheduler session of a Mesos cloud that was deleted or renamed, once a minute. Its
 * tasks are not killed here: Mesos removes them when the framework's failover timeout expires, and
 * a cloud re-created under the same name within it takes them over again.
 */
@Extension(dynamicLoadable = YesNoMaybe.YES)
public class RemovedCloudSessions extends PeriodicWork {
    @Override
    public long getRecurrencePeriod() {
        return TimeUnit.MINUTES.toMillis(1);
    }

    @Override
    protected void doRun() {
        MesosClouds sessions = MesosClouds.get();
        Jenkins jenkins = Jenkins.get();
        for (String name : sessions.cloudNames()) {
            if (!(jenkins.getCloud(name) instanceof MesosCloud)) {
                sessions.forget(name);
            }
        }
    }
}
