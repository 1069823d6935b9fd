package hudson.model;

import hudson.ExtensionPoint;
import hudson.triggers.SafeTimerTask;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/model/PeriodicWork.java (signatures only). */
public abstract class PeriodicWork extends SafeTimerTask implements ExtensionPoint {
    public PeriodicWork() {
        throw new UnsupportedOperationException();
    }

    public abstract long getRecurrencePeriod();

    public long getInitialDelay() {
        throw new UnsupportedOperationException();
    }
}
