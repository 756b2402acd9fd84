package dev.kiln.window;

import java.nio.file.Path;

/** Run in a JVM without DISPLAY by {@link NoDisplayTest}: prints what a user without a display sees. */
public final class NoDisplayProbe {
    private NoDisplayProbe() {
    }

    public static void main(String[] args) {
        try {
            new RealWindowExtension().beforeAll(null);
            System.out.println("extension: no error");
        } catch (IllegalStateException e) {
            System.out.println("extension: " + e.getMessage());
        }
        try {
            Desktop.start(DesktopConfig.of(Path.of(args[0])));
            System.out.println("desktop: no error");
        } catch (IllegalStateException e) {
            System.out.println("desktop: " + e.getMessage());
        }
        System.exit(0);
    }
}
