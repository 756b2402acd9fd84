package dev.kiln.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a Node.js tool (npm, node) for the tests that need one, its output to a log file. */
final class NodeTool {
    private NodeTool() {
    }

    /** Runs {@code command} in {@code dir}, both output streams to {@code log}; its exit code, or fails after {@code timeout}. */
    static int run(Path dir, Path log, Duration timeout, String... command) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new AssertionError("this test needs Node.js and npm (apt-get install nodejs npm): " + e.getMessage(), e);
        }
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in " + timeout);
        }
        return p.exitValue();
    }
}
