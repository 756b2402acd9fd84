package dev.kiln.ipc;

import java.util.Objects;

/**
 * A payload that is already JSON text, sent as it is without being encoded again.
 *
 * <p>For hosts that serialize on their own side, such as the script host, which uses
 * {@code JSON.stringify} in V8. The text must be valid JSON; it is not re-checked.
 */
public record JsonText(String json) {
    public JsonText {
        Objects.requireNonNull(json, "json");
    }
}
