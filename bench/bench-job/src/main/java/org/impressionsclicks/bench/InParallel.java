package org.impressionsclicks.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** Work on a list shared by a few threads, each taking the next item when it is done with one (as the engines' readers do). */
final class InParallel {

    /** One item's work, with its thread's own state (a buffer). */
    @FunctionalInterface
    interface Work<T, S> {
        void accept(T item, S state) throws Exception;
    }

    private InParallel() {}

    /** Runs {@code work} on every item with {@code threads} threads; returns when all are done, throws the first failure. */
    static <T, S> void forEach(List<T> items, int threads, Supplier<S> state, Work<T, S> work) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Exception> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(new Thread(
                    () -> {
                        S own = state.get();
                        for (int i = next.getAndIncrement();
                                i < items.size() && failure.get() == null;
                                i = next.getAndIncrement()) {
                            try {
                                work.accept(items.get(i), own);
                            } catch (Exception e) {
                                failure.compareAndSet(null, e);
                            }
                        }
                    },
                    "bench-worker-" + t));
        }
        workers.forEach(Thread::start);
        for (Thread worker : workers) {
            worker.join();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }
}
