package dev.eqd2sum.io.cohort;

import dev.eqd2sum.io.casefile.CaseFileReader;
import dev.eqd2sum.io.casefile.CaseSpec;
import dev.eqd2sum.io.rt.RtDose;
import dev.eqd2sum.io.rt.RtDoseReader;
import dev.eqd2sum.io.rt.RtStructureSet;
import dev.eqd2sum.io.rt.RtStructureSetReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SyntheticStudyTest {
    @TempDir
    Path tmp;

    @Test
    void aSmallCaseReadsBackAsAValidCase() {
        Path caseFile = SyntheticStudy.writeCase(tmp.resolve("c"), "syn-0003", 3, SyntheticStudy.Size.SMALL);
        CaseSpec spec = CaseFileReader.read(caseFile, "c/case.json");
        assertThat(spec.caseId()).isEqualTo("syn-0003");
        assertThat(spec.courses()).hasSize(2);

        RtDose current = RtDoseReader.read(tmp.resolve("c/current/RD.dcm"));
        RtDose prior = RtDoseReader.read(tmp.resolve("c/prior/RD.dcm"));
        assertThat(current.grid().geometry().voxelCount()).isEqualTo(48 * 48 * 40);
        assertThat(prior.grid().geometry().voxelCount()).isEqualTo(40 * 36 * 30);
        assertThat(current.frameOfReferenceUid()).isEqualTo(prior.frameOfReferenceUid());
        // Case 3: scale 0.96 of 27 Gy at the hot spot's centre (the grid samples it within a voxel).
        assertThat((double) current.grid().maxGy()).isCloseTo(27 * 0.96, within(1.5));
        assertThat((double) prior.grid().maxGy()).isCloseTo(30 * 0.98, within(1.0));

        RtStructureSet rs = RtStructureSetReader.read(tmp.resolve("c/RS.dcm"));
        assertThat(rs.frameOfReferenceUid()).isEqualTo(current.frameOfReferenceUid());
        assertThat(rs.find("SpinalCord")).isPresent();
        assertThat(rs.find("PTV_High").orElseThrow().isTarget()).isTrue();
        assertThat(rs.find("External").orElseThrow().contours()).isNotEmpty();
    }
}
