package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.ipc.OutboundMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sends made in one turn cross to Java as one batch and are settled in batches: each promise must
 * still get its own outcome, and each window its messages in order.
 */
class SendBurstTest {
    private static final int SENDS = 10_000;

    @TempDir
    Path dir;

    /** What send {@code i} of the script below does, and so the code its promise must settle with (0: resolves). */
    private static int expectedCode(int i) {
        if (i % 10 == 3) {
            return 7002; // unknown window
        }
        if (i % 10 == 7) {
            return 7003; // BigInt payload
        }
        if (i % 50 == 11) {
            return 7000; // empty channel name
        }
        if (i % 100 == 99) {
            return 7002; // broadcast to "a" and a window that does not exist
        }
        return 0;
    }

    @Test
    void aBurstOfGoodAndBadSendsInOneTurnSettlesEachPromiseRightAndInOrder() {
        MemoryWindows.Page[] pages = new MemoryWindows.Page[2];
        var r = new ScriptFixture(dir).run("""
                import { sendToWindow, broadcast } from "runtime:ipc";
                import { closeWindow } from "runtime:window";

                const codes: number[] = new Array(%N%).fill(-1);
                const messages: string[] = new Array(%N%).fill("");
                const resolvedOrder: number[] = [];
                const rejectedOrder: number[] = [];
                const all: Promise<void>[] = [];
                for (let i = 0; i < %N%; i++) {
                  let p: Promise<void>;
                  if (i % 10 === 3) p = sendToWindow("nope-" + i, "m", { i });
                  else if (i % 10 === 7) p = sendToWindow("a", "m", { n: BigInt(i) });
                  else if (i % 50 === 11) p = sendToWindow("b", "", { i });
                  else if (i % 100 === 99) p = broadcast(["a", "gone"], "m", { i });
                  else p = sendToWindow(i % 2 === 0 ? "a" : "b", "m", { i });
                  all.push(p.then(
                    () => { codes[i] = 0; resolvedOrder.push(i); },
                    (e) => {
                      codes[i] = e.code;
                      messages[i] = e.message + (e.failures ? " " + JSON.stringify(e.failures) : "");
                      rejectedOrder.push(i);
                    }));
                }
                await Promise.all(all);
                console.log(JSON.stringify({ codes, messages, resolvedOrder, rejectedOrder }));
                closeWindow("a");
                closeWindow("b");
                """.replace("%N%", String.valueOf(SENDS)), w -> {
            pages[0] = w.open("a");
            pages[1] = w.open("b");
        });

        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode out = Json.read(r.out().strip());
        List<String> toA = new ArrayList<>();
        List<String> toB = new ArrayList<>();
        List<Integer> resolved = new ArrayList<>();
        for (int i = 0; i < SENDS; i++) {
            int expected = expectedCode(i);
            assertThat(out.get("codes").get(i).asInt()).as("code of send %d", i).isEqualTo(expected);
            String message = out.get("messages").get(i).asText();
            switch (expected) {
                case 7003 -> assertThat(message).as("send %d", i)
                        .isEqualTo("[7003] Payload cannot be serialized to JSON: payload.n is a bigint");
                case 7000 -> assertThat(message).as("send %d", i).isEqualTo("[7000] Channel name must not be empty");
                case 7002 -> assertThat(message).as("send %d", i).isEqualTo(i % 100 == 99
                        ? "[7002] Broadcast could not reach 1 of 2 windows: gone ([7002] Window not found: gone)"
                        + " {\"gone\":\"[7002] Window not found: gone\"}" : "[7002] Window not found: nope-" + i);
                default -> assertThat(message).as("send %d", i).isEmpty();
            }
            if (expected == 0) {
                resolved.add(i);
            }
            if (expected == 0 || i % 100 == 99) { // a broadcast still reaches "a"
                (i % 2 == 0 || i % 100 == 99 ? toA : toB).add("{\"i\":" + i + "}");
            }
        }
        // Sends to one window complete in order, and the batch settles them in completion order.
        List<Integer> resolvedToA = new ArrayList<>();
        List<Integer> resolvedToB = new ArrayList<>();
        out.get("resolvedOrder").forEach(n -> (n.asInt() % 2 == 0 ? resolvedToA : resolvedToB).add(n.asInt()));
        assertThat(resolvedToA).isSorted().hasSize((int) resolved.stream().filter(i -> i % 2 == 0).count());
        assertThat(resolvedToB).isSorted().hasSize((int) resolved.stream().filter(i -> i % 2 == 1).count());
        List<Integer> rejectedUnknown = new ArrayList<>();
        out.get("rejectedOrder").forEach(n -> {
            if (n.asInt() % 10 == 3) {
                rejectedUnknown.add(n.asInt());
            }
        });
        assertThat(rejectedUnknown).as("unknown-window rejections, in call order").isSorted().hasSize(SENDS / 10);
        assertThat(pages[0].received).extracting(OutboundMessage::payloadJson).containsExactlyElementsOf(toA);
        assertThat(pages[1].received).extracting(OutboundMessage::payloadJson).containsExactlyElementsOf(toB);
        assertThat(pages[0].received).extracting(OutboundMessage::channel).containsOnly("m");
    }
}
