package dev.kiln.window;

import dev.kiln.ipc.EventStream;
import dev.kiln.ipc.Subscription;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A native window with a WebView renderer, addressed by its id in runtime:ipc.
 *
 * <p>Threading: every method may be called from any thread and returns without blocking. Setters
 * and actions take effect on the FX thread in call order; the future they return completes (on the
 * FX thread) once the change has been handed to the window system. Getters return the latest known
 * state, including the effect of setters called before them on any thread. Once the window has
 * closed, getters keep returning its last state and setters do nothing (their futures complete).
 */
public interface AppWindow {
    /** The id this window has in runtime:ipc, such as {@code "main-window"}. */
    String id();

    /**
     * Closes the window, as if the user had; a {@code close} event is emitted. Idempotent.
     *
     * @return a future of {@code true} if this call closed the window, {@code false} if it was closed already
     */
    CompletableFuture<Boolean> close();

    boolean isClosed();

    CompletableFuture<Void> setTitle(String title);

    String getTitle();

    /** Sets the outer size in pixels; both must be positive ({@link IllegalArgumentException}). */
    CompletableFuture<Void> setSize(int width, int height);

    Size getSize();

    CompletableFuture<Void> setPosition(int x, int y);

    Position getPosition();

    /** Moves the window to the centre of the screen it is on (the work area, without panels). */
    CompletableFuture<Void> center();

    /** The smallest size the user may give the window; both must be positive. */
    CompletableFuture<Void> setMinSize(int width, int height);

    /** The largest size the user may give the window; both must be positive. */
    CompletableFuture<Void> setMaxSize(int width, int height);

    /** Brings the window to the front and gives it keyboard focus. */
    CompletableFuture<Void> focus();

    CompletableFuture<Void> show();

    CompletableFuture<Void> hide();

    /** {@link #show()} or {@link #hide()}. */
    CompletableFuture<Void> setVisible(boolean visible);

    boolean isVisible();

    boolean isFocused();

    /** Minimizes (iconifies) the window; a {@code minimize} event is emitted once the window system has. */
    CompletableFuture<Void> minimize();

    /** Maximizes the window; a {@code maximize} event is emitted. */
    CompletableFuture<Void> maximize();

    /** Leaves the maximized state; a {@code restore} event is emitted if it was maximized. */
    CompletableFuture<Void> unmaximize();

    /** Leaves the minimized state (and shows the window); a {@code restore} event is emitted if it was minimized. */
    CompletableFuture<Void> restore();

    boolean isMinimized();

    boolean isMaximized();

    /** Enters or leaves full-screen mode (no exit hint is drawn; Escape leaves it). */
    CompletableFuture<Void> setFullscreen(boolean fullscreen);

    boolean isFullscreen();

    CompletableFuture<Void> setResizable(boolean resizable);

    boolean isResizable();

    /**
     * Shows or removes the title bar and border. JavaFX fixes a window's style when it is first
     * shown, so this moves the page into a new native window of the other style (the page keeps
     * running; the X window id changes). A transparent window cannot have decorations: the future
     * fails with a {@link dev.kiln.ipc.KilnException} 7000.
     */
    CompletableFuture<Void> setDecorations(boolean decorations);

    boolean hasDecorations();

    CompletableFuture<Void> setAlwaysOnTop(boolean alwaysOnTop);

    boolean isAlwaysOnTop();

    /** Whether the window was created transparent (fixed at creation). */
    boolean isTransparent();

    /**
     * Runs a script in the window's page as global code (once the page has loaded), like the
     * browser console.
     *
     * @return a future of the script's value as JSON text ({@code "null"} for undefined or a value
     *         JSON cannot represent); it fails with a {@link dev.kiln.ipc.KilnException} 7009 carrying
     *         the page's error if the script throws, 7002 if the window is closed
     */
    CompletableFuture<String> evalJs(String script);

    /** Adds a style sheet to the current page (once loaded); a page loaded later does not get it. */
    CompletableFuture<Void> injectCss(String css);

    /** Calls back when the window gains keyboard focus; on the engine's callback executor. */
    Subscription onFocus(Runnable callback);

    /** Calls back when the window loses keyboard focus. */
    Subscription onBlur(Runnable callback);

    /** Calls back with the new size after each resize. */
    Subscription onResize(Consumer<Size> callback);

    /** Calls back with the new position after each move. */
    Subscription onMove(Consumer<Position> callback);

    /** Calls back once the window closes. */
    Subscription onClose(Runnable callback);

    /** This window's events (messages and system events); the stream ends when the window closes. */
    EventStream events();
}
