package dev.kiln.window;

/**
 * The Java object one app document gets as its host: the page bridge's only way into Kiln.
 *
 * <p>Public only because WebKit's LiveConnect calls public methods of public classes; it is not
 * part of Kiln's API. Each new document gets a new instance, and the previous one is revoked, so
 * a stale reference cannot speak for a later page. Every call is checked again
 * ({@link BridgeGrant}): the grant must be the latest and the document shown must still be the
 * one it was granted to; anything else is refused and logged (rate-limited). Arguments are checked for their type, since a page can call these methods
 * with anything.
 *
 * <p>Threading: WebKit calls these methods on the FX thread; each returns at once (decoding happens
 * on the engine's dispatch thread).
 */
public final class PageBridge {
    private final PageConnection page;
    private final int document; // the grant's generation (BridgeGrant)

    PageBridge(PageConnection page, int document) {
        this.page = page;
        this.document = document;
    }

    /** A batch of messages from the page, as JSON text: {@code [{"c": channel, "p": payload}, ...]}. */
    public void post(Object batch) {
        page.pagePosted(document, batch);
    }

    /** The page's scripts have run and registered their listeners. */
    public void ready() {
        page.pageReady(document);
    }

    /** The document is being unloaded (pagehide): deliveries wait for the next document. */
    public void leaving() {
        page.pageLeaving(document);
    }

    /** The page dropped its oldest held messages (no listener for their channel, limits reached). */
    public void dropped(Object count, Object lastChannel) {
        page.pageDropped(document, count, lastChannel);
    }

    /**
     * The key the page's bridge sends with its one-time binary requests ({@link OneTimeBlobs}); asked
     * once, right after the grant, and kept in the bridge's closure.
     */
    public String blobKey() {
        return page.pageBlobKey(document);
    }

    /**
     * Makes the upload slots for a binary of {@code size} bytes the page is about to send, one per
     * piece of {@link OneTimeBlobs#UPLOAD_PIECE_BYTES}: their tokens, comma-separated, or
     * {@code "[code] why"} if refused (the bridge's send then throws that).
     */
    public String upload(Object size) {
        return page.pageUpload(document, size);
    }

    /** An error in the page's bridge, such as a listener that threw. */
    public void report(Object text) {
        page.pageReported(document, text);
    }

    /** A line of the page's console: level name, text, and where it was written ("url:line:col" or ""). */
    public void console(Object level, Object text, Object where) {
        page.pageConsole(document, level, text, where);
    }

    @Override
    public String toString() {
        return "[Kiln host]";
    }
}
