package dev.kiln.window;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.javafx.webkit.Accessor;
import com.sun.webkit.PolicyClient;
import com.sun.webkit.WebPage;
import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.EventType;
import dev.kiln.ipc.RendererLink;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.List;
import java.util.Locale;
import javafx.scene.web.PopupFeatures;
import javafx.scene.web.WebEngine;

/**
 * Keeps one window's top document under the app's control: a navigation of the top document is
 * let through only to the app's own documents or to an allowed origin ({@link DesktopConfig#allowedOrigins()});
 * {@code window.open} of an app URL opens a new Kiln window (through {@link Desktop#createWindow}, so
 * it has an id and its own bridge), and of anything else opens nothing. Each refusal and each popup
 * is logged and reported ({@link Desktop#onNavigation}, and the window's {@code navigation} system event).
 *
 * <p>The hook: WebKit asks its page's policy client before every navigation, form submission and
 * popup load, with the URL and the frame, before anything is unloaded. JavaFX leaves that client
 * unset (everything allowed) and has no public API for it; Kiln sets it on the engine's
 * {@code WebPage} (loaded from the class path, so the internal package is reachable). Watching
 * {@code WebEngine.locationProperty} instead comes too late: the location has changed and cancelling
 * the load leaves the engine reporting a location that is not the document's. Frames other than the
 * top one navigate freely (an app may embed other sites); a foreign frame's {@code top.location = ...}
 * is a navigation of the top frame and is refused like any other. Loads the host starts itself
 * ({@link #hostLoad}: the window's first page, {@code about:blank} at close) are let through.
 *
 * <p>Not covered: a redirect answered by an allowed origin is followed wherever it goes (that
 * document has no bridge); {@code window.open} with a URL WebKit cannot pass to Java ({@code app://}
 * written in a page) is refused with an empty URL.
 *
 * <p>Threading: FX thread only (WebKit calls the policy client there).
 */
final class NavigationPolicy {
    private static final System.Logger LOG = System.getLogger("dev.kiln.window");

    private final String windowId;
    private final Desktop desktop;
    private final RendererLink link;
    private final List<String> allowedOrigins;
    private boolean hostLoading;

    NavigationPolicy(String windowId, Desktop desktop, RendererLink link) {
        this.windowId = windowId;
        this.desktop = desktop;
        this.link = link;
        this.allowedOrigins = desktop.config().allowedOrigins();
    }

