package dev.kiln.window;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.ipc.EventStream;
import dev.kiln.ipc.IpcEvent;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** window.host, Forge's name for the page bridge, in a real window: both directions, emit, off. */
@ExtendWith(RealWindowExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ForgeHostTest {
    private static Desktop desktop;

    @BeforeAll
    static void start() {
        desktop = Desktop.start(DesktopConfig.of(TestWeb.root()).withExitOnLastWindowClosed(false));
    }

    @AfterAll
    static void stop() {
        desktop.close();
    }

    @Test
    void aForgePageTalksThroughWindowHost() throws Exception {
        AppWindow w = Pages.open(desktop, "app://forge-host.html");
        try (EventStream pong = desktop.ipc().channelEvents("pong"); EventStream local = desktop.ipc().channelEvents("local")) {
            // host to page (host.on) and page to host (host.send)
            desktop.ipc().sendToWindow(w.id(), "ping", 5).get(20, TimeUnit.SECONDS);
            IpcEvent reply = pong.poll(Duration.ofSeconds(20));
            assertThat(reply).isNotNull();
            assertThat(reply.payload().toString()).isEqualTo("{\"got\":5}");
            assertThat(reply.windowId()).isEqualTo(w.id());

            // emit: the page's own listeners first (with the object itself), then the host
            assertThat(Pages.eval(w, """
                    (function () {
                      const order = [];
                      const payload = { n: 1 };
                      const seen = [];
                      window.host.on("local", (p) => { order.push("listener"); seen.push(p === payload); });
                      window.host.emit("local", payload);
                      order.push("after emit");
                      return [window.localSeen.length, order, seen];
                    })()""")).isEqualTo("[1,[\"listener\",\"after emit\"],[true]]");
            IpcEvent sent = local.poll(Duration.ofSeconds(20));
            assertThat(sent).as("emit sent it to the host too").isNotNull();
            assertThat(sent.payload().toString()).isEqualTo("{\"n\":1}");

            // off stops a listener; a bad channel throws (7000) and sends nothing
            assertThat(Pages.eval(w, """
                    (function () {
                      let calls = 0;
                      const f = () => calls++;
                      window.host.on("x", f);
                      window.host.off("x", f);
                      window.host.emit("x", 1);
                      let code = null;
                      try { window.host.emit("", 2); } catch (e) { code = e.code; }
                      return [calls, code, window.host.send === window.runtime.send, Object.isFrozen(window.host)];
                    })()""")).isEqualTo("[0,7000,true,true]");
            assertThat(local.poll(Duration.ofMillis(500))).as("nothing more reached the host on 'local'").isNull();
        } finally {
            w.close();
        }
    }
}
