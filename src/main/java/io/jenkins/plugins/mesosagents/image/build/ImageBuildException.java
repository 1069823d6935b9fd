package io.jenkins.plugins.mesosagents.image.build;

import java.io.IOException;
import java.util.List;

/** A build or push command that failed; the message quotes the command's last output lines. */
public final class ImageBuildException extends IOException {
    public ImageBuildException(String message) {
        super(message);
    }

    static ImageBuildException failed(String what, ProcessRunner.Result result) {
        List<String> tail = result.tail();
        return new ImageBuildException(
                what
                        + " failed with exit code "
                        + result.exitCode()
                        + (tail.isEmpty() ? "" : ". Last output:\n  " + String.join("\n  ", tail)));
    }
}