    /**
     * The origin as Kiln compares it: {@code scheme://host[:port]}, lower case, without the default port.
     *
     * @throws IllegalArgumentException if the text is not an http or https origin (a path, query or fragment included)
     */
    static String checkOrigin(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalArgumentException("Not an origin: '" + text + "' (expected such as https://example.com)");
        }
        String origin = originOf(uri);
        boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
                && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
        if (origin == null || !bare) {
            throw new IllegalArgumentException("Not an origin: '" + text
                    + "' (expected scheme://host[:port] with http or https, such as https://example.com)");
        }
        return origin;
    }

    /** Installs the policy on the window's engine, before its first load. FX thread. */
    void install(WebEngine engine) {
        if (setPolicyClient(engine, new TopFramePolicy(this, Accessor.getPageFor(engine)))) {
            engine.setCreatePopupHandler(this::popup);
        }
    }

    /** Runs a load the host starts itself (not the page), which the policy lets through. FX thread. */
    void hostLoad(Runnable load) {
        hostLoading = true;
        try {
            load.run();
        } finally {
            hostLoading = false;
        }
    }

    // ---- Decisions (FX thread, inside WebKit's policy check: nothing here may load or close) ----

    private boolean permitTop(URL url) {
        if (hostLoading) {
            return true;
        }
        String target = url == null ? null : url.toString();
        if (target != null && desktop.assets().isAppDocument(target)) {
            return true;
        }
        boolean allowed = target != null && isAllowed(target);
        report(target, allowed ? NavigationEvent.Action.ALLOWED : NavigationEvent.Action.REFUSED);
        return allowed;
    }

    private WebEngine popup(PopupFeatures features) {
        // The URL is not known yet: WebKit loads it into the engine returned here. This one is never
        // shown; its policy takes the first URL, decides, and lets nothing load.
        WebEngine probe = new WebEngine();
        setPolicyClient(probe, new PopupProbePolicy(this));
        return probe;
    }

    private void openPopup(String url) {
        if (url == null || !desktop.assets().isAppDocument(url)) {
            report(url, NavigationEvent.Action.POPUP_REFUSED);
            return;
        }
        String appUrl = desktop.assets().appForm(url);
        desktop.createWindow(WindowOptions.builder().url(desktop.assets().resolve(appUrl).equals(url) ? appUrl : url).build())
                .whenComplete((opened, error) -> Fx.later(() -> {
                    if (error != null) {
                        LOG.log(System.Logger.Level.WARNING, "Window " + windowId + ": could not open a window for "
                                + PageConsole.printable(appUrl, 2048) + ": " + error.getMessage());
                        report(url, NavigationEvent.Action.POPUP_REFUSED);
                    } else {
                        reportOpened(url, opened.id());
                    }
                }));
    }

    // ---- Reports ----

    private void report(String url, NavigationEvent.Action action) {
        String shown = url == null ? "" : PageConsole.printable(desktop.assets().appForm(url), 2048);
        String what = switch (action) {
            case REFUSED -> "[" + ErrorCode.PERMISSION_DENIED.code() + "] Refused to navigate window " + windowId
                    + " to " + (url == null ? "a URL WebKit did not pass on" : shown)
                    + ": not the app's own origin nor an allowed one; the app's page stays";
            case ALLOWED -> "Window " + windowId + " navigated to the allowed origin of " + shown
                    + ": that page has no window.runtime; messages for the window wait for the app's next page";
            case POPUP_REFUSED -> "[" + ErrorCode.PERMISSION_DENIED.code() + "] Refused window.open of "
                    + (url == null ? "a URL WebKit did not pass on (app:// in a page: use a relative URL)" : shown)
                    + " in window " + windowId + ": only the app's own pages open as windows";
            case POPUP_OPENED -> throw new IllegalArgumentException("use reportOpened");
        };
        LOG.log(action == NavigationEvent.Action.ALLOWED ? System.Logger.Level.INFO : System.Logger.Level.WARNING, what);
        emit(new NavigationEvent(windowId, shown, action, null));
    }

    private void reportOpened(String url, String openedId) {
        String shown = PageConsole.printable(desktop.assets().appForm(url), 2048);
        LOG.log(System.Logger.Level.INFO, "Window " + windowId + " opened " + shown + " as window " + openedId);
        emit(new NavigationEvent(windowId, shown, NavigationEvent.Action.POPUP_OPENED, openedId));
    }

    private void emit(NavigationEvent event) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode()
                .put("action", event.action().wireName()).put("url", event.url());
        if (event.openedWindowId() != null) {
            payload.put("windowId", event.openedWindowId());
        }
        link.systemEvent(EventType.NAVIGATION, payload);
        desktop.navigated(event);
    }

    // ---- Helpers ----

    private boolean isAllowed(String url) {
        try {
            String origin = originOf(new URI(url));
            return origin != null && allowedOrigins.contains(origin);
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String originOf(URI uri) {
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme) || uri.getHost() == null) {
            return null;
        }
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    /** Sets WebKit's policy client of an engine's page; false (and logged) where JavaFX does not allow it. */
    private boolean setPolicyClient(WebEngine engine, PolicyClient client) {
        try {
            Field f = WebPage.class.getDeclaredField("policyClient");
            f.setAccessible(true);
            f.set(Accessor.getPageFor(engine), client);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "Window " + windowId + ": cannot install the navigation policy"
                    + " (JavaFX on the module path? Kiln loads it from the class path): " + e
                    + "; this window's pages may navigate anywhere");
            return false;
        }
    }

    /*
     * The policy clients below hold their NavigationPolicy weakly: WebKit keeps its page (and so its
     * policy client) alive through a JNI global reference until the engine is collected, and the
     * policy reaches the engine (through the window's link and page connection), which would then
     * never be collected. The window holds its NavigationPolicy strongly while it is open.
     */

    /** The top frame's policy: navigations and form submissions of the top frame go through {@link #permitTop}. */
    private static final class TopFramePolicy implements PolicyClient {
        private final WeakReference<NavigationPolicy> owner;
        private final WebPage page;

        TopFramePolicy(NavigationPolicy owner, WebPage page) {
            this.owner = new WeakReference<>(owner);
            this.page = page;
        }

        /** Frames other than the top one are free; the top one asks the policy (none left: the window is gone). */
        private boolean permit(long frame, URL url) {
            if (frame != page.getMainFrame()) {
                return true;
            }
            NavigationPolicy policy = owner.get();
            return policy != null && policy.permitTop(url);
        }

        @Override
        public boolean permitNavigateAction(long frame, URL url) {
            return permit(frame, url);
        }

        @Override
        public boolean permitSubmitDataAction(long frame, URL url, String method) {
            return permit(frame, url);
        }

        @Override
        public boolean permitResubmitDataAction(long frame, URL url, String method) {
            return permit(frame, url);
        }

        @Override public boolean permitRedirectAction(long frame, URL url) { return true; }
        @Override public boolean permitAcceptResourceAction(long frame, URL url) { return true; }
        @Override public boolean permitEnableScriptsAction(long frame, URL url) { return true; }
        @Override public boolean permitNewPageAction(long frame, URL url) { return true; }
        @Override public boolean permitClosePageAction(long frame) { return true; }
    }

    /** A popup's probe engine: hands the first URL to the policy, once, and lets nothing load. */
    private static final class PopupProbePolicy implements PolicyClient {
        private final WeakReference<NavigationPolicy> owner;
        private boolean decided;

        PopupProbePolicy(NavigationPolicy owner) {
            this.owner = new WeakReference<>(owner);
        }

        @Override
        public boolean permitNavigateAction(long frame, URL url) {
            NavigationPolicy policy = owner.get();
            if (!decided && policy != null) {
                decided = true;
                String target = url == null ? null : url.toString();
                Fx.later(() -> policy.openPopup(target));
            }
            return false;
        }

        @Override public boolean permitRedirectAction(long frame, URL url) { return false; }
        @Override public boolean permitAcceptResourceAction(long frame, URL url) { return false; }
        @Override public boolean permitSubmitDataAction(long frame, URL url, String method) { return false; }
        @Override public boolean permitResubmitDataAction(long frame, URL url, String method) { return false; }
        @Override public boolean permitEnableScriptsAction(long frame, URL url) { return false; }
        @Override public boolean permitNewPageAction(long frame, URL url) { return false; }
        @Override public boolean permitClosePageAction(long frame) { return true; }
    }
}
