package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The bootstrap files share one function scope: a second top-level function of the same name would
 * silently replace the first (a const would fail at start), so two modules must not both declare one.
 */
class BootstrapPartsTest {
    private static final Pattern DECLARATION = Pattern.compile(
            "^(?:async\\s+)?(?:function\\*?|class|const|let|var)\\s+([A-Za-z_$][A-Za-z0-9_$]*)", Pattern.MULTILINE);

    @Test
    void topLevelNamesAreDeclaredOnce() {
        List<String> parts = ResourceFolder.names("bootstrap", ".js");
        assertThat(parts).contains("00-modules.js", "08-globals.js", "10-fs.js", "99-seal.js");
        Map<String, String> declaredIn = new HashMap<>();
        for (String part : parts) {
            Matcher m = DECLARATION.matcher(ResourceFolder.read("bootstrap", part));
            while (m.find()) {
                String previous = declaredIn.put(m.group(1), part);
                assertThat(previous).as("'" + m.group(1) + "' is declared in " + previous + " and in " + part).isNull();
            }
        }
    }
}
