package dev.triage.pool;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

import dev.triage.config.TriageConfig.Pool.Scheduling;

/**
 * Which waiting request runs its next micro-batch. {@link Scheduling#FAIR}: a request that has not had a turn yet
 * goes first (arrival order among those), then requests take one micro-batch each in turn. {@link Scheduling#FIFO}:
 * requests in arrival order, each to its end. Guarded by the {@link RequestQueue}'s monitor.
 */
final class TurnOrder<R> {

    private Scheduling scheduling;
    /** Requests that have not been served yet, oldest first (FIFO: the one being served at the head). */
    private final ArrayDeque<R> arrivals = new ArrayDeque<>();
    /** FAIR: requests served at least once that still wait; the head goes next. */
    private final ArrayDeque<R> turns = new ArrayDeque<>();

    TurnOrder(Scheduling scheduling) {
        this.scheduling = scheduling;
    }

    void arrived(R request) {
        arrivals.add(request);
    }

    /** The request to serve now, taken out; null if none waits. */
    R next() {
        return arrivals.isEmpty() ? turns.poll() : arrivals.poll();
    }

    /** A request just served that still has micro-batches waiting. FIFO: it stays first, until it is done. */
    void servedAndWaiting(R request) {
        if (scheduling == Scheduling.FIFO) {
            arrivals.addFirst(request);
        } else {
            turns.addLast(request);
        }
    }

    void remove(R request) {
        if (!arrivals.remove(request)) {
            turns.remove(request);
        }
    }

    void removeIf(Predicate<R> done) {
        arrivals.removeIf(done);
        turns.removeIf(done);
    }

    /** Every waiting request, in the order they would be served next. */
    List<R> inServiceOrder() {
        return Stream.concat(arrivals.stream(), turns.stream()).toList();
    }

    /** Switches to FIFO: every waiting request in arrival order, each to its end. */
    void serveInArrivalOrder(Comparator<R> byArrival) {
        if (scheduling == Scheduling.FIFO) {
            return;
        }
        scheduling = Scheduling.FIFO;
        List<R> all = new ArrayList<>(turns);
        all.addAll(arrivals);
        all.sort(byArrival);
        turns.clear();
        arrivals.clear();
        arrivals.addAll(all);
    }
}
