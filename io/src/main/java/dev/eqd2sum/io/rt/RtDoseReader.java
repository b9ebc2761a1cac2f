package dev.eqd2sum.io.rt;

import dev.eqd2sum.engine.InvalidInputException;
import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.io.dicom.DicomElement;
import dev.eqd2sum.io.dicom.DicomFile;
import dev.eqd2sum.io.dicom.DicomObject;
import dev.eqd2sum.io.dicom.DicomReader;
import dev.eqd2sum.io.dicom.FileBytesSink;
import dev.eqd2sum.io.dicom.PixelDataInFile;
import dev.eqd2sum.io.dicom.PixelDecoder;
import dev.eqd2sum.io.dicom.StreamedDicomFile;
import dev.eqd2sum.io.dicom.Tags;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads an RT Dose file into a {@link DoseGrid} of physical dose in Gy, checking what DOMAIN.md
 * asks: DoseUnits GY; DoseType PHYSICAL (EFFECTIVE and ERROR would be converted twice);
 * DoseSummationType PLAN, FRACTION or BEAM (MULTI_PLAN hides the dose per fraction); an
 * axis-aligned orientation (flips allowed, oblique refused); GridFrameOffsetVector relative or,
 * for the standard orientation only, absolute; frames evenly spaced, ascending or descending.
 */
public final class RtDoseReader {
    /** Direction cosines within this of 0 or +-1 count as axis-aligned (writers round to ~6 digits). */
    static final double AXIS_TOLERANCE = 1e-4;

    private RtDoseReader() {
    }

    /** Reads the file in pieces (see {@link #read(Path, String, FileBytesSink)}); the source in messages is the path. */
    public static RtDose read(Path path) {
        return read(path, path.toString(), FileBytesSink.NONE);
    }

    /**
     * Reads the file in pieces: its attributes first, then its pixel data decoded piece by piece straight into
     * the dose array, so that the file's bytes are never held whole ({@link DicomReader#readStreamed}). When
     * the dose is read, {@code sink} has seen every byte of the file once, in order (e.g. for its SHA-256).
     */
    public static RtDose read(Path path, String source, FileBytesSink sink) {
        return read(path, source, sink, DicomReader.FIRST_READ_BYTES);
    }

    /** As {@link #read(Path, String, FileBytesSink)}, parsing the first {@code firstReadBytes} bytes first (tests). */
    static RtDose read(Path path, String source, FileBytesSink sink, int firstReadBytes) {
        try (StreamedDicomFile streamed = DicomReader.readStreamed(path, source, firstReadBytes)) {
            return read(streamed.file(), streamed.pixelsInFile(),
                    (inMemory, layout, scale, min) -> streamed.decodePixels(inMemory, layout, scale, min, sink), true);
        }
    }

    public static RtDose read(byte[] data, String source) {
        return read(DicomReader.parse(data, source));
    }

    public static RtDose read(DicomFile file) {
        return read(file, null, decoderOf(file), true);
    }

    /**
     * Reads any RT Dose for {@code eqd2sum inspect}, whatever its DoseUnits, DoseType and DoseSummationType: a plan
     * sum eqd2sum wrote (EFFECTIVE, MULTI_PLAN) or a RELATIVE dose is worth looking at even though {@code sum}
     * refuses it as a course's dose ({@link #courseDoseRefusal} says why); the grid then holds the stored values
     * times DoseGridScaling, in the file's units. Every other check is {@link #read(DicomFile)}'s.
     */
    public static RtDose readAnyKind(DicomFile file) {
        return read(file, null, decoderOf(file), false);
    }

    private static PixelSource decoderOf(DicomFile file) {
        return (inMemory, layout, scale, min) -> PixelDecoder.decode(file.source(), inMemory,
                file.transferSyntax(), layout, scale, min);
    }

