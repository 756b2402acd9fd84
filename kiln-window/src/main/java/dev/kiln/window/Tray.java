package dev.kiln.window;

import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.KilnException;
import java.awt.AWTException;
import java.awt.CheckboxMenuItem;
import java.awt.EventQueue;
import java.awt.GraphicsEnvironment;
import java.awt.Image;
import java.awt.Menu;
import java.awt.PopupMenu;
import java.awt.SystemTray;
import java.awt.TrayIcon;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

/**
 * A desktop's system tray icons, through AWT's {@link SystemTray}: only where the desktop has a
 * system tray (a tray manager owns the X selection {@code _NET_SYSTEM_TRAY_S0}). Elsewhere (Xvfb,
 * GNOME without an extension, many other Linux desktops) {@link #create} fails with code 7011
 * ({@link ErrorCode#TRAY_UNAVAILABLE}) rather than doing nothing. Get it from {@link Desktop#tray()}.
 *
 * <p>Threading: every method may be called from any thread and returns at once; AWT work runs on
 * AWT's event thread, and the futures complete on the desktop's callback executor. The icons map is
 * concurrent.
 */
public final class Tray {
    private final Desktop desktop;
    private final Map<String, TrayIcon> icons = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger();

    Tray(Desktop desktop) {
        this.desktop = desktop;
    }

    /** Whether this desktop has a system tray. */
    public static boolean isSupported() {
        return !GraphicsEnvironment.isHeadless() && SystemTray.isSupported();
    }

    /**
     * Shows a tray icon; its id. Fails with code 7011 where there is no system tray, and with an
     * {@link IllegalArgumentException} for an icon file that cannot be read.
     */
    public CompletableFuture<String> create(TrayOptions options) {
        Objects.requireNonNull(options, "options");
        if (!isSupported()) {
            return CompletableFuture.failedFuture(unavailable());
        }
        String id = "tray-" + nextId.incrementAndGet();
        return onAwt(() -> {
            TrayIcon icon = new TrayIcon(image(options.icon()));
            icon.setImageAutoSize(true);
            apply(id, icon, options);
            try {
                SystemTray.getSystemTray().add(icon);
            } catch (AWTException e) {
                throw new KilnException(ErrorCode.TRAY_UNAVAILABLE, "The system tray refused the icon: " + e.getMessage(), e);
            }
            icons.put(id, icon);
            return id;
        });
    }

    /** Changes an icon's image, tooltip and menu; false if no icon has that id (any more). */
    public CompletableFuture<Boolean> update(String trayId, TrayOptions options) {
        Objects.requireNonNull(options, "options");
        TrayIcon icon = icons.get(trayId);
        if (icon == null) {
            return CompletableFuture.completedFuture(false);
        }
        return onAwt(() -> {
            if (options.icon() != null) {
                icon.setImage(image(options.icon()));
            }
            apply(trayId, icon, options);
            return true;
        });
    }

    /** Removes an icon; false if no icon has that id (any more). */
    public CompletableFuture<Boolean> destroy(String trayId) {
        TrayIcon icon = icons.remove(trayId);
        if (icon == null) {
            return CompletableFuture.completedFuture(false);
        }
        return onAwt(() -> {
            SystemTray.getSystemTray().remove(icon);
            return true;
        });
    }

    /** The one error for a desktop without a tray. */
    static KilnException unavailable() {
        String display = System.getenv("DISPLAY");
        return new KilnException(ErrorCode.TRAY_UNAVAILABLE, "This desktop has no system tray"
                + (display == null ? "" : " (DISPLAY=" + display + ")")
                + ": no tray icon can be shown. Xvfb and many Linux desktops have none; a tray manager"
                + " (such as the one in XFCE, KDE, or GNOME's AppIndicator extension) provides one");
    }

    // ---- AWT event thread ----

    private void apply(String id, TrayIcon icon, TrayOptions options) {
        icon.setToolTip(options.tooltip());
        if (options.menu().isEmpty()) {
            icon.setPopupMenu(null);
            return;
        }
        PopupMenu popup = new PopupMenu();
        for (MenuItem item : options.menu()) {
            popup.add(awtItem(item));
        }
        icon.setPopupMenu(popup);
    }

    private java.awt.MenuItem awtItem(MenuItem item) {
        if (item.type() == MenuItem.Type.SEPARATOR) {
            return new java.awt.MenuItem("-"); // AWT's separator label
        }
        java.awt.MenuItem awt;
        if (item.submenu() != null) {
            Menu menu = new Menu(item.label());
            item.submenu().forEach(child -> menu.add(awtItem(child)));
            awt = menu;
        } else if (item.type() == MenuItem.Type.CHECKBOX) {
            CheckboxMenuItem check = new CheckboxMenuItem(item.label(), Boolean.TRUE.equals(item.checked()));
            check.addItemListener(e -> desktop.menus().clicked(
                    new MenuEvent("tray", item.itemId(), item.label(), null, check.getState())));
            awt = check;
        } else {
            awt = new java.awt.MenuItem(item.label());
            awt.addActionListener(e -> desktop.menus().clicked(new MenuEvent("tray", item.itemId(), item.label(), null, null)));
        }
        awt.setEnabled(item.enabled());
        return awt;
    }

    private static Image image(String file) {
        if (file == null) {
            BufferedImage square = new BufferedImage(16, 16, BufferedImage.TYPE_INT_ARGB);
            java.awt.Graphics2D g = square.createGraphics();
            g.setColor(new java.awt.Color(0xD0, 0x5A, 0x1E)); // a kiln's ember
            g.fillRoundRect(1, 1, 14, 14, 4, 4);
            g.dispose();
            return square;
        }
        try {
            BufferedImage image = ImageIO.read(Path.of(file).toFile());
            if (image == null) {
                throw new IllegalArgumentException("The tray icon " + file + " is not a PNG, GIF or JPEG image");
            }
            return image;
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the tray icon " + file + ": " + e.getMessage(), e);
        }
    }

    private <T> CompletableFuture<T> onAwt(java.util.concurrent.Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        EventQueue.invokeLater(() -> {
            try {
                T value = task.call();
                desktop.completions().execute(() -> result.complete(value));
            } catch (Exception e) {
                desktop.completions().execute(() -> result.completeExceptionally(e));
            }
        });
        return result;
    }

}
