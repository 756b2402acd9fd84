package dev.kiln.examples.hello;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.window.RealWindowExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the example as its own process and closes its window the way a user does: through the
 * window manager (openbox; Alt+F4 sends WM_DELETE_WINDOW). The process must then exit with 0.
 *
 * <p>Needs {@code openbox} and {@code xdotool} (CI and {@code ./kiln test} install them); without
 * them the test fails with a message naming them, rather than passing by skipping. A window manager
 * already running on the display is used as it is; one this test starts is stopped afterwards.
 */
@ExtendWith(RealWindowExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HelloAppProcessTest {

    @Test
    void closingTheWindowThroughTheWindowManagerExitsTheProcessWithZero() throws Exception {
        // CI installs them (./kiln test does too when it runs as root): a missing tool is a broken setup, not a skip.
        assertThat(onPath("openbox") && onPath("xdotool"))
                .as("openbox and xdotool are needed to close a window like a user: apt-get install openbox xdotool")
                .isTrue();
        Process wm = new ProcessBuilder("openbox").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Process app = null;
        try {
            Path log = Files.createTempFile("java-hello", ".log");
            app = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), HelloApp.class.getName(), "web")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            String windowId = awaitWindow("My App", 30);
            assertThat(windowId).as("the app's window appeared").isNotNull();
            // The window manager may not manage the new window yet when the first key arrives:
            // press again until the app is gone (a second Alt+F4 after the first worked finds nothing).
            boolean exited = false;
            for (int attempt = 0; attempt < 10 && !exited; attempt++) {
                run("xdotool", "windowactivate", "--sync", windowId);
                run("xdotool", "key", "--clearmodifiers", "alt+F4");
                exited = app.waitFor(2, TimeUnit.SECONDS);
            }

            assertThat(exited).as("the app exited after its window closed").isTrue();
            assertThat(app.exitValue()).isZero();
            assertThat(Files.readString(log)).contains("Window main-window requested close");
        } finally {
            if (app != null && app.isAlive()) {
                app.destroyForcibly();
            }
            wm.destroy(); // only the openbox this test started (it exits at once if another WM runs)
            wm.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static String awaitWindow(String title, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            Process p = new ProcessBuilder("xdotool", "search", "--name", "^" + title + "$").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() == 0 && !out.isEmpty()) {
                return out.lines().reduce((a, b) -> b).orElseThrow();
            }
            Thread.sleep(200);
        }
        return null;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor(10, TimeUnit.SECONDS);
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
