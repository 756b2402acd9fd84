package dev.kiln.window;

import dev.kiln.ipc.IpcConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to start a {@link Desktop}.
 *
 * @param webRoot                the app's {@code web/} folder, served as {@code app://}
 * @param ipc                    the engine's settings, including the channel policy
 * @param exitOnLastWindowClosed whether closing the last window shuts the runtime down (default true)
 * @param unresponsiveAfter      how long the FX thread may stay busy before the desktop reports its
 *                               windows as not responding (see {@link FxWatchdog}); at least
 *                               {@value #MIN_UNRESPONSIVE_MILLIS} ms; default
 *                               {@link #defaultUnresponsiveAfter()}
 */
public record DesktopConfig(Path webRoot, IpcConfig ipc, boolean exitOnLastWindowClosed, Duration unresponsiveAfter) {
    /** The system property that overrides the default of {@link #unresponsiveAfter()}, in milliseconds. */
    public static final String UNRESPONSIVE_AFTER_PROPERTY = "kiln.unresponsiveAfterMs";
    static final long MIN_UNRESPONSIVE_MILLIS = 500;
    private static final long DEFAULT_UNRESPONSIVE_MILLIS = 5_000;

    public DesktopConfig {
        Objects.requireNonNull(webRoot, "webRoot");
        ipc = ipc == null ? IpcConfig.defaults() : ipc;
        unresponsiveAfter = unresponsiveAfter == null ? defaultUnresponsiveAfter() : unresponsiveAfter;
        if (unresponsiveAfter.toMillis() < MIN_UNRESPONSIVE_MILLIS) {
            throw new IllegalArgumentException("unresponsiveAfter must be at least " + MIN_UNRESPONSIVE_MILLIS
                    + " ms (the watchdog beats every " + FxWatchdog.BEAT_MILLIS + " ms), got " + unresponsiveAfter);
        }
    }

    /** A desktop with the default {@link #unresponsiveAfter()}. */
    public DesktopConfig(Path webRoot, IpcConfig ipc, boolean exitOnLastWindowClosed) {
        this(webRoot, ipc, exitOnLastWindowClosed, null);
    }

    /** A desktop serving the given web folder, with default settings. */
    public static DesktopConfig of(Path webRoot) {
        return new DesktopConfig(webRoot, IpcConfig.defaults(), true);
    }

    /**
     * 5 seconds, or the milliseconds in the system property {@value #UNRESPONSIVE_AFTER_PROPERTY}
     * (which lets tests and the {@code kiln} command's users choose without code).
     */
    public static Duration defaultUnresponsiveAfter() {
        String ms = System.getProperty(UNRESPONSIVE_AFTER_PROPERTY);
        if (ms == null || ms.isBlank()) {
            return Duration.ofMillis(DEFAULT_UNRESPONSIVE_MILLIS);
        }
        try {
            return Duration.ofMillis(Long.parseLong(ms.strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + UNRESPONSIVE_AFTER_PROPERTY + " must be milliseconds, got '" + ms + "'");
        }
    }

    public DesktopConfig withIpc(IpcConfig ipc) {
        return new DesktopConfig(webRoot, ipc, exitOnLastWindowClosed, unresponsiveAfter);
    }

    public DesktopConfig withExitOnLastWindowClosed(boolean exit) {
        return new DesktopConfig(webRoot, ipc, exit, unresponsiveAfter);
    }

    public DesktopConfig withUnresponsiveAfter(Duration after) {
        return new DesktopConfig(webRoot, ipc, exitOnLastWindowClosed, Objects.requireNonNull(after, "after"));
    }
}
