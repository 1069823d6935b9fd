package io.jenkins.plugins.mesosagents.steps;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;

/**
 * Replaces secrets with {@code ****} in text written line by line (a build log), so that a registry
 * password a script echoes, or a tool prints, never reaches the log. Longer secrets are masked
 * first so that one secret that contains another is masked whole. Bytes are buffered only up to the
 * end of a line.
 */
final class MaskingOutputStream extends OutputStream {
    static final String MASK = "****";

    private final OutputStream out;
    private final List<String> secrets;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    MaskingOutputStream(OutputStream out, List<String> secrets) {
        this.out = out;
        this.secrets =
                secrets.stream()
                        .filter(s -> s != null && !s.isEmpty())
                        .sorted(Comparator.comparingInt(String::length).reversed())
                        .toList();
    }

    @Override
    public void write(int b) throws IOException {
        line.write(b);
        if (b == '\n') {
            flushLine();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int start = off;
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                line.write(b, start, i + 1 - start);
                flushLine();
                start = i + 1;
            }
        }
        line.write(b, start, off + len - start);
    }

    private void flushLine() throws IOException {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        for (String secret : secrets) {
            text = text.replace(secret, MASK);
        }
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (line.size() > 0) {
            flushLine();
        }
        out.close();
    }
}
