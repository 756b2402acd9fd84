package dev.kiln.window;

import java.util.List;

/**
 * How to show an open or save dialog: Forge's {@code FileDialogOptions}, plus the window it belongs to.
 *
 * <p>Build with {@link #builder()}; every option has a default.
 *
 * @param title       the dialog's title, or {@code null} for the system's
 * @param defaultPath where the dialog starts: a folder, or a file (its folder, and for a save dialog its
 *                    name); {@code null} for the system's choice. Relative paths are against the current folder.
 * @param filters     file type choices, the first one selected; empty for every file
 * @param multiple    open: whether several files may be picked
 * @param directory   open: pick a folder instead of files
 * @param windowId    the window the dialog is modal to; {@code null} for the focused window (or, with none
 *                    focused, the newest open one)
 */
public record FileDialogOptions(String title, String defaultPath, List<FileFilter> filters, boolean multiple,
                                boolean directory, String windowId) {
    public FileDialogOptions {
        filters = filters == null ? List.of() : List.copyOf(filters);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link FileDialogOptions}. */
    public static final class Builder {
        private String title;
        private String defaultPath;
        private List<FileFilter> filters = List.of();
        private boolean multiple;
        private boolean directory;
        private String windowId;

        private Builder() {
        }

        public Builder title(String title) {
            this.title = title;
            return this;
        }

        public Builder defaultPath(String defaultPath) {
            this.defaultPath = defaultPath;
            return this;
        }

        public Builder filters(List<FileFilter> filters) {
            this.filters = filters;
            return this;
        }

        public Builder multiple(boolean multiple) {
            this.multiple = multiple;
            return this;
        }

        public Builder directory(boolean directory) {
            this.directory = directory;
            return this;
        }

        public Builder windowId(String windowId) {
            this.windowId = windowId;
            return this;
        }

        public FileDialogOptions build() {
            return new FileDialogOptions(title, defaultPath, filters, multiple, directory, windowId);
        }
    }
}
