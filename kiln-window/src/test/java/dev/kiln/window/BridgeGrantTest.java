package dev.kiln.window;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.window.BridgeGrant.Verdict;
import org.junit.jupiter.api.Test;

/** The bridge grant's rules on their own, with plain inputs (the real-window side: PageSafetyTest, HostilePageTest). */
class BridgeGrantTest {
    @Test
    void onlyTheBridgeScriptOfAnAppDocumentWithoutABridgeGetsOne() {
        assertThat(BridgeGrant.decide(true, true, false)).isEqualTo(Verdict.GRANT);
        // foreign origin: refused whatever else holds
        assertThat(BridgeGrant.decide(false, true, false)).isEqualTo(Verdict.NOT_APP_ORIGIN);
        assertThat(BridgeGrant.decide(false, true, true)).isEqualTo(Verdict.NOT_APP_ORIGIN);
        assertThat(BridgeGrant.decide(false, false, false)).isEqualTo(Verdict.NOT_APP_ORIGIN);
        // a replay, from the bridge's own text or any other script: neither grants nor revokes
        assertThat(BridgeGrant.decide(true, true, true)).isEqualTo(Verdict.REPLAY);
        assertThat(BridgeGrant.decide(true, false, true)).isEqualTo(Verdict.REPLAY);
        // a frame or another script of a document that has no bridge
        assertThat(BridgeGrant.decide(true, false, false)).isEqualTo(Verdict.NOT_BRIDGE_SCRIPT);
    }

    @Test
    void aCallCountsOnlyFromTheLatestGrantWhileItsDocumentIsShown() {
        assertThat(BridgeGrant.callAllowed(3, 3, true)).isTrue();
        assertThat(BridgeGrant.callAllowed(2, 3, true)).as("an older document's bridge").isFalse();
        assertThat(BridgeGrant.callAllowed(3, 3, false)).as("its document is gone, or it leaked elsewhere").isFalse();
        assertThat(BridgeGrant.callAllowed(0, 0, true)).as("nothing granted yet").isFalse();
    }

    @Test
    void everyRefusalSaysWhy() {
        for (Verdict v : Verdict.values()) {
            assertThat(v.reason()).isNotBlank();
        }
        assertThat(Verdict.REPLAY.reason()).contains("neither grants nor revokes");
    }
}
