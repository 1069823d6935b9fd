package hudson.triggers;

import java.util.TimerTask;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/triggers/SafeTimerTask.java (signatures only). */
public abstract class SafeTimerTask extends TimerTask {
    public SafeTimerTask() {
        throw new UnsupportedOperationException();
    }

    @Override
    public final void run() {
        throw new UnsupportedOperationException();
    }

    protected abstract void doRun() throws Exception;
}
