package dev.kiln.window;

import java.util.List;

/**
 * How to show a message dialog: Forge's {@code MessageDialogOptions}, plus the window it belongs to.
 *
 * <p>Buttons are shown in the given order. A button labelled "Cancel" or "No" (any case) is the one
 * Escape and the window's close button choose; the last other button is the default, chosen by
 * Enter. A dialog with several buttons and none of them "Cancel" or "No" closes only through a button.
 *
 * @param title    the dialog's title, or {@code null} for none
 * @param message  the text shown
 * @param kind     the icon: information, warning or error
 * @param buttons  the button labels; empty means one "OK" button
 * @param windowId the window the dialog is modal to; {@code null} for the focused window (or, with none
 *                 focused, the newest open one)
 */
public record MessageDialogOptions(String title, String message, Kind kind, List<String> buttons, String windowId) {
    /** The dialog's icon. */
    public enum Kind { INFO, WARNING, ERROR }

    public MessageDialogOptions {
        if (message == null) {
            throw new IllegalArgumentException("A message dialog needs a message");
        }
        kind = kind == null ? Kind.INFO : kind;
        buttons = buttons == null || buttons.isEmpty() ? List.of("OK") : List.copyOf(buttons);
        for (String b : buttons) {
            if (b == null || b.isBlank()) {
                throw new IllegalArgumentException("A message dialog's button labels must not be empty, got " + buttons);
            }
        }
    }

    /** A message with one OK button, modal to the focused window. */
    public static MessageDialogOptions of(String message, String title, Kind kind, String... buttons) {
        return new MessageDialogOptions(title, message, kind, List.of(buttons), null);
    }

    /** The same dialog, modal to another window ({@code null}: the focused one). */
    public MessageDialogOptions inWindow(String windowId) {
        return new MessageDialogOptions(title, message, kind, buttons, windowId);
    }
}
