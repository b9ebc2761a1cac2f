package dev.eqd2sum.io.rt;

import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.engine.kernel.Jit;
import dev.eqd2sum.io.dicom.DicomObject;
import dev.eqd2sum.io.dicom.Tags;
import dev.eqd2sum.io.dicom.Vr;
import dev.eqd2sum.io.dicom.DicomWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.nio.ByteOrder;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

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
        DicomWriter.TrailingValue pixels = fill(ds, eqd2Gy, export.frameOfReferenceUid(), "EFFECTIVE",
                export.multiPlan() ? "MULTI_PLAN" : "PLAN", plans, export.bitsAllocated());
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
        RtObjectHeader.write(target, ds, pixels);
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
        DicomWriter.TrailingValue pixels = fill(ds, doseGy, frameOfReferenceUid, "PHYSICAL", "PLAN", plans, bitsAllocated);
        RtObjectHeader.write(target, ds, pixels);
        return uid;
    }

    /** Fills the image and dose attributes; PixelData is returned, to be written last, piece by piece. */
    private static DicomWriter.TrailingValue fill(DicomObject ds, DoseGrid grid, String frameOfReferenceUid, String doseType,
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
        float[] dose = grid.doseGy();
        String scalingText = scalingText(dose, bitsAllocated);
        ds.setString(Tags.DoseGridScaling, Vr.DS, scalingText);
        if (!plans.isEmpty()) {
            ds.setSequence(Tags.ReferencedRTPlanSequence, plans);
        }
        double scaling = Double.parseDouble(scalingText);
        int bytes = bitsAllocated / 8;
        return new DicomWriter.TrailingValue() {
            @Override
            public int tag() {
                return Tags.PixelData;
            }

            @Override
            public Vr vr() {
                return Vr.OW;
            }

            @Override
            public long length() {
                return (long) dose.length * bytes;
            }

            /**
             * Pieces quantised two at a time, the second on the common pool: a one-case run has nothing else to
             * do on its second core then (the structures are rasterised after the maps).
             */
            @Override
            public void writeTo(OutputStream out) throws IOException {
                byte[] first = new byte[CHUNK_VOXELS * bytes];
                byte[] second = new byte[CHUNK_VOXELS * bytes];
                for (int from = 0; from < dose.length; from += 2 * CHUNK_VOXELS) {
                    int mid = Math.min(dose.length, from + CHUNK_VOXELS);
                    int to = Math.min(dose.length, mid + CHUNK_VOXELS);
                    ForkJoinTask<?> next = mid < to ? ForkJoinPool.commonPool().submit(
                            () -> encode(dose, mid, to, scaling, bitsAllocated, second)) : null;
                    encode(dose, from, mid, scaling, bitsAllocated, first);
                    out.write(first, 0, (mid - from) * bytes);
                    if (next != null) {
                        next.join();
                        out.write(second, 0, (to - mid) * bytes);
                    }
                }
            }
        };
    }

    /** Voxels quantised per piece written: 256 kB of 32-bit pixels, cache-resident. */
    private static final int CHUNK_VOXELS = 1 << 16;
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    /** Pixel bytes and the DS text of the scaling they were computed with. */
    record Quantized(String scalingText, double scaling, byte[] pixels) {
    }

    /**
     * The finest scaling whose largest unsigned integer still holds the maximum dose, as a DS of
     * at most 16 characters, rounded up so that the maximum never clips; values rounded to the
     * nearest step (error at most half a step).
     */
    static Quantized quantize(float[] dose, int bits) {
        String text = scalingText(dose, bits);
        double scaling = Double.parseDouble(text);
        byte[] out = new byte[dose.length * (bits / 8)];
        encode(dose, 0, dose.length, scaling, bits, out);
        return new Quantized(text, scaling, out);
    }

    /** The DoseGridScaling text for {@code dose}; refuses NaN and negative doses. */
    static String scalingText(float[] dose, int bits) {
        long maxInt = bits == 32 ? MAX_STORED_32 : 0xFFFFL;
        float max = maxOrNaN(dose);
        if (Float.isNaN(max)) {
            for (float d : dose) {
                if (Float.isNaN(d) || d < -1e-6f) {
                    throw new IllegalArgumentException("cannot write dose " + d + " Gy");
                }
            }
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
        return text;
    }

    /**
     * The largest of 0 and the doses, or NaN when one of them is NaN or below -1e-6 Gy (the caller then looks
     * for it). Plain comparisons, not Math.max/min: a single case runs on C1, where their NaN and -0 rules took
     * 160 ms for 52 M voxels against 60 ms (C2: 20-30 ms either way).
     */
    private static float maxOrNaN(float[] dose) {
        if (dose.length < 2 * CHUNK_VOXELS) {
            return maxOrNaN(dose, 0, dose.length);
        }
        // halves in parallel (the second on the common pool): the maximum is the same in any order
        int half = dose.length / 2;
        ForkJoinTask<Float> upper = ForkJoinPool.commonPool().submit(() -> maxOrNaN(dose, half, dose.length));
        float lower = maxOrNaN(dose, 0, half);
        float other = upper.join();
        return Float.isNaN(lower) || Float.isNaN(other) ? Float.NaN : lower > other ? lower : other;
    }

    private static float maxOrNaN(float[] dose, int from, int to) {
        // Four running maxima: C1 (one case) runs this loop about 30 % faster than with one.
        float m0 = 0;
        float m1 = 0;
        float m2 = 0;
        float m3 = 0;
        int i = from;
        for (; i + 4 <= to; i += 4) {
            float a = dose[i];
            float b = dose[i + 1];
            float c = dose[i + 2];
            float d = dose[i + 3];
            if (a > m0) {
                m0 = a;
            }
            if (b > m1) {
                m1 = b;
            }
            if (c > m2) {
                m2 = c;
            }
            if (d > m3) {
                m3 = d;
            }
            if (!(a >= 0 && b >= 0 && c >= 0 && d >= 0) && !(a >= -1e-6f && b >= -1e-6f && c >= -1e-6f && d >= -1e-6f)) {
                return Float.NaN;
            }
        }
        for (; i < to; i++) {
            float d = dose[i];
            if (d > m0) {
                m0 = d;
            }
            if (!(d >= -1e-6f)) {
                return Float.NaN;
            }
        }
        float x = m0 > m1 ? m0 : m1;
        float y = m2 > m3 ? m2 : m3;
        return x > y ? x : y;
    }

    /**
     * The largest stored value of a 32-bit map: 2^31 - 1, not 2^32 - 1. The values are unsigned (PixelRepresentation
     * 0), but importers that read them as signed would see the hottest voxels negative; the half range costs one bit
     * of a step already about 1e-8 of the maximum.
     */
    static final long MAX_STORED_32 = 0x7FFFFFFFL;

    /** Voxels {@code from..to-1} as little-endian unsigned integers of {@code bits} into {@code out} from byte 0. */
    static void encode(float[] dose, int from, int to, double scaling, int bits, byte[] out) {
        double inv = 1.0 / scaling;
        // the same values either way (quantum's test): the form each compiler runs fastest, folded by both
        if (bits == 32) {
            for (int i = from; i < to; i++) {
                INT_LE.set(out, 4 * (i - from), (int) (Jit.C1_ONLY ? quantum(dose[i] * inv, MAX_STORED_32)
                        : Math.min(MAX_STORED_32, Math.round(Math.max(0, dose[i]) * inv))));
            }
        } else {
            for (int i = from; i < to; i++) {
                SHORT_LE.set(out, 2 * (i - from), (short) (Jit.C1_ONLY ? quantum(dose[i] * inv, 0xFFFFL)
                        : Math.min(0xFFFFL, Math.round(Math.max(0, dose[i]) * inv))));
            }
        }
    }

    /**
     * {@code min(max, Math.round(max(0, x)))}, bit for bit, for any x (NaN and negatives give 0). Math.round's exact
     * rule costs C1 (one case) as much as the rest of the loop; x + 0.5 rounds onto the next integer only for the
     * largest double below 0.5, which the first test takes (for x >= 0.5 below 2^52 the sum is exact or cannot reach
     * the next integer; from 2^32 on the result is max anyway). C2 vectorises Math.round (23 against 60-74 ms for
     * 52 M voxels), so this is for {@link Jit#C1_ONLY} only.
     */
    static long quantum(double x, long max) {
        long q = x < 0.5 ? 0 : (long) (x + 0.5);
        return q > max ? max : q;
    }
}
