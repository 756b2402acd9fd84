package dev.kiln.examples.hello;

import dev.kiln.ipc.Ipc;
import dev.kiln.window.Desktop;
import dev.kiln.window.DesktopConfig;
import dev.kiln.window.WindowOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The spec's Complete Example written against Kiln's Java API: a window with a button; the host
 * answers each click; closing the window ends the app.
 *
 * <p>Run it with {@code ./kiln java-example} (or {@code java -cp ... dev.kiln.examples.hello.HelloApp [webDir]}).
 * The main class does not extend {@code javafx.application.Application}: Kiln starts JavaFX itself.
 */
public final class HelloApp {
    private HelloApp() {
    }

    public static void main(String[] args) {
        Desktop desktop = launch(webFolder(args));
        desktop.terminated().join(); // the last window closed: the runtime has shut down
        System.exit(0);
    }

    /** Starts the app: the runtime, its handlers and the main window. */
    static Desktop launch(Path web) {
        Desktop desktop = Desktop.start(DesktopConfig.of(web));
        Ipc ipc = desktop.ipc();

        // Listen for button clicks from the renderer
        ipc.onChannel("button-click", (payload, windowId) -> {
            String buttonId = payload.get("buttonId").asText();
            System.out.println("Button " + buttonId + " clicked in " + windowId);

            // Send response back to the window
            ipc.sendToWindow(windowId, "button-response", Map.of(
                    "success", true,
                    "message", "Processed " + buttonId));
        });

        // Listen for window close
        ipc.onChannel("close", (payload, windowId) -> System.out.println("Window " + windowId + " requested close"));

        // Create the main window
        desktop.createWindow(WindowOptions.builder()
                .id("main-window")
                .title("My App")
                .width(800)
                .height(600)
                .build());
        return desktop;
    }

    private static Path webFolder(String[] args) {
        if (args.length > 0) {
            return Path.of(args[0]);
        }
        for (Path candidate : new Path[] {Path.of("web"), Path.of("examples", "java-hello", "web")}) {
            if (Files.isRegularFile(candidate.resolve("index.html"))) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("Cannot find the app's web folder: pass it as the first argument");
    }
}
