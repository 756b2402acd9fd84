package dev.kiln.script;

import com.caoccao.javet.interfaces.IJavetLogger;

/**
 * Sends Javet's own log lines to System.Logger: warnings and chatter (such as the count of unrecycled
 * callbacks at exit) at DEBUG, off the user's terminal; errors at WARNING. Stateless, thread-safe.
 */
final class JavetLogSink implements IJavetLogger {
    private static final System.Logger LOG = System.getLogger("dev.kiln.script.javet");

    @Override
    public void debug(String message) {
        LOG.log(System.Logger.Level.DEBUG, message);
    }

    @Override
    public void error(String message) {
        LOG.log(System.Logger.Level.WARNING, message);
    }

    @Override
    public void error(String message, Throwable cause) {
        LOG.log(System.Logger.Level.WARNING, message, cause);
    }

    @Override
    public void info(String message) {
        LOG.log(System.Logger.Level.DEBUG, message);
    }

    @Override
    public void warn(String message) {
        LOG.log(System.Logger.Level.DEBUG, message);
    }
}
