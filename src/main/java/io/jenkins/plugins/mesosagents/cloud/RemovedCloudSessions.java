package io.jenkins.plugins.mesosagents.cloud;

import hudson.Extension;
import hudson.model.PeriodicWork;

import jenkins.YesNoMaybe;
import jenkins.model.Jenkins;

import java.util.concurrent.TimeUnit;

/**
 * Once a minute, brings the Mesos sessions in line with the configured clouds ({@link
 * MesosClouds#sync}): a session for every cloud (one that could not start is tried again), renamed
 * clouds keep their framework, deleted clouds' frameworks are torn down. Catches what no save
 * announced (e.g. a configuration reloaded from disk).
 */
@Extension(dynamicLoadable = YesNoMaybe.YES)
public class RemovedCloudSessions extends PeriodicWork {
    @Override
    public long getRecurrencePeriod() {
        return TimeUnit.MINUTES.toMillis(1);
    }

    @Override
    protected void doRun() {
        MesosClouds.get().sync(Jenkins.get().clouds.getAll(MesosCloud.class));
    }
}
