package dev.kiln.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.kiln.ipc.EventStream;
import dev.kiln.ipc.IpcEvent;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A same-origin page (web/hostile/) that attacks its own bridge in one run: reads the marker,
 * overwrites the old mark and replays the handshake, re-runs the bridge script, uses frames of its
 * own and of another origin, feeds garbage to its port, forges log lines and floods alerts. Every
 * attack is refused, and the page's legit bridge still works.
 */
@ExtendWith(RealWindowExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HostilePageTest {
    private static final String FOREIGN_PAGE = """
            <!DOCTYPE html><html><body><script>
            const res = {};
            try { parent.runtime.send('from-foreign', 1); res.crossParent = 'sent'; } catch (e) { res.crossParent = e.name; }
            try { top.runtime.send('from-foreign', 2); res.crossTop = 'sent'; } catch (e) { res.crossTop = e.name; }
            alert(new URLSearchParams(location.search).get('marker'));
            parent.postMessage(res, '*');
            </script></body></html>""";
    private static Desktop desktop;
    private static HttpServer foreign;

    @BeforeAll
    static void start() throws Exception {
        desktop = Desktop.start(DesktopConfig.of(TestWeb.root()).withExitOnLastWindowClosed(false));
        foreign = ForeignOrigin.serve(FOREIGN_PAGE);
    }

    @AfterAll
    static void stop() {
        desktop.close();
        foreign.stop(0);
    }

    @Test
    void everyAttackIsRefusedAndTheLegitBridgeStillWorks() throws Exception {
        String foreignUrl = "http://localhost:" + foreign.getAddress().getPort() + "/foreign.html";
        try (LogCapture log = new LogCapture();
                EventStream done = desktop.ipc().channelEvents("hostile-done");
                EventStream fromForeign = desktop.ipc().channelEvents("from-foreign");
                EventStream fromSrcdoc = desktop.ipc().channelEvents("from-srcdoc")) {
            AppWindow w = Pages.open(desktop, "app://hostile/index.html?foreign=" + foreignUrl);
            try {
                IpcEvent e = done.poll(Duration.ofSeconds(30));
                assertThat(e).as("the hostile page's report over its own bridge").isNotNull();
                JsonNode r = e.payload();
                assertThat(r.get("markerInScripts").asBoolean()).as("the marker in document.scripts").isFalse();
                assertThat(r.get("markerFetched").asBoolean()).as("the page can read its own HTML").isTrue();
                assertThat(r.get("hostAfterReplay").asText()).as("a second host object after a replay").isEqualTo("none");
                assertThat(r.get("hostAfterScriptReplay").asText()).isEqualTo("none");
                assertThat(r.has("leaked")).as("the host delivered into a forged port").isFalse();
                assertThat(r.get("portGarbage").asText()).isEqualTo("false");
                assertThat(r.get("srcdocOwnRuntime").asText()).as("a srcdoc frame's own runtime").isEqualTo("undefined");
                assertThat(r.get("framedOwnRuntime").asText()).as("an app page in a frame").isEqualTo("undefined");
                assertThat(r.get("crossParent").asText()).as("parent.runtime from another origin").isEqualTo("SecurityError");
                assertThat(r.get("crossTop").asText()).as("top.runtime from another origin").isEqualTo("SecurityError");
                assertThat(fromForeign.poll(Duration.ofMillis(200))).isNull();
                // Documented: a same-origin frame reaches the top document's objects by the web's rules,
                // so it shares the top document's bridge (as any same-origin script does); the message is the window's.
                assertThat(r.get("srcdocParentSend").asText()).isEqualTo("sent");
                IpcEvent shared = fromSrcdoc.poll(Duration.ofSeconds(5));
                assertThat(shared).isNotNull();
                assertThat(shared.windowId()).isEqualTo(w.id());

                // the replays (from the page, the srcdoc frame, the foreign frame) were refused and logged
                assertThat(log.count("Refused the bridge to a document at")).isGreaterThanOrEqualTo(3);
                assertThat(log.contains("a replayed handshake neither grants nor revokes")).isTrue();
                // forged lines stay one line; the flood of alerts is cut down and summed up
                desktop.ipc().sendToWindow(w.id(), "boom", 1).get(20, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(20)).until(() -> log.contains("listener failed\\nSEVERE: [7004] a forged log line"));
                assertThat(log.contains("hello\\nWARNING: [7004] a forged log line\\r\\u001B[31m")).isTrue();
                assertThat(log.messages()).noneMatch(m -> m.contains("forged log line") && (m.contains("\n") || m.contains("\r")));
                assertThat(log.count("alert: spam ")).isLessThanOrEqualTo(RateLimitedLog.PER_SECOND);

                // the legit bridge is intact
                try (EventStream echoed = desktop.ipc().channelEvents("echoed")) {
                    desktop.ipc().sendToWindow(w.id(), "echo", "still mine");
                    assertThat(echoed.poll(Duration.ofSeconds(20)).payload().asText()).isEqualTo("still mine");
                }
            } finally {
                w.close();
            }
        }
    }
}
