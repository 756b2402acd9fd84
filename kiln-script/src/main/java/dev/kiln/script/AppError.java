package dev.kiln.script;

/**
 * A mistake in an app that stops it from running, reported to the user as one line.
 *
 * <p>The message is complete and user-facing, with {@code file:line} where there is one, such as
 * {@code src/main.ts:3:19: SyntaxError: Expression expected}. {@link #exitCode()} is never zero.
 */
public final class AppError extends RuntimeException {
    /** Exit code for a problem with the app folder or its manifest. */
    public static final int CONFIG = 2;
    /** Exit code for a script that fails to load or throws an uncaught exception. */
    public static final int SCRIPT = 1;

    private final int exitCode;

    public AppError(int exitCode, String message) {
        super(message);
        if (exitCode == 0) {
            throw new IllegalArgumentException("An AppError needs a non-zero exit code");
        }
        this.exitCode = exitCode;
    }

    public AppError(int exitCode, String message, Throwable cause) {
        this(exitCode, message);
        initCause(cause);
    }

    /** The process exit code this error calls for. */
    public int exitCode() {
        return exitCode;
    }
}
