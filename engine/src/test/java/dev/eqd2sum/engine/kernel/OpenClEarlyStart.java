package dev.eqd2sum.engine.kernel;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Starts the OpenCL backend once per test JVM, as the test session opens, before any test runs (registered
 * in this test-jar's META-INF/services, so in every module with it on the test class path: engine and
 * validation-data, whose tests start OpenCL).
 *
 * <p>Why: while POCL lists its devices, LLVM's signal handlers replace the JVM's until
 * {@link SignalHandlers} puts them back, and a fault that two threads running compiled Java code take at
 * once in that window kills the JVM (it killed a CI test JVM once). At the session's start no other thread
 * runs Java code. The backend is kept by {@link KernelProvider} for the tests (started once per JVM anyway);
 * where OpenCL cannot start, nothing happens here and the tests report why, as before.
 */
public final class OpenClEarlyStart implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        KernelProvider.start("opencl");
    }
}
