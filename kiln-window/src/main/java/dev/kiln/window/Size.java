package dev.kiln.window;

/** A window's size in pixels. */
public record Size(int width, int height) {
}
