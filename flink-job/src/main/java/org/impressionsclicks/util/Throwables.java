package org.impressionsclicks.util;

/** What a one-line message says about an exception. */
public final class Throwables {

    private Throwables() {}

    /**
     * The innermost cause of {@code e} as {@code <simple class name>: <message>} (without the colon when it
     * has no message): what went wrong at the bottom of a chain of wrappers, for a one-line warning or error.
     */
    public static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
