package dev.eqd2sum.engine.kernel;

/**
 * One course's {@link VoxelConversion} with its constants folded, shared by the Java and Vector API
 * kernels so both compute the same float formulas: with uniform alpha/beta,
 * w * EQD2(s*d) = d * (A*d + B), A = w*s^2 / (n*(2+ab)), B = w*s*ab/(2+ab) (one FMA, one multiply);
 * with a map (floats, or a byte index into a table), EQD2 = D * (D/n + ab) / (ab + 2) per voxel.
 */
class FoldedConversion {
    final float scale;
    final float invFractions;
    final float weight;
    final float[] abMap;
    /** Alpha/beta as a byte index into {@link #abTable} (instead of {@link #abMap}), or null. */
    final byte[] abIndex;
    final float[] abTable;
    final byte[] target;
    // Uniform alpha/beta without the weight (target voxels), and with it folded in.
    final float a;
    final float b;
    final float aw;
    final float bw;

    FoldedConversion(VoxelConversion c) {
        scale = c.doseScale();
        invFractions = (float) (1.0 / c.fractions());
        weight = c.normalTissueWeight();
        abMap = c.alphaBetaMapGy();
        abIndex = c.alphaBetaIndex();
        abTable = c.alphaBetaTableGy();
        target = c.targetMask();
        double ab = c.uniformAlphaBetaGy();
        double s = c.doseScale();
        a = (float) (s * s / (c.fractions() * (2.0 + ab)));
        b = (float) (s * ab / (2.0 + ab));
        aw = (float) (weight * (double) a);
        bw = (float) (weight * (double) b);
    }
}
