package dev.kiln.script;

import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.IpcConfig;
import dev.kiln.ipc.PayloadCheckScript;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names, codes and limits the script host's Java side shares with its bootstrap JavaScript, and
 * the bootstrap built from them.
 *
 * <p>The bootstrap is the files under {@code bootstrap/} joined into one function of {@code ops} (the
 * Java operations) that installs the globals and returns the callbacks Java calls. Every
 * {@code @NAME@} token in those files is replaced by a value defined here (an op's name, a code, a
 * limit), and an unknown token fails at start, so the two sides cannot drift apart. The ops are
 * bound under these same names ({@code @V8Function(name = ...)}).
 *
 * <p>Stateless.
 */
final class ScriptProtocol {
    /** The resource name V8 sees for the bootstrap; its frames are left out of user stack traces. */
    static final String RESOURCE_NAME = "kiln:bootstrap";

    // The Java operations the bootstrap calls: HostOps, IpcOps, WindowOps.
    static final String OP_PRINT = "print";
    static final String OP_TIMER_START = "timerStart";
    static final String OP_TIMER_CANCEL = "timerCancel";
    static final String OP_MAP_FRAME = "mapFrame";
    static final String OP_UNCAUGHT = "uncaught";
    static final String OP_SEND_BATCH = "ipcSendBatch";
    static final String OP_STREAM_OPEN = "streamOpen";
    static final String OP_STREAM_NEXT = "streamNext";
    static final String OP_STREAM_CLOSE = "streamClose";
    static final String OP_SUBSCRIBE = "subscribe";
    static final String OP_UNSUBSCRIBE = "unsubscribe";
    static final String OP_RECV = "recv";
    static final String OP_HANDLE = "handle";
    static final String OP_UNHANDLE = "unhandle";
    static final String OP_ANSWER = "answer";
    static final String OP_INVOKE = "invoke";
    static final String OP_CANCEL_CALL = "cancelCall";
    static final String OP_HANDLE_STREAM = "handleStream";
    static final String OP_UNHANDLE_STREAM = "unhandleStream";
    static final String OP_STREAM_PUSH = "streamPush";
    static final String OP_STREAM_DONE = "streamDone";
    static final String OP_STREAM_READ = "streamRead";
    static final String OP_STREAM_REQUEST = "streamRequest";
    static final String OP_STREAM_CANCEL = "streamCancel";
    static final String OP_WINDOW_CREATE = "windowCreate";
    static final String OP_WINDOW_CLOSE = "windowClose";
    static final String OP_WINDOW_CALL = "windowCall";
    static final String OP_WINDOW_MONITORS = "windowMonitors";
    // DialogOps: runtime:window's dialog, menu and tray.
    static final String OP_DIALOG_OPEN = "dialogOpen";
    static final String OP_DIALOG_SAVE = "dialogSave";
    static final String OP_DIALOG_MESSAGE = "dialogMessage";
    static final String OP_MENU_SET = "menuSet";
    static final String OP_MENU_CONTEXT = "menuContext";
    static final String OP_MENU_RECV = "menuRecv";
    static final String OP_MENU_STOP = "menuStop";
    static final String OP_TRAY_CREATE = "trayCreate";
    static final String OP_TRAY_UPDATE = "trayUpdate";
    static final String OP_TRAY_DESTROY = "trayDestroy";
    static final String OP_STASH_BINARY = "stashBinary";
    static final String OP_TAKE_BINARY = "takeBinary";

    // The bootstrap functions Java calls back (see ScriptCallbacks).
    static final String CB_SETTLE = "settle";
    static final String CB_SETTLE_SENDS = "settleSends";
    static final String CB_FIRE = "fire";
    static final String CB_EVENTS = "events";
    static final String CB_DESCRIBE = "describe";
    static final String CB_HOST_CALL = "hostCall";
    static final String CB_ABORT_CALL = "abortCall";
    static final String CB_SETTLE_CALL = "settleCall";
    static final String CB_STREAM_START = "streamStart";
    static final String CB_STREAM_DEMAND = "streamDemand";
    static final String CB_STREAM_STOP = "streamStop";
    static final String CB_STREAM_ITEM = "streamItem";
    static final String CB_STREAM_END = "streamEnd";
    static final List<String> CALLBACKS = List.of(CB_SETTLE, CB_SETTLE_SENDS, CB_FIRE, CB_EVENTS, CB_DESCRIBE,
            CB_HOST_CALL, CB_ABORT_CALL, CB_SETTLE_CALL, CB_STREAM_START, CB_STREAM_DEMAND, CB_STREAM_STOP,
            CB_STREAM_ITEM, CB_STREAM_END);