    /**
     * Why a dose of this kind cannot be a course's dose (DoseUnits, DoseType and DoseSummationType, DOMAIN.md), or
     * null when it can: a relative dose has no Gy, a dose already biologically weighted would be converted twice, a
     * plan sum hides the dose per fraction.
     */
    public static InvalidInputException courseDoseRefusal(DicomObject ds) {
        String units = ds.requireString(Tags.DoseUnits);
        if (!units.equals("GY")) {
            return ds.invalid(Tags.DoseUnits, "is " + units + "; only GY (absolute dose) can be summed");
        }
        String doseType = ds.requireString(Tags.DoseType);
        switch (doseType) {
            case "PHYSICAL" -> { }
            case "EFFECTIVE" -> {
                return ds.invalid(Tags.DoseType, "is EFFECTIVE: the dose is already biologically"
                        + " weighted and would be converted twice; give the physical dose");
            }
            case "ERROR" -> {
                return ds.invalid(Tags.DoseType, "is ERROR: a dose difference, not a dose");
            }
            default -> {
                return ds.invalid(Tags.DoseType, "is " + doseType + "; expected PHYSICAL");
            }
        }
        String summation = ds.requireString(Tags.DoseSummationType);
        // A single plane (or row) of dose gives no dose a voxel away from it (a course's grid is read within 1e-3 of
        // a voxel, CONTRACT): every structure's statistics would come out 0 Gy.
        for (int[] axis : new int[][] {{Tags.NumberOfFrames, ds.getInt(Tags.NumberOfFrames, 1)},
            {Tags.Rows, ds.getInt(Tags.Rows, 2)}, {Tags.Columns, ds.getInt(Tags.Columns, 2)}}) {
            if (axis[1] == 1) {
                return ds.invalid(axis[0], "is 1: a single " + (axis[0] == Tags.NumberOfFrames ? "plane"
                        : axis[0] == Tags.Rows ? "row" : "column")
                        + " of dose says nothing about the dose beside it; give the course's 3-D dose grid (at least"
                        + " 2 voxels along each axis)");
            }
        }
        return switch (summation) {
            case "PLAN", "FRACTION", "BEAM" -> null;
            case "MULTI_PLAN" -> ds.invalid(Tags.DoseSummationType, "is MULTI_PLAN: a plan sum hides the dose"
                    + " per fraction; give each course's own plan dose");
            default -> ds.invalid(Tags.DoseSummationType, "is " + summation + "; expected PLAN, FRACTION or BEAM");
        };
    }

    /** Decodes the pixel data: the element given, or when it is null the pixel data left in the file. */
    private interface PixelSource {
        float[] decode(DicomElement inMemory, PixelDecoder.Layout layout, double scale, double[] minValue);
    }

