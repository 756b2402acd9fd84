package dev.kiln.ipc;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * Decodes a batch of page messages ({@code [{"c": channel, "p": payload}, ...]}) one message at a
 * time, so that one bad message costs only itself.
 *
 * <p>The common case is one streaming pass that cuts each payload out of the batch text without
 * building a tree. When a message is not valid JSON or breaks a read limit (nesting deeper than
 * {@link IpcConfig#MAX_PAYLOAD_DEPTH}), the parser cannot go on; the decoder then finds where that
 * message ends by counting brackets outside strings, refuses it, and resumes with a fresh parser
 * at the next message. Only a batch whose brackets or quotes do not balance loses what follows the
 * break: there is no telling where its next message starts.
 *
 * <p>Threading: stateless; runs on the dispatch thread or a renderer's thread.
 */
final class InboundDecoder {
    /**
     * One decoded element: a message or call step, or why it was refused and with which code.
     * {@code payloadJson} is {@code null} when the element has no payload.
     */
    record Decoded(MessageKind kind, String channel, String payloadJson, String callId, long deadline, long credit,
                   ErrorCode code, String problem) {
        static Decoded refused(ErrorCode code, String problem) {
            return new Decoded(null, null, null, null, 0, 0, code, problem);
        }
    }

    private InboundDecoder() {
    }

    /**
     * Calls the sink for each element, in order. Returns a description of a batch-level problem
     * (not an array, unbalanced text) after which the rest of the batch could not be read, or
     * {@code null}.
     */
    static String decode(String batch, Consumer<Decoded> sink) {
        if (batch == null) {
            return "the batch is null";
        }
        Cursor cursor = new Cursor(batch);
        try {
            return decode(cursor, sink);
        } finally {
            cursor.closeQuietly(); // hands the parser's buffers back for the next batch
        }
    }

    private static String decode(Cursor cursor, Consumer<Decoded> sink) {
        try {
            if (cursor.parser.nextToken() != JsonToken.START_ARRAY) {
                return "the batch is not a JSON array";
            }
        } catch (IOException e) {
            return "the batch is not valid JSON: " + originalMessage(e);
        }
        cursor.markElementEnd();
        while (true) {
            try {
                JsonParser p = cursor.parser;
                JsonToken t = p.nextToken();
                if (t == JsonToken.END_ARRAY) {
                    return null;
                }
                if (t == null) {
                    return "the batch ends before its closing bracket";
                }
                if (t != JsonToken.START_OBJECT) {
                    p.skipChildren();
                    p.finishToken(); // a string is read lazily: without this its end is not where the parser stands
                    cursor.markElementEnd();
                    sink.accept(Decoded.refused(ErrorCode.CHANNEL_RECV, "a message must be an object, got " + t.asString()));
                    continue;
                }
                Decoded decoded = element(cursor);
                cursor.markElementEnd();
                sink.accept(decoded);
            } catch (IOException e) {
                Decoded refused = refusal(e);
                String stop = cursor.skipBadElement();
                if (stop != null) {
                    return refused.problem() + ", and " + stop;
                }
                sink.accept(refused);
                if (cursor.finished) {
                    return null;
                }
            }
        }
    }

    private static Decoded element(Cursor cursor) throws IOException {
        JsonParser p = cursor.parser;
        String channel = null;
        String payloadJson = null;
        MessageKind kind = MessageKind.MESSAGE;
        String callId = null;
        long deadline = 0;
        long credit = 0;
        String problem = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken value = p.nextToken();
            if (RendererLink.KIND_KEY.equals(key)) {
                kind = value == JsonToken.VALUE_STRING ? MessageKind.fromLetter(p.getText()) : null;
                if (kind == null || kind == MessageKind.MESSAGE) {
                    problem = "unknown message kind " + (value == JsonToken.VALUE_STRING ? "'" + p.getText() + "'" : value.asString());
                    p.skipChildren();
                }
            } else if (RendererLink.CALL_KEY.equals(key)) {
                if (value == JsonToken.VALUE_STRING && !p.getText().isEmpty()
                        && p.getTextLength() <= RendererLink.MAX_CALL_ID_LENGTH) {
                    callId = p.getText();
                } else {
                    problem = "a call id must be a string of 1 to " + RendererLink.MAX_CALL_ID_LENGTH + " characters";
                    p.skipChildren();
                }
            } else if (RendererLink.DEADLINE_KEY.equals(key)) {
                if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT) {
                    deadline = (long) p.getDoubleValue();
                } else {
                    problem = "a deadline must be a number";
                    p.skipChildren();
                }
            } else if (RendererLink.CREDIT_KEY.equals(key)) {
                if (value == JsonToken.VALUE_NUMBER_INT && p.getLongValue() > 0) {
                    credit = p.getLongValue();
                } else {
                    problem = "a credit must be a positive whole number";
                    p.skipChildren();
                }
            } else if (RendererLink.CHANNEL_KEY.equals(key)) {
                if (value == JsonToken.VALUE_STRING) {
                    channel = p.getText();
                } else {
                    problem = "the channel must be a string, got " + value.asString();
                    p.skipChildren();
                }
            } else if (RendererLink.PAYLOAD_KEY.equals(key)) {
                // Checked and cut out, not parsed: the tree is built only if someone asks for it.
                int start = cursor.offset(p.currentTokenLocation());
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    p.skipChildren();
                } else {
                    p.finishToken(); // strings are read lazily: read it to its end
                }
                payloadJson = cursor.text.substring(start, cursor.offset(p.currentLocation()));
            } else {
                p.skipChildren();
            }
        }
        if (problem == null && channel == null) {
            problem = "the message has no channel";
        }
        if (problem == null) {
            problem = ChannelNames.problem(channel);
        }
        if (problem == null && kind != null && kind != MessageKind.MESSAGE && callId == null) {
            problem = "a call step must have a call id";
        }
        return problem != null ? Decoded.refused(ErrorCode.CHANNEL_RECV, problem)
                : new Decoded(kind, channel, payloadJson, callId, deadline, credit, null, null);
    }

    private static Decoded refusal(IOException e) {
        if (e instanceof StreamConstraintsException c) {
            String why = String.valueOf(c.getOriginalMessage()).contains("nesting depth")
                    ? "the message is nested deeper than " + IpcConfig.MAX_PAYLOAD_DEPTH + " levels in its payload"
                    : "the message exceeds a read limit: " + originalMessage(c);
            return Decoded.refused(ErrorCode.SERIALIZATION, why);
        }
        return Decoded.refused(ErrorCode.CHANNEL_RECV, "the message is not valid JSON: " + originalMessage(e));
    }

    private static String originalMessage(IOException e) {
        String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        if (m == null) {
            return "no detail";
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /**
     * The parser over the batch and where it stands. A resumed parser reads a copy of the batch in
     * which the comma before the next message is replaced by {@code [}, so that it sees an array
     * again; offsets are kept relative to the whole batch.
     */
    private static final class Cursor {
        final String text;
        JsonParser parser;
        private int base; // where the current parser starts in text
        private char[] copy; // made at the first bad message only
        private int afterLast; // just after the last element read, or after the opening bracket
        boolean finished; // the bad element was the last one

        Cursor(String text) {
            this.text = text;
            this.parser = newParser(() -> PayloadCodec.MAPPER.createParser(text));
        }

        int offset(JsonLocation location) {
            return base + (int) location.getCharOffset();
        }

        void markElementEnd() {
            afterLast = offset(parser.currentLocation());
        }

        /**
         * Skips the element that failed to parse and resumes at the next one. Returns {@code null},
         * or why the rest of the batch cannot be read.
         */
        String skipBadElement() {
            closeQuietly();
            int start = skipBlank(afterLast);
            if (start < text.length() && text.charAt(start) == ',') {
                start = skipBlank(start + 1);
            }
            if (start >= text.length()) {
                return "the batch ends before its closing bracket";
            }
            int end = endOfValue(text, start);
            if (end < 0) {
                return "the batch ends before the message does (unbalanced brackets or quotes)";
            }
            int next = skipBlank(end);
            if (next < text.length() && text.charAt(next) == ']') {
                finished = true;
                return null;
            }
            if (next >= text.length() || text.charAt(next) != ',') {
                return "the batch has no comma or closing bracket after it";
            }
            if (copy == null) {
                copy = text.toCharArray();
            }
            copy[next] = '[';
            base = next;
            int from = next;
            parser = newParser(() -> PayloadCodec.MAPPER.createParser(copy, from, copy.length - from));
            nextTokenQuietly(); // the stand-in opening bracket
            afterLast = next + 1;
            return null;
        }

        private int skipBlank(int i) {
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            return i;
        }

        private void nextTokenQuietly() {
            try {
                parser.nextToken();
            } catch (IOException e) {
                throw new IllegalStateException("A bracket failed to parse", e);
            }
        }

        void closeQuietly() {
            try {
                parser.close();
            } catch (IOException ignored) {
                // an in-memory parser: nothing to release
            }
        }

        private interface Opener {
            JsonParser open() throws IOException;
        }

        private static JsonParser newParser(Opener opener) {
            try {
                return opener.open();
            } catch (IOException e) {
                throw new IllegalStateException("An in-memory parser failed to open", e);
            }
        }
    }

    /**
     * The index just after the JSON value starting at {@code i}, found by counting brackets outside
     * strings (the value need not be valid JSON), or -1 if the text ends first.
     */
    static int endOfValue(String s, int i) {
        int depth = 0;
        boolean inString = false;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                    if (depth == 0) {
                        return i + 1;
                    }
                }
                continue;
            }
            switch (c) {
                case '"' -> inString = true;
                case '[', '{' -> depth++;
                case ']', '}' -> {
                    if (depth == 0) {
                        return i; // the batch's own closing bracket ends a bare scalar
                    }
                    if (--depth == 0) {
                        return i + 1;
                    }
                }
                case ',' -> {
                    if (depth == 0) {
                        return i;
                    }
                }
                default -> {
                }
            }
        }
        return -1;
    }
}
