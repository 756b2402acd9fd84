package dev.kiln.window;

import java.util.List;

/**
 * How to create a window: the options of Forge's {@code createWindow}, plus an optional id.
 *
 * <p>Build with {@link #builder()}; every option has a default. Nullable options ({@code id},
 * {@code x}, {@code y}, the min/max sizes, {@code channels}) mean "not set".
 *
 * @param id          the window's id, such as {@code "main-window"}; {@code null} to generate a unique one
 * @param url         the page to load; default {@code app://index.html}, served from the app's {@code web/} folder
 * @param title       the window title
 * @param width       the width in pixels (default 800)
 * @param height      the height in pixels (default 600)
 * @param x           the left edge on screen, or {@code null} to let the system place it
 * @param y           the top edge on screen, or {@code null} to let the system place it
 * @param resizable   whether the user may resize it (default true)
 * @param visible     whether it is shown at once (default true)
 * @param alwaysOnTop whether it stays above other windows (default false)
 * @param minWidth    the smallest width, or {@code null}
 * @param minHeight   the smallest height, or {@code null}
 * @param maxWidth    the largest width, or {@code null}
 * @param maxHeight   the largest height, or {@code null}
 * @param channels    the window's own channel allow list, replacing the app's allowed list for it;
 *                    {@code null} to use the app's
 * @param decorations whether it has a title bar and border (default true); a transparent window has none
 * @param transparent whether the window and page background are transparent (default false), so that
 *                    only what the page paints shows; such a window has no decorations
 * @param devtools    accepted for Forge compatibility and ignored: the JavaFX WebView has no developer tools
 */
public record WindowOptions(String id, String url, String title, int width, int height, Integer x, Integer y,
                            boolean resizable, boolean visible, boolean alwaysOnTop, Integer minWidth,
                            Integer minHeight, Integer maxWidth, Integer maxHeight, List<String> channels,
                            boolean decorations, boolean transparent, boolean devtools) {

    public static final String DEFAULT_URL = "app://index.html";

    public WindowOptions {
        url = url == null ? DEFAULT_URL : url;
        title = title == null ? "" : title;
        channels = channels == null ? null : List.copyOf(channels);
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("Window size must be positive, got " + width + "x" + height);
        }
        if (id != null && id.isBlank()) {
            throw new IllegalArgumentException("A window id must not be blank");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link WindowOptions}. */
    public static final class Builder {
        private String id;
        private String url;
        private String title;
        private int width = 800;
        private int height = 600;
        private Integer x;
        private Integer y;
        private boolean resizable = true;
        private boolean visible = true;
        private boolean alwaysOnTop;
        private Integer minWidth;
        private Integer minHeight;
        private Integer maxWidth;
        private Integer maxHeight;
        private List<String> channels;
        private boolean decorations = true;
        private boolean transparent;
        private boolean devtools;

        private Builder() {
        }

        public Builder id(String id) { this.id = id; return this; }
        public Builder url(String url) { this.url = url; return this; }
        public Builder title(String title) { this.title = title; return this; }
        public Builder width(int width) { this.width = width; return this; }
        public Builder height(int height) { this.height = height; return this; }
        public Builder size(int width, int height) { this.width = width; this.height = height; return this; }
        public Builder x(Integer x) { this.x = x; return this; }
        public Builder y(Integer y) { this.y = y; return this; }
        public Builder position(int x, int y) { this.x = x; this.y = y; return this; }
        public Builder resizable(boolean resizable) { this.resizable = resizable; return this; }
        public Builder visible(boolean visible) { this.visible = visible; return this; }
        public Builder alwaysOnTop(boolean alwaysOnTop) { this.alwaysOnTop = alwaysOnTop; return this; }
        public Builder minWidth(Integer minWidth) { this.minWidth = minWidth; return this; }
        public Builder minHeight(Integer minHeight) { this.minHeight = minHeight; return this; }
        public Builder maxWidth(Integer maxWidth) { this.maxWidth = maxWidth; return this; }
        public Builder maxHeight(Integer maxHeight) { this.maxHeight = maxHeight; return this; }
        public Builder channels(List<String> channels) { this.channels = channels; return this; }
        public Builder decorations(boolean decorations) { this.decorations = decorations; return this; }
        public Builder transparent(boolean transparent) { this.transparent = transparent; return this; }
        public Builder devtools(boolean devtools) { this.devtools = devtools; return this; }

        public WindowOptions build() {
            return new WindowOptions(id, url, title, width, height, x, y, resizable, visible, alwaysOnTop,
                    minWidth, minHeight, maxWidth, maxHeight, channels, decorations, transparent, devtools);
        }
    }
}
