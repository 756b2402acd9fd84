package dev.kiln.script;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Runs native code with file descriptor 2 pointed at a scratch file, then passes on what was not noise.
 *
 * <p>swc4j's Rust side prints a panic with a backtrace to the process's stderr on every syntax
 * error, although it then throws a proper Java exception. That text must not reach the user, and
 * only redirecting the descriptor itself (dup2) keeps it away. Whatever else was written meanwhile is
 * copied to {@code System.err} afterwards, so nothing else is lost. Without libc (no JNA) the call
 * simply runs unmuted.
 *
 * <p>Threading: {@link #run} is synchronized, since the descriptor is process-wide.
 */
final class StderrMute {
    private static final System.Logger LOG = System.getLogger(StderrMute.class.getName());
    private static final Pattern RUST_PANIC = Pattern.compile(
            "(?s)\\n?thread '[^']*' \\(\\d+\\) panicked at .*?(note: [^\\n]*backtrace[^\\n]*\\n|$)");
    private static final int STDERR = 2;
    private static final int O_WRONLY = 1;

    interface LibC extends Library {
        int dup(int fd);

        int dup2(int from, int to);

        int open(String path, int flags);

        int close(int fd);
    }

    private static LibC libc;
    private static boolean unavailable;

    private StderrMute() {
    }

    static synchronized <T> T run(Supplier<T> call) {
        LibC c = libc();
        Path scratch = null;
        int saved = -1;
        try {
            if (c != null) {
                scratch = Files.createTempFile("kiln-stderr", ".txt");
                System.err.flush();
                int fd = c.open(scratch.toString(), O_WRONLY);
                saved = fd < 0 ? -1 : c.dup(STDERR);
                if (saved >= 0) {
                    c.dup2(fd, STDERR);
                }
                if (fd >= 0) {
                    c.close(fd);
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "stderr not muted: " + e);
        }
        try {
            return call.get();
        } finally {
            if (saved >= 0) {
                System.err.flush();
                c.dup2(saved, STDERR);
                c.close(saved);
            }
            if (scratch != null) {
                passOn(scratch);
            }
        }
    }

    private static void passOn(Path scratch) {
        try {
            String text = Files.readString(scratch, StandardCharsets.UTF_8);
            Files.deleteIfExists(scratch);
            String rest = RUST_PANIC.matcher(text).replaceAll("");
            if (!rest.isBlank()) {
                System.err.print(rest);
                System.err.flush();
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "stderr scratch unreadable: " + e);
        }
    }

    private static LibC libc() {
        if (libc == null && !unavailable) {
            try {
                libc = Native.load("c", LibC.class);
            } catch (Throwable e) {
                unavailable = true;
                LOG.log(System.Logger.Level.DEBUG, "libc not reachable through JNA: " + e);
            }
        }
        return libc;
    }
}
