package dev.eqd2sum.cli;

import dev.eqd2sum.engine.InvalidInputException;
import dev.eqd2sum.io.inspect.InspectionText;
import dev.eqd2sum.io.inspect.Inspector;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
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
                        + " 'eqd2sum: error: FILE: PROBLEM' (exit status 2)."})
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
        for (Path f : files) {
            try {
                all.add(Inspector.inspect(f));
            } catch (InvalidInputException e) {
                err.println("eqd2sum: error: " + e.getMessage());
                err.flush();
                return 2;
            }
        }
        if (json) {
            out.println(InspectionText.json(all));
        } else {
            for (int i = 0; i < all.size(); i++) {
                if (i > 0) {
                    out.println();
                }
                out.print(InspectionText.text(all.get(i)));
            }
        }
        out.flush();
        return 0;
    }
}
