package hudson.model;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/model/AbstractModelObject.java (hierarchy only). */
public abstract class AbstractModelObject {
}