    private static RtDose read(DicomFile file, PixelDataInFile inFile, PixelSource pixelSource, boolean asCourseDose) {
        SopClass.require(file, SopClass.RT_DOSE);
        DicomObject ds = file.dataset();
        String src = file.source();

        String units = ds.requireString(Tags.DoseUnits);
        if (asCourseDose) {
            InvalidInputException refused = courseDoseRefusal(ds);
            if (refused != null) {
                throw refused;
            }
        }
        String doseType = ds.requireString(Tags.DoseType);
        String summation = ds.requireString(Tags.DoseSummationType);

        int rows = positive(ds, Tags.Rows, ds.requireInt(Tags.Rows));
        int columns = positive(ds, Tags.Columns, ds.requireInt(Tags.Columns));
        int frames = positive(ds, Tags.NumberOfFrames, ds.getInt(Tags.NumberOfFrames, 1));
        int samples = ds.getInt(Tags.SamplesPerPixel, 1);
        if (samples != 1) {
            throw ds.invalid(Tags.SamplesPerPixel, "is " + samples + "; a dose grid has 1 sample per voxel");
        }
        int bitsAllocated = ds.requireInt(Tags.BitsAllocated);
        if (bitsAllocated != 16 && bitsAllocated != 32) {
            throw ds.invalid(Tags.BitsAllocated, "is " + bitsAllocated + "; expected 16 or 32");
        }
        int bitsStored = ds.getInt(Tags.BitsStored, bitsAllocated);
        int pixelRepresentation = ds.getInt(Tags.PixelRepresentation, 0);
        if (pixelRepresentation != 0 && pixelRepresentation != 1) {
            throw ds.invalid(Tags.PixelRepresentation, "is " + pixelRepresentation + "; expected 0 or 1");
        }
        double scaling = ds.requireDouble(Tags.DoseGridScaling);
        if (!(scaling > 0) || Double.isInfinite(scaling)) {
            throw ds.invalid(Tags.DoseGridScaling, "is " + scaling + "; it must be positive");
        }

        if ((long) rows * columns * frames > GridGeometry.MAX_VOXELS) {
            throw new InvalidInputException(src, "grid of " + columns + " x " + rows + " x " + frames
                    + " voxels is too large");
        }
        GridGeometry geometry = geometry(ds, columns, rows, frames);

        DicomElement pixels = ds.get(Tags.PixelData);
        if (pixels == null && (inFile == null || inFile.tag() != Tags.PixelData)) {
            if (ds.contains(Tags.FloatPixelData) || ds.contains(Tags.DoubleFloatPixelData) || inFile != null) {
                throw new InvalidInputException(src, "float pixel data is not supported in RT Dose; expected integer PixelData");
            }
            throw ds.missing(Tags.PixelData);
        }
        double[] range = new double[2];
        float[] dose = pixelSource.decode(pixels,
                new PixelDecoder.Layout(columns, rows, frames, bitsAllocated, bitsStored, pixelRepresentation == 1),
                scaling, range);
        if (range[0] < 0) {
            throw new InvalidInputException(src, String.format(Locale.ROOT,
                    "PixelData holds negative doses (down to %.4g Gy)", range[0]));
        }
        DoseGrid grid = new DoseGrid(geometry, dose);
        // the decoder's bound is below twice the largest dose: only a dose near the limit needs the exact maximum
        if (range[1] > DoseGrid.MAX_DOSE_GY && grid.maxGy() > DoseGrid.MAX_DOSE_GY) {
            float max = grid.maxGy();
            String shown = Float.isInfinite(max) // the product overflowed float: the bound, within 2x
                    ? String.format(Locale.ROOT, "about %.4g", range[1])
                    : String.format(Locale.ROOT, max < 1e7 ? "%.1f" : "%.4g", max);
            throw new InvalidInputException(src, String.format(Locale.ROOT, "PixelData holds doses up to %s Gy"
                            + " (DoseGridScaling %s): above %.0f Gy it cannot be a dose in Gy", shown,
                    ds.getString(Tags.DoseGridScaling), DoseGrid.MAX_DOSE_GY));
        }

        List<String> planUids = new ArrayList<>();
        for (DicomObject item : ds.getSequence(Tags.ReferencedRTPlanSequence)) {
            String uid = item.getString(Tags.ReferencedSOPInstanceUID);
            if (uid != null) {
                planUids.add(uid);
            }
        }
        return new RtDose(src, grid, ds.requireString(Tags.SOPInstanceUID),
                ds.requireString(Tags.FrameOfReferenceUID), doseType, summation, planUids, PatientStudy.from(ds),
                ds.getString(Tags.SeriesDescription), file.transferSyntaxUid(), scaling, bitsAllocated);
    }

    private static int positive(DicomObject ds, int tag, int value) {
        if (value <= 0) {
            throw ds.invalid(tag, "is " + value + "; it must be positive");
        }
        return value;
    }

