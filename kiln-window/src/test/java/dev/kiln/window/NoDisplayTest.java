package dev.kiln.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Without a display, window tests and apps fail at once with a message that says what to do. */
class NoDisplayTest {

    @Test
    void withoutDisplayTheExtensionAndDesktopFailFastWithAClearMessage() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), NoDisplayProbe.class.getName(), TestWeb.root().toString());
        pb.environment().remove("DISPLAY");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out).contains("extension: No display: run ./kiln test, which starts Xvfb");
        assertThat(out).contains("desktop: No display: DISPLAY is not set.");
        assertThat(p.exitValue()).isZero();
    }
}
