package dev.eqd2sum.io.testsupport;

import dev.eqd2sum.io.dicom.DicomObject;
import dev.eqd2sum.io.dicom.DicomWriter;
import dev.eqd2sum.io.dicom.Tags;
import dev.eqd2sum.io.dicom.Vr;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** A small valid RT Dose data set that a test can change before encoding it. */
public final class DoseFixture {
    public static final int NX = 4, NY = 3, NZ = 2;

    private DoseFixture() {
    }

    /** 4x3x2 voxels, 32-bit unsigned, value i + 10 j + 100 k, DoseGridScaling 0.01. */
    public static DicomObject dataset(String source) {
        DicomObject ds = new DicomObject(source);
        ds.setString(Tags.SOPClassUID, Vr.UI, "1.2.840.10008.5.1.4.1.1.481.2");
        ds.setString(Tags.SOPInstanceUID, Vr.UI, "1.2.3.4.5");
        ds.setString(Tags.Modality, Vr.CS, "RTDOSE");
        ds.setString(Tags.PatientName, Vr.PN, "Test^Patient");
        ds.setString(Tags.PatientID, Vr.LO, "pt1");
        ds.setString(Tags.StudyInstanceUID, Vr.UI, "1.2.3.4");
        ds.setString(Tags.SeriesInstanceUID, Vr.UI, "1.2.3.4.1");
        ds.setString(Tags.FrameOfReferenceUID, Vr.UI, "1.2.3.4.9");
        ds.setString(Tags.ImagePositionPatient, Vr.DS, "-10", "20", "30");
        ds.setString(Tags.ImageOrientationPatient, Vr.DS, "1", "0", "0", "0", "1", "0");
        ds.setString(Tags.PixelSpacing, Vr.DS, "2", "3");
        ds.setInts(Tags.Rows, NY);
        ds.setInts(Tags.Columns, NX);
        ds.setInts(Tags.NumberOfFrames, NZ);
        ds.setInts(Tags.SamplesPerPixel, 1);
        ds.setString(Tags.PhotometricInterpretation, Vr.CS, "MONOCHROME2");
        ds.setInts(Tags.BitsAllocated, 32);
        ds.setInts(Tags.BitsStored, 32);
        ds.setInts(Tags.HighBit, 31);
        ds.setInts(Tags.PixelRepresentation, 0);
        ds.setString(Tags.DoseUnits, Vr.CS, "GY");
        ds.setString(Tags.DoseType, Vr.CS, "PHYSICAL");
        ds.setString(Tags.DoseSummationType, Vr.CS, "PLAN");
        ds.setString(Tags.GridFrameOffsetVector, Vr.DS, "0", "5");
        ds.setString(Tags.DoseGridScaling, Vr.DS, "0.01");
        ds.setBytes(Tags.PixelData, Vr.OW, pixels32(false));
        return ds;
    }

    public static int value(int i, int j, int k) {
        return i + 10 * j + 100 * k;
    }

    public static byte[] pixels32(boolean negativeFirst) {
        ByteBuffer bb = ByteBuffer.allocate(NX * NY * NZ * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < NZ; k++) {
            for (int j = 0; j < NY; j++) {
                for (int i = 0; i < NX; i++) {
                    bb.putInt(negativeFirst && i + j + k == 0 ? -5 : value(i, j, k));
                }
            }
        }
        return bb.array();
    }

    public static byte[] pixels16() {
        ByteBuffer bb = ByteBuffer.allocate(NX * NY * NZ * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < NZ; k++) {
            for (int j = 0; j < NY; j++) {
                for (int i = 0; i < NX; i++) {
                    bb.putShort((short) value(i, j, k));
                }
            }
        }
        return bb.array();
    }

    public static byte[] encode(DicomObject ds) {
        return DicomWriter.toBytes(ds, "1.2.3", "TEST");
    }
}
