package dev.kiln.window;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The test app's web folder (src/test/resources/web). */
final class TestWeb {
    private TestWeb() {
    }

    static Path root() {
        try {
            return Path.of(TestWeb.class.getResource("/web/index.html").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
