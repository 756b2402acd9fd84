package dev.kiln.window;

import javafx.scene.web.WebEngine;
import netscape.javascript.JSException;
import netscape.javascript.JSObject;

/**
 * Who holds a window's bridge: the rules that give one document its {@link PageBridge}, and that
 * check every call made through it.
 *
 * <p>The rules, as pure decisions ({@link #decide}, {@link #callAllowed}) over facts read from the
 * window's engine:
 * <ul>
 * <li>Only a top document at a location under the app's own origin gets a bridge
 *     ({@link AssetServer#isAppDocument}).
 * <li>Only the bridge script asks: the handshake must come while the top document's
 *     {@code document.currentScript} is the bridge script Kiln put in the page. A frame's
 *     handshake (srcdoc, about:blank, an app page in an iframe) or one replayed by another script
 *     is refused.
 * <li>Once per document: the granted document is remembered on the Java side, as WebKit's
 *     handle to its {@code document} (equal handles mean the same native document; holding it
 *     keeps that document's address from being reused). Nothing a page can write says which
 *     document holds the bridge, so a replayed handshake is refused and neither grants nor
 *     revokes anything.
 * <li>A call through a {@link PageBridge} counts only while its grant is the latest one and the
 *     document shown is still the granted one: a host object that leaked to another document,
 *     or outlived its own, is refused.
 * </ul>
 *
 * <p>Threading: FX thread only.
 */
final class BridgeGrant {
    /** What a handshake gets. */
    enum Verdict {
        GRANT("granted"),
        NOT_APP_ORIGIN("only the app's own pages get window.runtime"),
        REPLAY("the document holds its bridge already; a replayed handshake neither grants nor revokes"),
        NOT_BRIDGE_SCRIPT("only Kiln's bridge script in the top document may ask (not a frame, not another script)");

        private final String reason;

        Verdict(String reason) {
            this.reason = reason;
        }

        String reason() {
            return reason;
        }
    }

    private final BridgeProtocol protocol;
    private final AssetServer assets;
    private JSObject grantedDocument; // WebKit's handle to the granted document; null when none
    private int generation;

    BridgeGrant(BridgeProtocol protocol, AssetServer assets) {
        this.protocol = protocol;
        this.assets = assets;
    }

    /** The handshake rule. */
    static Verdict decide(boolean appOrigin, boolean fromBridgeScript, boolean documentHoldsBridge) {
        if (!appOrigin) {
            return Verdict.NOT_APP_ORIGIN;
        }
        if (documentHoldsBridge) {
            return Verdict.REPLAY;
        }
        if (!fromBridgeScript) {
            return Verdict.NOT_BRIDGE_SCRIPT;
        }
        return Verdict.GRANT;
    }

    /** The rule for every call through a bridge. */
    static boolean callAllowed(int callerGeneration, int latestGeneration, boolean shownDocumentIsGranted) {
        return callerGeneration == latestGeneration && latestGeneration > 0 && shownDocumentIsGranted;
    }

    /** The top document asked for the bridge ({@code alert(marker)}); grants it if the rules allow. */
    Verdict request(WebEngine engine) {
        Verdict v = decide(assets.isAppDocument(engine.getLocation()), currentScriptIsBridge(engine),
                holdsBridge(engine));
        if (v == Verdict.GRANT) {
            grantedDocument = document(engine);
            generation++;
        }
        return v;
    }

    /** The number of the latest grant (0 before the first). */
    int generation() {
        return generation;
    }

    /** Whether the document shown now is the one granted last (a same-document navigation keeps it). */
    boolean holdsBridge(WebEngine engine) {
        return grantedDocument != null && grantedDocument.equals(document(engine));
    }

    /** Whether a call made through the bridge of that grant counts. */
    boolean accepts(int callerGeneration, WebEngine engine) {
        return callAllowed(callerGeneration, generation, holdsBridge(engine));
    }

    /** Forgets the granted document (it went away); its bridge's calls are refused from now on. */
    void revoke() {
        grantedDocument = null;
    }

    private boolean currentScriptIsBridge(WebEngine engine) {
        try {
            Object script = engine.executeScript("document.currentScript");
            return script instanceof JSObject s && protocol.script().equals(s.getMember("text"));
        } catch (JSException e) {
            return false;
        }
    }

    private static JSObject document(WebEngine engine) {
        try {
            return engine.executeScript("document") instanceof JSObject d ? d : null;
        } catch (JSException e) {
            return null;
        }
    }
}
