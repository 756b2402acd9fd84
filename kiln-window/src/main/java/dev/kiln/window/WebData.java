package dev.kiln.window;

import javafx.scene.web.WebEngine;

/**
 * One desktop's share of the app's web data: its {@link InstanceSlot}, which its windows' engines
 * use as their user-data folder ({@code localStorage} and other WebKit data), and the wait for
 * WebKit's last storage write at shutdown.
 *
 * <p>Why the wait: WebKit writes {@code localStorage} to disk on its own thread up to its sync
 * interval (1 s) after a change, so a process that exits right after a change loses it. If a
 * closing page holds any {@code localStorage}, {@link #awaitStorageWrites()} waits
 * {@link #STORAGE_SYNC_MILLIS}.
 *
 * <p>Threading: {@link #prepare} and {@link #pageClosing} on the FX thread; the rest on any thread.
 */
final class WebData implements AutoCloseable {
    /** WebKit's localStorage sync interval (1 s) and a margin for the write itself. */
    static final long STORAGE_SYNC_MILLIS = 1_300;

    private final InstanceSlot slot;
    private volatile boolean storageInUse;

    WebData(InstanceSlot slot) {
        this.slot = slot;
    }

    InstanceSlot slot() {
        return slot;
    }

    /** FX thread, before the engine's first load: the app's data folder, and the launch secret on its requests. */
    void prepare(WebEngine engine) {
        LaunchCookies.install();
        engine.setUserDataDirectory(slot.webViewFolder().toFile());
    }

    /** FX thread: a window's page is about to go; notes whether it holds localStorage. */
    void pageClosing(WebEngine engine) {
        try {
            Object n = engine.executeScript("(() => { try { return window.localStorage ? localStorage.length : 0; } catch (e) { return 0; } })()");
            if (n instanceof Number count && count.intValue() > 0) {
                storageInUse = true;
            }
        } catch (RuntimeException e) {
            storageInUse = true; // cannot tell: keep the data safe
        }
    }

    /** Off the FX thread, once the windows are closed: lets WebKit finish writing localStorage. */
    void awaitStorageWrites() {
        if (!storageInUse) {
            return;
        }
        try {
            Thread.sleep(STORAGE_SYNC_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Releases the instance slot. */
    @Override
    public void close() {
        slot.close();
    }
}
