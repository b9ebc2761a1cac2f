package dev.eqd2sum.engine.structure;

import dev.eqd2sum.engine.geometry.Affine3;

/**
 * The nodes of another dose grid (a course's own lattice, when it is not the grid being rasterised onto) in the
 * rasterised grid's index space: node (a, b, c), {@code 0 <= a < na} and so on, lies at {@code nodeToIndex(a, b, c)}.
 * A dose interpolated trilinearly on that grid peaks or dips at its nodes, so the rasteriser adds the nodes inside
 * a structure as samples without volume ({@link Rasteriser}); any rigid map, rotations included.
 *
 * @param nodeToIndex the other grid's index to this grid's index
 */
public record NodeLattice(Affine3 nodeToIndex, int na, int nb, int nc) {
    public NodeLattice {
        if (nodeToIndex == null || na < 1 || nb < 1 || nc < 1) {
            throw new IllegalArgumentException("a node lattice needs a map and at least one node per axis");
        }
    }
}
