package dev.kiln.window;

import java.util.Locale;
import java.util.Objects;

/**
 * What a window's page tried, and what Kiln did about it: a top-level navigation away from the app
 * (refused, or allowed to an allow-listed origin) or a popup ({@code window.open}, links with a
 * target), as {@link Desktop#onNavigation} and the window's {@code navigation} system event report it.
 *
 * @param windowId       the window whose page tried it
 * @param url            the URL it asked for, with control characters escaped; empty when WebKit does not
 *                       pass it on (such as an {@code app://} URL written in a page: use a relative URL)
 * @param action         what Kiln did
 * @param openedWindowId the id of the window opened for the popup, for {@link Action#POPUP_OPENED}; otherwise null
 */
public record NavigationEvent(String windowId, String url, Action action, String openedWindowId) {

    /** What Kiln did with a navigation or popup. */
    public enum Action {
        /** The top document was kept: the URL is neither the app's nor of an allowed origin. */
        REFUSED,
        /** The top document went to an allowed origin: that document has no {@code window.runtime}. */
        ALLOWED,
        /** {@code window.open} of a URL outside the app: nothing was opened. */
        POPUP_REFUSED,
        /** {@code window.open} of an app URL: a new Kiln window with its own id and bridge. */
        POPUP_OPENED;

        private final String wireName = name().toLowerCase(Locale.ROOT).replace('_', '-');

        /** The name in the system event's payload: {@code "popup-opened"}. */
        public String wireName() {
            return wireName;
        }
    }

    public NavigationEvent {
        Objects.requireNonNull(windowId, "windowId");
        Objects.requireNonNull(action, "action");
        url = url == null ? "" : url;
    }
}
