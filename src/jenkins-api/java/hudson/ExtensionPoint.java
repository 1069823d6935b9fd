package hudson;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/ExtensionPoint.java (signatures only). */
public interface ExtensionPoint {
}
