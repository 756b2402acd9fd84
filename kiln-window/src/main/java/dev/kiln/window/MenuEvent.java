package dev.kiln.window;

/**
 * A click on a menu item: Forge's {@code MenuEvent}, plus the window and a checkbox's new state.
 *
 * @param menuId   which menu: {@code "app"} (a window's menu bar), {@code "context"} or {@code "tray"}
 * @param itemId   the item's id (its label if it has none)
 * @param label    the item's label
 * @param windowId the window whose menu it was; {@code null} for the tray
 * @param checked  for a checkbox item, its state after the click; {@code null} otherwise
 */
public record MenuEvent(String menuId, String itemId, String label, String windowId, Boolean checked) {
}
