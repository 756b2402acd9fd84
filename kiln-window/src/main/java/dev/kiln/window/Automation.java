package dev.kiln.window;

import dev.kiln.ipc.KilnException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import javafx.geometry.Point2D;
import javafx.scene.Scene;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.input.MouseButton;
import javafx.scene.robot.Robot;
import javax.imageio.ImageIO;
import netscape.javascript.JSException;

/**
 * Drives and inspects windows: for tests, the CLI's automation mode and the benchmarks.
 *
 * <p>Threading: every method may be called from any thread and returns at once; the work runs on
 * the FX thread (PNG encoding on a pool thread). Futures complete on the FX thread or that pool
 * thread: do not block in their dependent stages, use the {@code *Async} variants for long work.
 */
public final class Automation {
    private static final String ELEMENT_CENTRE = """
            (function (selector) {
              var el = document.querySelector(selector);
              if (!el) return null;
              el.scrollIntoView({ block: "center", inline: "center" });
              var r = el.getBoundingClientRect();
              return JSON.stringify([r.left + r.width / 2, r.top + r.height / 2, r.width, r.height]);
            })""";

    // FX thread only
    private static Robot robot;

    private Automation() {
    }

    /**
     * Runs a script in the window's page, as global code, like the browser console.
     *
     * @return a future of the script's value as JSON text ({@code "null"} for undefined or a value
     *         JSON cannot represent); it fails with the page's error if the script throws, and with
     *         a {@link KilnException} 7002 ({@code Window not found: <id> (it was closed)}) if the window
     *         is closed
     */
    public static CompletableFuture<String> evaluate(AppWindow window, String js) {
        WebViewWindow w = webView(window);
        String script = WebViewWindow.asJsonValue(js);
        return Fx.call(() -> {
            requireOpen(w);
            FxWatchdog.entered(w.id(), FxActivity.Kind.HOST_CALL);
            try {
                String result = (String) w.engine().executeScript(script);
                w.page().flushPage();
                return result;
            } catch (JSException e) {
                throw new IllegalStateException("Script failed in window " + w.id() + ": " + e.getMessage(), e);
            }
        });
    }

    /**
     * Clicks the centre of the first element matching the CSS selector with the real mouse (the
     * JavaFX Robot moves the pointer and presses the primary button), after scrolling it into view and
     * raising the window.
     *
     * @return a future that completes once the click was sent to the display; it fails if no element
     *         matches, or the window is closed or hidden
     */
    public static CompletableFuture<Void> click(AppWindow window, String cssSelector) {
        WebViewWindow w = webView(window);
        return Fx.call(() -> {
            requireOpen(w);
            if (!w.stage().isShowing()) {
                throw new IllegalStateException("Window " + w.id() + " is hidden: cannot click in it");
            }
            Object found;
            FxWatchdog.entered(w.id(), FxActivity.Kind.HOST_CALL);
            try {
                found = w.engine().executeScript(ELEMENT_CENTRE + "(" + BridgeProtocol.quote(cssSelector) + ")");
            } catch (JSException e) {
                throw new IllegalArgumentException("Bad selector '" + cssSelector + "': " + e.getMessage(), e);
            }
            if (!(found instanceof String json)) {
                throw new IllegalArgumentException("No element matches '" + cssSelector + "' in window " + w.id());
            }
            String[] parts = json.substring(1, json.length() - 1).split(",");
            double cx = Double.parseDouble(parts[0]);
            double cy = Double.parseDouble(parts[1]);
            w.stage().toFront();
            Point2D onScreen = w.view().localToScreen(cx, cy);
            if (onScreen == null) {
                throw new IllegalStateException("Window " + w.id() + " is not on screen");
            }
            Robot r = robot();
            r.mouseMove(onScreen.getX(), onScreen.getY());
            r.mouseClick(MouseButton.PRIMARY);
            return null;
        });
    }

    /**
     * Saves a PNG of the window's content (its scene, as rendered a few pulses from now, so that
     * recent page changes are painted).
     *
     * @return a future of the file; it fails if the window is closed or the file cannot be written
     */
    public static CompletableFuture<Path> screenshot(AppWindow window, Path png) {
        WebViewWindow w = webView(window);
        return Fx.afterPulses(3, () -> {
            requireOpen(w);
            return pixels(w.stage().getScene());
        }).thenApplyAsync(image -> writePng(image, png), ForkJoinPool.commonPool());
    }

    /**
     * Completes when the window's current page has its bridge ready (its scripts ran and registered
     * their listeners); after a reload or navigation, when the new page is. Fails if the window closes.
     */
    public static CompletableFuture<Void> whenPageReady(AppWindow window) {
        return webView(window).page().whenPageReady();
    }

    /** The scene as rendered, as pixels. FX thread. */
    static Image pixels(Scene scene) {
        WritableImage snap = scene.snapshot(null);
        int width = (int) snap.getWidth();
        int height = (int) snap.getHeight();
        int[] argb = new int[width * height];
        snap.getPixelReader().getPixels(0, 0, width, height, PixelFormat.getIntArgbInstance(), argb, 0, width);
        return new Image(width, height, argb);
    }

    /** Pixels copied off a snapshot, so that PNG encoding can happen off the FX thread. */
    record Image(int width, int height, int[] argb) {
    }

    static Path writePng(Image image, Path png) {
        BufferedImage out = new BufferedImage(Math.max(1, image.width()), Math.max(1, image.height()),
                BufferedImage.TYPE_INT_ARGB);
        if (image.width() > 0 && image.height() > 0) {
            out.setRGB(0, 0, image.width(), image.height(), image.argb(), 0, image.width());
        }
        try {
            Path parent = png.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (!ImageIO.write(out, "png", png.toFile())) {
                throw new IOException("No PNG writer available");
            }
            return png;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + png, e);
        }
    }

    private static Robot robot() {
        if (robot == null) {
            robot = new Robot();
        }
        return robot;
    }

    private static WebViewWindow webView(AppWindow window) {
        if (window instanceof WebViewWindow w) {
            return w;
        }
        throw new IllegalArgumentException("Not a Kiln window: " + window);
    }

    private static void requireOpen(WebViewWindow w) {
        if (w.isClosed()) {
            throw KilnException.windowNotFound(w.id(), "it was closed");
        }
    }
}
