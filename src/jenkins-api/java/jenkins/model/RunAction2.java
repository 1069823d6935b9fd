package jenkins.model;

import hudson.model.Action;
import hudson.model.Run;

/** Stand-in of jenkins-2.479.3 core/src/main/java/jenkins/model/RunAction2.java (signatures only). */
public interface RunAction2 extends Action {
    void onAttached(Run<?, ?> r);

    void onLoad(Run<?, ?> r);
}
