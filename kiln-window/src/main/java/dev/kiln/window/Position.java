package dev.kiln.window;

/** A window's top-left corner on screen, in pixels. */
public record Position(int x, int y) {
}
