package dev.kiln.ipc;

/**
 * The rule for channel names, the same in every direction and every host: non-empty, at most
 * {@value #MAX_LENGTH} characters, no control characters.
 */
public final class ChannelNames {
    /** The longest channel name, in UTF-16 code units (JavaScript string length). */
    public static final int MAX_LENGTH = 256;

    private ChannelNames() {
    }

    /** Why the name is invalid, as a sentence for an error message, or {@code null} if it is valid. */
    public static String problem(String channel) {
        if (channel == null) {
            return "Channel name must be a string, got null";
        }
        if (channel.isEmpty()) {
            return "Channel name must not be empty";
        }
        if (channel.length() > MAX_LENGTH) {
            return "Channel name is " + channel.length() + " characters long; the limit is " + MAX_LENGTH;
        }
        for (int i = 0; i < channel.length(); i++) {
            if (Character.isISOControl(channel.charAt(i))) {
                return "Channel name must not contain control characters (U+"
                        + String.format("%04X", (int) channel.charAt(i)) + " at index " + i + ")";
            }
        }
        return null;
    }

    static void requireValid(String channel) {
        String problem = problem(channel);
        if (problem != null) {
            throw new KilnException(ErrorCode.CHANNEL_SEND, problem);
        }
    }

    /**
     * A channel a call or stream may use: valid, and not one of the window system events' names,
     * which a page may not use either.
     *
     * @throws KilnException {@link ErrorCode#CHANNEL_SEND} for a bad name, {@link ErrorCode#PERMISSION_DENIED}
     *                       for a reserved one
     */
    static void requireRequestable(String channel) {
        requireValid(channel);
        if (EventType.fromWireName(channel) != null) {
            throw new KilnException(ErrorCode.PERMISSION_DENIED, "Channel '" + channel
                    + "' is reserved for window system events");
        }
    }
}
