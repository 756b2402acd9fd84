package dev.kiln.script;

/**
 * The outcomes of sends that completed since the bootstrap was last told, kept to settle their
 * promises with one call into V8: JSON text of an array in completion order, where a number is
 * the id of a promise to resolve and {@code [id, code, message]} one to reject.
 *
 * <p>Threading: loop thread only.
 */
final class SendResults {
    private static final int KEEP_CAPACITY = 1 << 16;

    private StringBuilder json = new StringBuilder(256);
    private int count;

    void succeeded(int promiseId) {
        json.append(',').append(promiseId);
        count++;
    }

    void failed(int promiseId, Throwable error) {
        Rejection r = Rejection.of(error);
        json.append(",[").append(promiseId).append(',').append(r.code()).append(',');
        Json.quote(json, r.text());
        json.append(']');
        count++;
    }

    int size() {
        return count;
    }

    /** The array's text; empties this. */
    String drain() {
        json.setCharAt(0, '[');
        String text = json.append(']').toString();
        // A rare huge batch should not pin its buffer for the rest of the app's life.
        json = json.capacity() > KEEP_CAPACITY ? new StringBuilder(256) : json.delete(0, json.length());
        count = 0;
        return text;
    }
}
