package dev.kiln.window;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real keyboard and mouse input on the X display through {@code xdotool}, and a window manager
 * ({@code openbox}) for focus: what a user does, for tests of native dialogs and menus. Published in
 * kiln-window's test-jar.
 *
 * <p>Needs {@code openbox} and {@code xdotool} (CI and {@code ./kiln test} install them); without them
 * {@link #start()} fails with a message naming them rather than skipping. Threading: test thread only.
 */
public final class XInput implements AutoCloseable {
    private final Process wm;

    private XInput(Process wm) {
        this.wm = wm;
    }

    /** Starts openbox (it exits at once where another window manager runs: that one is used). */
    public static XInput start() throws IOException, InterruptedException {
        if (!onPath("openbox") || !onPath("xdotool")) {
            throw new IllegalStateException("openbox and xdotool are needed to drive windows like a user:"
                    + " apt-get install openbox xdotool");
        }
        Process wm = new ProcessBuilder("openbox").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Thread.sleep(500); // let it take the display before the first window maps
        return new XInput(wm);
    }

    /** The X id of the newest window whose title is exactly {@code title}, waiting up to {@code seconds}. */
    public String awaitWindow(String title, int seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            String out = run("xdotool", "search", "--onlyvisible", "--name", titlePattern(title));
            if (!out.isBlank()) {
                return out.lines().reduce((a, b) -> b).orElseThrow().trim();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("No window titled '" + title + "' appeared within " + seconds + " s");
    }

    /**
     * Moves the pointer to a point of the X window's inside (its top-left corner is 0,0, below the
     * window manager's title bar), computed by the X server from the window's position.
     */
    public void moveIn(String xWindow, int x, int y) throws IOException, InterruptedException {
        run("xdotool", "mousemove", "--sync", "--window", xWindow, Integer.toString(x), Integer.toString(y));
    }

    /** Moves the pointer into the X window, as {@link #moveIn}, and clicks the left button. */
    public void clickIn(String xWindow, int x, int y) throws IOException, InterruptedException {
        moveIn(xWindow, x, y);
        Thread.sleep(150);
        run("xdotool", "click", "1");
    }

    /**
     * Resizes the X window as a user dragging its border would. Under openbox a new JavaFX window
     * may come up at 200x200 whatever size it was given; tests that need room set it again.
     */
    public void resize(String xWindow, int width, int height) throws IOException, InterruptedException {
        run("xdotool", "windowsize", "--sync", xWindow, Integer.toString(width), Integer.toString(height));
        Thread.sleep(300);
    }

    /** Gives the X window the keyboard, through the window manager. */
    public void activate(String xWindow) throws IOException, InterruptedException {
        run("xdotool", "windowactivate", "--sync", xWindow);
        Thread.sleep(300);
    }

    /** Presses keys, such as {@code "Return"}, {@code "ctrl+o"}, {@code "Tab"}. */
    public void key(String... keys) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("xdotool", "key", "--clearmodifiers", "--delay", "80"));
        cmd.addAll(List.of(keys));
        run(cmd.toArray(String[]::new));
    }

    /**
     * Presses Return in the dialog titled so until it closes (at most 4 times, 2 s apart): after a
     * path is typed, GTK's picker may show a completion list, which takes the first Return.
     */
    public void submit(String dialogTitle) throws IOException, InterruptedException {
        String pattern = titlePattern(dialogTitle);
        for (int i = 0; i < 4; i++) {
            if (run("xdotool", "search", "--onlyvisible", "--name", pattern).isBlank()) {
                return;
            }
            key("Return");
            Thread.sleep(2000);
        }
    }

    /** Types text as key presses. */
    public void type(String text) throws IOException, InterruptedException {
        run("xdotool", "type", "--delay", "40", text);
    }

    /** Moves the pointer to screen coordinates. */
    public void moveTo(double x, double y) throws IOException, InterruptedException {
        run("xdotool", "mousemove", "--sync", Long.toString(Math.round(x)), Long.toString(Math.round(y)));
    }

    /** Moves the pointer there and clicks the left button. */
    public void click(double x, double y) throws IOException, InterruptedException {
        moveTo(x, y);
        Thread.sleep(150);
        run("xdotool", "click", "1");
    }

    @Override
    public void close() throws InterruptedException {
        wm.destroy(); // only the openbox started here
        wm.waitFor(5, TimeUnit.SECONDS);
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish");
        }
        return out;
    }

    /** xdotool's (POSIX) regular expression for exactly this title. */
    private static String titlePattern(String title) {
        return "^" + title.replaceAll("[\\\\^$.|?*+()\\[\\]{}]", "\\\\$0") + "$";
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
