package dev.kiln.ipc;

import java.util.concurrent.CompletionStage;

/**
 * Answers the calls a page makes on one channel ({@code window.runtime.invoke}); register one with
 * {@link Ipc#handle}.
 *
 * <p>The stage's value is the result ({@code null} arrives in the page as {@code undefined}, a
 * {@code NullNode} as {@code null}). A stage that fails, or a handler that throws, rejects the caller:
 * with the {@code code}, message and {@code data} of an {@link IpcError}, or else with
 * {@link ErrorCode#HANDLER_FAILED} and the error's message. Handlers run on the callback executor
 * and must not block it: return a stage that completes later instead.
 *
 * @param <T> the payload's type: {@code JsonNode}, a class Jackson can bind, or {@link JsonText}
 *            for the payload's JSON text as it came
 */
@FunctionalInterface
public interface InvokeHandler<T> {
    CompletionStage<?> handle(T payload, InvokeContext context) throws Exception;
}
