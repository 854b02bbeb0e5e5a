package dev.triage.pool;

/** The order in which the workers take queued micro-batches (see {@link RequestQueue}). */
public enum Scheduling {
    /** Each request in turn, a new one first: small requests are not stuck behind a big batch. */
    FAIR,
    /** Requests in arrival order, each to its end (the behaviour before fair scheduling; for comparison). */
    FIFO
}
