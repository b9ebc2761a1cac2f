package dev.eqd2sum.engine.structure;

import java.util.List;

/**
 * Settings of {@link Rasteriser}.
 *
 * @param endCaps            how far end contours reach (CONTRACT {@code endCaps})
 * @param structureSetPlanes the structure set's planes: median spacing for single-plane structures,
 *                           and the planes a structure may skip (see {@link Rasteriser})
 * @param subSamplesPerAxis  sub-samples per voxel edge for the sample points of boundary voxels
 *                           (1..4), or 0 to choose by structure size (4, or 2 for very large surfaces)
 * @param nodeLattices       the courses' own grids that are not the rasterised grid: their nodes inside a
 *                           structure become samples without volume (none when empty)
 */
public record RasterOptions(EndCaps endCaps, StructureSetPlanes structureSetPlanes, int subSamplesPerAxis,
                            List<NodeLattice> nodeLattices) {
    public RasterOptions {
        nodeLattices = nodeLattices == null ? List.of() : List.copyOf(nodeLattices);
        if (endCaps == null) {
            endCaps = EndCaps.HALF_SPACING;
        }
        if (structureSetPlanes == null) {
            structureSetPlanes = StructureSetPlanes.none();
        }
        if (subSamplesPerAxis < 0 || subSamplesPerAxis > 4) {
            throw new IllegalArgumentException("subSamplesPerAxis must be 0 (automatic) or 1..4, got " + subSamplesPerAxis);
        }
    }

    public RasterOptions(EndCaps endCaps, StructureSetPlanes structureSetPlanes, int subSamplesPerAxis) {
        this(endCaps, structureSetPlanes, subSamplesPerAxis, List.of());
    }

    /** Half-spacing end caps, automatic sub-sampling, planes of the given structure set. */
    public static RasterOptions forStructureSet(List<Structure> structureSet) {
        return new RasterOptions(EndCaps.HALF_SPACING, StructureSetPlanes.of(structureSet), 0);
    }

    public static RasterOptions defaults() {
        return new RasterOptions(EndCaps.HALF_SPACING, StructureSetPlanes.none(), 0);
    }

    public RasterOptions withEndCaps(EndCaps caps) {
        return new RasterOptions(caps, structureSetPlanes, subSamplesPerAxis, nodeLattices);
    }

    public RasterOptions withSubSamples(int perAxis) {
        return new RasterOptions(endCaps, structureSetPlanes, perAxis, nodeLattices);
    }

    public RasterOptions withNodeLattices(List<NodeLattice> lattices) {
        return new RasterOptions(endCaps, structureSetPlanes, subSamplesPerAxis, lattices);
    }
}
