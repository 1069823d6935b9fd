package hudson;

import hudson.remoting.VirtualChannel;
import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import org.jenkinsci.remoting.RoleSensitive;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/FilePath.java (signatures only). */
public final class FilePath implements Serializable {
    public FilePath(VirtualChannel channel, String remote) { throw new UnsupportedOperationException(); }

    public FilePath(File localPath) { throw new UnsupportedOperationException(); }

    public FilePath(FilePath base, String rel) { throw new UnsupportedOperationException(); }

    public String getRemote() { throw new UnsupportedOperationException(); }

    public <T> T act(FileCallable<T> callable) throws IOException, InterruptedException { throw new UnsupportedOperationException(); }

    public void mkdirs() throws IOException, InterruptedException { throw new UnsupportedOperationException(); }

    public void deleteRecursive() throws IOException, InterruptedException { throw new UnsupportedOperationException(); }

    public String getName() { throw new UnsupportedOperationException(); }

    public FilePath child(String relOrAbsolute) { throw new UnsupportedOperationException(); }

    public FilePath sibling(String rel) { throw new UnsupportedOperationException(); }

    public FilePath getParent() { throw new UnsupportedOperationException(); }

    public VirtualChannel getChannel() { throw new UnsupportedOperationException(); }

    public FilePath createTempDir(String prefix, String suffix) throws IOException, InterruptedException { throw new UnsupportedOperationException(); }

    public boolean delete() throws IOException, InterruptedException { throw new UnsupportedOperationException(); }

    public boolean exists() throws IOException, InterruptedException { throw new UnsupportedOperationException(); }

    public void chmod(int mask) throws IOException, InterruptedException { throw new UnsupportedOperationException(); }

    public String readToString() throws IOException, InterruptedException { throw new UnsupportedOperationException(); }

    public void write(String content, String encoding) throws IOException, InterruptedException { throw new UnsupportedOperationException(); }

    public boolean isRemote() { throw new UnsupportedOperationException(); }

    /** Stand-in of FilePath.FileCallable. */
    public interface FileCallable<T> extends Serializable, RoleSensitive {
        T invoke(File f, VirtualChannel channel) throws IOException, InterruptedException;
    }
}
