package dev.kiln.window;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The app's {@code web/} folder as the asset server sees it: which file a request path names, and
 * its MIME type.
 *
 * <p>Refused (no file): paths that escape the folder ({@code ..}, its percent-encoded forms,
 * backslashes, NUL, symbolic links that lead outside), and every path with a segment that starts
 * with a dot ({@code .env}, {@code .git/config}): dotfiles are build and tool state, never app
 * assets. Immutable; any thread.
 */
final class WebFolder {
    private static final System.Logger LOG = System.getLogger("dev.kiln.window");
    private static final Map<String, String> MIME_TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("woff", "font/woff"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("ttf", "font/ttf"),
            Map.entry("wasm", "application/wasm"),
            Map.entry("mp3", "audio/mpeg"),
            Map.entry("mp4", "video/mp4"),
            Map.entry("webm", "video/webm"),
            Map.entry("xml", "application/xml"));

    private final Path root;
    private final Path realRoot;

    WebFolder(Path webRoot) throws IOException {
        this.root = webRoot.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("The app's web folder does not exist: " + root);
        }
        this.realRoot = root.toRealPath();
    }

    Path root() {
        return root;
    }

    /** The file for a request path, or {@code null} if there is none or it is refused. */
    Path fileFor(URI uri) throws IOException {
        String raw = uri.getRawPath();
        if (raw == null || !raw.startsWith("/")) {
            return null;
        }
        String path;
        try {
            path = URI.create("x:" + raw).getPath(); // percent-decoded
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (path == null || path.indexOf('\0') >= 0 || path.contains("\\")) {
            return null;
        }
        for (String segment : path.split("/")) {
            if (segment.startsWith(".")) { // "..", ".", and dotfiles alike
                return null;
            }
        }
        String relative = path.substring(1);
        if (relative.isEmpty()) {
            relative = "index.html";
        }
        Path candidate = root.resolve(relative).normalize();
        if (!candidate.startsWith(root)) {
            return null;
        }
        if (Files.isDirectory(candidate)) {
            candidate = candidate.resolve("index.html");
        }
        if (!Files.isRegularFile(candidate)) {
            return null;
        }
        // A symbolic link inside web/ must not lead outside it.
        if (!candidate.toRealPath().startsWith(realRoot)) {
            LOG.log(System.Logger.Level.WARNING, "Refused " + raw + ": it leads outside the app's web folder");
            return null;
        }
        return candidate;
    }

    static String mimeType(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return MIME_TYPES.getOrDefault(ext, "application/octet-stream");
    }
}
