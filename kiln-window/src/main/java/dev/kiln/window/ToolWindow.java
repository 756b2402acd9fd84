package dev.kiln.window;

import javafx.scene.Scene;
import javafx.scene.web.WebEngine;
import javafx.scene.web.WebView;
import javafx.stage.Stage;

/**
 * A window of Kiln's own beside the app's (the IPC inspector's): a plain WebView showing a page of
 * another origin, with no bridge, no system events, no place in the app's window list and no say in
 * the last-window rule; it closes with its desktop.
 *
 * <p>Threading: FX thread only.
 */
final class ToolWindow {
    private final Stage stage;
    private final WebView view;

    private ToolWindow(WebData data, String title, String url, double width, double height) {
        view = new WebView();
        data.prepare(view.getEngine()); // as the app's windows: WebKit takes the JVM's cookie handler at its first load
        stage = new Stage();
        stage.setTitle(title);
        stage.setScene(new Scene(view, width, height));
        view.getEngine().load(url);
        stage.show();
    }

    /** FX thread: builds the window, starts loading its page and shows it. */
    static ToolWindow open(WebData data, String title, String url, double width, double height) {
        return new ToolWindow(data, title, url, width, height);
    }

    boolean isShowing() {
        return stage.isShowing();
    }

    WebEngine engine() {
        return view.getEngine();
    }

    /** FX thread; a window the user already closed stays closed. */
    void close() {
        view.getEngine().load(null);
        stage.close();
    }
}
