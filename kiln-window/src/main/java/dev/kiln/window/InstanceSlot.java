package dev.kiln.window;

import java.io.IOException;
import java.net.BindException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One running instance's claim on its app's data: a numbered slot with its own folder
 * ({@code <app data>/slot-<n>/}, locked while the instance runs) and its own port, hence its own
 * page origin {@code http://127.0.0.1:<port>}.
 *
 * <p>Why slots: WebKit locks its data folder for one process, and web storage belongs to an
 * origin. The first instance of an app takes slot 0, every launch, so its origin and storage are
 * stable across launches; a second instance running at the same time takes slot 1, with its own
 * storage, and so on. The port of slot {@code n} is derived from the app identifier and {@code n}
 * ({@link #port}). An instance takes the first slot whose folder is not locked by another running
 * instance and whose port is free; if another program holds slot 0's port, the instance moves on
 * to slot 1 (its storage, not slot 0's) and says so.
 *
 * <p>Threading: claim from any thread; {@link #close()} is idempotent.
 */
final class InstanceSlot implements AutoCloseable {
    static final int MAX_SLOTS = 16;
    /** Ports come from [10000, 32000): below every OS's ephemeral range, above common dev-server ports. */
    static final int PORT_BASE = 10_000;
    static final int PORT_COUNT = 22_000;
    private static final System.Logger LOG = System.getLogger("dev.kiln.window");

    /** What binds the slot's port: given the slot's folder and port, starts something on it. */
    interface Binder<T> {
        T bind(Path slotFolder, int port) throws IOException;
    }

    /** A claimed slot and what was bound on its port. */
    record Claim<T>(InstanceSlot slot, T bound) {
    }

    private final int number;
    private final Path folder;
    private final FileChannel lockFile;
    private final FileLock lock;

    private InstanceSlot(int number, Path folder, FileChannel lockFile, FileLock lock) {
        this.number = number;
        this.folder = folder;
        this.lockFile = lockFile;
        this.lock = lock;
    }

    /** The port of slot {@code slot} of the app: the same on every machine and every launch. */
    static int port(String identifier, int slot) {
        String hash = AppDataFolder.hex(identifier + "#" + slot);
        return PORT_BASE + (int) (Long.parseLong(hash.substring(0, 8), 16) % PORT_COUNT);
    }

    /**
     * Claims the first free slot of the app and binds its port.
     *
     * @throws IOException if the data folder cannot be created, or no slot is free
     */
    static <T> Claim<T> claim(String identifier, Binder<T> binder) throws IOException {
        Path appFolder = AppDataFolder.forApp(identifier);
        StringBuilder skipped = new StringBuilder();
        for (int n = 0; n < MAX_SLOTS; n++) {
            Path folder = Files.createDirectories(appFolder.resolve("slot-" + n));
            FileChannel channel = FileChannel.open(folder.resolve("instance.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by another desktop of this JVM
            }
            if (lock == null) {
                channel.close();
                continue; // another instance runs in this slot
            }
            int port = port(identifier, n);
            try {
                T bound = binder.bind(folder, port);
                if (skipped.length() > 0) {
                    LOG.log(System.Logger.Level.WARNING, "App " + identifier + " runs in instance slot " + n + " (" + folder
                            + "), not slot 0, so its web storage is that slot's:" + skipped);
                }
                return new Claim<>(new InstanceSlot(n, folder, channel, lock), bound);
            } catch (BindException e) {
                skipped.append(" port ").append(port).append(" of slot ").append(n).append(" is taken by another program;");
                lock.release();
                channel.close();
            } catch (IOException | RuntimeException e) {
                lock.release();
                channel.close();
                throw e;
            }
        }
        throw new IOException("App " + identifier + " has no free instance slot in " + appFolder + ": " + MAX_SLOTS
                + " instances run at once, or their ports are taken by other programs." + skipped);
    }

    int number() {
        return number;
    }

    Path folder() {
        return folder;
    }

    /** WebKit's user-data folder for this slot: local storage, databases. */
    Path webViewFolder() {
        return folder.resolve("webview");
    }

    @Override
    public synchronized void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
            lockFile.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not release instance slot " + folder + ": " + e);
        }
    }
}