    /** How many values a stream reader takes ahead when it does not say; the page bridge's default too. */
    static final int DEFAULT_HIGH_WATER_MARK = 16;

    // The kinds of event source streamOpen and subscribe take.
    static final int STREAM_ALL = 0;
    static final int STREAM_WINDOW = 1;
    static final int STREAM_CHANNEL = 2;
    static final int STREAM_OWN_WINDOW = 3;

    /** Values per send in a send batch's heads: promise id, window id(s), channel, payload length. */
    static final int SEND_HEAD_SIZE = 4;

    /** The start of the message of the engine's 7000 error for an operation cut short by shutdown. */
    static final String SHUT_DOWN_MESSAGE = "[" + ErrorCode.CHANNEL_SEND.code() + "] The runtime has shut down";

    /** How the message of a send that the app's end cut short ends (see JavaPromises). */
    static final String CUT_SHORT_SUFFIX = " was not delivered";

    /** How the message of a call that the app's end cut short ends (see ErrorJson#cutShort). */
    static final String UNANSWERED_SUFFIX = " was not answered";

    /** How the message of a stream read that the app's end cut short ends (see ErrorJson#cutShort). */
    static final String UNFINISHED_SUFFIX = " ended early";

    /**
     * The bootstrap's parts: every {@code .js} file under {@code bootstrap/}, in name order. A runtime
     * module is one file that adds its object to {@code runtimeModules} (see {@code 00-modules.js}).
     */
    private static final List<String> PARTS = ResourceFolder.names("bootstrap", ".js");
    private static final Pattern TOKEN = Pattern.compile("@([A-Z][A-Z0-9_]*)@");

    private ScriptProtocol() {
    }

    /**
     * The source of the function {@code (ops) => ({settle, settleSends, fire, events, describe})}.
     *
     * @param maxPayloadBytes the engine's payload limit in UTF-8 bytes, checked in V8 before a send crosses
     * @param opsClasses      the platform modules' ops classes, whose {@code OP_} constants become tokens too
     * @param traceSends      whether sends, calls and stream reads note where the app made them (--trace-sends)
     */
    static String bootstrap(long maxPayloadBytes, List<Class<?>> opsClasses, boolean traceSends) {
        Map<String, String> values = new LinkedHashMap<>();
        List<Class<?>> declaring = new java.util.ArrayList<>(List.of(ScriptProtocol.class));
        declaring.addAll(opsClasses);
        for (Class<?> c : declaring) {
            for (var f : c.getDeclaredFields()) {
                if ((f.getName().startsWith("OP_") || f.getName().startsWith("CB_")) && f.getType() == String.class
                        && java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                    try {
                        f.setAccessible(true);
                        String previous = values.put(f.getName(), (String) f.get(null)); // bare identifiers: ops.@OP_PRINT@(...)
                        if (previous != null) {
                            throw new IllegalStateException(c.getSimpleName() + "." + f.getName() + " is defined twice");
                        }
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        values.put("STREAM_ALL", Integer.toString(STREAM_ALL));
        values.put("STREAM_WINDOW", Integer.toString(STREAM_WINDOW));
        values.put("STREAM_CHANNEL", Integer.toString(STREAM_CHANNEL));
        values.put("STREAM_OWN_WINDOW", Integer.toString(STREAM_OWN_WINDOW));
        values.put("SEND_HEAD_SIZE", Integer.toString(SEND_HEAD_SIZE));
        values.put("DEFAULT_HIGH_WATER_MARK", Integer.toString(DEFAULT_HIGH_WATER_MARK));
        values.put("TRACE_SENDS", Boolean.toString(traceSends));
        values.put("ATTACH_FROM_BYTES", Integer.toString(IpcConfig.ATTACH_TO_PAGE_FROM_BYTES));
        values.put("PAYLOAD_CHECK", PayloadCheckScript.expression(maxPayloadBytes)); // shared with the page
        for (ErrorCode c : ErrorCode.values()) {
            values.put("E_" + c.name(), Integer.toString(c.code()));
        }
        if (PARTS.isEmpty()) {
            throw new IllegalStateException("bootstrap/*.js missing from the kiln-script resources");
        }
        StringBuilder sb = new StringBuilder("(function (ops) {\n\"use strict\";\n");
        for (String part : PARTS) {
            sb.append(template(part, read(part), values)).append('\n');
        }
        sb.append("return { ");
        for (String cb : CALLBACKS) {
            sb.append(cb).append(", ");
        }
        return sb.append("};\n})").toString();
    }

    private static String read(String part) {
        return ResourceFolder.read("bootstrap", part);
    }

    private static String template(String part, String text, Map<String, String> values) {
        Matcher m = TOKEN.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException("bootstrap/" + part + " has an unknown token " + m.group());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }
}
