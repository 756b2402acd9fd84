package dev.kiln.window;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension for tests that open real windows: fails fast without a display, and saves
 * screenshots when a test fails.
 *
 * <p>Use {@code @ExtendWith(RealWindowExtension.class)}. On a failure it writes, under
 * {@code target/screenshots/}, a PNG of every open JavaFX window's scene
 * ({@code <Class>.<method>-<n>.png}) and, if ImageMagick's {@code import} is installed, of the whole
 * X screen ({@code <Class>.<method>-screen.png}). Published in kiln-window's test-jar for the other
 * modules' window tests.
 *
 * <p>Threading: JUnit calls it on the test thread; it waits (bounded) for the FX thread.
 */
public final class RealWindowExtension implements BeforeAllCallback, AfterTestExecutionCallback {
    /** Where failure screenshots go, relative to the module being tested. */
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @Override
    public void beforeAll(ExtensionContext context) {
        String display = System.getenv("DISPLAY");
        if (display == null || display.isBlank()) {
            throw new IllegalStateException("No display: run ./kiln test, which starts Xvfb"
                    + " (or export DISPLAY=:NN with an Xvfb running on it)");
        }
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isEmpty()) {
            return;
        }
        String name = context.getRequiredTestClass().getSimpleName() + "."
                + context.getTestMethod().map(m -> m.getName()).orElse("test");
        List<Path> saved = saveScreenshots(name);
        System.err.println("Screenshots of the failed test " + name + ": " + saved);
    }

    /** Saves a PNG of each open window and of the X screen; returns the files written. */
    public static List<Path> saveScreenshots(String name) {
        List<Path> saved = new ArrayList<>();
        try {
            Files.createDirectories(SCREENSHOTS);
            saved.addAll(windowShots(name));
            Path screen = SCREENSHOTS.resolve(name + "-screen.png");
            if (screenShot(screen)) {
                saved.add(screen);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("Could not save screenshots for " + name + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return saved;
    }

    private static List<Path> windowShots(String name) {
        CompletableFuture<List<Automation.Image>> images = new CompletableFuture<>();
        try {
            Platform.runLater(() -> {
                List<Automation.Image> list = new ArrayList<>();
                for (Window w : new ArrayList<>(Window.getWindows())) {
                    if (w instanceof Stage && w.isShowing() && w.getScene() != null) {
                        list.add(Automation.pixels(w.getScene()));
                    }
                }
                images.complete(list);
            });
            List<Automation.Image> list = images.get(10, TimeUnit.SECONDS);
            List<Path> files = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                files.add(Automation.writePng(list.get(i), SCREENSHOTS.resolve(name + "-" + (i + 1) + ".png")));
            }
            return files;
        } catch (IllegalStateException toolkitNotRunning) {
            return List.of();
        } catch (Exception e) {
            System.err.println("Could not snapshot the windows: " + e);
            return List.of();
        }
    }

    private static boolean screenShot(Path png) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("import", "-window", "root", png.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException notInstalled) {
            return false;
        }
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return false;
        }
        return p.exitValue() == 0 && Files.exists(png);
    }
}
