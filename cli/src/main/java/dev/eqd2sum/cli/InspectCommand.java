package dev.eqd2sum.cli;

import dev.eqd2sum.engine.InvalidInputException;
import dev.eqd2sum.io.inspect.InspectionText;
import dev.eqd2sum.io.inspect.Inspector;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code eqd2sum inspect FILE... [--json]}: what a DICOM RT file holds and what eqd2sum takes from it. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Summarise DICOM RT files (RT Dose, RT Structure Set, RT Plan, Spatial Registration):",
                "modality, SOP class, transfer syntax, dose grid size, spacing, origin, orientation, dose units,"
                        + " type and summation, dose range in Gy, structures, fractions, frame of reference,"
                        + " registration matrices.",
                "Files are read with the same checks as 'eqd2sum sum': a file it refuses is reported as"
                        + " 'eqd2sum: error: FILE: PROBLEM' (with --json also as {\"file\", \"error\"}), the other"
                        + " files are still summarised, and the exit status is 2. An RT Dose that sum refuses only"
                        + " for its kind (a plan sum: EFFECTIVE or MULTI_PLAN, as eqd2sum writes) is summarised"
                        + " with the reason."})
public final class InspectCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "DICOM files to summarise")
    List<Path> files;

    @Option(names = "--json", description = "print a JSON array (one object per file) instead of text")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Map<String, Object>> all = new ArrayList<>();
        boolean refused = false;
        int shown = 0;
        // every file is looked at: a folder of exports shows its good files and names each bad one
        for (Path f : files) {
            Map<String, Object> m;
            try {
                m = Inspector.inspect(f);
            } catch (InvalidInputException e) {
                refused = true;
                err.println("eqd2sum: error: " + Main.oneLine(e.getMessage())); // a file name may hold a line break
                err.flush();
                if (json) {
                    Map<String, Object> failed = new LinkedHashMap<>();
                    failed.put("file", f.toString());
                    failed.put("error", e.problem());
                    all.add(failed);
                }
                continue;
            }
            if (json) {
                all.add(m);
            } else {
                if (shown++ > 0) {
                    out.println();
                }
                out.print(InspectionText.text(m));
                out.flush();
            }
        }
        if (json) {
            out.println(InspectionText.json(all));
        }
        out.flush();
        return refused ? 2 : 0;
    }
}
