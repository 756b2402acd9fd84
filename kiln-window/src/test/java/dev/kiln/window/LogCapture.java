package dev.kiln.window;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects what Kiln logs (System.Logger goes to java.util.logging), to assert refusals were logged. */
final class LogCapture extends Handler implements AutoCloseable {
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final List<Logger> loggers = List.of(Logger.getLogger("dev.kiln.window"), Logger.getLogger("dev.kiln.ipc"));

    LogCapture() {
        loggers.forEach(l -> l.addHandler(this));
    }

    List<String> messages() {
        return List.copyOf(messages);
    }

    boolean contains(String part) {
        return messages.stream().anyMatch(m -> m.contains(part));
    }

    long count(String part) {
        return messages.stream().filter(m -> m.contains(part)).count();
    }

    @Override
    public void publish(LogRecord record) {
        messages.add(record.getMessage());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        loggers.forEach(l -> l.removeHandler(this));
    }
}
