package dev.kiln.window;

import java.util.List;

/**
 * A tray icon's look and menu: Forge's {@code TrayOptions}.
 *
 * @param icon    an image file (PNG, GIF or JPEG), or {@code null} for Kiln's plain square
 * @param tooltip the text shown on hover, or {@code null}
 * @param menu    the menu the icon opens; its clicks reach {@link Menus#onMenu} with menu id {@code "tray"}
 */
public record TrayOptions(String icon, String tooltip, List<MenuItem> menu) {
    public TrayOptions {
        menu = menu == null ? List.of() : List.copyOf(menu);
    }
}
