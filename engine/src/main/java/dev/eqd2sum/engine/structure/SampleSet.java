package dev.eqd2sum.engine.structure;

import java.util.Arrays;

/**
 * A structure's sample points (the same points, volumes and order as {@link SamplePoints}) held compactly:
 * interior voxel centres, most of a large structure's samples (12.7 M of an External's 13 M on a 512x512x200
 * grid), are not stored one by one but as segments of consecutive voxels; only the other samples (sub-voxel
 * points of boundary voxels, zero-volume points on the outline and at nodes) keep their three float coordinates and their volume. Every
 * centre has the same volume, a voxel's, so the array of every sample's volume that the statistics read is made
 * only when first asked for: a mask waiting for its statistics holds 12 bytes per explicit point and nothing
 * per centre.
 *
 * <p>Samples {@code [segmentStart(s), segmentStart(s + 1))} form segment {@code s}: either the centres of the
 * voxels {@code firstVoxel(s), firstVoxel(s) + 1, ...} (index {@code i + nx * (j + ny * k)} of the grid the
 * set refers to) or the explicit points from {@code explicitStart(s)} on.
 */
public final class SampleSet {
    private final int nx;
    private final int ny;
    private final int count;
    /** The volume of every centre sample (NaN when there are none). */
    private final float centreVolumeCc;
    /** The volume of each explicit point, in the order of {@link #explicitI()}. */
    private final float[] explicitVolumeCc;
    /** Every sample's volume, made on first use. */
    private float[] volumeCc;
    /** Start of each segment, and {@code count} after the last. */
    private final int[] segmentStart;
    /** A voxel index (centres) when at least 0, else {@code -1 - start} in the explicit arrays. */
    private final int[] segmentFirst;
    private final float[] explicitI;
    private final float[] explicitJ;
    private final float[] explicitK;

    SampleSet(int nx, int ny, int count, float centreVolumeCc, float[] explicitVolumeCc, int[] segmentStart,
              int[] segmentFirst, float[] explicitI, float[] explicitJ, float[] explicitK) {
        if (segmentStart.length != segmentFirst.length + 1 || segmentStart[segmentFirst.length] != count) {
            throw new IllegalArgumentException("segments do not cover " + count + " samples");
        }
        this.nx = nx;
        this.ny = ny;
        this.count = count;
        this.centreVolumeCc = centreVolumeCc;
        this.explicitVolumeCc = explicitVolumeCc;
        this.segmentStart = segmentStart;
        this.segmentFirst = segmentFirst;
        this.explicitI = explicitI;
        this.explicitJ = explicitJ;
        this.explicitK = explicitK;
    }

    /** The points as they are, all explicit (no copy). */
    public static SampleSet of(SamplePoints points) {
        int n = points.count();
        return n == 0
                ? new SampleSet(1, 1, 0, Float.NaN, points.volumeCc(), new int[] {0}, new int[0], points.i(),
                        points.j(), points.k())
                : new SampleSet(1, 1, n, Float.NaN, points.volumeCc(), new int[] {0, n}, new int[] {-1}, points.i(),
                        points.j(), points.k());
    }

    public int count() {
        return count;
    }

    /** Volume (cc) of each sample; read only. Made on the first call (4 bytes a sample), then kept. */
    public synchronized float[] volumeCc() {
        if (volumeCc == null) {
            if (segmentFirst.length == 1 && segmentFirst[0] == -1 || count == 0) {
                volumeCc = explicitVolumeCc; // all explicit, in order: the points' own array
            } else {
                float[] v = new float[count];
                for (int s = 0; s < segmentFirst.length; s++) {
                    if (segmentFirst[s] >= 0) {
                        Arrays.fill(v, segmentStart[s], segmentStart[s + 1], centreVolumeCc);
                    } else {
                        System.arraycopy(explicitVolumeCc, -1 - segmentFirst[s], v, segmentStart[s],
                                segmentStart[s + 1] - segmentStart[s]);
                    }
                }
                volumeCc = v;
            }
        }
        return volumeCc;
    }

    /** The sum of the volumes, summed as {@link SamplePoints#totalVolumeCc()} sums them (in sample order). */
    public double totalVolumeCc() {
        double sum = 0;
        for (int s = 0; s < segmentFirst.length; s++) {
            if (segmentFirst[s] >= 0) {
                for (int p = segmentStart[s]; p < segmentStart[s + 1]; p++) {
                    sum += centreVolumeCc;
                }
            } else {
                for (int p = segmentStart[s], e = -1 - segmentFirst[s]; p < segmentStart[s + 1]; p++, e++) {
                    sum += explicitVolumeCc[e];
                }
            }
        }
        return sum;
    }

