package dev.eqd2sum.io.rt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.eqd2sum.engine.InvalidInputException;
import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.io.dicom.DicomObject;
import dev.eqd2sum.io.dicom.Tags;
import dev.eqd2sum.io.dicom.Vr;
import dev.eqd2sum.io.testsupport.DoseFixture;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The RT Dose rules of DOMAIN.md, each accepted or refused with the message a physicist needs. */
class RtDoseReaderTest {
    private static RtDose read(Consumer<DicomObject> change) {
        DicomObject ds = DoseFixture.dataset("RD.dcm");
        change.accept(ds);
        return RtDoseReader.read(DoseFixture.encode(ds), "RD.dcm");
    }

    /** As {@code inspect} reads: any kind of dose. */
    private static RtDose readAnyKind(Consumer<DicomObject> change) {
        DicomObject ds = DoseFixture.dataset("RD.dcm");
        change.accept(ds);
        return RtDoseReader.readAnyKind(dev.eqd2sum.io.dicom.DicomReader.parse(DoseFixture.encode(ds), "RD.dcm"));
    }

    private static void refused(Consumer<DicomObject> change, String message) {
        assertThatThrownBy(() -> read(change)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("RD.dcm: ").hasMessageContaining(message);
    }

    @Test
    void readsValuesTimesScalingAndGeometry() {
        RtDose d = read(ds -> { });
        GridGeometry g = d.grid().geometry();
        assertThat(g.spacingMm()).containsExactly(3, 2, 5); // PixelSpacing is (rows, columns)
        assertThat(g.originMm()).containsExactly(-10, 20, 30);
        assertThat(d.grid().doseGy()[g.index(3, 2, 1)]).isEqualTo((float) (DoseFixture.value(3, 2, 1) * 0.01));
        assertThat(g.voxelCentreMm(1, 1, 1)).containsExactly(-7, 22, 35);
        assertThat(d.doseSummationType()).isEqualTo("PLAN");
        assertThat(d.sopInstanceUid()).isEqualTo("1.2.3.4.5");
    }

    @Test
    void multiValuedDecimalsWithSpacesAndExponents() {
        RtDose d = read(ds -> {
            ds.setBytes(Tags.GridFrameOffsetVector, Vr.DS, " 0.0 \\ 5.0E+00 ".getBytes());
            ds.setBytes(Tags.DoseGridScaling, Vr.DS, "1.0e-2 ".getBytes());
        });
        assertThat(d.grid().geometry().spacingZ()).isEqualTo(5);
        assertThat(d.doseGridScaling()).isEqualTo(0.01);
    }

    @ParameterizedTest
    @CsvSource({"FRACTION", "BEAM"})
    void fractionAndBeamDosesAreAcceptedAndReported(String type) {
        RtDose d = read(ds -> ds.setString(Tags.DoseSummationType, Vr.CS, type));
        assertThat(d.doseSummationType()).isEqualTo(type);
        assertThat(d.isFractionDose()).isEqualTo(type.equals("FRACTION"));
        assertThat(d.isBeamDose()).isEqualTo(type.equals("BEAM"));
    }

    @Test
    void sixteenBitSignedReads() {
        RtDose d = read(ds -> {
            ds.setInts(Tags.BitsAllocated, 16);
            ds.setInts(Tags.BitsStored, 16);
            ds.setInts(Tags.HighBit, 15);
            ds.setInts(Tags.PixelRepresentation, 1);
            ds.setBytes(Tags.PixelData, Vr.OW, DoseFixture.pixels16());
        });
        assertThat(d.grid().doseGy()[23]).isEqualTo((float) (DoseFixture.value(3, 2, 1) * 0.01));
    }

    @Test
    void bitsStoredBelowBitsAllocatedMasksTheHighBits() {
        RtDose d = read(ds -> {
            ds.setInts(Tags.BitsStored, 12);
            ds.setInts(Tags.HighBit, 11);
            byte[] px = DoseFixture.pixels32(false);
            px[3] = (byte) 0xF0; // garbage above the stored bits of voxel 0
            ds.setBytes(Tags.PixelData, Vr.OW, px);
        });
        assertThat(d.grid().doseGy()[0]).isEqualTo(0f);
    }

    @Test
    void descendingOffsetsReverseTheFrameDirection() {
        RtDose d = read(ds -> ds.setString(Tags.GridFrameOffsetVector, Vr.DS, "0", "-5"));
        assertThat(d.grid().geometry().frameDirection()).containsExactly(0, 0, -1);
        assertThat(d.grid().geometry().voxelCentreMm(0, 0, 1)).containsExactly(-10, 20, 25);
    }

    @Test
    void absoluteOffsetsAreAcceptedForTheStandardOrientation() {
        RtDose d = read(ds -> ds.setString(Tags.GridFrameOffsetVector, Vr.DS, "30", "35"));
        assertThat(d.grid().geometry().voxelCentreMm(0, 0, 1)[2]).isCloseTo(35, within(1e-12));
    }

    @Test
    void feetFirstProneFlipsTheNormal() {
        RtDose d = read(ds -> ds.setString(Tags.ImageOrientationPatient, Vr.DS, "-1", "0", "0", "0", "-1", "0"));
        assertThat(d.grid().geometry().voxelCentreMm(1, 1, 1)).containsExactly(-13, 18, 35);
    }

    @Test
    void singleFrameWithoutOffsetsTakesSliceThicknessForInspectButIsNoCourseDose() {
        refused(ds -> {
            ds.setInts(Tags.NumberOfFrames, 1);
            ds.remove(Tags.GridFrameOffsetVector);
            ds.setBytes(Tags.PixelData, Vr.OW, java.util.Arrays.copyOf(DoseFixture.pixels32(false), 48));
        }, "NumberOfFrames (0028,0008) is 1: a single plane of dose says nothing about the dose beside it; give the"
                + " course's 3-D dose grid (at least 2 voxels along each axis)");
        RtDose d = readAnyKind(ds -> {
            ds.setInts(Tags.NumberOfFrames, 1);
            ds.remove(Tags.GridFrameOffsetVector);
            ds.setString(Tags.SliceThickness, Vr.DS, "2.5");
            ds.setBytes(Tags.PixelData, Vr.OW, java.util.Arrays.copyOf(DoseFixture.pixels32(false), 48));
        });
        assertThat(d.grid().geometry().nz()).isEqualTo(1);
        assertThat(d.grid().geometry().spacingZ()).isEqualTo(2.5);
        // an implausible SliceThickness (0.001 mm, 1 km) gives way to the finer pixel spacing, as a missing one does
        for (String thickness : new String[] {"0.001", "1e6", "0"}) {
            RtDose odd = readAnyKind(ds -> {
                ds.setInts(Tags.NumberOfFrames, 1);
                ds.remove(Tags.GridFrameOffsetVector);
                ds.setString(Tags.SliceThickness, Vr.DS, thickness);
                ds.setBytes(Tags.PixelData, Vr.OW, java.util.Arrays.copyOf(DoseFixture.pixels32(false), 48));
            });
            assertThat(odd.grid().geometry().spacingZ()).as(thickness).isEqualTo(2);
        }
    }

    @Test
    void refusesWhatDomainRefuses() {
        refused(ds -> ds.setString(Tags.DoseUnits, Vr.CS, "RELATIVE"), "DoseUnits (3004,0002) is RELATIVE");
        refused(ds -> ds.setString(Tags.DoseType, Vr.CS, "EFFECTIVE"), "DoseType (3004,0004) is EFFECTIVE");
        refused(ds -> ds.setString(Tags.DoseType, Vr.CS, "ERROR"), "DoseType (3004,0004) is ERROR");
        refused(ds -> ds.setString(Tags.DoseSummationType, Vr.CS, "MULTI_PLAN"), "is MULTI_PLAN");
        refused(ds -> {
            ds.setInts(Tags.Rows, 1);
            ds.setBytes(Tags.PixelData, Vr.OW, java.util.Arrays.copyOf(DoseFixture.pixels32(false), 32));
        }, "Rows (0028,0010) is 1: a single row of dose says nothing about the dose beside it");
        refused(ds -> {
            ds.setInts(Tags.Columns, 1);
            ds.setBytes(Tags.PixelData, Vr.OW, java.util.Arrays.copyOf(DoseFixture.pixels32(false), 24));
        }, "Columns (0028,0011) is 1: a single column of dose says nothing about the dose beside it");
        refused(ds -> ds.setString(Tags.ImageOrientationPatient, Vr.DS, "0.9", "0.43589", "0", "-0.43589", "0.9", "0"),
                "oblique dose grids are not supported");
        refused(ds -> ds.setString(Tags.GridFrameOffsetVector, Vr.DS, "0", "5", "10"),
                "GridFrameOffsetVector (3004,000C) has 3 values but NumberOfFrames is 2");
        refused(ds -> {
            ds.setString(Tags.ImageOrientationPatient, Vr.DS, "-1", "0", "0", "0", "1", "0");
            ds.setString(Tags.GridFrameOffsetVector, Vr.DS, "30", "35");
        }, "GridFrameOffsetVector (3004,000C) starts at 30, ImagePositionPatient's z: absolute z offsets are valid only"
                + " for orientation 1\\0\\0\\0\\1\\0, and this grid's ImageOrientationPatient is -1\\0\\0\\0\\1\\0;"
                + " write relative offsets (starting at 0)");
        refused(ds -> {
            ds.setString(Tags.ImageOrientationPatient, Vr.DS, "-1", "0", "0", "0", "1", "0");
            ds.setString(Tags.GridFrameOffsetVector, Vr.DS, "12", "17");
        }, "neither 0 (relative offsets) nor ImagePositionPatient z 30");
        refused(ds -> ds.setString(Tags.GridFrameOffsetVector, Vr.DS, "0", "0"), "does not advance");
        refused(ds -> ds.setInts(Tags.BitsAllocated, 8), "BitsAllocated (0028,0100) is 8");
        refused(ds -> ds.setInts(Tags.PixelRepresentation, 2), "PixelRepresentation (0028,0103) is 2");
        refused(ds -> ds.remove(Tags.DoseGridScaling), "DoseGridScaling (3004,000E) is missing");
        refused(ds -> ds.setString(Tags.DoseGridScaling, Vr.DS, "abc"), "DoseGridScaling (3004,000E) value 'abc' is not a number");
        refused(ds -> ds.setString(Tags.DoseGridScaling, Vr.DS, "NaN"), "is not a number");
        refused(ds -> ds.setString(Tags.DoseGridScaling, Vr.DS, "1e-9\\2e-9"),
                "DoseGridScaling (3004,000E) has 2 values, expected 1");
        refused(ds -> ds.remove(Tags.ImagePositionPatient), "ImagePositionPatient (0020,0032) is missing");
        refused(ds -> ds.setString(Tags.PixelSpacing, Vr.DS, "2"), "PixelSpacing (0028,0030) has 1 values, expected 2");
        refused(ds -> ds.setString(Tags.PixelSpacing, Vr.DS, "0.01", "2"),
                "PixelSpacing (0028,0030) is 0.01\\2 mm; a dose grid's spacings lie between 0.05 and 100 mm");
        refused(ds -> ds.setString(Tags.PixelSpacing, Vr.DS, "2", "1e9"), "is 2\\1.000e+09 mm; a dose grid's");
        refused(ds -> ds.setString(Tags.GridFrameOffsetVector, Vr.DS, "0", "500"),
                "GridFrameOffsetVector (3004,000C) gives frames 500 mm apart");
        refused(ds -> ds.setString(Tags.ImagePositionPatient, Vr.DS, "-10", "2e5", "30"),
                "ImagePositionPatient (0020,0032) is -10\\200000\\30 mm: more than 100000 mm from the frame's origin");
        refused(ds -> ds.setBytes(Tags.PixelData, Vr.OW, new byte[40]), "PixelData has 40 bytes, but");
        refused(ds -> {
            ds.setInts(Tags.PixelRepresentation, 1);
            ds.setBytes(Tags.PixelData, Vr.OW, DoseFixture.pixels32(true));
        }, "negative doses");
        refused(ds -> ds.remove(Tags.PixelData), "PixelData (7FE0,0010) is missing");
    }

    @Test
    void dosesUpToTenThousandGyAreReadAndAboveAreRefused() {
        float stored = read(ds -> ds.setString(Tags.DoseGridScaling, Vr.DS, "1")).grid().maxGy();
        for (boolean sixteenBitSigned : new boolean[] {false, true}) {
            Consumer<DicomObject> layout = ds -> {
                if (sixteenBitSigned) {
                    ds.setInts(Tags.BitsAllocated, 16);
                    ds.setInts(Tags.BitsStored, 16);
                    ds.setInts(Tags.HighBit, 15);
                    ds.setInts(Tags.PixelRepresentation, 1);
                    ds.setBytes(Tags.PixelData, Vr.OW, DoseFixture.pixels16());
                }
            };
            // 6,000 Gy: the decoder's bound on the largest dose may exceed 10,000 Gy, the exact maximum does not
            for (double top : new double[] {6000, 9999}) {
                RtDose d = read(layout.andThen(ds -> ds.setString(Tags.DoseGridScaling, Vr.DS,
                        String.format(java.util.Locale.ROOT, "%.12e", top / stored))));
                assertThat(d.grid().maxGy()).isCloseTo((float) top, within(0.01f));
            }
            refused(layout.andThen(ds -> ds.setString(Tags.DoseGridScaling, Vr.DS,
                            String.format(java.util.Locale.ROOT, "%.12e", 10001 / stored))),
                    "PixelData holds doses up to 10001.0 Gy (DoseGridScaling ");
            refused(layout.andThen(ds -> ds.setString(Tags.DoseGridScaling, Vr.DS, "1e38")),
                    "PixelData holds doses up to about ");
        }
    }

    @Test
    void wrongObjectForTheRoleIsNamed() {
        refused(ds -> ds.setString(Tags.SOPClassUID, Vr.UI, "1.2.840.10008.5.1.4.1.1.481.3"),
                "is an RT Structure Set, not an RT Dose");
        assertThatThrownBy(() -> read(ds -> ds.setString(Tags.SOPClassUID, Vr.UI, "1.2.840.10008.5.1.4.1.1.481.3")))
                .hasMessage("RD.dcm: is an RT Structure Set, not an RT Dose");
    }
}
