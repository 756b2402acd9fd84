package dev.kiln.ipc;

import java.util.Locale;

/** The window system events; such an event's channel is its {@link #wireName()}. */
public enum EventType {
    CLOSE, FOCUS, BLUR, RESIZE, MOVE,
    /** The page tried to leave the app or open a popup: {@code {action, url, windowId?}} (kiln-window's NavigationEvent). */
    NAVIGATION,
    /** The window was minimized (iconified); no payload. */
    MINIMIZE,
    /** The window was maximized; no payload. */
    MAXIMIZE,
    /** The window left the minimized or maximized state; no payload. */
    RESTORE;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** The lower-case name used as channel and as {@code type} in JavaScript: {@code "close"}. */
    public String wireName() {
        return wireName;
    }

    /** The event type whose channel is the given name, or {@code null}. */
    public static EventType fromWireName(String channel) {
        // Called for every inbound message: a switch allocates nothing.
        switch (channel) {
            case "close": return CLOSE;
            case "focus": return FOCUS;
            case "blur": return BLUR;
            case "resize": return RESIZE;
            case "move": return MOVE;
            case "navigation": return NAVIGATION;
            case "minimize": return MINIMIZE;
            case "maximize": return MAXIMIZE;
            case "restore": return RESTORE;
            default: return null;
        }
    }
}
