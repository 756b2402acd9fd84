package dev.kiln.ipc;

import java.util.concurrent.Flow;

/**
 * Produces the values of the streams a page opens on one channel ({@code window.runtime.stream});
 * register one with {@link Ipc#handleStream}.
 *
 * <p>Kiln subscribes to the publisher and requests values only as the page's reader takes them
 * (its {@code highWaterMark}), so a producer that honours {@code request(n)} never runs ahead of a
 * slow page. {@code onComplete} ends the stream; {@code onError} ends it with the error's code,
 * message and data, as a call's handler error does ({@link InvokeHandler}). When the reader stops
 * (a {@code break}, an aborted signal, its page going away) the subscription is cancelled and the
 * context's cancellation completes. A publisher that sends more than it was asked for ends the
 * stream with {@link ErrorCode#CHANNEL_SEND}.
 *
 * @param <T> the payload's type, as for {@link InvokeHandler}
 */
@FunctionalInterface
public interface StreamProducer<T> {
    Flow.Publisher<?> open(T payload, InvokeContext context) throws Exception;
}
