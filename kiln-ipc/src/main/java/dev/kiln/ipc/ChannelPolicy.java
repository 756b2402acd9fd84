package dev.kiln.ipc;

import java.util.List;

/**
 * Which channels may be used, as allow and deny lists of patterns.
 *
 * <p>A pattern is {@code *} (every channel), {@code prefix:*} (every channel starting with
 * {@code prefix:}) or an exact name. Deny wins over allow. The check is a pure function of the
 * policy, the window's own allow list and the channel, and is applied in both directions.
 *
 * @param allowed patterns of channels that may be used
 * @param denied  patterns of channels that may never be used, whatever {@code allowed} says
 */
public record ChannelPolicy(List<String> allowed, List<String> denied) {

    public ChannelPolicy {
        allowed = List.copyOf(allowed);
        denied = List.copyOf(denied);
        allowed.forEach(ChannelPolicy::checkPattern);
        denied.forEach(ChannelPolicy::checkPattern);
    }

    /** A policy that allows every channel. */
    public static ChannelPolicy allowAll() {
        return new ChannelPolicy(List.of("*"), List.of());
    }

    /**
     * Whether a channel may be used by a window.
     *
     * @param windowAllowed the window's own allow list, which replaces {@link #allowed()} for that
     *                      window; {@code null} when the window has none. {@link #denied()} still applies.
     */
    public boolean permits(String channel, List<String> windowAllowed) {
        if (matchesAny(denied, channel)) {
            return false;
        }
        return matchesAny(windowAllowed != null ? windowAllowed : allowed, channel);
    }

    /** Whether a channel may be used by a window with no allow list of its own. */
    public boolean permits(String channel) {
        return permits(channel, null);
    }

    static boolean matches(String pattern, String channel) {
        if (pattern.equals("*")) {
            return true;
        }
        if (pattern.endsWith(":*")) {
            // Checked on every send and every inbound message: compare in place, allocate nothing.
            int prefixLength = pattern.length() - 1;
            return channel.length() >= prefixLength && channel.regionMatches(0, pattern, 0, prefixLength);
        }
        return pattern.equals(channel);
    }

    private static boolean matchesAny(List<String> patterns, String channel) {
        for (String p : patterns) {
            if (matches(p, channel)) {
                return true;
            }
        }
        return false;
    }

    static void checkPattern(String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            throw new IllegalArgumentException("A channel pattern must not be empty");
        }
        int star = pattern.indexOf('*');
        boolean valid = star < 0 || pattern.equals("*") || (pattern.endsWith(":*") && star == pattern.length() - 1);
        if (!valid) {
            throw new IllegalArgumentException(
                    "Bad channel pattern '" + pattern + "': use '*', 'prefix:*' or an exact name");
        }
    }
}
