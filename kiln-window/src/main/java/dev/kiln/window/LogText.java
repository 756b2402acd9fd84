package dev.kiln.window;

/**
 * The one rule for putting text a page controls into a log line: every character that could move
 * the terminal's cursor or reorder what it shows (C0 and C1 controls, DEL, line and paragraph
 * separators, bidirectional controls) becomes a visible escape, so a page cannot forge log lines.
 *
 * <p>Stateless; any thread.
 */
final class LogText {
    private LogText() {
    }

    /** Appends {@code text} up to {@code end}, escaped. */
    static void appendEscaped(StringBuilder b, String text, int end) {
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029
                            || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)
                            || c == 0x200e || c == 0x200f || c == 0x061c) {
                        b.append(String.format("\\u%04X", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
    }
}
