package hudson.model;

/**
 * Stand-in of jenkins-2.479.3 core/src/main/java/hudson/model/Action.java (signatures only;
 * ModelObject flattened).
 */
public interface Action {
    String getIconFileName();

    String getDisplayName();

    String getUrlName();
}
