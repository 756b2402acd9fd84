package dev.kiln.window;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;

/**
 * One entry of a menu bar, context menu or tray menu: Forge's {@code MenuItem}.
 *
 * <p>Build with {@link #item}, {@link #submenu}, {@link #checkbox} and {@link #separator}, then
 * {@link #withAccelerator} and {@link #disabled()}. An invalid accelerator fails here, at once.
 *
 * @param id          what a click reports as the item id; {@code null} reports the label
 * @param label       the text shown
 * @param accelerator a key combination such as {@code "CmdOrCtrl+S"}, {@code "Ctrl+Shift+O"} or {@code "F5"}
 *                    (CmdOrCtrl, CommandOrControl, Cmd and Command are Ctrl here), or {@code null}
 * @param enabled     whether it can be chosen
 * @param checked     for a checkbox item, whether it is checked; {@code null} for other items
 * @param submenu     the items of its submenu, or {@code null} for a plain item
 * @param type        normal, checkbox or separator
 */
public record MenuItem(String id, String label, String accelerator, boolean enabled, Boolean checked,
                       List<MenuItem> submenu, Type type) {
    /** What kind of entry an item is. */
    public enum Type { NORMAL, CHECKBOX, SEPARATOR }

    private static final Map<String, KeyCombination.Modifier> MODIFIERS = Map.ofEntries(
            Map.entry("cmdorctrl", KeyCombination.SHORTCUT_DOWN), Map.entry("commandorcontrol", KeyCombination.SHORTCUT_DOWN),
            Map.entry("cmd", KeyCombination.SHORTCUT_DOWN), Map.entry("command", KeyCombination.SHORTCUT_DOWN),
            Map.entry("ctrl", KeyCombination.CONTROL_DOWN), Map.entry("control", KeyCombination.CONTROL_DOWN),
            Map.entry("alt", KeyCombination.ALT_DOWN), Map.entry("option", KeyCombination.ALT_DOWN),
            Map.entry("shift", KeyCombination.SHIFT_DOWN), Map.entry("super", KeyCombination.META_DOWN),
            Map.entry("meta", KeyCombination.META_DOWN));

    public MenuItem {
        type = type == null ? (checked != null ? Type.CHECKBOX : Type.NORMAL) : type;
        if (type == Type.SEPARATOR) {
            label = label == null ? "" : label;
        } else if (label == null || label.isEmpty()) {
            throw new IllegalArgumentException("A menu item needs a label" + (id == null ? "" : " (item '" + id + "')"));
        }
        if (type == Type.CHECKBOX && checked == null) {
            checked = false;
        }
        if (type != Type.CHECKBOX && checked != null) {
            throw new IllegalArgumentException("The menu item '" + label + "' has 'checked' but is not a checkbox item");
        }
        submenu = submenu == null ? null : List.copyOf(submenu);
        if (submenu != null && type != Type.NORMAL) {
            throw new IllegalArgumentException("The menu item '" + label + "' has a submenu: it must be a normal item");
        }
        if (accelerator != null) {
            keys(accelerator); // fails now on a bad one
        }
    }

    /** A plain item. */
    public static MenuItem item(String id, String label) {
        return new MenuItem(id, label, null, true, null, null, Type.NORMAL);
    }

    /** A checkbox item; a click toggles it (and reports the new state). */
    public static MenuItem checkbox(String id, String label, boolean checked) {
        return new MenuItem(id, label, null, true, checked, null, Type.CHECKBOX);
    }

    /** A submenu. */
    public static MenuItem submenu(String label, MenuItem... items) {
        return new MenuItem(null, label, null, true, null, List.of(items), Type.NORMAL);
    }

    /** A line between items. */
    public static MenuItem separator() {
        return new MenuItem(null, "", null, true, null, null, Type.SEPARATOR);
    }

    /** This item with a keyboard accelerator, such as {@code "CmdOrCtrl+S"}. */
    public MenuItem withAccelerator(String accelerator) {
        return new MenuItem(id, label, accelerator, enabled, checked, submenu, type);
    }

    /** This item, greyed out: shown but not choosable (nor its accelerator). */
    public MenuItem disabled() {
        return new MenuItem(id, label, accelerator, false, checked, submenu, type);
    }

    /** What a click on it reports as the item id. */
    public String itemId() {
        return id != null ? id : label;
    }

    /** The accelerator as JavaFX's key combination. */
    KeyCombination keys() {
        return accelerator == null ? null : keys(accelerator);
    }

    private static KeyCombination keys(String accelerator) {
        String[] parts = accelerator.split("\\+", -1);
        KeyCombination.Modifier[] modifiers = new KeyCombination.Modifier[parts.length - 1];
        for (int i = 0; i < parts.length - 1; i++) {
            KeyCombination.Modifier m = MODIFIERS.get(parts[i].trim().toLowerCase(Locale.ROOT));
            if (m == null) {
                throw new IllegalArgumentException("Bad accelerator '" + accelerator + "': unknown modifier '" + parts[i]
                        + "' (use CmdOrCtrl, Ctrl, Alt, Shift, Super)");
            }
            modifiers[i] = m;
        }
        String key = parts[parts.length - 1].trim();
        KeyCode code = key.isEmpty() ? null : KeyCode.getKeyCode(key.length() == 1 ? key.toUpperCase(Locale.ROOT)
                : key.substring(0, 1).toUpperCase(Locale.ROOT) + key.substring(1).toLowerCase(Locale.ROOT));
        if (code == null) {
            code = switch (key.toLowerCase(Locale.ROOT)) {
                case "plus" -> KeyCode.PLUS;
                case "esc" -> KeyCode.ESCAPE;
                case "return" -> KeyCode.ENTER;
                case "del" -> KeyCode.DELETE;
                case "pageup" -> KeyCode.PAGE_UP;
                case "pagedown" -> KeyCode.PAGE_DOWN;
                default -> null;
            };
        }
        if (code == null) {
            throw new IllegalArgumentException("Bad accelerator '" + accelerator + "': unknown key '" + key + "'");
        }
        return new KeyCodeCombination(code, modifiers);
    }
}