    /** The grid's placement from Image Plane and GridFrameOffsetVector (DOMAIN.md, geometry). */
    static GridGeometry geometry(DicomObject ds, int columns, int rows, int frames) {
        double[] ipp = ds.requireDoubles(Tags.ImagePositionPatient, 3);
        double[] iop = ds.requireDoubles(Tags.ImageOrientationPatient, 6);
        double[] ps = ds.requireDoubles(Tags.PixelSpacing, 2);
        if (!(ps[0] > 0) || !(ps[1] > 0)) {
            throw ds.invalid(Tags.PixelSpacing, String.format(Locale.ROOT, "is %s\\%s; spacings must be positive",
                    ps[0], ps[1]));
        }
        for (double p : ps) {
            if (p < GridGeometry.MIN_SPACING_MM || p > GridGeometry.MAX_SPACING_MM) {
                throw ds.invalid(Tags.PixelSpacing, String.format(Locale.ROOT, "is %s\\%s mm; a dose grid's"
                        + " spacings lie between %s and %s mm", fmt(ps[0]), fmt(ps[1]),
                        fmt(GridGeometry.MIN_SPACING_MM), fmt(GridGeometry.MAX_SPACING_MM)));
            }
        }
        for (double x : ipp) {
            if (Math.abs(x) > GridGeometry.MAX_COORDINATE_MM) {
                throw ds.invalid(Tags.ImagePositionPatient, String.format(Locale.ROOT, "is %s\\%s\\%s mm: more"
                        + " than %s mm from the frame's origin", fmt(ipp[0]), fmt(ipp[1]), fmt(ipp[2]),
                        fmt(GridGeometry.MAX_COORDINATE_MM)));
            }
        }
        double[] u = axis(ds, iop, 0);
        double[] v = axis(ds, iop, 3);
        double dot = u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
        if (Math.abs(dot) > AXIS_TOLERANCE) {
            throw ds.invalid(Tags.ImageOrientationPatient, "has row and column directions that are not perpendicular");
        }
        double[] n = {u[1] * v[2] - u[2] * v[1] + 0.0, u[2] * v[0] - u[0] * v[2] + 0.0, u[0] * v[1] - u[1] * v[0] + 0.0};

        double[] offsets = ds.getDoubles(Tags.GridFrameOffsetVector);
        double sz;
        double[] w = n;
        if (frames == 1 && offsets.length <= 1) {
            // One frame has no frame spacing; use SliceThickness when given, else the finer pixel
            // spacing, so the single plane gets a slab of plausible thickness.
            double[] thickness = ds.getDoubles(Tags.SliceThickness);
            sz = thickness.length > 0 && thickness[0] >= GridGeometry.MIN_SPACING_MM
                    && thickness[0] <= GridGeometry.MAX_SPACING_MM ? thickness[0] : Math.min(ps[0], ps[1]);
            if (offsets.length == 1) {
                ipp = offsetOrigin(ds, ipp, u, v, n, offsets[0]);
            }
        } else {
            if (offsets.length == 0) {
                throw ds.missing(Tags.GridFrameOffsetVector);
            }
            if (offsets.length != frames) {
                throw ds.invalid(Tags.GridFrameOffsetVector, "has " + offsets.length + " values but NumberOfFrames is "
                        + frames);
            }
            double first = offsets[0];
            if (first != 0) {
                boolean standard = u[0] == 1 && v[1] == 1;
                if (!standard && Math.abs(first - ipp[2]) <= 1e-3) {
                    // the absolute form's value, in an orientation where it has no meaning: say that, not "neither"
                    throw ds.invalid(Tags.GridFrameOffsetVector, String.format(Locale.ROOT,
                            "starts at %s, ImagePositionPatient's z: absolute z offsets are valid only for orientation"
                                    + " 1\\0\\0\\0\\1\\0, and this grid's ImageOrientationPatient is %s; write relative"
                                    + " offsets (starting at 0)", fmt(first), orientationText(u, v)));
                }
                if (!standard || Math.abs(first - ipp[2]) > 1e-3) {
                    throw ds.invalid(Tags.GridFrameOffsetVector, String.format(Locale.ROOT,
                            "starts at %s: neither 0 (relative offsets) nor ImagePositionPatient z %s (absolute z,"
                                    + " valid only for orientation 1\\0\\0\\0\\1\\0)", fmt(first), fmt(ipp[2])));
                }
            }
            double step = (offsets[offsets.length - 1] - first) / (frames - 1);
            if (!Double.isFinite(step)) {
                throw ds.invalid(Tags.GridFrameOffsetVector, "spans more than a double can hold");
            }
            if (step == 0) {
                throw ds.invalid(Tags.GridFrameOffsetVector, "does not advance: frames lie on top of each other");
            }
            double tolerance = Math.max(1e-3, 1e-3 * Math.abs(step));
            for (int k = 1; k < frames; k++) {
                double expected = first + k * step;
                if (Math.abs(offsets[k] - expected) > tolerance) {
                    throw ds.invalid(Tags.GridFrameOffsetVector, String.format(Locale.ROOT,
                            "is not evenly spaced: frame %d is at %s, expected %s (a regular grid is needed)",
                            k + 1, fmt(offsets[k]), fmt(expected)));
                }
            }
            sz = Math.abs(step);
            if (step < 0) {
                w = new double[] {0.0 - n[0], 0.0 - n[1], 0.0 - n[2]}; // 0.0 - x: no negative zeros
            }
        }
        if (sz < GridGeometry.MIN_SPACING_MM || sz > GridGeometry.MAX_SPACING_MM) {
            throw ds.invalid(Tags.GridFrameOffsetVector, String.format(Locale.ROOT,
                    "gives frames %s mm apart; a dose grid's spacings lie between %s and %s mm", fmt(sz),
                    fmt(GridGeometry.MIN_SPACING_MM), fmt(GridGeometry.MAX_SPACING_MM)));
        }
        // PixelSpacing is (between rows, between columns): the column-index step along u is ps[1].
        return new GridGeometry(columns, rows, frames, ipp, new double[] {ps[1], ps[0], sz}, u, v, w);
    }

