package dev.kiln.window;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookieStore;
import java.net.HttpCookie;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cookies of the app's own pages, kept in a file in the instance's slot folder, so that they
 * persist across launches as a browser's do: cookies with an expiry ({@code Max-Age} or
 * {@code Expires}) are written at each change; session cookies live in memory only, and expired
 * ones are dropped when the file is read.
 *
 * <p>Threading: any thread; changes are serialized on this object.
 */
final class CookieFile implements CookieStore {
    private static final System.Logger LOG = System.getLogger("dev.kiln.window");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final CookieStore memory = new CookieManager().getCookieStore();
    /** When each persistent cookie expires (epoch ms), and the URI it was set for. */
    private final Map<HttpCookie, Expiry> expiries = new ConcurrentHashMap<>();

    private record Expiry(URI uri, long at) {
    }

    CookieFile(Path file) {
        this.file = file;
        load();
    }

    @Override
    public synchronized void add(URI uri, HttpCookie cookie) {
        memory.add(uri, cookie);
        expiries.remove(cookie);
        if (cookie.getMaxAge() > 0) {
            expiries.put(cookie, new Expiry(uri, System.currentTimeMillis() + cookie.getMaxAge() * 1000));
        }
        save();
    }

    @Override
    public List<HttpCookie> get(URI uri) {
        return memory.get(uri);
    }

    @Override
    public List<HttpCookie> getCookies() {
        return memory.getCookies();
    }

    @Override
    public List<URI> getURIs() {
        return memory.getURIs();
    }

    @Override
    public synchronized boolean remove(URI uri, HttpCookie cookie) {
        boolean removed = memory.remove(uri, cookie);
        expiries.remove(cookie);
        save();
        return removed;
    }

    @Override
    public synchronized boolean removeAll() {
        boolean removed = memory.removeAll();
        expiries.clear();
        save();
        return removed;
    }

    private void load() {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            long now = System.currentTimeMillis();
            for (JsonNode c : JSON.readTree(file.toFile())) {
                long at = c.path("expires").asLong();
                if (at <= now) {
                    continue;
                }
                HttpCookie cookie = new HttpCookie(c.path("name").asText(), c.path("value").asText());
                cookie.setDomain(c.path("domain").isNull() ? null : c.path("domain").asText(null));
                cookie.setPath(c.path("path").asText(null));
                cookie.setSecure(c.path("secure").asBoolean());
                cookie.setHttpOnly(c.path("httpOnly").asBoolean());
                cookie.setVersion(c.path("version").asInt());
                cookie.setMaxAge((at - now) / 1000);
                URI uri = URI.create(c.path("uri").asText());
                memory.add(uri, cookie);
                expiries.put(cookie, new Expiry(uri, at));
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not read the app's cookies from " + file + ", starting without them: " + e);
        }
    }

    private void save() {
        ArrayNode all = JSON.createArrayNode();
        List<HttpCookie> live = new ArrayList<>(memory.getCookies()); // drops expired ones
        for (HttpCookie cookie : live) {
            Expiry e = expiries.get(cookie);
            if (e == null) {
                continue;
            }
            ObjectNode c = all.addObject();
            c.put("uri", e.uri().toString());
            c.put("name", cookie.getName());
            c.put("value", cookie.getValue());
            c.put("domain", cookie.getDomain());
            c.put("path", cookie.getPath());
            c.put("secure", cookie.getSecure());
            c.put("httpOnly", cookie.isHttpOnly());
            c.put("version", cookie.getVersion());
            c.put("expires", e.at());
        }
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), all);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException ex) {
            LOG.log(System.Logger.Level.WARNING, "Could not save the app's cookies to " + file + ": " + ex);
        }
    }
}
