package dev.kiln.ipc;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * A message on its way to a renderer: a one-way message, or a step of a call.
 *
 * @param kind        what it is
 * @param channel     the channel (for a call step, the call's channel)
 * @param payloadJson the payload as JSON text; {@code "null"} for a message without one, {@code null}
 *                    for a result of {@code undefined} or a step that carries none
 * @param callId      the call's id; {@code null} for a message
 * @param deadline    for an invoke with a timeout, its deadline in epoch milliseconds; else 0
 * @param credit      for a stream request or a credit, how many values the consumer takes; else 0
 */
public record OutboundMessage(MessageKind kind, String channel, String payloadJson, String callId, long deadline,
                              long credit) {

    /** A one-way message. */
    public OutboundMessage(String channel, String payloadJson) {
        this(MessageKind.MESSAGE, channel, payloadJson, null, 0, 0);
    }

    /** A step of a call or stream, with no deadline or credit. */
    public OutboundMessage(MessageKind kind, String channel, String payloadJson, String callId) {
        this(kind, channel, payloadJson, callId, 0, 0);
    }

    /** The message as the JSON text of its wire object ({@code {"c": ..., "p": ...}} and the call keys). */
    public String wireJson() {
        StringBuilder sb = new StringBuilder(payloadJson == null ? 64 : payloadJson.length() + 64);
        sb.append("{\"").append(RendererLink.CHANNEL_KEY).append("\":");
        quote(sb, channel);
        if (kind != MessageKind.MESSAGE) {
            sb.append(",\"").append(RendererLink.KIND_KEY).append("\":\"").append(kind.letter()).append('"');
            sb.append(",\"").append(RendererLink.CALL_KEY).append("\":");
            quote(sb, callId);
            if (deadline > 0) {
                sb.append(",\"").append(RendererLink.DEADLINE_KEY).append("\":").append(deadline);
            }
            if (credit > 0) {
                sb.append(",\"").append(RendererLink.CREDIT_KEY).append("\":").append(credit);
            }
        }
        if (payloadJson != null) {
            sb.append(",\"").append(RendererLink.PAYLOAD_KEY).append("\":").append(payloadJson);
        }
        return sb.append('}').toString();
    }

    private static void quote(StringBuilder sb, String text) {
        sb.append('"');
        JsonStringEncoder.getInstance().quoteAsString(text, sb);
        sb.append('"');
    }
}
