package jenkins;

/** Stand-in of jenkins-2.479.3 core/src/main/java/jenkins/YesNoMaybe.java. */
public enum YesNoMaybe {
    YES,
    NO,
    MAYBE;
}
