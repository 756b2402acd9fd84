package dev.kiln.script;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The JavaScript half of the script host: the files under {@code bootstrap/} joined into one function of
 * {@code ops} (the Java operations) that installs the globals and returns the functions Java calls back.
 *
 * <p>The files are split by concern (errors and stack mapping, console, timers, text coding, promises
 * settled by Java, runtime:ipc, runtime:window, globals) but share one scope. Stateless.
 */
final class Bootstrap {
    /** The resource name V8 sees for it; its frames are left out of user stack traces. */
    static final String RESOURCE_NAME = "kiln:bootstrap";

    private static final List<String> PARTS = List.of("01-errors.js", "02-console.js", "03-timers.js",
            "04-text.js", "05-promises.js", "06-ipc.js", "07-window.js", "08-globals.js");

    /** The functions the source returns, which Java keeps to call back into V8. */
    static final List<String> CALLBACKS = List.of("settle", "settleSends", "fire", "events", "describe");

    private Bootstrap() {
    }

    /** The source of the function {@code (ops) => ({settle, settleSends, fire, events, describe})}. */
    static String source() {
        StringBuilder sb = new StringBuilder("(function (ops) {\n\"use strict\";\n");
        for (String part : PARTS) {
            try (InputStream in = Bootstrap.class.getResourceAsStream("bootstrap/" + part)) {
                if (in == null) {
                    throw new IllegalStateException("bootstrap/" + part + " missing from the kiln-script jar");
                }
                sb.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
            } catch (IOException e) {
                throw new IllegalStateException("Cannot read bootstrap/" + part, e);
            }
        }
        return sb.append("return { ").append(String.join(", ", CALLBACKS)).append(" };\n})").toString();
    }
}
