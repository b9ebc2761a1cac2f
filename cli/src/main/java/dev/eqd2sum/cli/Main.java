package dev.eqd2sum.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code eqd2sum} command. */
@Command(name = "eqd2sum", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Voxel-wise EQD2 plan sums, DVHs and reirradiation constraint checks from DICOM RT.",
        subcommands = {CommandLine.HelpCommand.class, InspectCommand.class})
public final class Main implements Runnable {
    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Version from the jar manifest (or "dev" when run from classes). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"eqd2sum " + (v == null ? "dev" : v)};
        }
    }
}
