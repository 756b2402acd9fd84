package dev.kiln.script;

import dev.kiln.ipc.BroadcastException;
import dev.kiln.ipc.KilnException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why a Java operation failed, as the bootstrap's {@code settle} takes it: a Kiln code (or -1) and a
 * message; a broadcast's message is followed by a line of JSON naming each unreachable window.
 */
record Rejection(int code, String text) {
    private static final Pattern CODED_MESSAGE = Pattern.compile("^\\[(700[0-4])\\] ");

    static Rejection of(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof BroadcastException b) {
            Map<String, String> failures = new LinkedHashMap<>();
            b.failures().forEach((id, e) -> failures.put(id, e.getMessage()));
            return new Rejection(b.code().code(), b.getMessage() + "\n" + Json.write(Map.of("failures", failures)));
        }
        if (cause instanceof KilnException k) {
            return new Rejection(k.code().code(), k.getMessage());
        }
        // Errors that are not KilnExceptions may still carry a Kiln code in their message.
        String message = String.valueOf(cause.getMessage() == null ? cause : cause.getMessage());
        Matcher m = CODED_MESSAGE.matcher(message);
        return new Rejection(m.find() ? Integer.parseInt(m.group(1)) : -1, message);
    }
}
