package dev.eqd2sum.io.rt;

import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.io.dicom.DicomObject;
import dev.eqd2sum.io.dicom.Tags;
import dev.eqd2sum.io.dicom.Vr;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes RT Dose files: the EQD2 plan sum (DOMAIN.md, "Writing the EQD2 map") and, for synthetic
 * cases, physical plan doses. One path for both: unsigned integers (32-bit by default, 16-bit on
 * request) with the finest DoseGridScaling that holds the maximum, relative GridFrameOffsetVector,
 * new UIDs under 2.25, written atomically.
 */
public final class RtDoseWriter {
    private RtDoseWriter() {
    }

    /**
     * What to say about the EQD2 plan sum besides its values.
     *
     * @param patientStudy copied from the current course's RT Dose
     * @param frameOfReferenceUid the output grid's frame (the current course's)
     * @param referencedPlanUids every contributing course's RT Plan
     * @param referencedRegistrationUids the REG objects used to map prior courses (empty if none)
     * @param alphaBetaDescription e.g. "alpha/beta 2 Gy" or "alpha/beta by structure, default 3 Gy"
     * @param multiPlan true when more than one course contributed (MULTI_PLAN), false for one course (PLAN)
     * @param bitsAllocated 32 (default) or 16
     */
    public record Eqd2Export(PatientStudy patientStudy, String frameOfReferenceUid, List<String> referencedPlanUids,
                             List<String> referencedRegistrationUids, String alphaBetaDescription, boolean multiPlan,
                             int bitsAllocated) {
        public Eqd2Export {
            referencedPlanUids = List.copyOf(referencedPlanUids);
            referencedRegistrationUids = List.copyOf(referencedRegistrationUids);
        }

        /** Patient, study and frame taken from the current course's RT Dose. */
        public static Eqd2Export fromCurrentCourse(RtDose currentCourse, List<String> referencedPlanUids,
                                                   List<String> referencedRegistrationUids, String alphaBetaDescription,
                                                   boolean multiPlan, int bitsAllocated) {
            return new Eqd2Export(currentCourse.patientStudy(), currentCourse.frameOfReferenceUid(), referencedPlanUids,
                    referencedRegistrationUids, alphaBetaDescription, multiPlan, bitsAllocated);
        }
    }

    /** The SeriesDescription of an EQD2 map: names EQD2 and the alpha/beta. */
    public static String eqd2SeriesDescription(String alphaBetaDescription) {
        return "EQD2 plan sum, " + alphaBetaDescription;
    }

    /**
     * Writes the voxel-wise EQD2 plan sum: DoseType EFFECTIVE, DoseUnits GY, DoseSummationType
     * MULTI_PLAN (PLAN for one course). Returns the new SOP instance UID.
     */
    public static String writeEqd2PlanSum(Path target, DoseGrid eqd2Gy, Eqd2Export export) {
        String uid = Uids.newUid();
        DicomObject ds = RtObjectHeader.start(target, SopClass.RT_DOSE, uid, export.patientStudy(),
                eqd2SeriesDescription(export.alphaBetaDescription()));
        ds.setString(Tags.DerivationDescription, Vr.ST, "Voxel-wise EQD2 (linear-quadratic) plan sum by eqd2sum, "
                + export.alphaBetaDescription());
        List<DicomObject> plans = new ArrayList<>();
        for (String p : export.referencedPlanUids()) {
            plans.add(RtObjectHeader.reference(ds, SopClass.RT_PLAN, p));
        }
        fill(ds, eqd2Gy, export.frameOfReferenceUid(), "EFFECTIVE", export.multiPlan() ? "MULTI_PLAN" : "PLAN", plans,
                export.bitsAllocated());
        if (!export.referencedRegistrationUids().isEmpty()) {
            ds.setString(Tags.SpatialTransformOfDose, Vr.CS, "RIGID");
            List<DicomObject> regs = new ArrayList<>();
            for (String r : export.referencedRegistrationUids()) {
                regs.add(RtObjectHeader.reference(ds, SopClass.SPATIAL_REGISTRATION, r));
            }
            ds.setSequence(Tags.ReferencedSpatialRegistrationSequence, regs);
        } else {
            ds.setString(Tags.SpatialTransformOfDose, Vr.CS, "NONE");
        }
        RtObjectHeader.write(target, ds);
        return uid;
    }

    /**
     * Writes a physical plan dose (DoseType PHYSICAL, DoseSummationType PLAN), as a planning
     * system exports it: for synthetic cases and the demo. Returns the new SOP instance UID.
     */
    public static String writePhysical(Path target, DoseGrid doseGy, PatientStudy patientStudy,
                                       String frameOfReferenceUid, String referencedPlanUid, int bitsAllocated) {
        String uid = Uids.newUid();
        DicomObject ds = RtObjectHeader.start(target, SopClass.RT_DOSE, uid, patientStudy, "Physical dose");
        List<DicomObject> plans = referencedPlanUid == null ? List.of()
                : List.of(RtObjectHeader.reference(ds, SopClass.RT_PLAN, referencedPlanUid));
        fill(ds, doseGy, frameOfReferenceUid, "PHYSICAL", "PLAN", plans, bitsAllocated);
        RtObjectHeader.write(target, ds);
        return uid;
    }

