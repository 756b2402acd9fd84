package dev.kiln.script;

import com.caoccao.javet.enums.JSRuntimeType;
import com.caoccao.javet.interop.loader.IJavetLibLoadingListener;
import com.caoccao.javet.interop.loader.JavetLibLoader;
import com.caoccao.javet.swc4j.Swc4jLibLoader;
import com.caoccao.javet.swc4j.interfaces.ISwc4jLibLoadingListener;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Loads V8 and swc4j from one fixed folder instead of a fresh copy in {@code java.io.tmpdir/<pid>} per start.
 *
 * <p>Javet and swc4j both copy their ~60 MB of native code to a per-process folder on every start,
 * which costs time and leaves litter. Kiln copies each library once into
 * {@code ~/.cache/kiln/native/} (or {@code -Dkiln.native.dir}) and loads it from there. When that folder
 * cannot be written, the libraries' own loading is left in place.
 *
 * <p>Threading: {@link #install()} is idempotent and synchronized; call it before the first use of
 * either library.
 */
final class NativeLibraries {
    private static final System.Logger LOG = System.getLogger(NativeLibraries.class.getName());
    private static final String SWC4J_FILE = "libswc4j-linux-x86_64.v.2.2.0.so";
    private static boolean installed;

    private NativeLibraries() {
    }

    static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        Path dir = Path.of(System.getProperty("kiln.native.dir",
                System.getProperty("user.home") + "/.cache/kiln/native"));
        try {
            Files.createDirectories(dir);
            JavetLibLoader javet = new JavetLibLoader(JSRuntimeType.V8);
            if (extract(JavetLibLoader.class, javet.getResourceFileName(), dir.resolve(javet.getLibFileName()))) {
                JavetLibLoader.setLibLoadingListener(new IJavetLibLoadingListener() {
                    @Override
                    public File getLibPath(JSRuntimeType type) {
                        return dir.toFile();
                    }

                    @Override
                    public boolean isDeploy(JSRuntimeType type) {
                        return false;
                    }
                });
            }
            if (extract(Swc4jLibLoader.class, "/" + SWC4J_FILE, dir.resolve(SWC4J_FILE))) {
                Swc4jLibLoader.setLibLoadingListener(new ISwc4jLibLoadingListener() {
                    @Override
                    public File getLibPath() {
                        return dir.toFile();
                    }

                    @Override
                    public boolean isDeploy() {
                        return false;
                    }
                });
            }
        } catch (Exception | LinkageError e) {
            LOG.log(System.Logger.Level.DEBUG, "Native libraries load from the default place: " + e);
        }
    }

    /** Copies a resource to its target once; whether the target is now in place. */
    private static boolean extract(Class<?> owner, String resource, Path target) throws IOException {
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                return false;
            }
            if (Files.isRegularFile(target) && Files.size(target) > 0) {
                return true;
            }
            // A temp file and an atomic rename keep two first starts from loading a half-written file.
            Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
            try {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return true;
        }
    }
}
