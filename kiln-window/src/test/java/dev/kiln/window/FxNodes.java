package dev.kiln.window;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.stage.Window;

/**
 * Finds JavaFX nodes on screen (in every open window, popups included) for tests that click them
 * with the real mouse: the centre of a node in screen coordinates, computed from its window's position.
 * Threading: test thread; it waits (bounded) for the FX thread.
 */
public final class FxNodes {
    private FxNodes() {
    }

    /** The screen centre of the first showing node that matches, waiting up to 20 s for one. */
    public static Point2D center(Predicate<Node> match) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            Optional<Point2D> at = Fx.call(() -> find(match)).get(10, TimeUnit.SECONDS);
            if (at.isPresent()) {
                return at.get();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("No such node on screen within 20 s");
    }

    /** A matcher for a labelled control (button, menu, menu item) showing exactly this text. */
    public static Predicate<Node> labelled(String text) {
        return n -> n instanceof javafx.scene.control.Labeled l && text.equals(l.getText());
    }

    private static Optional<Point2D> find(Predicate<Node> match) {
        for (Window w : new ArrayList<>(Window.getWindows())) {
            if (!w.isShowing() || w.getScene() == null) {
                continue;
            }
            List<Node> todo = new ArrayList<>(List.of(w.getScene().getRoot()));
            while (!todo.isEmpty()) {
                Node n = todo.remove(todo.size() - 1);
                if (n.isVisible() && match.test(n)) {
                    Bounds b = n.localToScreen(n.getBoundsInLocal());
                    if (b != null && b.getWidth() > 0) {
                        return Optional.of(new Point2D(b.getCenterX(), b.getCenterY()));
                    }
                }
                if (n instanceof Parent p) {
                    todo.addAll(p.getChildrenUnmodifiable());
                }
            }
        }
        return Optional.empty();
    }
}
