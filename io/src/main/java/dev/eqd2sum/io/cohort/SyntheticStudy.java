package dev.eqd2sum.io.cohort;

import dev.eqd2sum.io.rt.Uids;
import dev.eqd2sum.io.synth.SpineCase;
import dev.eqd2sum.io.synth.SpineCaseWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A study of spine reirradiation cases for cohort tests and throughput measurements: the demo's courses
 * ({@link SpineCase}, written by {@link SpineCaseWriter}), each case in its own frame of reference and varied by
 * its number (doses scaled, the current hot spot moved) so that the cases' rows differ.
 */
public final class SyntheticStudy {
    /** Grid sizes of a study. */
    public enum Size {
        /** The benchmarks' standard case: current 200x200x150 at 2 mm (6 M voxels), prior 180x160x110 at 2.5x2.5x3 mm. */
        STD(SpineCase.Spec.standard().withCourses(SpineCase.Spec.demo().prior(),
                SpineCase.Spec.demo().current())),
        /** A small case for tests (seconds for a 20-case cohort): current 48x48x40 at 2 mm, prior 40x36x30. */
        SMALL(SpineCase.Spec.small());

        private final SpineCase.Spec spec;

        Size(SpineCase.Spec spec) {
            this.spec = spec;
        }
    }

    private SyntheticStudy() {
    }

    /** Writes {@code dir/case.json}, {@code dir/RS.dcm}, {@code dir/prior/R[PD].dcm}, {@code dir/current/R[PD].dcm}. */
    public static Path writeCase(Path dir, String caseId, int caseNumber, Size size) {
        SpineCase.Spec base = size.spec;
        SpineCase.Course prior = base.prior().varied(0.95 + 0.01 * (caseNumber % 7), 0);
        // A prior hot spot of 2 % only, so that each course's maximum stays near its prescription.
        SpineCase.Spec spec = base.withCourses(prior.withCordMaxGy(1.02 * prior.prescriptionGy()),
                base.current().varied(0.9 + 0.02 * (caseNumber % 11), ((caseNumber % 5) - 2) * 1.5));
        try {
            return SpineCaseWriter.write(SpineCase.build(spec), dir, caseId, "Synthetic^" + caseId, caseId,
                    Uids.newUid());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code count} cases into {@code dir/case-0000/...}; caseIds {@code <prefix>-0000}, ... */
    public static List<Path> writeStudy(Path dir, String prefix, int count, Size size) {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = String.format(Locale.ROOT, "%s-%04d", prefix, i);
            files.add(writeCase(dir.resolve(String.format(Locale.ROOT, "case-%04d", i)), id, i, size));
        }
        return files;
    }
}
