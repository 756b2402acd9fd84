package dev.kiln.script;

/**
 * The outcomes of sends that completed since the bootstrap was last told, kept to settle their
 * promises with one call into V8: JSON text of an array in completion order, where a number is
 * the id of a promise to resolve and {@code [id, code, message]} one to reject.
 *
 * <p>Threading: loop thread only.
 */
final class SendResults {
    private final JsonArrayText json = new JsonArrayText(256);

    void succeeded(int promiseId) {
        json.next().append(promiseId);
    }

    void failed(int promiseId, Throwable error) {
        Rejection r = Rejection.of(error);
        StringBuilder element = json.next().append('[').append(promiseId).append(',').append(r.code()).append(',');
        Json.quote(element, r.text());
        element.append(']');
    }

    int size() {
        return json.size();
    }

    /** The array's text; empties this. */
    String drain() {
        return json.drain();
    }
}
