package dev.kiln.script;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The text files in one folder of kiln-script's resources, in name order, whether the classes run
 * from a folder (tests) or a jar: how the bootstrap parts and the modules' type declarations are
 * found, so that adding a module is adding files, not editing a list.
 *
 * <p>Stateless; any thread.
 */
final class ResourceFolder {
    private ResourceFolder() {
    }

    /** The names of the files in {@code folder} (relative to this package) ending in {@code suffix}, sorted; none if it is missing. */
    static List<String> names(String folder, String suffix) {
        URL url = ResourceFolder.class.getResource(folder + "/");
        if (url == null) {
            return List.of(); // a folder with no files is not in the jar
        }
        List<String> names = new ArrayList<>();
        try {
            if (url.getProtocol().equals("jar")) {
                JarURLConnection connection = (JarURLConnection) url.openConnection();
                connection.setUseCaches(false);
                String prefix = connection.getEntryName();
                try (JarFile jar = connection.getJarFile()) {
                    for (JarEntry e : java.util.Collections.list(jar.entries())) {
                        String rest = e.getName().startsWith(prefix) ? e.getName().substring(prefix.length()) : null;
                        if (rest != null && !rest.isEmpty() && !rest.contains("/") && rest.endsWith(suffix)) {
                            names.add(rest);
                        }
                    }
                }
            } else {
                try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
                    files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix)).forEach(names::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + url, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        names.sort(null);
        return names;
    }

    /** The text of {@code folder/name}. */
    static String read(String folder, String name) {
        String path = folder.isEmpty() ? name : folder + "/" + name;
        try (InputStream in = ResourceFolder.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " missing from the kiln-script resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + path, e);
        }
    }
}