    private static double[] offsetOrigin(DicomObject ds, double[] ipp, double[] u, double[] v, double[] n, double off) {
        if (off == 0) {
            return ipp;
        }
        if (u[0] == 1 && v[1] == 1 && Math.abs(off - ipp[2]) <= 1e-3) {
            return ipp; // absolute form of a single frame
        }
        return new double[] {ipp[0] + off * n[0], ipp[1] + off * n[1], ipp[2] + off * n[2]};
    }

    /** A direction cosine triplet snapped to a patient axis, or a clear refusal of an oblique grid. */
    private static double[] axis(DicomObject ds, double[] iop, int at) {
        double[] a = new double[3];
        int nonZero = 0;
        for (int i = 0; i < 3; i++) {
            double c = iop[at + i];
            if (Math.abs(c) <= AXIS_TOLERANCE) {
                a[i] = 0;
            } else if (Math.abs(Math.abs(c) - 1) <= AXIS_TOLERANCE) {
                a[i] = Math.signum(c);
                nonZero++;
            } else {
                nonZero = -10;
            }
        }
        if (nonZero != 1) {
            throw ds.invalid(Tags.ImageOrientationPatient, String.format(Locale.ROOT,
                    "is %s\\%s\\%s\\%s\\%s\\%s: oblique dose grids are not supported (axes must be patient x, y, z,"
                            + " possibly reversed)", fmt(iop[0]), fmt(iop[1]), fmt(iop[2]), fmt(iop[3]), fmt(iop[4]),
                    fmt(iop[5])));
        }
        return a;
    }

    /** ImageOrientationPatient as written in the file: "-1\\0\\0\\0\\1\\0". */
    private static String orientationText(double[] u, double[] v) {
        StringBuilder sb = new StringBuilder();
        for (double x : new double[] {u[0], u[1], u[2], v[0], v[1], v[2]}) {
            sb.append(sb.isEmpty() ? "" : "\\").append(fmt(x + 0.0));
        }
        return sb.toString();
    }

    private static String fmt(double d) {
        if (Math.abs(d) >= 1e7 || (d != 0 && Math.abs(d) < 1e-4)) {
            return String.format(Locale.ROOT, "%.4g", d);
        }
        return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }
}
