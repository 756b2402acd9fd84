package dev.kiln.script;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one-line report of an uncaught exception, followed by its (already source-mapped) stack:
 * {@code src/main.ts:5:9: Uncaught Error: boom}. Pure and stateless.
 */
final class UncaughtReport {
    private static final Pattern FRAME_LOCATION = Pattern.compile("\\(?([^\\s()]+:\\d+:\\d+)\\)?$");

    private UncaughtReport() {
    }

    /**
     * @param description what the bootstrap's describe() gave: the error's mapped stack, or
     *                    "Uncaught &lt;value&gt;" for a thrown non-Error
     * @param inPromise   whether it was an unhandled rejection
     */
    static String format(String description, boolean inPromise) {
        String[] lines = description.split("\n", 2);
        String header = lines[0];
        String rest = lines.length > 1 ? lines[1] : "";
        String where = "";
        for (String frame : rest.split("\n")) {
            String f = frame.trim();
            Matcher m = FRAME_LOCATION.matcher(f);
            if (f.startsWith("at ") && m.find()) {
                where = m.group(1) + ": ";
                break;
            }
        }
        if (header.startsWith("Uncaught ")) {
            header = header.substring("Uncaught ".length());
        }
        return where + "Uncaught " + (inPromise ? "(in promise) " : "") + header + (rest.isEmpty() ? "" : "\n" + rest);
    }
}
