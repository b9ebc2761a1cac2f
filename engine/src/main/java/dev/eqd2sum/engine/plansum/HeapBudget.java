package dev.eqd2sum.engine.plansum;

/**
 * The heap a case may use, asked once the case knows its {@link MemoryNeed} (its output grid resolved) and before
 * it allocates anything full-size. A plain run has the whole Java heap; a cohort binds {@link #CURRENT} around each
 * case to its own budget, which may make the case wait until that much of the shared heap is free. Tests bind a
 * small fake heap the same way instead of allocating one.
 */
public interface HeapBudget {
    /** The budget of the case running on this thread; unbound: {@link #JVM}. */
    ScopedValue<HeapBudget> CURRENT = ScopedValue.newInstance();

    /** The whole Java heap ({@link Runtime#maxMemory()}). */
    HeapBudget JVM = () -> Runtime.getRuntime().maxMemory();

    /** The most heap the case may ever have (a case needing more is refused). */
    long heapBytes();

    /**
     * The case needs about {@code bytes} (its {@link MemoryNeed} estimate; more than {@link #heapBytes()} asks for the
     * whole heap, and is what a failure reports): returns once it may go on. A plain run goes on at once.
     */
    default void reserve(long bytes) {
    }

    static HeapBudget current() {
        return CURRENT.orElse(JVM);
    }
}
