package hudson.model;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/model/Job.java (signatures only; AbstractItem flattened). */
public abstract class Job<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> extends Actionable implements Item {
    // never constructed or subclassed by the plugin: no constructor to link against
    private Job() { throw new UnsupportedOperationException(); }
}