    public int segmentCount() {
        return segmentFirst.length;
    }

    public int segmentStart(int segment) {
        return segmentStart[segment];
    }

    public int segmentEnd(int segment) {
        return segmentStart[segment + 1];
    }

    public boolean isCentres(int segment) {
        return segmentFirst[segment] >= 0;
    }

    /** The voxel whose centre is the segment's first sample (a centre segment). */
    public int firstVoxel(int segment) {
        return segmentFirst[segment];
    }

    /** Where an explicit segment's points start in {@link #explicitI()} etc. */
    public int explicitStart(int segment) {
        return -1 - segmentFirst[segment];
    }

    public float[] explicitI() {
        return explicitI;
    }

    public float[] explicitJ() {
        return explicitJ;
    }

    public float[] explicitK() {
        return explicitK;
    }

    /** Voxels per row and rows per slice of the grid the centre segments' voxel indices refer to. */
    public int nx() {
        return nx;
    }

    public int ny() {
        return ny;
    }

    /** The segment holding sample {@code p}. */
    public int segmentOf(int p) {
        if (p < 0 || p >= count) {
            throw new IndexOutOfBoundsException(p);
        }
        int s = Arrays.binarySearch(segmentStart, 0, segmentFirst.length, p);
        if (s < 0) {
            return -s - 2;
        }
        // empty segments are never made; still, the last segment starting at p is the one holding it
        while (s + 1 < segmentFirst.length && segmentStart[s + 1] == p) {
            s++;
        }
        return s;
    }

    /**
     * Writes the positions (continuous grid indices) of samples {@code [from, to)} into {@code i, j, k} from
     * {@code at} on: the same floats the points would hold.
     */
    public void positions(int from, int to, float[] i, float[] j, float[] k, int at) {
        if (from >= to) {
            return;
        }
        int s = segmentOf(from);
        int p = from;
        while (p < to) {
            int end = Math.min(to, segmentStart[s + 1]);
            int first = segmentFirst[s];
            if (first >= 0) {
                int v = first + (p - segmentStart[s]);
                int x = v % nx;
                int yz = v / nx;
                int y = yz % ny;
                int z = yz / ny;
                // Float copies of the indices, counted alongside (exact below 2^24): C1's int-to-float conversion
                // waits on its register's previous value, which made this loop twice as slow.
                float fx = x;
                float fy = y;
                float fz = z;
                for (; p < end; p++) {
                    i[at] = fx;
                    j[at] = fy;
                    k[at] = fz;
                    at++;
                    fx += 1f;
                    if (++x == nx) {
                        x = 0;
                        fx = 0f;
                        fy += 1f;
                        if (++y == ny) {
                            y = 0;
                            fy = 0f;
                            fz += 1f;
                        }
                    }
                }
            } else {
                int e = -1 - first + (p - segmentStart[s]);
                int len = end - p;
                System.arraycopy(explicitI, e, i, at, len);
                System.arraycopy(explicitJ, e, j, at, len);
                System.arraycopy(explicitK, e, k, at, len);
                at += len;
                p = end;
            }
            s++;
        }
    }

    /** Sample {@code p}'s position as continuous grid indices (i, j, k). */
    public double[] indexOf(int p) {
        float[] i = new float[1], j = new float[1], k = new float[1];
        positions(p, p + 1, i, j, k, 0);
        return new double[] {i[0], j[0], k[0]};
    }

    /** All samples as explicit points (a full-size copy). */
    public SamplePoints toPoints() {
        float[] i = new float[count], j = new float[count], k = new float[count];
        positions(0, count, i, j, k, 0);
        return new SamplePoints(i, j, k, Arrays.copyOf(volumeCc(), count), count);
    }

    /** Builds a set sample by sample, in order; interior voxel centres go into segments. */
    static final class Builder {
        private final int nx;
        private final int ny;
        private float centreVolume = Float.NaN;
        private int count;
        private int[] start = new int[64];
        private int[] first = new int[64];
        private int segments;
        private int lastVoxel = -2;
        private float[] ei;
        private float[] ej;
        private float[] ek;
        private float[] ev;
        private int explicit;

        Builder(int nx, int ny, int explicitCapacity) {
            this.nx = nx;
            this.ny = ny;
            int e = Math.max(16, explicitCapacity);
            ei = new float[e];
            ej = new float[e];
            ek = new float[e];
            ev = new float[e];
        }

        /** The centre of voxel {@code voxel} ({@link #addCentres} of one). */
        void addCentre(int voxel, float volumeCc) {
            addCentres(voxel, 1, volumeCc);
        }

