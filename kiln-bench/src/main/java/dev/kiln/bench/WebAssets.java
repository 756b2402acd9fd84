package dev.kiln.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** Copies the bench page out of the classpath into a folder a WebView can load from. */
final class WebAssets {
    static final List<String> FILES = List.of("bench.html", "bench.js", "baseline.html", "baseline-bridge.js");

    private WebAssets() {
    }

    /** A fresh temporary folder holding the bench's web files, deleted when the JVM exits. */
    static Path extract() throws IOException {
        Path dir = Files.createTempDirectory("kiln-bench-web");
        copyTo(dir);
        dir.toFile().deleteOnExit();
        for (String f : FILES) {
            dir.resolve(f).toFile().deleteOnExit();
        }
        return dir;
    }

    static void copyTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String f : FILES) {
            try (InputStream in = WebAssets.class.getResourceAsStream("web/" + f)) {
                if (in == null) {
                    throw new IOException("Missing bench resource dev/kiln/bench/web/" + f);
                }
                Files.copy(in, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
