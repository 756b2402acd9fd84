package dev.kiln.window;

/**
 * What the FX thread is doing, read from a sample of its stack: which kind of call entered a page
 * (an input event, a WebKit timer, a call from the host) or, outside pages, which Java code runs.
 *
 * @param kind        the kind of entry into a page, comparable with what {@link FxWatchdog#entered} recorded
 * @param description for messages, such as {@code "a page timer (setTimeout, setInterval)"}
 */
record FxActivity(Kind kind, String description) {

    /** How the FX thread entered a page's script. */
    enum Kind {
        /** An input event (mouse, key, scroll) dispatched to a WebView. */
        INPUT,
        /** A script the host runs in a page ({@code executeScript}, a call on a page object). */
        HOST_CALL,
        /** A delivery of messages to a page. */
        DELIVERY,
        /** A WebKit timer or task: the page's own timers, promise jobs, message events. */
        PAGE_TASK,
        /** Anything else, or no page at all. */
        OTHER
    }

    /** Reads the stack of the FX thread, innermost frame first. */
    static FxActivity of(StackTraceElement[] stack) {
        for (int i = 0; i < stack.length; i++) {
            String cls = stack[i].getClassName();
            String method = stack[i].getMethodName();
            if (!isPlatform(cls)) {
                break; // Java code runs (perhaps called by a page): that is what holds the thread
            }
            if (cls.equals("com.sun.webkit.WebPage") && method.startsWith("twkProcess")) {
                String what = method.substring("twkProcess".length()).replace("Event", "").toLowerCase(java.util.Locale.ROOT);
                return new FxActivity(Kind.INPUT, "a " + what + " event handler of the page");
            }
            if (cls.equals("com.sun.webkit.Timer") || cls.equals("com.sun.webkit.MainThread")) {
                return new FxActivity(Kind.PAGE_TASK, "a page timer or task (setTimeout, setInterval, promise jobs)");
            }
            if ((cls.equals("com.sun.webkit.dom.JSObject") && method.endsWith("Impl"))
                    || (cls.equals("com.sun.webkit.WebPage") && method.equals("twkExecuteScript"))) {
                return hostCall(stack, i);
            }
            if (cls.startsWith("com.sun.webkit.network.")) {
                return new FxActivity(Kind.PAGE_TASK, "loading a page (its parser and scripts)");
            }
        }
        // Not a page's script: WebKit being set up for a new window, layout and painting, or Java code.
        String webKit = null;
        for (StackTraceElement frame : stack) {
            if (webKit == null && frame.getClassName().startsWith("com.sun.webkit.")) {
                webKit = simpleName(frame.getClassName()) + "." + frame.getMethodName();
            }
            if (!isPlatform(frame.getClassName())) {
                String at = frame.getClassName() + "." + frame.getMethodName()
                        + (frame.getLineNumber() > 0 ? ":" + frame.getLineNumber() : "");
                return new FxActivity(Kind.OTHER, (webKit == null ? "" : "WebKit (" + webKit + ") called from ")
                        + "Java code at " + at);
            }
        }
        return new FxActivity(Kind.OTHER, stack.length == 0 ? "unknown code" : "JDK or JavaFX code at "
                + stack[0].getClassName() + "." + stack[0].getMethodName());
    }

    /** The host called into a page: the Kiln or app frame below says who. */
    private static FxActivity hostCall(StackTraceElement[] stack, int from) {
        for (int i = from + 1; i < stack.length; i++) {
            String cls = stack[i].getClassName();
            if (cls.equals(PageConnection.class.getName()) && stack[i].getMethodName().equals(PageConnection.DELIVERY_METHOD)) {
                return new FxActivity(Kind.DELIVERY, "a delivery of messages to the page (its runtime.on listeners)");
            }
            if (!isPlatform(cls)) {
                return new FxActivity(Kind.HOST_CALL, "a script the host runs in the page (from "
                        + simpleName(cls) + "." + methodName(stack[i].getMethodName()) + ")");
            }
        }
        return new FxActivity(Kind.HOST_CALL, "a script the host runs in the page");
    }

    private static boolean isPlatform(String cls) {
        return cls.startsWith("java.") || cls.startsWith("javafx.") || cls.startsWith("com.sun.")
                || cls.startsWith("jdk.") || cls.startsWith("sun.") || cls.startsWith("netscape.");
    }

    /** {@code lambda$evaluate$0} is written {@code evaluate}. */
    private static String methodName(String method) {
        if (method.startsWith("lambda$")) {
            String rest = method.substring("lambda$".length());
            int end = rest.indexOf('$');
            return end > 0 ? rest.substring(0, end) : rest;
        }
        return method;
    }

    private static String simpleName(String cls) {
        return cls.substring(cls.lastIndexOf('.') + 1);
    }
}
