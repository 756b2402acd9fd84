package dev.kiln.ipc;

/** The Kiln IPC error codes, shared by the Java API, the TypeScript API and the page bridge. */
public enum ErrorCode {
    /** A message could not be sent: bad channel name, runtime shut down, transport failure. */
    CHANNEL_SEND(7000, "ChannelSend"),
    /** A message from a renderer could not be received: malformed or oversized input. */
    CHANNEL_RECV(7001, "ChannelRecv"),
    /** The addressed window does not exist or is closed. */
    WINDOW_NOT_FOUND(7002, "WindowNotFound"),
    /** A payload cannot be serialized to JSON or is larger than the configured limit. */
    SERIALIZATION(7003, "Serialization"),
    /** The channel is denied by the capability policy. */
    PERMISSION_DENIED(7004, "PermissionDenied"),
    /**
     * A window is not responding: its page keeps the UI thread busy (a script in a loop), so every
     * window is frozen. Reported by Kiln's FX watchdog; not in the spec's list.
     */
    WINDOW_NOT_RESPONDING(7005, "WindowNotResponding"),
    /** A call ({@code invoke}) found no handler for its channel on the other side. */
    NO_HANDLER(7006, "NoHandler"),
    /** A call was not answered before its deadline. */
    TIMEOUT(7007, "Timeout"),
    /** A call was cancelled by its caller (an {@code AbortSignal}, or cancelling its future). */
    CANCELLED(7008, "Cancelled"),
    /** A call's handler failed with an error that carries no code of its own. */
    HANDLER_FAILED(7009, "HandlerFailed"),
    /** A binary payload is larger than the binary limit (1 GiB, or the smaller one its receiver set). */
    BINARY_TOO_LARGE(7010, "BinaryTooLarge"),
    /** The desktop has no system tray (Xvfb, many Linux desktops), so no tray icon can be shown. */
    TRAY_UNAVAILABLE(7011, "TrayUnavailable"),
    /**
     * A platform module call (runtime:fs, runtime:net, runtime:process, clipboard, notifications...)
     * that the manifest's {@code [permissions]} do not allow; the message names the entry that would.
     */
    ACCESS_DENIED(7020, "AccessDenied"),
    /** A platform module call named a file, folder or key that does not exist. */
    NOT_FOUND(7021, "NotFound"),
    /** A platform module call would create something that already exists. */
    ALREADY_EXISTS(7022, "AlreadyExists"),
    /** The operating system refused or failed a platform module operation (not a folder, not empty, disk full...). */
    IO_FAILED(7023, "IoFailed"),
    /** A platform module function was given an argument of the wrong type or out of range. */
    INVALID_ARGUMENT(7024, "InvalidArgument"),
    /** A runtime:crypto operation failed: a wrong key, or data that does not authenticate. */
    CRYPTO_FAILED(7025, "CryptoFailed"),
    /**
     * A runtime:net request failed before a response (no connection, TLS, too many redirects, a refused
     * redirect), or a WebSocket failed or is closed; also an unknown WebSocket or fetchStream id.
     */
    NETWORK_FAILED(7030, "NetworkFailed"),
    /** A desktop service the call needs is missing: no display for the clipboard, no notification service. */
    SERVICE_UNAVAILABLE(7031, "ServiceUnavailable"),
    /** A runtime:process operation failed: the program could not start, an unknown handle, a closed stdin. */
    PROCESS_FAILED(7032, "ProcessFailed"),
    /** A runtime:wasm operation failed: bytes that are not a module, a missing import or export, a trap. */
    WASM_FAILED(7033, "WasmFailed");

    private final int code;
    private final String label;

    ErrorCode(int code, String label) {
        this.code = code;
        this.label = label;
    }

    /** The numeric code: 7000 to 7010 for IPC, from 7020 for the platform modules. */
    public int code() {
        return code;
    }

    /** The short name used in the spec, such as {@code WindowNotFound}. */
    public String label() {
        return label;
    }

    /** The error code with the given number, or {@code null} if there is none. */
    public static ErrorCode of(int code) {
        for (ErrorCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return null;
    }
}
