package hudson.model;

import hudson.security.AccessControlled;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/model/Item.java (signatures only). */
public interface Item extends AccessControlled {
    hudson.security.Permission CONFIGURE = null;
    hudson.security.Permission EXTENDED_READ = null;

    String getFullName();
}
