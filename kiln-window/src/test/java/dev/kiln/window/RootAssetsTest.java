package dev.kiln.window;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real window loads a page built the way bundlers emit it (root-absolute URLs everywhere): every
 * kind of request the WebView makes reaches the asset server with the launch secret, and the page
 * cannot read the secret.
 */
@ExtendWith(RealWindowExtension.class)
class RootAssetsTest {
    /** A 1x1 PNG. */
    private static final byte[] PNG = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    static Path rootAbsoluteSite(Path web) throws Exception {
        Files.createDirectories(web.resolve("js"));
        Files.createDirectories(web.resolve("css"));
        Files.createDirectories(web.resolve("img"));
        Files.createDirectories(web.resolve("frame"));
        Files.writeString(web.resolve("index.html"), """
                <!doctype html><html><head>
                <link rel="stylesheet" href="/css/app.css">
                <script type="module" src="/js/main.js"></script>
                </head><body><img id="img" src="/img/dot.png"><iframe id="frame" src="/frame/inner.html"></iframe></body></html>
                """);
        Files.writeString(web.resolve("css/app.css"), "@import url(\"/css/more.css\"); body { color: rgb(1, 2, 3); }");
        Files.writeString(web.resolve("css/more.css"), "body { background-color: rgb(4, 5, 6); }");
        Files.write(web.resolve("img/dot.png"), PNG);
        Files.writeString(web.resolve("frame/inner.html"), "<!doctype html><p>inner</p><script>parent.frameSays = 'inner loaded';</script>");
        Files.writeString(web.resolve("data.json"), "{\"from\": \"root\"}");
        Files.writeString(web.resolve("js/dep.js"), "export const dep = 'static import';");
        Files.writeString(web.resolve("js/lazy.js"), "export const lazy = 'dynamic import';");
        Files.writeString(web.resolve("js/main.js"), """
                import { dep } from "/js/dep.js";
                const xhr = () => new Promise((ok, fail) => {
                  const r = new XMLHttpRequest();
                  r.open("GET", "/data.json");
                  r.onload = () => ok(JSON.parse(r.responseText).from);
                  r.onerror = () => fail(new Error("xhr failed"));
                  r.send();
                });
                const image = () => new Promise((ok) => {
                  const img = document.getElementById("img");
                  if (img.complete) ok(img.naturalWidth); else img.onload = img.onerror = () => ok(img.naturalWidth);
                });
                async function run() {
                  document.cookie = "theme=dark; path=/";
                  const { lazy } = await import("/js/lazy.js");
                  const rootFetch = (await (await fetch("/data.json")).json()).from;
                  const relativeFetch = (await (await fetch("data.json")).json()).from;
                  const missing = (await fetch("/nope.json")).status;
                  await new Promise((r) => { if (window.frameSays) r(); else document.getElementById("frame").onload = r; });
                  const style = getComputedStyle(document.body);
                  window.results = { dep, lazy, rootFetch, relativeFetch, xhr: await xhr(), missing,
                    imageWidth: await image(), color: style.color, background: style.backgroundColor,
                    frame: window.frameSays, cookie: document.cookie };
                }
                run().catch((e) => { window.results = { error: String(e) }; });
                """);
        return web;
    }

    @Test
    @Timeout(60)
    void everyKindOfRequestReachesTheServerWithTheSecret(@TempDir Path dir) throws Exception {
        Path web = rootAbsoluteSite(dir.resolve("web"));
        try (LogCapture log = new LogCapture();
                Desktop desktop = Desktop.start(DesktopConfig.of(web).withExitOnLastWindowClosed(false))) {
            AppWindow w = Pages.open(desktop, "app://index.html");
            Pages.awaitEval(w, "typeof window.results", "\"object\"");
            JsonNode r = new ObjectMapper().readTree(Pages.eval(w, "window.results"));
            assertThat(r.path("error").isMissingNode()).as(r.toString()).isTrue();
            assertThat(r.get("dep").asText()).isEqualTo("static import");
            assertThat(r.get("lazy").asText()).isEqualTo("dynamic import");
            assertThat(r.get("rootFetch").asText()).isEqualTo("root");
            assertThat(r.get("relativeFetch").asText()).isEqualTo("root");
            assertThat(r.get("xhr").asText()).isEqualTo("root");
            assertThat(r.get("imageWidth").asInt()).isEqualTo(1);
            assertThat(r.get("color").asText()).isEqualTo("rgb(1, 2, 3)");
            assertThat(r.get("background").asText()).as("CSS @import").isEqualTo("rgb(4, 5, 6)");
            assertThat(r.get("frame").asText()).isEqualTo("inner loaded");
            assertThat(r.get("cookie").asText()).as("the page sees its own cookie, never the secret").isEqualTo("theme=dark");
            assertThat(r.get("missing").asInt()).isEqualTo(404);
            assertThat(Pages.eval(w, "location.href")).as("app://index.html is the root, where routers look for it")
                    .isEqualTo("\"" + desktop.assets().origin() + "/\"");
            Pages.eval(w, "location.href = 'index.html'; 1"); // the same page by its file name still loads
            Pages.awaitEval(w, "location.pathname + ' ' + document.readyState + ' ' + typeof window.runtime", "\"/index.html complete object\"");
            assertThat(log.messages()).noneMatch(m -> m.contains("on the app's asset server"));
            assertThat(log.messages()).anyMatch(m -> m.contains("Not found: " + desktop.assets().origin() + "/nope.json"));
        }
    }
}
