package hudson.model;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/model/Actionable.java (hierarchy only). */
public abstract class Actionable extends AbstractModelObject {
}
