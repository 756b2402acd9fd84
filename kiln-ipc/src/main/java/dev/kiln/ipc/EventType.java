package dev.kiln.ipc;

import java.util.Locale;

/** The window system events; such an event's channel is its {@link #wireName()}. */
public enum EventType {
    CLOSE, FOCUS, BLUR, RESIZE, MOVE;

    /** The lower-case name used as channel and as {@code type} in JavaScript: {@code "close"}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The event type whose channel is the given name, or {@code null}. */
    public static EventType fromWireName(String channel) {
        for (EventType t : values()) {
            if (t.wireName().equals(channel)) {
                return t;
            }
        }
        return null;
    }
}
