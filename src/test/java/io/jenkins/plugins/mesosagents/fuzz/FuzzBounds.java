package io.jenkins.plugins.mesosagents.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one fuzz input against a target with the three limits every fuzz target asserts: only the
 * documented exception types escape, the call returns within {@link #TIME_LIMIT_SECONDS} (checked
 * preemptively, so a hang fails the input instead of the build), and the call allocates at most
 * {@link #FIXED_ALLOCATION_BYTES} plus {@link #ALLOCATION_PER_INPUT_BYTE} per input byte (measured
 * with the JVM's per-thread allocation counter, so the check does not depend on timing or on the
 * garbage collector). Inputs run on a thread with a {@link #STACK_BYTES}-byte stack. An input
 * over the allocation bound is run once more and fails only if it is over again: the first call into a target loads and initializes classes (Jackson, protobuf
 * descriptors, regex patterns, under Jazzer also instrumenting them), which is paid once per JVM,
 * not per input. For the same reason an input over the time limit gets up to {@value
 * #WARM_UP_LIMIT_SECONDS} s to finish and then must pass the limit on a second, warm run.
 */
public final class FuzzBounds {
    public static final long TIME_LIMIT_SECONDS = 5;
    private static final long WARM_UP_LIMIT_SECONDS = 120;

    /**
     * A quarter of the JVM's default thread stack, so that recursion deep enough to overflow a
     * small (but legal) thread stack fails an input instead of passing on the default one.
     */
    public static final long STACK_BYTES = 256 * 1024;
    public static final long FIXED_ALLOCATION_BYTES = 4L * 1024 * 1024;
    public static final long ALLOCATION_PER_INPUT_BYTE = 512;

    /** The fuzz target: may throw; what it throws is checked against the documented types. */
    @FunctionalInterface
    public interface Target {
        void run() throws Exception;
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final ExecutorService worker =
            Executors.newSingleThreadExecutor(
                    r -> {
                        Thread t = new Thread(null, r, "fuzz-target", STACK_BYTES);
                        t.setDaemon(true); // a hung input must not keep the test JVM alive
                        return t;
                    });

    /**
     * Runs {@code target} on an input of {@code inputBytes} bytes; fails the input if it throws an
     * exception not in {@code documented}, takes too long, or allocates too much.
     */
    @SafeVarargs
    public final void check(
            long inputBytes, Target target, Class<? extends Throwable>... documented) {
        long limit = FIXED_ALLOCATION_BYTES + ALLOCATION_PER_INPUT_BYTE * inputBytes;
        long bytes = run(inputBytes, target, documented);
        if (bytes > limit) {
            bytes = run(inputBytes, target, documented);
        }
        if (bytes > limit) {
            fail("input of %d bytes allocated %d bytes, more than %d", inputBytes, bytes, limit);
        }
        assertThat(bytes).isNotNegative();
    }

    /** Runs the target once on the worker thread; the bytes it allocated. */
    @SafeVarargs
    private long run(long inputBytes, Target target, Class<? extends Throwable>... documented) {
        Future<Long> allocated = worker.submit(measured(target, documented));
        try {
            try {
                return allocated.get(TIME_LIMIT_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException slow) {
                // maybe the first call, loading and instrumenting classes: let it finish, then time
                // the same input again, warm
                allocated.get(WARM_UP_LIMIT_SECONDS, TimeUnit.SECONDS);
            }
            Future<Long> again = worker.submit(measured(target, documented));
            return again.get(TIME_LIMIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(
                    "input of " + inputBytes + " bytes ran longer than " + TIME_LIMIT_SECONDS + " s",
                    e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AssertionError a) {
                throw a;
            }
            throw new AssertionError(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static Callable<Long> measured(
            Target target, Class<? extends Throwable>[] documented) {
        return () -> {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            try {
                target.run();
            } catch (Throwable e) {
                if (List.of(documented).stream().noneMatch(t -> t.isInstance(e))) {
                    throw new AssertionError(
                            "undocumented " + e.getClass().getName() + ": " + e, e);
                }
            }
            return THREADS.getCurrentThreadAllocatedBytes() - before;
        };
    }
}
