package org.impressionsclicks.testing;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Polls a condition until it holds or a deadline passes. */
public final class Await {

    private Await() {}

    /** Waits until {@code condition} holds; returns how long that took; fails after {@code timeout}. */
    public static Duration until(Duration timeout, String what, Callable<Boolean> condition) throws Exception {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (true) {
            if (condition.call()) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
