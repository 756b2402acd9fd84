package dev.kiln.window;

import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.KilnException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import javafx.geometry.Point2D;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.layout.BorderPane;
import javafx.scene.robot.Robot;
import javafx.scene.web.WebView;
import javafx.stage.Stage;

/**
 * A desktop's menus: a menu bar above a window's page (the app menu), context menus at the pointer,
 * and the clicks on them, delivered to {@link #onMenu} listeners. Get it from {@link Desktop#menus()}.
 *
 * <p>An app menu set without a window id goes on every window, those opened later included; one set
 * for a window replaces it there. Its top-level items are the bar's menus, so each needs a submenu.
 * Accelerators work while the window has the keyboard, the page's text fields included (the page
 * does not see a key that chose a menu item). A checkbox item toggles itself when chosen.
 *
 * <p>Threading: every method may be called from any thread and returns at once. Listeners run on the
 * desktop's callback executor, one event at a time, in click order. The menus live on the FX thread;
 * {@link #appMenu} is written there only.
 */
public final class Menus {
    private final Desktop desktop;
    private final Listeners<MenuEvent> listeners = new Listeners<>("menu");
    private volatile List<MenuItem> appMenu = List.of(); // for every window; written on the FX thread

    Menus(Desktop desktop) {
        this.desktop = desktop;
    }

    /**
     * Sets the menu bar of every window, those opened later included; an empty list removes it. The
     * future completes once the bars are in place.
     *
     * @throws IllegalArgumentException if a top-level item has no submenu
     */
    public CompletableFuture<Void> setAppMenu(List<MenuItem> items) {
        List<MenuItem> bar = checkBar(items);
        return onFx(() -> {
            appMenu = bar;
            for (AppWindow w : desktop.windows()) {
                if (!w.isClosed() && w instanceof WebViewWindow v && v.stage() != null) {
                    install(v, bar);
                }
            }
            return null;
        });
    }

    /**
     * Sets the menu bar of one window; an empty list removes it. The future fails with code 7002 if no
     * open window has that id.
     *
     * @throws IllegalArgumentException if a top-level item has no submenu
     */
    public CompletableFuture<Void> setAppMenu(List<MenuItem> items, String windowId) {
        Objects.requireNonNull(windowId, "windowId");
        List<MenuItem> bar = checkBar(items);
        return onFx(() -> {
            install(Dialogs.window(desktop, windowId), bar);
            return null;
        });
    }

