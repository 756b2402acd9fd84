package dev.kiln.script;

/**
 * JSON text of an array built one element at a time and handed over whole: how batches cross from
 * Java into V8 in one call.
 *
 * <p>Threading: one thread at a time (the loop thread).
 */
final class JsonArrayText {
    private static final int KEEP_CAPACITY = 1 << 16;

    private final int initialCapacity;
    private StringBuilder json;
    private int count;

    JsonArrayText(int initialCapacity) {
        this.initialCapacity = initialCapacity;
        this.json = new StringBuilder(initialCapacity);
    }

    /** The buffer to append the next element's text to; a separator is already there. */
    StringBuilder next() {
        count++;
        return json.append(',');
    }

    int size() {
        return count;
    }

    /** The array's text; empties this. */
    String drain() {
        if (count == 0) {
            return "[]";
        }
        json.setCharAt(0, '[');
        String text = json.append(']').toString();
        // A batch of large payloads should not pin its buffer for the rest of the app's life.
        json = json.capacity() > KEEP_CAPACITY ? new StringBuilder(initialCapacity) : json.delete(0, json.length());
        count = 0;
        return text;
    }
}
