package dev.kiln.ipc;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * A broadcast that reached some windows but not all; names each window it could not reach.
 *
 * <p>Its code is the code the failures share, or {@link ErrorCode#CHANNEL_SEND} when they differ.
 */
public final class BroadcastException extends KilnException {
    private final Map<String, KilnException> failures;
    private final int attempted;

    BroadcastException(int attempted, Map<String, KilnException> failures) {
        super(sharedCode(failures), describe(attempted, failures));
        this.failures = Map.copyOf(failures);
        this.attempted = attempted;
    }

    /** The windows the broadcast did not reach, each with its own error. */
    public Map<String, KilnException> failures() {
        return failures;
    }

    /** How many windows the broadcast was addressed to. */
    public int attempted() {
        return attempted;
    }

    private static ErrorCode sharedCode(Map<String, KilnException> failures) {
        var codes = failures.values().stream().map(KilnException::code).distinct().toList();
        return codes.size() == 1 ? codes.get(0) : ErrorCode.CHANNEL_SEND;
    }

    private static String describe(int attempted, Map<String, KilnException> failures) {
        String names = failures.entrySet().stream()
                .map(e -> e.getKey() + " (" + e.getValue().getMessage() + ")")
                .collect(Collectors.joining(", "));
        return "Broadcast could not reach " + failures.size() + " of " + attempted + " windows: " + names;
    }
}
