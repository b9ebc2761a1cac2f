package dev.eqd2sum.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** auto skips loading OpenCL only when the vendor folder proves there is no GPU driver. */
class OpenClDriversTest {
    @TempDir
    Path dir;

    private Path vendors(String... icdLines) throws IOException {
        Path v = Files.createDirectories(dir.resolve("vendors"));
        for (int i = 0; i < icdLines.length; i++) {
            Files.writeString(v.resolve("driver" + i + ".icd"), icdLines[i] + "\n");
        }
        return v;
    }

    private Path poclModules(String... names) throws IOException {
        Path m = Files.createDirectories(dir.resolve("pocl"));
        for (String n : names) {
            Files.writeString(m.resolve(n), "");
        }
        return m;
    }

    @Test
    void onlyPoclWithCpuDevicesIsCpuOnly() throws IOException {
        Path v = vendors("libpocl.so.2.10.0");
        Path m = poclModules("libpocl-devices-basic.so", "libpocl-devices-pthread.so");
        assertThat(OpenClDrivers.cpuOnly("Linux", Map.of(), v, List.of(m)))
                .hasValueSatisfying(r -> assertThat(r).startsWith("only CPU drivers installed (driver0.icd in "));
    }

    @Test
    void anyOtherDriverMeansAsk() throws IOException {
        Path v = vendors("libpocl.so.2", "/usr/local/nvidia/lib64/libnvidia-opencl.so.1");
        assertThat(OpenClDrivers.cpuOnly("Linux", Map.of(), v, List.of(poclModules()))).isEmpty();
    }

    @Test
    void poclWithAGpuDeviceModuleMeansAsk() throws IOException {
        Path v = vendors("/usr/lib/x86_64-linux-gnu/libpocl.so.2");
        Path m = poclModules("libpocl-devices-pthread.so", "libpocl-devices-cuda.so");
        assertThat(OpenClDrivers.cpuOnly("Linux", Map.of(), v, List.of(m))).isEmpty();
    }

    @Test
    void redirectedLoaderOtherSystemsOrNoFolderMeanAsk() throws IOException {
        Path v = vendors("libpocl.so.2");
        List<Path> m = List.of(poclModules("libpocl-devices-pthread.so"));
        assertThat(OpenClDrivers.cpuOnly("Linux", Map.of("OCL_ICD_VENDORS", "/x"), v, m)).isEmpty();
        assertThat(OpenClDrivers.cpuOnly("Linux", Map.of("OCL_ICD_FILENAMES", "/x.so"), v, m)).isEmpty();
        assertThat(OpenClDrivers.cpuOnly("Mac OS X", Map.of(), v, m)).isEmpty();
        assertThat(OpenClDrivers.cpuOnly("Linux", Map.of(), dir.resolve("missing"), m)).isEmpty();
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThat(OpenClDrivers.cpuOnly("Linux", Map.of(), empty, m)).isEmpty();
    }
}