    private static void fill(DicomObject ds, DoseGrid grid, String frameOfReferenceUid, String doseType,
                             String summationType, List<DicomObject> plans, int bitsAllocated) {
        if (bitsAllocated != 16 && bitsAllocated != 32) {
            throw new IllegalArgumentException("BitsAllocated must be 16 or 32, not " + bitsAllocated);
        }
        GridGeometry g = grid.geometry();
        ds.setString(Tags.FrameOfReferenceUID, Vr.UI, frameOfReferenceUid);
        ds.setString(Tags.PositionReferenceIndicator, Vr.LO, "");
        double[] u = g.rowDirection();
        double[] v = g.columnDirection();
        double[] w = g.frameDirection();
        double[] n = {u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]};
        double along = w[0] * n[0] + w[1] * n[1] + w[2] * n[2];
        if (Math.abs(Math.abs(along) - 1) > 1e-6) {
            throw new IllegalArgumentException("frames must advance along the row x column normal: " + g);
        }
        ds.setDecimals(Tags.ImagePositionPatient, g.originMm());
        ds.setDecimals(Tags.ImageOrientationPatient, u[0], u[1], u[2], v[0], v[1], v[2]);
        ds.setDecimals(Tags.PixelSpacing, g.spacingY(), g.spacingX());
        ds.setDecimals(Tags.SliceThickness, g.spacingZ());
        ds.setInts(Tags.SamplesPerPixel, 1);
        ds.setString(Tags.PhotometricInterpretation, Vr.CS, "MONOCHROME2");
        ds.setInts(Tags.NumberOfFrames, g.nz());
        ds.setTags(Tags.FrameIncrementPointer, Tags.GridFrameOffsetVector);
        ds.setInts(Tags.Rows, g.ny());
        ds.setInts(Tags.Columns, g.nx());
        ds.setInts(Tags.BitsAllocated, bitsAllocated);
        ds.setInts(Tags.BitsStored, bitsAllocated);
        ds.setInts(Tags.HighBit, bitsAllocated - 1);
        ds.setInts(Tags.PixelRepresentation, 0);
        ds.setString(Tags.DoseUnits, Vr.CS, "GY");
        ds.setString(Tags.DoseType, Vr.CS, doseType);
        ds.setString(Tags.DoseSummationType, Vr.CS, summationType);
        double[] offsets = new double[g.nz()];
        double step = g.spacingZ() * Math.signum(along);
        for (int k = 0; k < offsets.length; k++) {
            offsets[k] = k * step;
        }
        ds.setDecimals(Tags.GridFrameOffsetVector, offsets);
        Quantized q = quantize(grid.doseGy(), bitsAllocated);
        ds.setString(Tags.DoseGridScaling, Vr.DS, q.scalingText);
        if (!plans.isEmpty()) {
            ds.setSequence(Tags.ReferencedRTPlanSequence, plans);
        }
        ds.setBytes(Tags.PixelData, Vr.OW, q.pixels);
    }

    /** Pixel bytes and the DS text of the scaling they were computed with. */
    record Quantized(String scalingText, double scaling, byte[] pixels) {
    }

    /**
     * The finest scaling whose largest unsigned integer still holds the maximum dose, as a DS of
     * at most 16 characters, rounded up so that the maximum never clips; values rounded to the
     * nearest step (error at most half a step).
     */
    static Quantized quantize(float[] dose, int bits) {
        long maxInt = bits == 32 ? 0xFFFFFFFFL : 0xFFFFL;
        float max = 0;
        for (float d : dose) {
            if (Float.isNaN(d) || d < -1e-6f) {
                throw new IllegalArgumentException("cannot write dose " + d + " Gy");
            }
            max = Math.max(max, d);
        }
        String text = "1";
        if (max > 0) {
            for (int digits = 10; ; digits--) {
                BigDecimal s = new BigDecimal(max).divide(BigDecimal.valueOf(maxInt), new MathContext(digits, RoundingMode.UP));
                text = s.stripTrailingZeros().toString();
                if (text.length() <= 16) {
                    break;
                }
            }
        }
        double scaling = Double.parseDouble(text);
        int bytes = bits / 8;
        byte[] out = new byte[dose.length * bytes];
        double inv = 1.0 / scaling;
        for (int i = 0; i < dose.length; i++) {
            long q = Math.round(Math.max(0, dose[i]) * inv);
            if (q > maxInt) {
                q = maxInt;
            }
            int o = i * bytes;
            out[o] = (byte) q;
            out[o + 1] = (byte) (q >>> 8);
            if (bytes == 4) {
                out[o + 2] = (byte) (q >>> 16);
                out[o + 3] = (byte) (q >>> 24);
            }
        }
        return new Quantized(text, scaling, out);
    }
}
