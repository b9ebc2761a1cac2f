/**
 * The voxel-wise EQD2 plan sum and the per-course doses that dose statistics are computed from.
 *
 * <pre>
 * PlanSum sum = PlanSum.prepare(timeline, OutputGrid.current(), kernels, threads);
 * GridGeometry grid = sum.outputGrid();                 // rasterise structures onto this grid
 * TissueMap tissue = TissueMap.fromStructures(grid, defaultAb,
 *         List.of(new TissueMap.StructureAlphaBeta(cordMask, 2.0), ...), List.of(ptvHighMask, ...));
 * DoseGrid eqd2 = sum.eqd2(tissue);                     // forgiven map, the exported RT Dose
 * DoseGrid ab2 = sum.eqd2(tissue.withUniformAlphaBeta(2)); // an exportAlphaBeta map
 * CourseDoseSampler sampler = sum.sampler();
 * float[][] doses = sampler.physicalDose(cordMask.samples()); // [course][sample], Gy
 * double[] outsideCc = sampler.outsideCourseGridCc(cordMask.samples());
 * </pre>
 * {@link dev.eqd2sum.engine.plansum.OutputGrid} chooses the grid (current, union, given spacing);
 * {@link dev.eqd2sum.engine.plansum.TissueMap} holds the per-voxel alpha/beta and target maps;
 * the kernels come from a {@link dev.eqd2sum.engine.kernel.DoseKernelSupport} the caller picks.
 */
package dev.eqd2sum.engine.plansum;
