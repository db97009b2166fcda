package org.impressionsclicks.model;

/** The two kinds of event file upstream drops; the kind is the file-name prefix. */
public enum EventKind {
    IMPRESSION("impressions"),
    CLICK("clicks");

    private final String prefix;

    EventKind(String prefix) {
        this.prefix = prefix;
    }

    /** The file-name prefix, e.g. {@code impressions} in {@code impressions_processed_dk_...}. */
    public String prefix() {
        return prefix;
    }
}
