package dev.kiln.window;

import java.util.Locale;
import java.util.Objects;

/**
 * One line of a page's console: a {@code console.*} call, an uncaught exception or an unhandled
 * promise rejection of an app document, as {@link Desktop#onConsole} hands it to the app.
 *
 * <p>The text is safe to print on a terminal: control characters (including line breaks and
 * bidirectional overrides) are escaped as {@code \n}, {@code \\u001B} and so on, so a page cannot
 * start a line that looks like Kiln's own, and long texts are cut with a note.
 *
 * @param windowId the window whose page wrote it
 * @param level    the console level; uncaught exceptions and unhandled rejections are {@link Level#ERROR}
 * @param text     the message, escaped and truncated as described above
 * @param url      the script's URL, in its {@code app://} form for the app's own files; empty when unknown
 * @param line     the 1-based line in that script, or 0 when unknown
 * @param column   the 1-based column in that line, or 0 when unknown
 */
public record ConsoleMessage(String windowId, Level level, String text, String url, int line, int column) {

    /** The console levels of a page, as its {@code console} methods name them. */
    public enum Level {
        DEBUG, LOG, INFO, WARN, ERROR;

        private final String wireName = name().toLowerCase(Locale.ROOT);

        /** The name of the console method: {@code "warn"}. */
        public String wireName() {
            return wireName;
        }

        /** The level of that console method name, or {@code null}. */
        static Level fromWireName(String name) {
            for (Level l : values()) {
                if (l.wireName.equals(name)) {
                    return l;
                }
            }
            return null;
        }
    }

    public ConsoleMessage {
        Objects.requireNonNull(windowId, "windowId");
        Objects.requireNonNull(level, "level");
        text = text == null ? "" : text;
        url = url == null ? "" : url;
    }

    /** The message as one readable line: {@code [page main-window] warn: text (app://index.html:12:5)}. */
    public String format() {
        StringBuilder b = new StringBuilder(text.length() + url.length() + 40)
                .append("[page ").append(windowId).append("] ").append(level.wireName()).append(": ").append(text);
        if (!url.isEmpty()) {
            b.append(" (").append(url);
            if (line > 0) {
                b.append(':').append(line);
                if (column > 0) {
                    b.append(':').append(column);
                }
            }
            b.append(')');
        }
        return b.toString();
    }
}
