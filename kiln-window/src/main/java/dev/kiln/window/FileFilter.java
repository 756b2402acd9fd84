package dev.kiln.window;

import java.util.List;

/**
 * A file type choice of an open or save dialog, such as {@code Text files: txt, md}.
 *
 * @param name       what the dialog shows, e.g. {@code "Images"}
 * @param extensions extensions without the dot ({@code "png"}); {@code "*"} matches every file
 */
public record FileFilter(String name, List<String> extensions) {
    public FileFilter {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A file filter needs a name");
        }
        if (extensions == null || extensions.isEmpty()) {
            throw new IllegalArgumentException("The file filter '" + name + "' needs at least one extension");
        }
        extensions = List.copyOf(extensions);
        for (String e : extensions) {
            if (e == null || e.isBlank() || e.contains("/")) {
                throw new IllegalArgumentException("The file filter '" + name + "' has a bad extension: " + e);
            }
        }
    }

    /** The glob patterns JavaFX's FileChooser takes: {@code *.png}, or {@code *} for every file. */
    List<String> globs() {
        return extensions.stream().map(e -> e.equals("*") ? "*" : "*." + (e.startsWith(".") ? e.substring(1) : e)).toList();
    }
}
