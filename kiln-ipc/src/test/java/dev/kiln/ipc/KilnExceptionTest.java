package dev.kiln.ipc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KilnExceptionTest {

    @Test
    void everyCodeHasItsNumberAndLabel() {
        assertThat(ErrorCode.values()).extracting(ErrorCode::code).containsExactly(7000, 7001, 7002, 7003, 7004, 7005, 7006, 7007, 7008,
                7009, 7010, 7011, 7020, 7021, 7022, 7023, 7024, 7025, 7030, 7031, 7032, 7033);
        assertThat(ErrorCode.values()).extracting(ErrorCode::label)
                .containsExactly("ChannelSend", "ChannelRecv", "WindowNotFound", "Serialization", "PermissionDenied",
                        "WindowNotResponding", "NoHandler", "Timeout", "Cancelled", "HandlerFailed", "BinaryTooLarge", "TrayUnavailable",
                        "AccessDenied", "NotFound", "AlreadyExists", "IoFailed", "InvalidArgument", "CryptoFailed",
                        "NetworkFailed", "ServiceUnavailable", "ProcessFailed", "WasmFailed");
        for (ErrorCode c : ErrorCode.values()) {
            assertThat(ErrorCode.of(c.code())).isSameAs(c);
        }
        assertThat(ErrorCode.of(42)).isNull();
    }

    @Test
    void messagesStartWithTheCode() {
        assertThat(KilnException.windowNotFound("main-window")).hasMessage("[7002] Window not found: main-window");
        assertThat(KilnException.windowNotFound("w", "it was closed"))
                .hasMessage("[7002] Window not found: w (it was closed)")
                .extracting(KilnException::code).isEqualTo(ErrorCode.WINDOW_NOT_FOUND);
        assertThat(new KilnException(ErrorCode.CHANNEL_RECV, "bad").code()).isEqualTo(ErrorCode.CHANNEL_RECV);
    }

    @Test
    void systemEventWireNamesRoundTrip() {
        for (EventType t : EventType.values()) {
            assertThat(EventType.fromWireName(t.wireName())).isSameAs(t);
            assertThat(t.wireName()).isEqualTo(t.name().toLowerCase(java.util.Locale.ROOT));
        }
        assertThat(EventType.fromWireName("Close")).isNull();
        assertThat(EventType.fromWireName("update")).isNull();
    }
}