    /**
     * Shows a context menu at the pointer, in the window named (or, with {@code null}, the focused
     * one): the id of the item chosen, or empty when it was dismissed. A choice is also reported to
     * the {@link #onMenu} listeners, with menu id {@code "context"}. The future fails with code 7002
     * if there is no such window (or, with {@code null}, no open window at all).
     */
    public CompletableFuture<Optional<String>> showContextMenu(List<MenuItem> items, String windowId) {
        List<MenuItem> entries = List.copyOf(Objects.requireNonNull(items, "items"));
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("A context menu needs at least one item");
        }
        CompletableFuture<Optional<String>> chosen = new CompletableFuture<>();
        Fx.later(() -> {
            try {
                WebViewWindow w = Dialogs.window(desktop, windowId);
                if (w == null) {
                    throw KilnException.windowNotFound("(none)", "there is no open window to show a context menu in");
                }
                ContextMenu menu = new ContextMenu();
                for (MenuItem item : entries) {
                    menu.getItems().add(build(item, "context", w.id(), event -> chosen.complete(Optional.of(event.itemId()))));
                }
                // after a choice's action ran: then the dismissal below finds the future done
                menu.setOnHidden(e -> Fx.later(() -> chosen.complete(Optional.empty())));
                Point2D at = new Robot().getMousePosition();
                menu.show(w.stage(), at.getX(), at.getY());
            } catch (RuntimeException e) {
                chosen.completeExceptionally(e);
            }
        });
        CompletableFuture<Optional<String>> result = new CompletableFuture<>();
        chosen.whenComplete((v, e) -> desktop.completions().execute(() -> {
            if (e != null) {
                result.completeExceptionally(e);
            } else {
                result.complete(v);
            }
        }));
        return result;
    }

    /** Calls back with every menu click of this desktop; the returned Runnable unsubscribes. */
    public Runnable onMenu(Consumer<MenuEvent> listener) {
        Objects.requireNonNull(listener, "listener");
        Consumer<MenuEvent> own = listener::accept; // a wrapper of its own, so that adding the same listener twice works
        listeners.add(own);
        return () -> listeners.remove(own);
    }

    // ---- FX thread ----

    /** A window just opened: it gets the menu set for every window. */
    void windowOpened(WebViewWindow window) {
        if (!appMenu.isEmpty()) {
            install(window, appMenu);
        }
    }

    /** The tray's clicks join the others. Any thread. */
    void clicked(MenuEvent event) {
        listeners.tellOn(desktop.completions(), event);
    }

    /** Puts the menu bar above the window's page (or takes it away), keeping the window's size. */
    private void install(WebViewWindow window, List<MenuItem> items) {
        Scene scene = window.stage().getScene();
        Parent root = scene.getRoot();
        BorderPane pane;
        if (root instanceof BorderPane p && p.getCenter() instanceof WebView) {
            pane = p;
        } else if (root instanceof WebView view) {
            Stage stage = window.stage();
            double width = stage.getWidth();
            double height = stage.getHeight();
            pane = new BorderPane();
            scene.setRoot(pane); // the view leaves the scene first, then joins the pane
            pane.setCenter(view);
            // a new root resizes the window to the root's preferred size; keep the size it had
            stage.setWidth(width);
            stage.setHeight(height);
        } else {
            throw new IllegalStateException("The window " + window.id() + " has an unexpected layout: " + root);
        }
        if (items.isEmpty()) {
            pane.setTop(null);
            return;
        }
        MenuBar bar = new MenuBar();
        bar.setUseSystemMenuBar(true); // on macOS the screen's menu bar, elsewhere ignored
        for (MenuItem item : items) {
            bar.getMenus().add((Menu) build(item, "app", window.id(), e -> { }));
        }
        pane.setTop(bar);
    }

    /** The JavaFX item for one of ours; choosing it tells the listeners, then {@code chosen}. */
    private javafx.scene.control.MenuItem build(MenuItem item, String menuId, String windowId, Consumer<MenuEvent> chosen) {
        if (item.type() == MenuItem.Type.SEPARATOR) {
            return new SeparatorMenuItem();
        }
        javafx.scene.control.MenuItem fx;
        if (item.submenu() != null) {
            Menu menu = new Menu(item.label());
            for (MenuItem child : item.submenu()) {
                menu.getItems().add(build(child, menuId, windowId, chosen));
            }
            fx = menu;
        } else if (item.type() == MenuItem.Type.CHECKBOX) {
            CheckMenuItem check = new CheckMenuItem(item.label());
            check.setSelected(Boolean.TRUE.equals(item.checked()));
            fx = check;
        } else {
            fx = new javafx.scene.control.MenuItem(item.label());
        }
        fx.setMnemonicParsing(false); // labels are shown as written
        fx.setDisable(!item.enabled());
        fx.setAccelerator(item.keys());
        if (item.submenu() == null) {
            fx.setOnAction(e -> {
                Boolean checked = fx instanceof CheckMenuItem c ? c.isSelected() : null; // already toggled
                MenuEvent event = new MenuEvent(menuId, item.itemId(), item.label(), windowId, checked);
                clicked(event);
                chosen.accept(event);
            });
        }
        return fx;
    }

    private static List<MenuItem> checkBar(List<MenuItem> items) {
        List<MenuItem> bar = List.copyOf(Objects.requireNonNull(items, "items"));
        for (MenuItem item : bar) {
            if (item.submenu() == null) {
                throw new IllegalArgumentException("The app menu's top-level item '" + item.label()
                        + "' needs a submenu: the top level of a menu bar holds menus");
            }
        }
        return bar;
    }

    /** Runs on the FX thread; the future completes on the callback executor. */
    private <T> CompletableFuture<T> onFx(java.util.concurrent.Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Fx.call(task).whenComplete((v, e) -> desktop.completions().execute(() -> {
            if (e != null) {
                result.completeExceptionally(e);
            } else {
                result.complete(v);
            }
        }));
        return result;
    }

}
