package io.jenkins.plugins.mesosagents.steps;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

class MaskingOutputStreamTest {
    private static String through(List<String> secrets, String... writes) throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (MaskingOutputStream out = new MaskingOutputStream(sink, secrets)) {
            for (String w : writes) {
                byte[] bytes = w.getBytes(StandardCharsets.UTF_8);
                if (w.length() == 1) {
                    out.write(bytes[0]);
                } else {
                    out.write(bytes, 0, bytes.length);
                }
            }
        }
        return sink.toString(StandardCharsets.UTF_8);
    }

    @Test
    void masksSecretsEvenWhenWrittenInPiecesAcrossCalls() throws Exception {
        assertThat(through(List.of("s3cret-pw"), "login with s3c", "ret-pw ok\nnext line\n"))
                .isEqualTo("login with **** ok\nnext line\n");
        assertThat(through(List.of("pw"), "p", "w", "\n")).isEqualTo("****\n");
    }

    @Test
    void masksTheLongerSecretWholeAndFlushesAnUnterminatedLastLine() throws Exception {
        assertThat(through(List.of("abc", "abcdef", ""), "x abcdef y abc"))
                .isEqualTo("x **** y ****");
    }

    @Test
    void leavesOtherTextAlone() throws Exception {
        assertThat(through(List.of("secret"), "nothing to hide\r\n", "ünïcödé\n"))
                .isEqualTo("nothing to hide\r\nünïcödé\n");
    }
}
