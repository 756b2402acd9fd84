package dev.kiln.window;

import java.util.ArrayList;
import java.util.List;
import javafx.geometry.Rectangle2D;
import javafx.stage.Screen;

/**
 * A screen as JavaFX reports it (runtime:window's {@code getMonitors()}).
 *
 * @param id          {@code "screen-0"}, {@code "screen-1"}, ... in JavaFX's order (stable while the screens are)
 * @param name        always {@code null}: JavaFX does not name screens
 * @param position    the top-left corner of the screen in desktop coordinates
 * @param size        the screen's size
 * @param workArea    the part windows may use (without panels and docks), position and size
 * @param scaleFactor the output scale (1 on a normal display, 2 on a HiDPI one)
 * @param primary     whether it is the primary screen
 */
public record Monitor(String id, String name, Position position, Size size, Area workArea, double scaleFactor,
                      boolean primary) {

    /** A rectangle on the desktop. */
    public record Area(int x, int y, int width, int height) {
    }

    /** The screens now. FX thread. */
    static List<Monitor> all() {
        List<Monitor> list = new ArrayList<>();
        Screen primary = Screen.getPrimary();
        List<Screen> screens = Screen.getScreens();
        for (int i = 0; i < screens.size(); i++) {
            Screen s = screens.get(i);
            Rectangle2D b = s.getBounds();
            Rectangle2D v = s.getVisualBounds();
            list.add(new Monitor("screen-" + i, null, new Position(px(b.getMinX()), px(b.getMinY())),
                    new Size(px(b.getWidth()), px(b.getHeight())),
                    new Area(px(v.getMinX()), px(v.getMinY()), px(v.getWidth()), px(v.getHeight())),
                    s.getOutputScaleX(), s.equals(primary)));
        }
        return list;
    }

    private static int px(double v) {
        return (int) Math.round(v);
    }
}
