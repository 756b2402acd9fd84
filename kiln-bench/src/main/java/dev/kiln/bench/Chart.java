package dev.kiln.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The bench chart: for every row, how Kiln compares with the baseline of the same run, drawn with
 * Java2D. Bars show the advantage (above 1 = Kiln better, whichever way the metric goes: rates are
 * Kiln / baseline, times and memory baseline / Kiln) on a log scale; ticks mark the targets.
 */
final class Chart {
    private static final int WIDTH = 1200;
    private static final int ROW_HEIGHT = 46;
    private static final int LEFT = 420;
    private static final int RIGHT = 60;
    private static final int TOP = 70;
    private static final double MIN = 1.0 / 64;
    private static final double MAX = 64;
    private static final Color JAVA = new Color(0x2f6fb3);
    private static final Color TS = new Color(0xe08a1e);

    private final List<Row> rows;

    Chart(List<Row> rows) {
        this.rows = rows;
    }

    void write(Path png) throws IOException {
        int height = TOP + rows.size() * ROW_HEIGHT + 60;
        BufferedImage img = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, height);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
            g.drawString("Kiln vs hand-written JavaFX bridge (same run): advantage, > 1 = Kiln better", 20, 30);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            legend(g, 20, 52);
            axis(g, height);
            for (int i = 0; i < rows.size(); i++) {
                drawRow(g, rows.get(i), TOP + i * ROW_HEIGHT);
            }
        } finally {
            g.dispose();
        }
        ImageIO.write(img, "png", png.toFile());
    }

    private void legend(Graphics2D g, int x, int y) {
        g.setColor(JAVA);
        g.fillRect(x, y - 10, 14, 10);
        g.setColor(Color.BLACK);
        g.drawString("Kiln Java host", x + 20, y);
        g.setColor(TS);
        g.fillRect(x + 140, y - 10, 14, 10);
        g.setColor(Color.BLACK);
        g.drawString("Kiln TypeScript host", x + 160, y);
        g.drawString("| = target    log scale: rates Kiln/base, times and memory base/Kiln", x + 330, y);
    }

    private void axis(Graphics2D g, int height) {
        for (double v = MIN; v <= MAX + 1e-9; v *= 4) {
            int x = x(v);
            g.setColor(v == 1.0 ? Color.DARK_GRAY : new Color(0xdddddd));
            g.drawLine(x, TOP - 8, x, height - 45);
            g.setColor(Color.DARK_GRAY);
            String label = v >= 1 ? String.format(Locale.ROOT, "%.0fx", v) : "1/" + Math.round(1 / v) + "x";
            g.drawString(label, x - 12, height - 28);
        }
    }

    private void drawRow(Graphics2D g, Row r, int y) {
        g.setColor(Color.BLACK);
        String label = r.metric().length() > 58 ? r.metric().substring(0, 57) + "..." : r.metric();
        g.drawString(label, 10, y + 24);
        bar(g, r, r.java(), r.javaTarget(), y + 6, JAVA);
        bar(g, r, r.ts(), r.tsTarget(), y + 24, TS);
    }

    private void bar(Graphics2D g, Row r, double value, Row.Target target, int y, Color color) {
        double adv = advantage(r, value, r.baseline());
        if (Double.isNaN(adv)) {
            g.setColor(Color.GRAY);
            g.drawString("n/a", x(1.0) + 4, y + 12);
            return;
        }
        int x1 = x(1.0);
        int x2 = x(Math.max(MIN, Math.min(MAX, adv)));
        g.setColor(color);
        g.fillRect(Math.min(x1, x2), y, Math.max(2, Math.abs(x2 - x1)), 14);
        g.setColor(Color.BLACK);
        String text = String.format(Locale.ROOT, adv < 0.1 ? "%.4f" : "%.2f", adv);
        g.drawString(text, adv >= 1 ? x2 + 4 : x2 - 8 - g.getFontMetrics().stringWidth(text), y + 12);
        double t = targetAdvantage(r, target);
        if (!Double.isNaN(t)) {
            int tx = x(t);
            g.setStroke(new BasicStroke(2));
            g.drawLine(tx, y - 2, tx, y + 16);
            g.setStroke(new BasicStroke(1));
        }
    }

    /** Kiln's advantage: above 1 when Kiln is better, for rates, times and memory alike. */
    static double advantage(Row r, double kiln, double baseline) {
        double q = Row.ratio(kiln, baseline);
        return higherIsBetter(r) ? q : 1 / q;
    }

    private static double targetAdvantage(Row r, Row.Target t) {
        if (t == null) {
            return Double.NaN;
        }
        return switch (t.kind()) {
            case RATIO_AT_LEAST -> t.bound();
            case RATIO_AT_MOST -> 1 / t.bound();
            case PLUS_AT_MOST -> r.baseline() / (r.baseline() + t.bound());
        };
    }

    private static boolean higherIsBetter(Row r) {
        return r.metric().contains("msgs/s");
    }

    private static int x(double v) {
        double f = (Math.log(v) - Math.log(MIN)) / (Math.log(MAX) - Math.log(MIN));
        return LEFT + (int) Math.round(f * (WIDTH - LEFT - RIGHT));
    }
}