        /**
         * The centres of the {@code n} consecutive voxels from {@code voxel}, in order. Centres whose volume differs
         * from the first centre's (never from the rasteriser: every centre is a whole voxel) are kept as explicit
         * points at the same positions.
         */
        void addCentres(int voxel, int n, float volumeCc) {
            if (n <= 0) {
                return;
            }
            if (Float.isNaN(centreVolume)) {
                centreVolume = volumeCc;
            }
            if (Float.floatToRawIntBits(volumeCc) != Float.floatToRawIntBits(centreVolume)) {
                for (int v = voxel; v < voxel + n; v++) {
                    int x = v % nx, yz = v / nx;
                    addPoint(x, yz % ny, yz / ny, volumeCc);
                }
                return;
            }
            if (segments == 0 || first[segments - 1] < 0 || voxel != lastVoxel + 1) {
                newSegment(voxel);
            }
            lastVoxel = voxel + n - 1;
            count += n;
        }

        void addPoint(float i, float j, float k, float volumeCc) {
            if (segments == 0 || first[segments - 1] >= 0) {
                newSegment(-1 - explicit);
            }
            if (explicit == ei.length) {
                int cap = ei.length * 2;
                ei = Arrays.copyOf(ei, cap);
                ej = Arrays.copyOf(ej, cap);
                ek = Arrays.copyOf(ek, cap);
                ev = Arrays.copyOf(ev, cap);
            }
            ei[explicit] = i;
            ej[explicit] = j;
            ek[explicit] = k;
            ev[explicit] = volumeCc;
            explicit++;
            count++;
        }

        private void newSegment(int firstValue) {
            if (segments == first.length) {
                start = Arrays.copyOf(start, segments * 2);
                first = Arrays.copyOf(first, segments * 2);
            }
            start[segments] = count;
            first[segments] = firstValue;
            segments++;
        }

        int count() {
            return count;
        }

        /** Gives back what the capacity estimate (a bounding box) over-reserved. */
        void trim() {
            if (ei.length > explicit + (explicit >> 3) + 16) {
                ei = Arrays.copyOf(ei, explicit);
                ej = Arrays.copyOf(ej, explicit);
                ek = Arrays.copyOf(ek, explicit);
                ev = Arrays.copyOf(ev, explicit);
            }
        }

        /** The builders' samples one after the other, in their order. */
        static SampleSet join(int nx, int ny, java.util.List<Builder> parts) {
            int n = 0, segs = 0, exp = 0;
            for (Builder b : parts) {
                n += b.count;
                segs += b.segments;
                exp += b.explicit;
            }
            float centre = Float.NaN;
            for (Builder b : parts) {
                if (!Float.isNaN(b.centreVolume)) {
                    if (!Float.isNaN(centre) && Float.floatToRawIntBits(centre) != Float.floatToRawIntBits(b.centreVolume)) {
                        throw new IllegalStateException("parts of one sample set with centres of different volumes");
                    }
                    centre = b.centreVolume;
                }
            }
            int[] start = new int[segs + 1];
            int[] first = new int[segs];
            float[] ei = new float[exp], ej = new float[exp], ek = new float[exp], ev = new float[exp];
            int at = 0, s = 0, e = 0;
            int previousVoxel = -2;
            boolean previousCentres = false;
            for (Builder b : parts) {
                System.arraycopy(b.ev, 0, ev, e, b.explicit);
                System.arraycopy(b.ei, 0, ei, e, b.explicit);
                System.arraycopy(b.ej, 0, ej, e, b.explicit);
                System.arraycopy(b.ek, 0, ek, e, b.explicit);
                for (int q = 0; q < b.segments; q++) {
                    int f = b.first[q];
                    int st = b.start[q] + at;
                    int len = (q + 1 < b.segments ? b.start[q + 1] : b.count) - b.start[q];
                    if (f >= 0) {
                        if (previousCentres && f == previousVoxel + 1) {
                            previousVoxel = f + len - 1; // continues the previous part's last segment
                            continue;
                        }
                        start[s] = st;
                        first[s++] = f;
                        previousVoxel = f + len - 1;
                        previousCentres = true;
                    } else if (!previousCentres && s > 0) {
                        continue; // explicit points right after explicit points: one segment
                    } else {
                        start[s] = st;
                        first[s++] = -1 - (e + (-1 - f));
                        previousCentres = false;
                    }
                }
                at += b.count;
                e += b.explicit;
            }
            start[s] = n;
            return new SampleSet(nx, ny, n, centre, ev, Arrays.copyOf(start, s + 1), Arrays.copyOf(first, s),
                    ei, ej, ek);
        }
    }
}
