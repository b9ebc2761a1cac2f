package dev.eqd2sum.bench;

import dev.eqd2sum.io.cohort.SyntheticStudy;

import java.nio.file.Path;

/**
 * Writes a synthetic study for the cohort throughput measurement (bench/cohort-throughput.sh):
 * {@code CohortStudyMain DIR COUNT [std|small]}.
 */
public final class CohortStudyMain {
    private CohortStudyMain() {
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: CohortStudyMain DIR COUNT [std|small]");
            System.exit(2);
        }
        SyntheticStudy.Size size = args.length > 2 && args[2].equals("small") ? SyntheticStudy.Size.SMALL
                : SyntheticStudy.Size.STD;
        long t0 = System.nanoTime();
        SyntheticStudy.writeStudy(Path.of(args[0]), "std", Integer.parseInt(args[1]), size);
        System.err.printf("wrote %s cases in %.1f s%n", args[1], (System.nanoTime() - t0) / 1e9);
    }
}
