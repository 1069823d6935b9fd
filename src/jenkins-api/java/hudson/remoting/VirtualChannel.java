package hudson.remoting;

/** Stand-in of remoting 3261 hudson.remoting.VirtualChannel (the type only). */
public interface VirtualChannel {
}
