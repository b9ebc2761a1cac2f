package dev.eqd2sum.io.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Files written by dcmtk's dump2dcm (an independent DICOM writer) in every encoding we read. */
public final class Dcmtk {
    private Dcmtk() {
    }

    /**
     * Encodes a dcmdump-style text dump (written in {@code charset}) with dump2dcm as Explicit VR
     * LE, Implicit VR LE, Deflated, Explicit VR Big Endian, each with explicit and with undefined
     * lengths, plus a bare data set, a file with group lengths and one with item padding.
     */
    public static Map<String, Path> variants(Path dir, String name, String dump, Charset charset) throws IOException {
        CrossCheck.requireTool("dump2dcm");
        Path text = dir.resolve(name + ".dump");
        Files.write(text, dump.getBytes(charset));
        Map<String, Path> out = new LinkedHashMap<>();
        String[][] options = {
                {"explicit-le", "+te"}, {"implicit-le", "+ti"}, {"deflated", "+td"}, {"big-endian", "+tb"},
                {"explicit-le-undefined", "+te", "-e"}, {"implicit-le-undefined", "+ti", "-e"},
                {"deflated-undefined", "+td", "-e"}, {"big-endian-undefined", "+tb", "-e"},
                {"bare-implicit", "+ti", "-F"}, {"bare-explicit", "+te", "-F"},
                {"group-lengths", "+te", "+g"}, {"padded", "+te", "+p", "16", "8"}};
        for (String[] o : options) {
            Path f = dir.resolve(name + "-" + o[0] + ".dcm");
            List<String> cmd = new java.util.ArrayList<>(List.of("dump2dcm"));
            cmd.addAll(List.of(o).subList(1, o.length));
            cmd.add(text.toString());
            cmd.add(f.toString());
            CrossCheck.Result r = CrossCheck.run(cmd, dir);
            assertThat(r.exitCode()).as("dump2dcm " + String.join(" ", o) + ": " + r.stderr()).isZero();
            out.put(o[0], f);
        }
        return out;
    }
}
