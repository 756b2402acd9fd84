package dev.kiln.script;

import com.caoccao.javet.annotations.V8Function;
import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.KilnException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The ops behind {@code runtime:storage} (bootstrap {@code 10-storage.js}): the app's persistent
 * key-value store, JSON values by string keys, in an SQLite database in the app's data folder
 * ({@code $APPDATA/storage/storage.db}), opened on first use.
 *
 * <p>Crash safety: write-ahead logging with {@code synchronous=FULL}, so a {@code set} whose promise
 * has resolved is in the log on disk (fsync'd), and a process killed or a machine losing power in
 * the middle of a write leaves the previous state or the new one, never a torn one; {@code setMany},
 * {@code deleteMany} and {@code clear} are one transaction each. NORMAL would skip the fsync at each
 * commit and could lose the last resolved writes on power loss; a settings store is small and
 * written rarely, so FULL's cost is worth a resolved promise meaning "saved".
 *
 * <p>Threading: the ops are called on the loop thread; the connection lives on one thread of its
 * own ({@code kiln-storage}), so operations run in the order the script made them.
 */
final class StorageOps implements AutoCloseable {
    static final String OP_STORAGE = "storage";

    /** The database file inside {@link AppFolders#storage()}. */
    static final String FILE_NAME = "storage.db";

    private final Platform platform;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "kiln-storage");
        t.setDaemon(true);
        return t;
    });
    private Connection db; // kiln-storage thread only

    StorageOps(Platform platform) {
        this.platform = platform;
    }

    /**
     * One storage operation; the result, as the bootstrap expects it, settles the promise.
     *
     * @param op   get, set, remove, has, keys, clear, size, getMany, setMany, deleteMany
     * @param keys   a JSON array of the keys (one for get/set/remove/has)
     * @param values a JSON array of the values' JSON texts, for set and setMany (kept as the script wrote them)
     */
    @V8Function(name = OP_STORAGE)
    public void call(int promiseId, String op, String keys, String values) {
        List<String> k = strings(keys);
        List<String> v = strings(values);
        switch (op) {
            case "get" -> run(promiseId, () -> {
                String value = get(k.get(0));
                return value == null ? null : Integer.toString(platform.bytes().park(value));
            });
            case "set" -> run(promiseId, () -> {
                put(k, v);
                return null;
            });
            case "setMany" -> run(promiseId, () -> {
                transaction(() -> put(k, v));
                return null;
            });
            case "remove" -> run(promiseId, () -> Boolean.toString(delete(k) > 0));
            case "deleteMany" -> run(promiseId, () -> Integer.toString(transaction(() -> delete(k))));
            case "has" -> run(promiseId, () -> Boolean.toString(get(k.get(0)) != null));
            case "keys" -> run(promiseId, () -> Json.write(keys()));
            case "clear" -> run(promiseId, () -> {
                try (Statement s = db().createStatement()) {
                    s.executeUpdate("DELETE FROM kv");
                }
                return null;
            });
            case "size" -> run(promiseId, () -> {
                try (Statement s = db().createStatement();
                     ResultSet rs = s.executeQuery("SELECT COALESCE(SUM(LENGTH(CAST(value AS BLOB))), 0) FROM kv")) {
                    return Long.toString(rs.next() ? rs.getLong(1) : 0);
                }
            });
            case "getMany" -> run(promiseId, () -> {
                StringBuilder out = new StringBuilder("{");
                for (String key : k) {
                    String value = get(key);
                    if (value != null) {
                        if (out.length() > 1) {
                            out.append(',');
                        }
                        Json.quote(out, key);
                        out.append(':').append(value);
                    }
                }
                return Integer.toString(platform.bytes().park(out.append('}').toString()));
            });
            default -> throw new IllegalArgumentException("unknown storage op " + op);
        }
    }

    private static List<String> strings(String jsonArray) {
        List<String> out = new ArrayList<>();
        if (jsonArray != null) {
            Json.read(jsonArray).forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    private void run(int promiseId, Callable<String> work) {
        CompletableFuture<String> f = new CompletableFuture<>();
        try {
            thread.execute(() -> {
                try {
                    f.complete(work.call());
                } catch (SQLException e) {
                    f.completeExceptionally(new KilnException(ErrorCode.IO_FAILED, "Storage failed (" + database() + "): "
                            + e.getMessage(), e));
                } catch (Throwable e) {
                    f.completeExceptionally(IoErrors.coded(e));
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            f.completeExceptionally(new KilnException(ErrorCode.CHANNEL_SEND, "The runtime has shut down"));
        }
        platform.promises().settleLater(promiseId, f, s -> s, false);
    }

    private Path database() {
        return platform.folders().storage().resolve(FILE_NAME);
    }

    private Connection db() throws Exception {
        if (db == null) {
            Files.createDirectories(platform.folders().storage());
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + database());
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = 10000"); // a second instance of the app waits for the first's write
                s.execute("PRAGMA journal_mode = WAL");
                s.execute("PRAGMA synchronous = FULL");
                s.execute("CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID");
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            db = c;
        }
        return db;
    }

    private String get(String key) throws Exception {
        try (PreparedStatement s = db().prepareStatement("SELECT value FROM kv WHERE key = ?")) {
            s.setString(1, key);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private Void put(List<String> keys, List<String> values) throws Exception {
        try (PreparedStatement s = db().prepareStatement("INSERT INTO kv (key, value) VALUES (?, ?) "
                + "ON CONFLICT(key) DO UPDATE SET value = excluded.value")) {
            for (int i = 0; i < keys.size(); i++) {
                s.setString(1, keys.get(i));
                s.setString(2, values.get(i));
                s.executeUpdate();
            }
        }
        return null;
    }

    private int delete(List<String> keys) throws Exception {
        int n = 0;
        try (PreparedStatement s = db().prepareStatement("DELETE FROM kv WHERE key = ?")) {
            for (String key : keys) {
                s.setString(1, key);
                n += s.executeUpdate();
            }
        }
        return n;
    }

    private List<String> keys() throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement s = db().createStatement(); ResultSet rs = s.executeQuery("SELECT key FROM kv ORDER BY key")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private <T> T transaction(Callable<T> work) throws Exception {
        Connection c = db();
        c.setAutoCommit(false);
        try {
            T result = work.call();
            c.commit();
            return result;
        } catch (Exception e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** Closes the database on its thread (waiting a little for the writes queued before). */
    @Override
    public void close() {
        if (thread.isShutdown()) {
            return;
        }
        thread.execute(() -> {
            if (db != null) {
                try {
                    db.close();
                } catch (SQLException e) {
                    // the log is complete on disk; the next open replays it
                }
                db = null;
            }
        });
        thread.shutdown();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
