package dev.eqd2sum.bench;

import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.engine.structure.RasterOptions;
import dev.eqd2sum.engine.structure.Rasteriser;
import dev.eqd2sum.engine.structure.Structure;
import dev.eqd2sum.engine.structure.StructureMask;
import dev.eqd2sum.io.synth.LinearDoseField;
import dev.eqd2sum.io.synth.NelmsPhantoms;
import dev.eqd2sum.io.synth.PhantomCase;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Structure rasterisation (issue "sub-voxel occupancy"): the goal is a 15-litre Body of 100 contour
 * planes onto a 2.5 mm grid in under 30 ms, everything included (occupancy runs and partials,
 * outside-grid volume, sample points).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RasteriserBenchmark {
    private Structure body;
    private GridGeometry bodyGrid;
    private RasterOptions bodyOptions;
    private Structure sphere;
    private GridGeometry sphereGrid;
    private RasterOptions sphereOptions;

    private java.util.List<Structure> spine;
    private GridGeometry spineGrid;
    private RasterOptions spineOptions;

    @Setup
    public void setUp() {
        dev.eqd2sum.io.synth.SpineCase c = dev.eqd2sum.io.synth.SpineCase.build(dev.eqd2sum.io.synth.SpineCase.Spec.standard());
        spine = c.structures();
        spineGrid = c.current().geometry();
        spineOptions = RasterOptions.forStructureSet(spine);
        PhantomCase b = NelmsPhantoms.bodyEllipsoid();
        body = b.structure();
        bodyGrid = b.dose().geometry();
        bodyOptions = RasterOptions.forStructureSet(b.structureSet());
        PhantomCase s = NelmsPhantoms.of(NelmsPhantoms.Shape.SPHERE, LinearDoseField.Axis.Z, 1);
        sphere = s.structure();
        sphereGrid = s.dose().geometry();
        sphereOptions = RasterOptions.forStructureSet(s.structureSet());
    }

    /** 15 L ellipsoid, 100 planes of up to ~1100 points, 2.5 mm grid of 166 x 120 x 106 voxels (85 354 contour points). */
    @Benchmark
    public StructureMask body15LitresOnto2p5mmGrid() {
        return Rasteriser.rasterise(body, bodyGrid, bodyOptions);
    }

    /** All five structures of the in-memory spine case onto its current grid (200 x 200 x 150 at 2 mm). */
    @Benchmark
    public int spineCaseAllStructures() {
        int n = 0;
        for (Structure s : spine) {
            n += Rasteriser.rasterise(s, spineGrid, spineOptions).samples().count();
        }
        return n;
    }

    /** Sphere of radius 12 mm, 24 planes, 1 mm grid: a small structure with 4 x 4 x 4 sub-samples. */
    @Benchmark
    public StructureMask sphereR12Onto1mmGrid() {
        return Rasteriser.rasterise(sphere, sphereGrid, sphereOptions);
    }
}
