package dev.kiln.ipc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * Fans every event out to every subscriber that matches it, and keeps events nobody listens to.
 *
 * <p>Concurrency: one lock guards the subscriber list and the backlog. Publishing and subscribing
 * both take it, so a subscriber sees every matching event exactly once from the moment it is
 * added: either live, or replayed from the backlog while being added. Under the lock, subscribers
 * only queue the event (never blocking, never running user code); the executors that run
 * callbacks and complete futures are started after the lock is released, so that user code, even
 * on an executor that runs tasks inline, may subscribe, unsubscribe or publish.
 *
 * <p>Backlog: an event that matches no subscriber is kept (up to a capacity; the oldest is then
 * dropped, logged and counted) and replayed to the next subscribers that match it. Once one has
 * taken it, it stays available to further new subscribers for a grace period, so that several
 * listeners registered one after the other all see it, then it is released.
 */
final class EventHub {
    private final int backlogCapacity;
    private final long graceNanos;
    private final DropCounter drops;
    private final LongAdder delivered = new LongAdder();

    // guarded by this
    private final List<Subscriber> subscribers = new ArrayList<>();
    private final ArrayDeque<BacklogEntry> backlog = new ArrayDeque<>();
    private boolean shutDown;
    private long nextPurgeNanos;

    private static final class BacklogEntry {
        final IpcEvent event;
        long takenAtNanos; // 0 until a subscriber has taken it

        BacklogEntry(IpcEvent event) {
            this.event = event;
        }
    }

    EventHub(int backlogCapacity, long graceNanos, DropCounter drops) {
        this.backlogCapacity = backlogCapacity;
        this.graceNanos = graceNanos;
        this.drops = drops;
    }

    void publish(IpcEvent event) {
        boolean droppedOldest = false;
        IpcEvent lost = null;
        List<SerialExecutor> toStart = null;
        synchronized (this) {
            if (shutDown) {
                return;
            }
            purgeExpired();
            boolean matched = false;
            for (Subscriber s : subscribers) {
                if (s.matches(event)) {
                    matched = true;
                    toStart = started(toStart, s.offer(event));
                    delivered.increment();
                }
            }
            if (!matched) {
                if (backlog.size() >= backlogCapacity) {
                    BacklogEntry oldest = backlog.poll();
                    droppedOldest = oldest != null || backlogCapacity == 0;
                    lost = oldest != null ? oldest.event : event;
                }
                if (backlogCapacity > 0) {
                    backlog.add(new BacklogEntry(event));
                }
            }
        }
        start(toStart);
        if (droppedOldest) {
            drops.dropped(lost, "nobody listened and the backlog of " + backlogCapacity + " events was full");
        }
    }

    private static List<SerialExecutor> started(List<SerialExecutor> toStart, SerialExecutor executor) {
        if (executor == null) {
            return toStart;
        }
        List<SerialExecutor> list = toStart != null ? toStart : new ArrayList<>(2);
        list.add(executor);
        return list;
    }

    /** Starts the executors that subscribers queued work on; called holding no lock. */
    private static void start(List<SerialExecutor> toStart) {
        if (toStart != null) {
            toStart.forEach(SerialExecutor::start);
        }
    }

    /** Adds a subscriber, first replaying the backlog events it matches. */
    <S extends Subscriber> S add(S subscriber) {
        List<SerialExecutor> toStart = null;
        boolean added = false;
        synchronized (this) {
            if (!shutDown) {
                purgeExpired();
                long now = System.nanoTime();
                for (BacklogEntry entry : backlog) {
                    if (subscriber.matches(entry.event)) {
                        toStart = started(toStart, subscriber.offer(entry.event));
                        delivered.increment();
                        if (entry.takenAtNanos == 0) {
                            entry.takenAtNanos = now | 1;
                        }
                    }
                }
                subscribers.add(subscriber);
                added = true;
            }
        }
        if (added) {
            start(toStart);
        } else {
            subscriber.end();
        }
        return subscriber;
    }

    void remove(Subscriber subscriber) {
        synchronized (this) {
            subscribers.remove(subscriber);
        }
        subscriber.end();
        if (subscriber instanceof StreamSubscriber stream) {
            stream.discard();
        }
    }

    /**
     * Finishes every subscriber (each still gets what it was handed); later publishes are ignored and
     * later subscribers end at once. The future completes when every callback has run.
     */
    CompletableFuture<Void> shutdown() {
        List<Subscriber> ended;
        synchronized (this) {
            shutDown = true;
            ended = new ArrayList<>(subscribers);
            subscribers.clear();
            backlog.clear();
        }
        return CompletableFuture.allOf(ended.stream().map(Subscriber::finish).toArray(CompletableFuture[]::new));
    }

    synchronized int backlogSize() {
        purgeExpired();
        return backlog.size();
    }

    synchronized int subscriberCount() {
        return subscribers.size();
    }

    long delivered() {
        return delivered.sum();
    }

    // guarded by this
    private void purgeExpired() {
        if (backlog.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        if (now - nextPurgeNanos < 0) {
            return;
        }
        nextPurgeNanos = now + Math.min(graceNanos, 50_000_000L);
        for (Iterator<BacklogEntry> it = backlog.iterator(); it.hasNext(); ) {
            BacklogEntry e = it.next();
            if (e.takenAtNanos != 0 && now - e.takenAtNanos >= graceNanos) {
                it.remove();
            }
        }
    }
}
