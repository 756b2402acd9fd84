package dev.kiln.ipc;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.ByteBuffer;
import java.util.List;

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
 * @param attachments the payload's large binaries, kept out of its JSON text: there the attachment
 *                    {@code i} is the marker {@code {"\u0000kiln": "Uint8Array", "a": i, "n": size}}.
 *                    The buffers are the sender's own bytes, not copies (read them with
 *                    {@code duplicate()}); empty for most messages.
 */
public record OutboundMessage(MessageKind kind, String channel, String payloadJson, String callId, long deadline,
                              long credit, List<ByteBuffer> attachments) {

    public OutboundMessage {
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }

    /** A message or step without attachments. */
    public OutboundMessage(MessageKind kind, String channel, String payloadJson, String callId, long deadline,
                           long credit) {
        this(kind, channel, payloadJson, callId, deadline, credit, List.of());
    }

    /** A one-way message. */
    public OutboundMessage(String channel, String payloadJson) {
        this(MessageKind.MESSAGE, channel, payloadJson, null, 0, 0);
    }

    /** A step of a call or stream, with no deadline or credit. */
    public OutboundMessage(MessageKind kind, String channel, String payloadJson, String callId) {
        this(kind, channel, payloadJson, callId, 0, 0);
    }

    /**
     * The message as the JSON text of its wire object ({@code {"c": ..., "p": ...}} and the call keys),
     * with its attachments written into the text as base64 markers: for a renderer that takes text only.
     */
    public String wireJson() {
        if (attachments.isEmpty()) {
            return wireText(payloadJson, null);
        }
        return wireText(PayloadCodec.inlineAttachments(payloadJson, attachments), null);
    }

    /**
     * The wire object with the attachments left out of the text, and {@code "u": [tokens]}
     * ({@link RendererLink#ATTACHMENTS_KEY}) naming where the renderer gets attachment {@code i}: the
     * one-time token the window made for it.
     */
    public String wireJson(List<String> attachmentTokens) {
        if (attachmentTokens.size() != attachments.size()) {
            throw new IllegalArgumentException(attachments.size() + " attachments, " + attachmentTokens.size() + " tokens");
        }
        return wireText(payloadJson, attachmentTokens);
    }

    private String wireText(String payloadJson, List<String> tokens) {
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
        if (tokens != null && !tokens.isEmpty()) {
            sb.append(",\"").append(RendererLink.ATTACHMENTS_KEY).append("\":[");
            for (int i = 0; i < tokens.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                quote(sb, tokens.get(i));
            }
            sb.append(']');
        }
        return sb.append('}').toString();
    }

    private static void quote(StringBuilder sb, String text) {
        sb.append('"');
        JsonStringEncoder.getInstance().quoteAsString(text, sb);
        sb.append('"');
    }
}
