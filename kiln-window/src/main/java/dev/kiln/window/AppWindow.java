package dev.kiln.window;

import dev.kiln.ipc.EventStream;

/**
 * A native window with a WebView renderer, addressed by its id in runtime:ipc.
 *
 * <p>Threading: every method may be called from any thread and returns without blocking. Setters
 * take effect on the FX thread in call order; getters return the latest known state, including
 * the effect of setters called before them on any thread.
 */
public interface AppWindow {
    /** The id this window has in runtime:ipc, such as {@code "main-window"}. */
    String id();

    /** Closes the window, as if the user had; a {@code close} event is emitted. Idempotent. */
    void close();

    boolean isClosed();

    void setTitle(String title);

    String getTitle();

    void setSize(int width, int height);

    Size getSize();

    void setPosition(int x, int y);

    Position getPosition();

    /** Brings the window to the front and gives it keyboard focus. */
    void focus();

    void show();

    void hide();

    boolean isVisible();

    boolean isFocused();

    /** This window's events (messages and system events); the stream ends when the window closes. */
    EventStream events();
}
