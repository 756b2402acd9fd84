package dev.kiln.window;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The test app's web folder (src/test/resources/dev/kiln/window/web, namespaced: the test-jar is on other modules' classpaths). */
final class TestWeb {
    private TestWeb() {
    }

    static Path root() {
        try {
            return Path.of(TestWeb.class.getResource("/dev/kiln/window/web/index.html").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
