package dev.kiln.script;

import java.net.IDN;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One {@code [permissions.net]} entry: a host pattern with an optional port, such as
 * {@code api.example.com}, {@code *.example.com}, {@code localhost:8080}, {@code 192.168.1.*} or
 * {@code [::1]:3000}. {@code *} stands for any run of characters (dots included); hosts compare
 * without regard to case, as DNS does; no port means any port.
 *
 * <p>Immutable; any thread.
 */
record HostPattern(String text, Pattern host, int port) {
    static final int ANY_PORT = -1;

    /**
     * Parses an entry of {@code allow} or {@code deny}.
     *
     * @throws AppError with {@link AppError#CONFIG} naming {@code where} if it is not a host pattern
     */
    static HostPattern parse(String text, String where) {
        String t = text.trim();
        String hostPart = t;
        int port = ANY_PORT;
        if (t.startsWith("[")) { // [IPv6] or [IPv6]:port
            int close = t.indexOf(']');
            if (close < 0) {
                throw AppManifest.bad(where + ": '" + text + "' has a '[' with no ']'");
            }
            hostPart = t.substring(1, close);
            String rest = t.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw AppManifest.bad(where + ": '" + text + "' is not a host pattern such as \"[::1]:8080\"");
                }
                port = port(rest.substring(1), text, where);
            }
        } else {
            int colon = t.lastIndexOf(':');
            if (colon >= 0 && t.indexOf(':') == colon) {
                hostPart = t.substring(0, colon);
                port = port(t.substring(colon + 1), text, where);
            }
        }
        if (hostPart.isEmpty() || hostPart.contains("/") || hostPart.chars().anyMatch(Character::isWhitespace)) {
            throw AppManifest.bad(where + ": '" + text + "' is not a host pattern such as \"api.example.com\", \"*.example.com\" or \"localhost:8080\"");
        }
        StringBuilder regex = new StringBuilder();
        for (String piece : normalizeHost(hostPart).split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(piece));
        }
        if (regex.isEmpty()) {
            regex.append(".*");
        }
        return new HostPattern(text, Pattern.compile(regex.toString()), port);
    }

    /**
     * The host (and port) of one of Forge's {@code fetch} URL patterns, such as
     * {@code https://api.example.com/*}: Kiln checks hosts and ports, not paths.
     */
    static String fromUrlPattern(String url, String where) {
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            throw AppManifest.bad(where + ": '" + url + "' is not a URL pattern such as \"https://api.example.com/*\"");
        }
        String rest = url.substring(scheme + 3);
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        int at = authority.lastIndexOf('@');
        authority = authority.substring(at + 1);
        if (authority.endsWith(":*")) {
            authority = authority.substring(0, authority.length() - 2);
        }
        parse(authority, where); // fails now, naming fetch, rather than later
        return authority;
    }

    boolean matches(String normalizedHost, int port) {
        return (this.port == ANY_PORT || this.port == port) && host.matcher(normalizedHost).matches();
    }

    /** Lower case, no trailing dot, no IPv6 brackets, internationalized names in their ASCII form. */
    static String normalizeHost(String host) {
        String h = host.trim();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        while (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (!h.contains(":") && !h.contains("*")) {
            try {
                h = IDN.toASCII(h, IDN.ALLOW_UNASSIGNED);
            } catch (IllegalArgumentException e) {
                // not a valid name: compared as it is, and matches only a pattern naming it exactly
            }
        }
        return h.toLowerCase(Locale.ROOT);
    }

    private static int port(String p, String text, String where) {
        if (p.equals("*")) {
            return ANY_PORT;
        }
        try {
            int port = Integer.parseInt(p);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw AppManifest.bad(where + ": '" + text + "' has a port that is not a number from 1 to 65535 or *");
    }
}
