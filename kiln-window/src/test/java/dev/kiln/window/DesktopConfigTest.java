package dev.kiln.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The watchdog's threshold in {@link DesktopConfig}: default, system property, limits. */
class DesktopConfigTest {

    @Test
    void theThresholdDefaultsToFiveSecondsOrTheSystemProperty() {
        String before = System.getProperty(DesktopConfig.UNRESPONSIVE_AFTER_PROPERTY);
        try {
            System.clearProperty(DesktopConfig.UNRESPONSIVE_AFTER_PROPERTY);
            assertThat(DesktopConfig.of(Path.of("web")).unresponsiveAfter()).isEqualTo(Duration.ofSeconds(5));
            System.setProperty(DesktopConfig.UNRESPONSIVE_AFTER_PROPERTY, "1500");
            assertThat(DesktopConfig.of(Path.of("web")).unresponsiveAfter()).isEqualTo(Duration.ofMillis(1500));
            System.setProperty(DesktopConfig.UNRESPONSIVE_AFTER_PROPERTY, "soon");
            assertThatThrownBy(() -> DesktopConfig.of(Path.of("web")))
                    .hasMessage("-Dkiln.unresponsiveAfterMs must be milliseconds, got 'soon'");
        } finally {
            if (before == null) {
                System.clearProperty(DesktopConfig.UNRESPONSIVE_AFTER_PROPERTY);
            } else {
                System.setProperty(DesktopConfig.UNRESPONSIVE_AFTER_PROPERTY, before);
            }
        }
    }

    @Test
    void aThresholdShorterThanTwoHeartbeatsIsRefusedAndTheOthersAreKept() {
        DesktopConfig config = DesktopConfig.of(Path.of("web")).withExitOnLastWindowClosed(false)
                .withUnresponsiveAfter(Duration.ofSeconds(2));
        assertThat(config.withIpc(null).unresponsiveAfter()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.withIpc(null).exitOnLastWindowClosed()).isFalse();
        assertThatThrownBy(() -> config.withUnresponsiveAfter(Duration.ofMillis(100)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unresponsiveAfter must be at least 500 ms");
    }
}
