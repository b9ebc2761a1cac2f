package dev.eqd2sum.cli;

import dev.eqd2sum.io.casefile.CaseFileReader;
import dev.eqd2sum.io.casefile.CaseSpec;
import dev.eqd2sum.io.report.ConsoleTable;
import dev.eqd2sum.io.synth.SpineCaseWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code eqd2sum demo --out DIR}: a generated spine reirradiation case, summed. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false, versionProvider = Main.Version.class,
        description = {"Generates a realistic spine reirradiation case as DICOM files (prior 30 Gy in 10 fractions"
                + " ending 2023-03-10; SBRT 27 Gy in 3 fractions from 2024-05-06; SpinalCord, ThecalSac, PTV_High,"
                + " PTV_Low, External; cord hot spots 12 mm apart), sums it and prints the table.",
                "",
                "DIR/case holds the DICOM files and case.json (a template for your own cases); DIR/result holds what"
                        + " 'eqd2sum sum' writes."},
        footerHeading = "%nExamples:%n",
        footer = {"  eqd2sum demo --out demo-out",
                "  eqd2sum sum demo-out/case/case.json --out demo-out/result --overwrite   # run the case again"})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Folder for the case and the result; must be empty or absent unless --overwrite.")
    String out;

    @Option(names = "--overwrite", description = "Replace DIR when it holds a previous eqd2sum demo.")
    boolean overwrite;

    @Option(names = "--backend", paramLabel = "B", defaultValue = "auto",
            description = "auto (default), scalar, vector or opencl.")
    String backend;

    @Option(names = "--quiet", description = "Print nothing on stdout: no table, no list of what was written"
            + " (errors, warnings and the backend line still go to stderr).")
    boolean quiet;

    @ParentCommand
    Main main;

    @Override
    public Integer call() throws IOException {
        PrintStream stdout = main.out;
        PrintStream stderr = main.err;
        Path target = Path.of(out);
        Path caseDisplay = target.resolve("case").resolve("case.json");
        Path resultDisplay = target.resolve("result");
        CaseRunner.Run run;
        try (OutputFolder folder = OutputFolder.prepare(target, out, overwrite)) {
            Path caseFile = SpineCaseWriter.writeDemo(folder.temp().resolve("case"));
            CaseSpec spec = CaseFileReader.read(caseFile, caseDisplay.toString());
            Path resultDir = Files.createDirectory(folder.temp().resolve("result"));
            Files.writeString(resultDir.resolve(OutputFolder.MARKER),
                    "Written by eqd2sum; --overwrite may replace this folder.\n");
            run = SumCommand.runInto(spec, resultDir, backend, stderr);
            folder.commit();
        }
        if (quiet) {
            SumCommand.printWarnings(run.result(), stderr);
            return Main.EXIT_OK;
        }
        stdout.print(ConsoleTable.render(run.result()));
        stdout.println();
        stdout.println("The case:   " + caseDisplay + " (DICOM files beside it)");
        stdout.println("The result: " + resultDisplay + "/ (" + String.join(", ", run.files())
                + ")");
        stdout.println("Run it again: eqd2sum sum " + caseDisplay + " --out " + resultDisplay + " --overwrite");
        return Main.EXIT_OK;
    }

}
