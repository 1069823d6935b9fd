package hudson.model.listeners;

import hudson.ExtensionPoint;
import hudson.XmlFile;
import hudson.model.Saveable;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/model/listeners/SaveableListener.java (signatures only). */
public abstract class SaveableListener implements ExtensionPoint {
    public void onChange(Saveable o, XmlFile file) { throw new UnsupportedOperationException(); }
}
