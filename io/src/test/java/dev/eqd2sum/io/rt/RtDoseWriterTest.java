package dev.eqd2sum.io.rt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.io.dicom.DicomFile;
import dev.eqd2sum.io.dicom.DicomReader;
import dev.eqd2sum.io.dicom.Tags;
import dev.eqd2sum.io.testsupport.CrossCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RtDoseWriterTest {
    @TempDir
    Path dir;

    static DoseGrid grid() {
        GridGeometry g = new GridGeometry(5, 4, 3, new double[] {-20.5, 10.25, 100}, new double[] {2.5, 2, 3},
                new double[] {1, 0, 0}, new double[] {0, 1, 0}, new double[] {0, 0, -1});
        float[] d = new float[g.voxelCount()];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (i * 1.37 + 0.5);
        }
        return new DoseGrid(g, d);
    }

    static RtDose currentCourse() {
        return new RtDose("RD.dcm", grid(), "1.2.3.5", "1.2.3.7", "PHYSICAL", "PLAN", List.of("1.2.3.8"),
                new PatientStudy("Müller^Jürgen", "pt017", "19500101", "M", "1.2.3.1", "20240506", "101010", "S1",
                        "ACC1", "Ref^Doc", "Spine"), null, "1.2.840.10008.1.2.1", 1e-3, 32);
    }

    static Path write(Path dir, String name, int bits) {
        Path f = dir.resolve(name);
        RtDoseWriter.writeEqd2PlanSum(f, grid(), RtDoseWriter.Eqd2Export.fromCurrentCourse(currentCourse(),
                List.of("1.2.3.8", "1.2.3.9"), List.of("1.2.3.10"), "alpha/beta by structure, default 3 Gy", true, bits));
        return f;
    }

    @Test
    void eqd2MapCarriesWhatDomainAsks() throws java.io.IOException {
        Path f = write(dir, "plan-sum-eqd2.dcm", 32);
        DicomFile file = DicomReader.read(f);
        var ds = file.dataset();
        assertThat(ds.getString(Tags.DoseType)).isEqualTo("EFFECTIVE");
        assertThat(ds.getString(Tags.DoseUnits)).isEqualTo("GY");
        assertThat(ds.getString(Tags.DoseSummationType)).isEqualTo("MULTI_PLAN");
        assertThat(ds.getString(Tags.SpatialTransformOfDose)).isEqualTo("RIGID");
        assertThat(ds.getSequence(Tags.ReferencedRTPlanSequence)).extracting(i -> i.getString(Tags.ReferencedSOPInstanceUID))
                .containsExactly("1.2.3.8", "1.2.3.9");
        assertThat(ds.getSequence(Tags.ReferencedSpatialRegistrationSequence)).extracting(i -> i.getString(Tags.ReferencedSOPInstanceUID))
                .containsExactly("1.2.3.10");
        assertThat(ds.getString(Tags.SeriesDescription)).contains("EQD2").contains("alpha/beta");
        assertThat(ds.getString(Tags.PatientName)).isEqualTo("Müller^Jürgen");
        assertThat(ds.getString(Tags.StudyInstanceUID)).isEqualTo("1.2.3.1");
        assertThat(ds.getString(Tags.FrameOfReferenceUID)).isEqualTo("1.2.3.7");
        assertThat(ds.getString(Tags.SOPInstanceUID)).startsWith("2.25.");
        assertThat(ds.getString(Tags.SeriesInstanceUID)).startsWith("2.25.");
        assertThat(ds.getInts(Tags.BitsAllocated)).containsExactly(32);
        assertThat(file.transferSyntaxUid()).isEqualTo("1.2.840.10008.1.2.1");
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("plan-sum-eqd2.dcm"); // no temporary left
        }
    }

    @Property(tries = 200)
    void quantisationUsesTheFinestScalingAndRoundsToHalfAStep(@ForAll @FloatRange(min = 1e-3f, max = 500f) @net.jqwik.api.constraints.Scale(6) float max,
                                                              @ForAll @IntRange(min = 0, max = 1) int sixteen) {
        int bits = sixteen == 1 ? 16 : 32;
        float[] d = {0, max / 3, max / 7, max};
        RtDoseWriter.Quantized q = RtDoseWriter.quantize(d, bits);
        long maxInt = bits == 32 ? RtDoseWriter.MAX_STORED_32 : 0xFFFF;
        assertThat(q.scalingText().length()).isLessThanOrEqualTo(16);
        assertThat(q.scaling() * maxInt).isGreaterThanOrEqualTo(max * (1 - 1e-12));
        assertThat(q.scaling() * maxInt).isLessThan(max * (1 + 1e-8)); // finest: max uses the full range
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(q.pixels()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < d.length; i++) {
            long v = bits == 32 ? bb.getInt(4 * i) & 0xFFFFFFFFL : bb.getShort(2 * i) & 0xFFFF;
            assertThat(Math.abs(v * q.scaling() - d[i])).isLessThanOrEqualTo(q.scaling() * 0.5 + Math.ulp(d[i]));
            if (bits == 32) {
                // unsigned values below 2^31: an importer reading them as signed still sees every dose positive
                assertThat(bb.getInt(4 * i)).as("stored value %d read as signed", i).isNotNegative();
            }
        }
    }

    @Test
    void scalingComesFromTheMaximumWhereverItIsAndBadDosesAreRefused() {
        for (int n : new int[] {5, (1 << 20) + 3}) {
            for (int at : new int[] {0, n / 2 - 1, n / 2, n / 2 + 1, n - 1}) {
                float[] d = new float[n];
                java.util.Arrays.fill(d, 1f);
                d[1] = -1e-7f; // rounding noise below zero is written as 0
                d[at] = 70f;
                assertThat(RtDoseWriter.scalingText(d, 32)).as("n %d, max at %d", n, at)
                        .isEqualTo(RtDoseWriter.scalingText(new float[] {70f}, 32));
                for (float bad : new float[] {Float.NaN, -0.5f}) {
                    d[at] = bad;
                    d[n - 1 == at ? 0 : n - 1] = Float.NaN; // a second offender after it (or before it)
                    float first = at == n - 1 ? Float.NaN : bad;
                    assertThatThrownBy(() -> RtDoseWriter.scalingText(d, 16)).as("n %d, %s at %d", n, bad, at)
                            .isInstanceOf(IllegalArgumentException.class).hasMessage("cannot write dose " + first + " Gy");
                    java.util.Arrays.fill(d, 1f);
                }
            }
        }
    }

    @Property(tries = 100)
    void pixelsAreTheRoundedDosesInLittleEndian(@ForAll @IntRange(min = 0, max = 300) int n,
                                               @ForAll @IntRange(min = 0, max = 1) int sixteen, @ForAll long seed) {
        int bits = sixteen == 1 ? 16 : 32;
        java.util.Random r = new java.util.Random(seed);
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
            d[i] = switch (r.nextInt(4)) {
                case 0 -> 0f;
                case 1 -> -1e-7f;
                default -> r.nextFloat() * 80f;
            };
        }
        double scaling = 80.0 / (bits == 32 ? RtDoseWriter.MAX_STORED_32 : 0xFFFF) * (1 + r.nextDouble());
        int from = n == 0 ? 0 : r.nextInt(n);
        byte[] out = new byte[(n - from) * bits / 8];
        RtDoseWriter.encode(d, from, n, scaling, bits, out);
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(out).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = from; i < n; i++) {
            long expected = Math.min(bits == 32 ? RtDoseWriter.MAX_STORED_32 : 0xFFFF, Math.round(Math.max(0, d[i]) * (1.0 / scaling)));
            long got = bits == 32 ? bb.getInt(4 * (i - from)) & 0xFFFFFFFFL : bb.getShort(2 * (i - from)) & 0xFFFF;
            assertThat(got).as("voxel %d of %d, dose %s", i, n, d[i]).isEqualTo(expected);
        }
    }

    @Test
    void quantumIsMathRoundClampedForEveryKindOfValue() {
        double[] special = {0, -0.0, -1, -1e-7, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Math.nextDown(0.5), 0.5, Math.nextUp(0.5), Math.nextDown(1.5), 1.5, 2.5, Math.nextDown(2.5),
            65534.5, Math.nextDown(65535.5), 65535.5, 4294967294.5, Math.nextDown(4294967295.5), 4294967295.5,
            4294967296.0, 0x1p52, Math.nextDown(0x1p52), 0x1p52 + 1, 1e300};
        java.util.SplittableRandom r = new java.util.SplittableRandom(11);
        java.util.List<Double> xs = new java.util.ArrayList<>();
        for (double x : special) {
            xs.add(x);
        }
        for (int i = 0; i < 200_000; i++) {
            double half = r.nextLong(0, 1L << 33) + 0.5; // near every kind of tie
            xs.add(switch (i % 4) {
                case 0 -> half;
                case 1 -> Math.nextDown(half);
                case 2 -> Math.nextUp(half);
                default -> Double.longBitsToDouble(r.nextLong(0, Double.doubleToRawLongBits(1e10)));
            });
        }
        for (double x : xs) {
            for (long max : new long[] {0xFFFFL, 0xFFFFFFFFL}) {
                assertThat(RtDoseWriter.quantum(x, max)).as("x %s, max %d", x, max)
                        .isEqualTo(Math.min(max, Math.round(Math.max(0, x))));
            }
        }
    }

    @Test
    void sixteenAndThirtyTwoBitReadBackGeometryAndValues() {
        for (int bits : new int[] {16, 32}) {
            Path f = write(dir, "eqd2-" + bits + ".dcm", bits);
            var file = DicomReader.read(f);
            // The EQD2 map is EFFECTIVE, which our reader refuses as input (double conversion): decode its pixels directly.
            var ds = file.dataset();
            double scaling = ds.requireDouble(Tags.DoseGridScaling);
            float[] back = dev.eqd2sum.io.dicom.PixelDecoder.decode(f.toString(), ds.get(Tags.PixelData), file.transferSyntax(),
                    new dev.eqd2sum.io.dicom.PixelDecoder.Layout(5, 4, 3, bits, bits, false), scaling, new double[2]);
            float[] in = grid().doseGy();
            for (int i = 0; i < in.length; i++) {
                assertThat((double) back[i]).isCloseTo(in[i], within(scaling * 0.5 + Math.ulp(in[i])));
            }
            GridGeometry g = RtDoseReader.geometry(ds, 5, 4, 3);
            assertThat(g.sameGridAs(grid().geometry())).as(g.toString()).isTrue();
        }
    }

    /**
     * A grid of several pieces, quantised two at a time (the second on the common pool), with a lone last piece
     * and a short tail: every voxel comes back as the integer it rounds to, in its place.
     */
    @Test
    void everyPieceIsWrittenInItsPlace() {
        GridGeometry g = new GridGeometry(131, 128, 25, new double[] {0, 0, 0}, new double[] {2, 2, 2},
                new double[] {1, 0, 0}, new double[] {0, 1, 0}, new double[] {0, 0, 1});
        float[] d = new float[g.voxelCount()]; // 419,200 voxels: 6.4 pieces of 65,536
        java.util.Random r = new java.util.Random(11);
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextFloat() * 60f;
        }
        for (int bits : new int[] {16, 32}) {
            Path f = dir.resolve("pieces-" + bits + ".dcm");
            RtDoseWriter.writePhysical(f, new DoseGrid(g, d), currentCourse().patientStudy(), "1.2.3.7", "1.2.3.8",
                    bits);
            var file = DicomReader.read(f);
            var ds = file.dataset();
            double scaling = ds.requireDouble(Tags.DoseGridScaling);
            float[] back = dev.eqd2sum.io.dicom.PixelDecoder.decode(f.toString(), ds.get(Tags.PixelData),
                    file.transferSyntax(), new dev.eqd2sum.io.dicom.PixelDecoder.Layout(131, 128, 25, bits, bits, false),
                    scaling, new double[2]);
            for (int i = 0; i < d.length; i++) {
                long stored = Math.round(d[i] * (1.0 / scaling));
                if (back[i] != (float) (stored * scaling)) {
                    assertThat(back[i]).as("%d bits, voxel %d", bits, i).isEqualTo((float) (stored * scaling));
                }
            }
        }
    }

    @Test
    void physicalDoseRoundTripsThroughOurReader() {
        Path f = dir.resolve("RD.dcm");
        String uid = RtDoseWriter.writePhysical(f, grid(), currentCourse().patientStudy(), "1.2.3.7", "1.2.3.8", 16);
        RtDose d = RtDoseReader.read(f);
        assertThat(d.sopInstanceUid()).isEqualTo(uid);
        assertThat(d.grid().geometry().sameGridAs(grid().geometry())).isTrue();
        assertThat(d.referencedPlanUids()).containsExactly("1.2.3.8");
        assertThat(d.bitsAllocated()).isEqualTo(16);
    }

    @Test
    void sixteenBitOutputPassesDciodvfy() {
        Path f = write(dir, "eqd2-16.dcm", 16);
        CrossCheck.Result r = CrossCheck.tool(dir, "dciodvfy", f.toString());
        String all = r.stdout() + r.stderr();
        assertThat(all.lines().filter(l -> l.startsWith("Error"))).as(all).isEmpty();
        Path physical = dir.resolve("RD16.dcm");
        RtDoseWriter.writePhysical(physical, grid(), currentCourse().patientStudy(), "1.2.3.7", "1.2.3.8", 16);
        CrossCheck.Result p = CrossCheck.tool(dir, "dciodvfy", physical.toString());
        assertThat((p.stdout() + p.stderr()).lines().filter(l -> l.startsWith("Error"))).as(p.stdout() + p.stderr()).isEmpty();
    }

    @Test
    void pydicomAndDcmdumpReadOur32BitOutputWithTheValuesWeWrote() {
        Path f = write(dir, "eqd2-32.dcm", 32);
        String out = CrossCheck.python(dir, """
                import pydicom
                ds = pydicom.dcmread('eqd2-32.dcm')
                a = ds.pixel_array.astype('float64') * float(ds.DoseGridScaling)
                print(ds.DoseType, ds.DoseSummationType, a.shape, ' '.join(repr(float(x)) for x in a.ravel()))
                """);
        String[] parts = out.trim().split(" ", 6);
        assertThat(parts[0] + " " + parts[1]).isEqualTo("EFFECTIVE MULTI_PLAN");
        assertThat(parts[2] + parts[3] + parts[4]).isEqualTo("(3,4,5)");
        String[] values = parts[5].split(" ");
        float[] in = grid().doseGy();
        double scaling = DicomReader.read(f).dataset().requireDouble(Tags.DoseGridScaling);
        for (int i = 0; i < in.length; i++) {
            assertThat(Double.parseDouble(values[i])).isCloseTo(in[i], within(scaling * 0.5 + 1e-6));
        }
        CrossCheck.Result dump = CrossCheck.tool(dir, "dcmdump", "-q", "+L", f.toString());
        assertThat(dump.exitCode()).isZero();
        assertThat(dump.stdout()).contains("(3004,0004) CS [EFFECTIVE]").contains("(0028,0100) US 32")
                .contains("(0070,0404) SQ");
        assertThat(dump.stderr()).isEmpty();
    }

    @Test
    void plastimatchReadsOur32BitOutputWithTheValuesWeWrote() {
        Path f = write(dir, "eqd2-32.dcm", 32);
        CrossCheck.Result r = CrossCheck.tool(dir, "plastimatch", "convert", "--input-dose-img", f.toString(),
                "--output-dose-img", dir.resolve("dose.mha").toString());
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        CrossCheck.Result s = CrossCheck.tool(dir, "plastimatch", "stats", dir.resolve("dose.mha").toString());
        assertThat(s.exitCode()).as(s.stdout() + s.stderr()).isZero();
        float[] in = grid().doseGy();
        double max = 0, sum = 0;
        for (float v : in) {
            max = Math.max(max, v);
            sum += v;
        }
        // "MIN 0.500000 AVE 41.600000 MAX 82.700000 NUM 60"
        String stats = s.stdout().lines().filter(l -> l.contains("MAX")).findFirst().orElseThrow();
        String[] t = stats.trim().split("\\s+");
        assertThat(Double.parseDouble(t[1])).isCloseTo(0.5, within(1e-4));
        assertThat(Double.parseDouble(t[3])).isCloseTo(sum / in.length, within(1e-3));
        assertThat(Double.parseDouble(t[5])).isCloseTo(max, within(1e-4));
        assertThat(Integer.parseInt(t[7])).isEqualTo(in.length);
    }
}
