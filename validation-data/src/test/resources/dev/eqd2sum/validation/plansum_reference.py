#!/usr/bin/env python3
"""Independent reference for eqd2sum's voxel-wise EQD2 plan sum (DOMAIN.md, CONTRACT.md).

Usage: plansum_reference.py CASE_JSON OUT_DIR [CASE_JSON OUT_DIR ...]

For each case it reads the case file and the DICOM files it names with pydicom and numpy only (nothing of
eqd2sum's but the written RT Dose maps it checks), computes the plan sum

    S(x) = sum over courses c of w_c * EQD2(D_c(x), n_c, ab),   EQD2(D, n, ab) = D (D/n + ab) / (2 + ab)

on the output grid that the case's outputGrid rule gives, and compares it voxel by voxel with
OUT_DIR/plan-sum-eqd2.dcm (the alpha/beta map of the case's byStructure and default) and
OUT_DIR/plan-sum-eqd2-ab<v>.dcm for each exportAlphaBeta value (that alpha/beta everywhere); in both, prior
courses are not forgiven in target voxels.

Rules implemented here (from DOMAIN.md, CONTRACT.md and README's rules where CONTRACT is silent):
- RT Dose: dose = stored value * DoseGridScaling; PixelSpacing is (row spacing, column spacing); frame k lies at
  IPP + GridFrameOffsetVector[k] * (row dir x column dir) (relative form, first value 0), or the absolute form
  (values are z) for orientation (1,0,0,0,1,0) with the first value equal to IPP z. FRACTION doses are
  multiplied by the planned fractions; the BEAM doses of one course are summed physically: on one grid voxel by
  voxel, on different grids resampled onto the first dose's lattice extended to cover every dose's voxel
  centres.
- Fractions: the case's "fractions", else the RT Plan's NumberOfFractionsPlanned; "fractionsDelivered" scales
  the dose by delivered / planned and the LQ conversion uses the delivered count.
- Frames: a course in another frame than the current course's is mapped by its REG: each RegistrationSequence
  item's matrix maps that item's frame into the REG's own frame (MatrixSequence items applied first item
  first); prior -> current = inverse(toOwn(current)) . toOwn(prior); the prior is sampled at the inverse of
  that.
- Sampling: trilinear in the course grid's continuous index; a point within [0, n-1] +- 1e-3 on every axis is
  inside (the cell clamped to the grid, the fraction to [0, 1]); outside the course contributes 0. A
  uniformDoseGy course gives its dose (times delivered / planned) everywhere.
- Forgiveness: the current course is the one with the latest startDate; a prior course's interval runs from its
  endDate (or start + (delivered fractions - 1) working days, Monday to Friday) to the current start, in days;
  months = days / 30.4375; the reduction is that of the step with the largest threshold <= months
  (nelson2009: 25 % at 6, 33 % at 12, 50 % at 24 months; "none": 0); w = 1 - reduction, 1 for the current
  course.
- Output grid: "current" = the current course's grid (the BEAM cover grid when its doses lie on different
  grids); "union" = the current grid's lattice extended to cover every voxel centre of every course's dose
  grids; {"spacingMm": [sx, sy, sz]} = along the current grid's row, column and frame directions, first voxel
  centre on the current grid's first, covering its voxel centres.

- Tissue (CONTRACT, alphaBeta map and forgiveness): a structure has an alpha/beta when its name is in byStructure
  (names compared case-insensitively after trimming); it is a target when its RTROIInterpretedType is
  PTV/CTV/GTV or its name starts with PTV/CTV/GTV. A voxel whose union coverage by structures with an alpha/beta
  is >= 0.5 takes the lowest alpha/beta of those covering it at all (f_i > 0), else the default; a voxel whose
  union coverage by targets is >= 0.5 is target. The union's coverage: decided by the occupancies where the
  largest reaches 0.5 or their sum stays below it, else the union's coverage of the voxel from the structures'
  slabs and polygons (settle_shared, union_coverage: StructureShape's rule). Occupancy f_i is computed exactly on an
  axis-aligned output grid: for an axis-aligned box (the same rectangle on evenly spaced planes, no gap; the
  end planes reach half a plane spacing further) the product over the axes of the overlap of the voxel with the
  box; for a Prism (polygons per plane: outlines with holes, islands, an overlapping pair, an XOR contour; the
  planes' slabs by Rasteriser's rule) the sum over the slabs crossing the voxel of its pixel's exactly covered
  area times the slab's part,
  as eqd2sum's mask holds it (none at or below 1e-6, whole at or above 1 - 1e-6). Any other shape of a
  structure that matters here is refused.

Tolerance per voxel: half the output's DoseGridScaling (its quantisation) plus REL_TOL times the sum of the
courses' |w_c * EQD2_c| at that voxel plus ABS_TOL: eqd2sum keeps doses, the alpha/beta, the weights, the
interpolated dose and the accumulated sum in float32 (2^-24 = 6e-8 relative each, about doubled by the
quadratic EQD2; a dozen such roundings stay below 1e-6), the reference computes in float64.

Beside the maps, each case's dvh.json is checked for the structures that reach into the output grid
(check_structures): alpha/beta, target flag, and the summary sums against the weighted courses. The script makes
the statistics' sample points itself by the rule README and the Rasteriser state (centres of voxels whose six
neighbours are whole, n x n sub-cells at round(n x slab part) heights elsewhere with the voxel's centre, when
inside, a node's column where a slab ends on the surface over it, and the outline's vertices and crossings with grid
lines at both slab ends and every whole k between, with no volume; prism_raster, which for a pixel the structure covers without holding a sub-cell centre
finds the point of the outline that PlaneRaster takes: witness; and, with no volume, the nodes of every course's
own grid that is not the output grid lying in the structure, with, for such a grid along the output grid's axes,
its lines' crossings with the outline and its nodes on the end caps, and for a rotated grid its lines' crossings with
the walls and caps and the walls' edges' crossings with its cell planes: lattice_nodes) and recomputes from them every
statistic of every
scope
(compare_statistics): Dmax, Dmin, Dmean, volume, D<x>cc, D<x>% and V<x>Gy by the weighted midpoint rule
(Hyndman & Fan 1996, definition 5; the samples without volume count for Dmax and Dmin only), the courses' EQD2 statistics by README's rule for one and for several
courses, the volume inside and outside the grid and each course's grid, where each maximum lies, and the plan
sum's DVH curve at every 0.01 Gy edge. Each within STATISTIC_TOL beyond dvh.json's rounding to six decimals, plus
a slack where eqd2sum's float32 arithmetic may decide differently (Nodes). metrics.csv must repeat dvh.json, and
constraints.json the statistics its entries name (check_constraints).

Prints one JSON object per case and map (and one per case for dvh.json) on stdout.
"""
import csv
import datetime
import json
import math
import os
import sys

import numpy as np
import pydicom

EDGE = 1e-3
SNAP = 1e-6
REL_TOL = 2e-6
ABS_TOL = 1e-6
DAYS_PER_MONTH = 30.4375


def floats(value):
    if value is None:
        return []
    if isinstance(value, (list, tuple, pydicom.multival.MultiValue)):
        return [float(v) for v in value]
    return [float(value)]


class Grid:
    """A dose grid: index (i, j, k) = (column, row, frame) -> patient mm: origin + A @ (i, j, k)."""

    def __init__(self, shape, origin, axes):
        self.shape = tuple(int(s) for s in shape)  # (nx, ny, nz)
        self.origin = np.asarray(origin, dtype=np.float64)
        self.axes = np.asarray(axes, dtype=np.float64)  # columns: step vectors along i, j, k
        self.inv = np.linalg.inv(self.axes)

    @staticmethod
    def from_dataset(ds, where):
        ipp = np.array(floats(ds.ImagePositionPatient))
        iop = floats(ds.ImageOrientationPatient)
        row = np.array(iop[:3])
        col = np.array(iop[3:])
        normal = np.cross(row, col)
        row_spacing, col_spacing = floats(ds.PixelSpacing)
        nx, ny = int(ds.Columns), int(ds.Rows)
        nz = int(ds.get('NumberOfFrames', 1) or 1)
        offsets = np.array(floats(ds.get('GridFrameOffsetVector')) or [0.0])
        if len(offsets) != nz:
            raise ValueError(where + ': GridFrameOffsetVector has %d values for %d frames' % (len(offsets), nz))
        if offsets[0] != 0:
            if iop == [1, 0, 0, 0, 1, 0] and abs(offsets[0] - ipp[2]) < 1e-6:
                offsets = offsets - ipp[2]
            else:
                raise ValueError(where + ': GridFrameOffsetVector neither relative nor absolute')
        if nz > 1:
            steps = np.diff(offsets)
            if np.max(np.abs(steps - steps[0])) > 1e-4 * abs(steps[0]):
                raise ValueError(where + ': frames are not evenly spaced')
            frame_step = steps[0]
        else:
            frame_step = float(ds.get('SliceThickness', 1) or 1)
        axes = np.column_stack([col_spacing * row, row_spacing * col, frame_step * normal])
        return Grid((nx, ny, nz), ipp, axes)

    def centres(self):
        """Patient coordinates of every voxel centre, in pixel order (frame, row, column) flattened."""
        nx, ny, nz = self.shape
        k, j, i = np.meshgrid(np.arange(nz), np.arange(ny), np.arange(nx), indexing='ij')
        idx = np.stack([i.ravel(), j.ravel(), k.ravel()]).astype(np.float64)
        return self.origin[:, None] + self.axes @ idx

    def to_index(self, points):
        return self.inv @ (points - self.origin[:, None])

    def corners(self):
        nx, ny, nz = self.shape
        idx = np.array([[a, b, c] for a in (0, nx - 1) for b in (0, ny - 1) for c in (0, nz - 1)],
                       dtype=np.float64).T
        return self.origin[:, None] + self.axes @ idx

    def same_as(self, other):
        return (self.shape == other.shape and np.allclose(self.origin, other.origin, atol=1e-4, rtol=0)
                and np.allclose(self.axes, other.axes, atol=1e-6, rtol=0))

    def covering(self, placed):
        """This grid's lattice extended to cover the voxel centres of the grids in placed [(grid, 4x4 map)]."""
        lo = np.zeros(3)
        hi = np.array(self.shape, dtype=np.float64) - 1
        for g, m in placed:
            c = g.corners()
            c = m[:3, :3] @ c + m[:3, 3:4]
            idx = self.to_index(c)
            lo = np.minimum(lo, idx.min(axis=1))
            hi = np.maximum(hi, idx.max(axis=1))
        first = np.floor(lo + SNAP)
        last = np.ceil(hi - SNAP)
        size = (last - first + 1).astype(int)
        return Grid(size, self.origin + self.axes @ first, self.axes)


def trilinear(vol, grid, idx):
    """vol[k, j, i] sampled at continuous indices idx (3 x N); 0 outside [0, n-1] +- EDGE."""
    nx, ny, nz = grid.shape
    x, y, z = idx
    inside = ((x >= -EDGE) & (x <= nx - 1 + EDGE) & (y >= -EDGE) & (y <= ny - 1 + EDGE)
              & (z >= -EDGE) & (z <= nz - 1 + EDGE))
    out = np.zeros(idx.shape[1])
    if not inside.any():
        return out

    def cell(c, n):
        if n == 1:
            return np.zeros(c.shape, dtype=int), np.zeros(c.shape), 0
        c0 = np.clip(np.floor(c), 0, n - 2).astype(int)
        return c0, np.clip(c - c0, 0.0, 1.0), 1

    x0, fx, dx = cell(x[inside], nx)
    y0, fy, dy = cell(y[inside], ny)
    z0, fz, dz = cell(z[inside], nz)
    acc = np.zeros(x0.shape)
    for a in (0, 1):
        wx = fx if a else 1 - fx
        for b in (0, 1):
            wy = fy if b else 1 - fy
            for c in (0, 1):
                wz = fz if c else 1 - fz
                acc += wx * wy * wz * vol[z0 + c * dz, y0 + b * dy, x0 + a * dx]
    out[inside] = acc
    return out


def read_dose(path):
    ds = pydicom.dcmread(path)
    where = os.path.basename(path)
    if ds.Modality != 'RTDOSE':
        raise ValueError(where + ': not an RT Dose')
    if ds.DoseUnits != 'GY' or ds.DoseType not in ('PHYSICAL',):
        raise ValueError(where + ': DoseUnits %s, DoseType %s' % (ds.DoseUnits, ds.DoseType))
    grid = Grid.from_dataset(ds, where)
    nx, ny, nz = grid.shape
    values = ds.pixel_array.astype(np.float64).reshape(nz, ny, nx)
    return ds, grid, values * float(ds.DoseGridScaling)


def read_registration(path):
    ds = pydicom.dcmread(path)
    own = ds.FrameOfReferenceUID
    to_own = {}
    for item in ds.RegistrationSequence:
        total = np.eye(4)
        for m in item.MatrixRegistrationSequence[0].MatrixSequence:
            if m.FrameOfReferenceTransformationMatrixType != 'RIGID':
                raise ValueError(path + ': not RIGID')
            matrix = np.array(floats(m.FrameOfReferenceTransformationMatrix)).reshape(4, 4)
            total = matrix @ total
        to_own[item.FrameOfReferenceUID] = total
    return ds, own, to_own


def mapping(reg, from_frame, to_frame):
    _, own, to_own = reg

    def to(frame):
        if frame in to_own:
            return to_own[frame]
        if frame == own:
            return np.eye(4)
        raise ValueError('REG does not register ' + frame)

    return np.linalg.inv(to(to_frame)) @ to(from_frame)


class XorContour(np.ndarray):
    """The points of a CLOSEDPLANAR_XOR contour (it toggles inside and outside wherever it lies)."""


def read_structures(path):
    """[(name, interpreted type, [contour points (N x 3), an XorContour for CLOSEDPLANAR_XOR])] of an RT
    Structure Set."""
    ds = pydicom.dcmread(path)
    names = {int(r.ROINumber): str(r.ROIName) for r in ds.StructureSetROISequence}
    types = {int(o.ReferencedROINumber): str(o.get('RTROIInterpretedType', '') or '')
             for o in ds.get('RTROIObservationsSequence', [])}
    contours = {}
    for rc in ds.get('ROIContourSequence', []):
        contours[int(rc.ReferencedROINumber)] = [
            np.array(floats(c.ContourData)).reshape(-1, 3).view(
                XorContour if str(c.get('ContourGeometricType', '')).strip() == 'CLOSEDPLANAR_XOR' else np.ndarray)
            for c in rc.get('ContourSequence', [])]
    return [(names[n], types.get(n, ''), contours.get(n, [])) for n in names]


def box_extent(name, contours):
    """The box [lo, hi] (mm, per axis) of a structure that is one axis-aligned rectangle on evenly spaced planes."""
    xy = None
    zs = []
    for c in contours:
        if np.ptp(c[:, 2]) > 1e-6:
            raise ValueError(name + ': a contour is not planar')
        if isinstance(c, XorContour):
            raise ValueError(name + ': a CLOSEDPLANAR_XOR contour')
        rect = (c[:, 0].min(), c[:, 0].max(), c[:, 1].min(), c[:, 1].max())
        on_edges = np.all((np.isclose(c[:, 0], rect[0]) | np.isclose(c[:, 0], rect[1]))
                          & (np.isclose(c[:, 1], rect[2]) | np.isclose(c[:, 1], rect[3])))
        if len(c) != 4 or not on_edges or (xy is not None and not np.allclose(rect, xy)):
            raise ValueError(name + ': not one axis-aligned rectangle repeated on every plane')
        xy = rect
        zs.append(float(c[0, 2]))
    zs = sorted(zs)
    if len(zs) < 2:
        raise ValueError(name + ': fewer than two planes')
    gaps = np.diff(zs)
    if np.max(np.abs(gaps - gaps[0])) > 1e-6:
        raise ValueError(name + ': planes not evenly spaced')
    half = gaps[0] / 2
    return np.array([xy[0], xy[2], zs[0] - half]), np.array([xy[1], xy[3], zs[-1] + half])


def cell_overlap(a, b, cells):
    """Per cell c (index units, spanning c - 0.5 .. c + 0.5) the length of [a, b] inside it."""
    cells = np.asarray(cells, dtype=np.float64)
    return np.clip(np.minimum(b, cells + 0.5) - np.maximum(a, cells - 0.5), 0, None)


def occupancy(grid, lo, hi):
    """Fraction of each voxel of a grid along the patient axes (pixel order) inside the box [lo, hi] (mm)."""
    if np.any(np.abs(grid.axes - np.diag(np.diag(grid.axes))) > 1e-9):
        raise ValueError('exact occupancy needs an output grid along the patient axes')
    first, last = index_box(grid, lo, hi)
    per_axis = []
    for a, n in enumerate(grid.shape):
        f = cell_overlap(first[a], last[a], np.arange(n))
        # a face on a voxel boundary: rounding leaves a sliver (1e-31) or a gap that is none
        per_axis.append(np.where(f < 1e-9, 0.0, np.where(f > 1 - 1e-9, 1.0, f)))
    fx, fy, fz = per_axis
    return (fz[:, None, None] * fy[None, :, None] * fx[None, None, :]).ravel()


def tissue(case, base, grid):
    """Per output voxel: the alpha/beta of the main map and whether it is target; and how many shared voxels the
    union's coverage settled (settle_shared)."""
    by_structure = {k.strip().upper(): float(v) for k, v in case['alphaBeta'].get('byStructure', {}).items()}
    n = int(np.prod(grid.shape))
    ab = np.full(n, float(case['alphaBeta']['default']))
    ab_uncovered = np.ones(n)
    ab_lowest = np.full(n, np.inf)
    target_uncovered = np.ones(n)
    ab_members, target_members = [], []
    structures = read_structures(os.path.join(base, case['structureSet']))
    set_planes = set_planes_of(structures)
    for name, kind, contours in structures:
        key = name.strip().upper()
        is_target = kind.upper() in ('PTV', 'CTV', 'GTV') or key.startswith(('PTV', 'CTV', 'GTV'))
        if key not in by_structure and not is_target:
            continue
        shape = shape_of(name, contours, set_planes)
        f = shape.occupancy(grid)
        if key in by_structure:
            ab_uncovered *= 1 - f
            ab_lowest = np.where(f > 0, np.minimum(ab_lowest, by_structure[key]), ab_lowest)
            ab_members.append((f, shape))
        if is_target:
            target_uncovered *= 1 - f
            target_members.append((f, shape))
    ab_covered, ab_shared = settle_shared(grid, 1 - ab_uncovered >= 0.5, ab_members)
    ab = np.where(ab_covered, ab_lowest, ab)
    target, target_shared = settle_shared(grid, 1 - target_uncovered >= 0.5, target_members)
    return ab, target, ab_shared + target_shared


PARTS_PER_BAND = 4  # StructureShape.PARTS_PER_BAND


def settle_shared(grid, covered, members):
    """
    TissueMap's rule for the union's coverage: where the largest occupancy reaches the threshold or their sum stays
    below it, they decide (covered, from the estimate 1 - prod(1 - f), agrees there); in the voxels left (each
    structure below half, together at least half) the union's coverage of the voxel (union_coverage), from the
    structures that occupy it. Returns the map and how many voxels were settled so.
    """
    if len(members) < 2:
        return covered, 0
    occupancies = np.array([f for f, _ in members])
    threshold = 0.5 - 1e-6
    shared = np.flatnonzero((occupancies.max(axis=0) < threshold) & (occupancies.sum(axis=0) >= threshold))
    covered = covered.copy()
    for v in shared:
        present = [shape for f, shape in members if f[v] > 0]
        covered[v] = union_coverage(grid, v, present) >= threshold
    return covered, len(shared)


def union_coverage(grid, v, shapes):
    """
    The fraction of output voxel v in at least one of the shapes, as StructureShape.unionCoverage computes it: cut
    along z at every slab end inside the voxel (one region per shape in each part); in each part, cut the pixel at
    every vertex height of the regions and read each band at the middles of PARTS_PER_BAND equal parts, where the
    union's width is exact (the line cut at every crossing, each piece tested at its middle).
    """
    nx, ny, _ = grid.shape
    i, j, k = v % nx, (v // nx) % ny, v // (nx * ny)
    centre = grid.origin + grid.axes @ np.array([i, j, k], dtype=np.float64)
    half = np.abs(np.diag(grid.axes)) / 2
    (x0, y0, z0), (x1, y1, z1) = centre - half, centre + half
    prisms = [s.prism if isinstance(s, Box) else s for s in shapes]
    cuts = sorted({z0, z1} | {float(e) for p in prisms for e in p.slab_mm.ravel() if z0 < e < z1})
    covered = 0.0
    for za, zb in zip(cuts, cuts[1:]):
        regions = [r for r in (p.region_at(0.5 * (za + zb)) for p in prisms) if r is not None]
        if regions:
            covered += (zb - za) * in_plane_union(regions, x0, x1, y0, y1)
    return covered / (z1 - z0)  # in_plane_union gives the pixel's fraction


def in_plane_union(regions, x0, x1, y0, y1):
    """The fraction of the rectangle [x0, x1] x [y0, y1] in at least one of the regions (Prism.region_at's)."""
    heights = sorted({y0, y1} | {float(y) for polys, _, _ in regions for p in polys for y in p[:, 1] if y0 < y < y1})
    area = 0.0
    for ya, yb in zip(heights, heights[1:]):
        band = yb - ya
        for part in range(PARTS_PER_BAND):
            y = ya + (part + 0.5) * band / PARTS_PER_BAND
            xs = {x0, x1}
            for polys, _, _ in regions:
                for p in polys:
                    q = np.roll(p[:, :2], -1, axis=0)
                    lo, hi = np.minimum(p[:, 1], q[:, 1]), np.maximum(p[:, 1], q[:, 1])
                    hit = (lo <= y) & (y < hi)
                    xc = p[hit, 0] + (y - p[hit, 1]) * (q[hit, 0] - p[hit, 0]) / (q[hit, 1] - p[hit, 1])
                    xs |= {float(x) for x in xc if x0 < x < x1}
            xs = np.array(sorted(xs))
            mids = 0.5 * (xs[:-1] + xs[1:])
            inside = np.zeros(len(mids), dtype=bool)
            for region in regions:
                inside |= region_contains(region, mids, np.full(len(mids), y))
            area += float(np.sum(np.diff(xs)[inside])) * band / PARTS_PER_BAND
    return area / ((x1 - x0) * (y1 - y0))


def region_contains(region, x, y):
    """Whether points (x, y) lie in a plane's region (polys, signs, kind) by PlaneRegion's rule."""
    polys, signs, kind = region
    ins = [inside_polygon(p[:, :2], x, y) for p in polys]
    if kind == 'xor':
        return ins[0] ^ ins[1]
    if kind == 'union':
        return ins[0] | ins[1]
    return sum(sg * i.astype(int) for sg, i in zip(signs, ins)) > 0


def add_working_days(start, days):
    d = start
    while days > 0:
        d += datetime.timedelta(days=1)
        if d.weekday() < 5:
            days -= 1
    return d


def reduction_after(forgiveness, months):
    if forgiveness == 'none':
        return 0.0
    if forgiveness == 'nelson2009':
        steps = [(6, 0.25), (12, 0.33), (24, 0.5)]
    else:
        steps = [(s['afterMonths'], s['reduction']) for s in forgiveness['steps']]
    r, best = 0.0, -1.0
    for after, red in steps:
        if months >= after and after > best:
            r, best = red, after
    return r


def plain(v):
    s = repr(float(v))
    return s[:-2] if s.endswith('.0') else s


def run_case(case_path, out_dir):
    base = os.path.dirname(os.path.abspath(case_path))
    with open(case_path) as f:
        case = json.load(f)
    courses = []
    for n, c in enumerate(case['courses']):
        course = {'label': c.get('label', 'course%d' % (n + 1)), 'spec': c}
        plan_ds = pydicom.dcmread(os.path.join(base, c['plan'])) if 'plan' in c else None
        planned = c.get('fractions')
        if planned is None:
            planned = int(plan_ds.FractionGroupSequence[0].NumberOfFractionsPlanned)
        delivered = c.get('fractionsDelivered', planned)
        course.update(planned=planned, delivered=delivered, scale=delivered / planned,
                      plan_uids=[plan_ds.SOPInstanceUID] if plan_ds is not None else [])
        course['start'] = datetime.date.fromisoformat(c['startDate']) if 'startDate' in c else None
        course['end'] = datetime.date.fromisoformat(c['endDate']) if 'endDate' in c else None
        if 'uniformDoseGy' in c:
            course['uniform'] = float(c['uniformDoseGy'])
            course['doses'] = []
        else:
            files = c['dose'] if isinstance(c['dose'], list) else [c['dose']]
            doses = []
            for fname in files:
                ds, grid, dose = read_dose(os.path.join(base, fname))
                mult = planned if ds.DoseSummationType == 'FRACTION' else 1
                doses.append((ds, grid, dose * mult))
            course['doses'] = doses
            course['frame'] = doses[0][0].FrameOfReferenceUID
            if plan_ds is None:
                for ds, _, _ in doses:
                    for ref in ds.get('ReferencedRTPlanSequence', []):
                        if ref.ReferencedSOPInstanceUID not in course['plan_uids']:
                            course['plan_uids'].append(ref.ReferencedSOPInstanceUID)
        course['reg'] = read_registration(os.path.join(base, c['registration'])) if 'registration' in c else None
        courses.append(course)

    current = max(courses, key=lambda c: c['start'] or datetime.date.min) if len(courses) > 1 else courses[0]
    current_frame = current['frame']
    forgiveness = case['forgiveness']
    for c in courses:
        if c is current:
            c['weight'] = 1.0
            c['months'] = None
            continue
        end = c['end'] or add_working_days(c['start'], c['delivered'] - 1)
        days = (current['start'] - end).days
        c['months'] = days / DAYS_PER_MONTH
        c['weight'] = 1.0 - reduction_after(forgiveness, c['months'])

    # each course's dose as one grid (prior -> current map m: 4x4, patient mm)
    for c in courses:
        if 'uniform' in c:
            continue
        if c['frame'] == current_frame:
            c['to_current'] = np.eye(4)
        else:
            c['to_current'] = mapping(c['reg'], c['frame'], current_frame)
        doses = c['doses']
        first = doses[0][1]
        if len(doses) == 1:
            c['grid'], c['dose'] = first, doses[0][2]
        elif all(g.same_as(first) for _, g, _ in doses):
            c['grid'], c['dose'] = first, sum(d for _, _, d in doses)
        else:
            cover = first.covering([(g, np.eye(4)) for _, g, _ in doses])
            pts = cover.centres()
            total = np.zeros(pts.shape[1])
            for _, g, d in doses:
                total += trilinear(d, g, g.to_index(pts))
            nx, ny, nz = cover.shape
            c['grid'], c['dose'] = cover, total.reshape(nz, ny, nx)

    cur = current['grid']
    choice = case.get('outputGrid', 'current')
    if choice == 'current':
        out_grid = cur
    elif choice == 'union':
        placed = [(g, c['to_current']) for c in courses if 'uniform' not in c for _, g, _ in c['doses']]
        out_grid = cur.covering(placed)
    else:
        sp = choice['spacingMm']
        size = []
        for a in range(3):
            extent = (cur.shape[a] - 1) * np.linalg.norm(cur.axes[:, a])
            size.append(int(math.ceil(extent / sp[a] - SNAP)) + 1)
        units = cur.axes / np.linalg.norm(cur.axes, axis=0)
        out_grid = Grid(size, cur.origin, units * np.array(sp))

    points = out_grid.centres()
    contributions = physical_at(courses, points)  # per course: physical dose at the output voxels

    expected_plans = set()
    for c in courses:
        expected_plans.update(c['plan_uids'])
    regs = set(c['reg'][0].SOPInstanceUID for c in courses if c['reg'] is not None)

    ab_map, target, shared_voxels = tissue(case, base, out_grid)
    maps = [('plan-sum-eqd2.dcm', case['alphaBeta']['default'], ab_map)]
    maps += [('plan-sum-eqd2-ab%s.dcm' % plain(ab), ab, ab) for ab in case.get('exportAlphaBeta', [])]
    results = []
    for name, ab_named, ab in maps:
        problems = []
        terms = [np.where(target, 1.0, c['weight']) * D * (D / c['delivered'] + ab) / (2 + ab)
                 for c, D in zip(courses, contributions)]
        ref = sum(terms)
        mag = sum(np.abs(t) for t in terms)
        path = os.path.join(out_dir, name)
        if not os.path.isfile(path):
            results.append({'case': case['caseId'], 'map': name, 'problems': ['missing ' + name]})
            continue
        ds = pydicom.dcmread(path)
        # header fields that DOMAIN.md ("Writing the EQD2 map") and CONTRACT.md prescribe
        want = {'Modality': 'RTDOSE', 'DoseType': 'EFFECTIVE', 'DoseUnits': 'GY',
                'DoseSummationType': 'MULTI_PLAN' if len(courses) > 1 else 'PLAN',
                'SpatialTransformOfDose': 'RIGID' if regs else 'NONE',
                'FrameOfReferenceUID': current_frame}
        for key, value in want.items():
            if ds.get(key) != value:
                problems.append('%s is %r, expected %r' % (key, ds.get(key), value))
        desc = ds.get('SeriesDescription', '')
        if 'EQD2' not in desc or plain(ab_named) not in desc:
            problems.append('SeriesDescription %r does not name EQD2 and alpha/beta %s' % (desc, plain(ab_named)))
        # "by structure" only where the case gives structures alpha/betas of their own (a uniform map says so)
        by_structure = name == 'plan-sum-eqd2.dcm' and any(
            v != case['alphaBeta']['default'] for v in case['alphaBeta'].get('byStructure', {}).values())
        if ('by structure' in desc) != by_structure:
            problems.append('SeriesDescription %r, expected %s"by structure"' % (desc, '' if by_structure else 'no '))
        plans = set(r.ReferencedSOPInstanceUID for r in ds.get('ReferencedRTPlanSequence', []))
        if plans != expected_plans:
            problems.append('ReferencedRTPlanSequence %s, expected %s' % (sorted(plans), sorted(expected_plans)))
        reg_refs = set(r.ReferencedSOPInstanceUID for r in ds.get('ReferencedSpatialRegistrationSequence', []))
        if reg_refs != regs:
            problems.append('ReferencedSpatialRegistrationSequence %s, expected %s' % (sorted(reg_refs), sorted(regs)))
        # geometry of the written grid against the outputGrid rule
        written = Grid.from_dataset(ds, name)
        if written.shape != out_grid.shape:
            problems.append('grid size %s, expected %s' % (written.shape, out_grid.shape))
        if not np.allclose(written.origin, out_grid.origin, atol=1e-4, rtol=0):
            problems.append('origin %s, expected %s' % (written.origin.tolist(), out_grid.origin.tolist()))
        if not np.allclose(written.axes, out_grid.axes, atol=1e-6, rtol=0):
            problems.append('axes %s, expected %s' % (written.axes.tolist(), out_grid.axes.tolist()))
        result = {'case': case['caseId'], 'map': name, 'voxels': int(points.shape[1]),
                  'grid': list(out_grid.shape), 'problems': problems,
                  'weights': [c['weight'] for c in courses],
                  'months': [c['months'] for c in courses],
                  'targetVoxels': int(np.count_nonzero(target)),
                  'sharedVoxels': shared_voxels,
                  'alphaBetaVoxels': {plain(v): int(np.count_nonzero(ab_map == v)) for v in np.unique(ab_map)}}
        if written.shape == out_grid.shape:
            scaling = float(ds.DoseGridScaling)
            got = ds.pixel_array.astype(np.float64).ravel() * scaling
            diff = np.abs(got - ref)
            tol = 0.5 * scaling + REL_TOL * mag + ABS_TOL
            worst = int(np.argmax(diff))
            excess = int(np.argmax(diff - tol))
            nx, ny, _ = out_grid.shape
            result.update(maxAbsDiff=float(diff[worst]), maxRelDiff=float(np.max(diff / np.maximum(mag, 1e-30))),
                          worstVoxel=[worst % nx, (worst // nx) % ny, worst // (nx * ny)],
                          worstRef=float(ref[worst]), worstGot=float(got[worst]),
                          voxelsOverTolerance=int(np.count_nonzero(diff > tol)),
                          firstOver=None if diff[excess] <= tol[excess] else
                          {'voxel': [excess % nx, (excess // nx) % ny, excess // (nx * ny)],
                           'ref': float(ref[excess]), 'got': float(got[excess]), 'tol': float(tol[excess]),
                           'physical': [float(p[excess]) for p in contributions]},
                          maxRef=float(ref.max()), nonzero=int(np.count_nonzero(ref)),
                          outputScaling=scaling)
        results.append(result)
    results.append(check_structures(case, base, out_dir, courses, out_grid))
    return results


def physical_at(courses, points):
    """Per course, its physical dose (Gy, delivered) at points (3 x N, current frame, mm)."""
    out = []
    for c in courses:
        if 'uniform' in c:
            phys = np.full(points.shape[1], c['uniform'])
        else:
            to_course = np.linalg.inv(c['to_current'])
            p = to_course[:3, :3] @ points + to_course[:3, 3:4]
            phys = trilinear(c['dose'], c['grid'], c['grid'].to_index(p))
        out.append(phys * c['scale'])
    return out


AUTO_SAMPLE_BUDGET = 250000
# statistics recomputed from the samples: relative to the value (Gy), the volume (cc) or 100 (%), beyond the
# rounding of dvh.json's six decimals
STATISTIC_TOL = 2e-6
JSON_ROUNDING = 5e-7


EPS = 1e-6  # PlaneRaster.EPS: coverage below is none, above 1 - EPS is whole
SAME_PLANE_MM = 0.05  # StructureSetPlanes.SAME_PLANE_MM: contour planes closer than this are one
HEIGHTS_SNAP = 1e-9  # Rasteriser.HEIGHTS_SNAP: round(n x part) takes halves up even a few ulps below
ON_OUTLINE = 1e-9  # PlaneRaster.ON_OUTLINE: a sub-cell centre this close to the outline (pixels) is on it, inside
SLAB_SNAP = 1e-9  # Rasteriser.SLAB_SNAP


def index_box(grid, lo, hi):
    """The box [lo, hi] (mm) in the continuous index of a grid whose axes are the patient axes, each either way
    (head-first or feet-first, supine or prone, ascending or descending frames): its lowest and highest index."""
    s = np.diag(grid.axes)
    a = (lo - grid.origin) / s
    b = (hi - grid.origin) / s
    return np.minimum(a, b), np.maximum(a, b)


class Sliver(Exception):
    """A structure covering part of a pixel but none of its sub-cell centres, where the Rasteriser takes a point of
    the outline in it (a witness) that the script cannot find (witness)."""


class Prism:
    """
    A structure of polygons on planes perpendicular to the frame direction: per plane outlines with holes strictly
    inside them (PlaneRegion's nesting: every vertex inside or on), islands, a pair of overlapping outlines (their
    union; the second convex) or an outline and a convex CLOSEDPLANAR_XOR contour (what lies in one only); each
    plane owning the slab half-way to its neighbours (the end planes reaching half their adjacent spacing further;
    across a gap, Rasteriser.assignSlabs' split). Its samples (samples) and occupancy (occupancy) on an
    axis-aligned grid follow the rule README and Rasteriser state, computed here from the polygons alone: each
    pixel's covered area exactly (region_area), sub-cell centres inside the region by the crossing number, and for a
    pixel the region covers without reaching any sub-cell centre, the point of the outline PlaneRaster takes
    (witness).
    """

    def __init__(self, name, contours, set_planes=()):
        by_plane = {}
        for c in contours:
            if np.ptp(c[:, 2]) > 1e-6:
                raise ValueError(name + ': a contour is not planar')
            by_plane.setdefault(round(float(c[0, 2]), 6), []).append(c)
        self.name = name
        self.planes = []  # (z, contours, +1 for an outline or -1 for a hole in one)
        self.overlaps = self.xors = 0
        for z, polys in sorted(by_plane.items()):
            # PlaneRegion's nesting: a contour is a hole of another when all its vertices lie inside or on it
            def within(a, b):
                return bool(np.all(inside_polygon(b[:, :2], a[:, 0], a[:, 1]) | near_outline(b[:, :2], a[:, 0], a[:, 1])))
            if any(isinstance(a, XorContour) for a in polys):
                # an XOR contour toggles: the script takes an outline and one convex XOR contour after it
                if len(polys) != 2 or isinstance(polys[0], XorContour) or not convex(polys[1][:, :2]):
                    raise ValueError(name + ': XOR contours other than one convex one after an outline')
                self.xors += 1
                self.planes.append((z, polys, [1, 1], 'xor'))
                continue
            depth = [sum(1 for b in polys if b is not a and within(a, b)) for a in polys]
            if max(depth) > 1:
                raise ValueError(name + ': an outline inside a hole (the script takes outlines and their holes)')
            signs = [1 - 2 * d for d in depth]
            outlines = [a for a, d in zip(polys, depth) if d == 0]
            # outlines that overlap unite (winding): the script takes one such pair, the second convex
            overlap = any(np.any(inside_polygon(b[:, :2], a[:, 0], a[:, 1])) for a in outlines for b in outlines
                          if a is not b)
            if overlap:
                if len(polys) != 2 or not convex(polys[1][:, :2]):
                    raise ValueError(name + ': overlapping outlines other than a pair whose second is convex')
                self.overlaps += 1
            self.planes.append((z, polys, signs, 'union' if overlap else None))
        if len(self.planes) < 2:
            raise ValueError(name + ': fewer than two planes')
        zs = np.array([z for z, _, _, _ in self.planes])
        gaps = np.diff(zs)
        # Rasteriser.assignSlabs: each plane owns the slab half-way to its neighbours, the end planes reach half
        # their adjacent spacing further; across a gap of more than 1.5 times the median spacing that holds a plane
        # of the structure set (another plane than both ends: same_plane), each side stops half-way to the set's
        # nearest plane inside the gap (two parts, as if that plane held an empty contour)
        median = float(np.median(gaps))
        lo, hi = np.empty(len(zs)), np.empty(len(zs))
        lo[0], hi[-1] = zs[0] - gaps[0] / 2, zs[-1] + gaps[-1] / 2
        self.split = 0
        for q in range(len(zs) - 1):
            inside = [p for p in set_planes if zs[q] < p < zs[q + 1] and not same_plane(p - zs[q])
                      and not same_plane(zs[q + 1] - p)]
            if gaps[q] > 1.5 * median and inside:
                hi[q], lo[q + 1] = 0.5 * (zs[q] + inside[0]), 0.5 * (inside[-1] + zs[q + 1])
                self.split += 1
            else:
                hi[q] = lo[q + 1] = 0.5 * (zs[q] + zs[q + 1])
        self.slab_mm = np.column_stack([lo, hi])
        xy = np.concatenate([c[:, :2] for _, polys, _, _ in self.planes for c in polys])
        self.lo = np.array([xy[:, 0].min(), xy[:, 1].min(), self.slab_mm[0, 0]])
        self.hi = np.array([xy[:, 0].max(), xy[:, 1].max(), self.slab_mm[-1, 1]])
        self._raster = {}
        self.witnesses = 0  # pixel planes sampled at a witness point (counted as rasterised)

    def region_at(self, z):
        """The region (polys, signs, kind) of the plane whose slab [lo, hi) holds z (mm), or None."""
        for (zp, polys, signs, kind), (lo, hi) in zip(self.planes, self.slab_mm):
            if lo <= z < hi:
                return polys, signs, kind
        return None

    def volume_cc(self):
        """The whole structure's volume: each plane's area (outlines less their holes) times its slab."""
        total = 0.0
        for (z, polys, signs, overlap), (a, b) in zip(self.planes, self.slab_mm):
            total += region_area([p[:, :2] for p in polys], signs, overlap) * (b - a)
        return total / 1000

    def samples(self, grid):
        return self.raster(grid)[1]

    def occupancy(self, grid):
        """Per output voxel (pixel order), the fraction the structure's mask holds: 1 where whole, 0 at or below
        EPS (StructureMask: runs of whole voxels, partial occupancies above EPS)."""
        occ = self.raster(grid)[0]
        return np.where(occ >= np.float32(1 - EPS), 1.0, np.where(occ > np.float32(EPS), occ, 0.0)).ravel()

    def raster(self, grid):
        key = id(grid)
        if key not in self._raster:
            self._raster[key] = prism_raster(grid, self)
        return self._raster[key]


def convex(p):
    """Whether polygon p (M x 2) turns the same way at every vertex."""
    e = np.roll(p, -1, axis=0) - p
    turns = e[:, 0] * np.roll(e[:, 1], -1) - e[:, 1] * np.roll(e[:, 0], -1)
    return bool(np.all(turns > 0) or np.all(turns < 0))


def inside_polygon(p, x, y):
    """Crossing number of points (x, y) against polygon p (M x 2): True inside (none of these points lies on it)."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    inside = np.zeros(x.shape, dtype=bool)
    m = len(p)
    for v in range(m):
        (ax, ay), (bx, by) = p[v], p[(v + 1) % m]
        if ay == by:
            continue
        crosses = (ay <= y) != (by <= y)
        xc = ax + (y - ay) * (bx - ax) / (by - ay)
        inside ^= crosses & (x < xc)
    return inside


def near_outline(p, x, y):
    """Points (x, y) within ON_OUTLINE of polygon p's outline (on it: inside, PlaneRaster.ON_OUTLINE)."""
    near = np.zeros(np.shape(x), dtype=bool)
    m = len(p)
    for v in range(m):
        (ax, ay), (bx, by) = p[v], p[(v + 1) % m]
        dx, dy = bx - ax, by - ay
        t = np.clip(((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy), 0, 1)
        near |= np.hypot(x - (ax + t * dx), y - (ay + t * dy)) <= ON_OUTLINE
    return near


def clip_box(p, x0, x1, y0, y1):
    """Polygon p (list of (x, y)) clipped to the box [x0, x1] x [y0, y1] (Sutherland-Hodgman against each side; its
    area is exact for any simple polygon, the clip window being convex); [] when nothing is left."""
    pts = p
    for axis, bound, upper in ((0, x0, False), (0, x1, True), (1, y0, False), (1, y1, True)):
        out = []
        m = len(pts)
        for a in range(m):
            P, Q = pts[a], pts[(a + 1) % m]
            p_in = P[axis] <= bound if upper else P[axis] >= bound
            q_in = Q[axis] <= bound if upper else Q[axis] >= bound
            if p_in:
                out.append(P)
            if p_in != q_in:
                t = (bound - P[axis]) / (Q[axis] - P[axis])
                out.append((P[0] + t * (Q[0] - P[0]), P[1] + t * (Q[1] - P[1])))
        pts = out
        if len(pts) < 3:
            return []
    return pts


def clip_convex(p, convex):
    """Polygon p (list of (x, y)) clipped to a convex polygon (Sutherland-Hodgman against each of its edges)."""
    turn = 1.0 if area_of(convex) > 0 else -1.0
    pts = p
    for a in range(len(convex)):
        (ax, ay), (bx, by) = convex[a], convex[(a + 1) % len(convex)]
        side = [turn * ((bx - ax) * (y - ay) - (by - ay) * (x - ax)) for x, y in pts]
        out = []
        for c in range(len(pts)):
            d = (c + 1) % len(pts)
            if side[c] >= 0:
                out.append(pts[c])
            if (side[c] >= 0) != (side[d] >= 0):
                t = side[c] / (side[c] - side[d])
                out.append((pts[c][0] + t * (pts[d][0] - pts[c][0]), pts[c][1] + t * (pts[d][1] - pts[c][1])))
        pts = out
        if len(pts) < 3:
            return []
    return pts


def area_of(pts):
    """Signed area (shoelace) of a list of (x, y)."""
    return sum(pts[a][0] * pts[(a + 1) % len(pts)][1] - pts[(a + 1) % len(pts)][0] * pts[a][1]
               for a in range(len(pts))) / 2 if len(pts) >= 3 else 0.0


def region_area(polys, signs, overlap, box=None):
    """
    Area of a plane's region (within box (x0, x1, y0, y1) when given): the outlines (+1) less the holes (-1) in
    them; two overlapping outlines ('union': the second convex) unite, their intersection counted once; an outline
    and a convex XOR contour ('xor') keep what lies in exactly one of them.
    """
    pts = [q if isinstance(q, list) else [tuple(v) for v in q] for q in polys]
    part = (lambda q: clip_box(q, *box)) if box is not None else (lambda q: q)
    total = sum(s * abs(area_of(part(q))) for q, s in zip(pts, signs))
    if overlap:
        both = abs(area_of(clip_convex(part(pts[0]), pts[1])))
        total -= both if overlap == 'union' else 2 * both
    return total


def witness(edges, i, j):
    """
    The point PlaneRaster takes for a pixel the region covers without holding a sub-cell centre: of the edges
    active in the pixel's row (ordered by lower end, then by their order in the outlines: PlaneRegion's scan), the
    first whose part inside the pixel is not empty, at that part's middle (PlaneRegion.pointOnOutlineWithin),
    as quantised stores it.
    """
    x0, x1, y0, y1 = i - 0.5, i + 0.5, j - 0.5, j + 0.5
    for ly, lx, uy, ux, slope in edges:
        if ly > y1 or uy < y0:
            continue  # not active in this row
        ya, yb = max(y0, ly), min(y1, uy)
        if yb < ya:
            continue
        xa, xb = lx + (ya - ly) * slope, lx + (yb - ly) * slope
        ta, tb = 0.0, 1.0
        if xa != xb:
            u0, u1 = (x0 - xa) / (xb - xa), (x1 - xa) / (xb - xa)
            ta, tb = max(ta, min(u0, u1)), min(tb, max(u0, u1))
        elif xa < x0 or xa > x1:
            continue
        if tb >= ta:
            t = 0.5 * (ta + tb)
            px, py = xa + t * (xb - xa), ya + t * (yb - ya)
            return quantised(i, j, px, py)
    # no sloped edge crosses the pixel (the region enters it across a horizontal edge): the middle of the first
    # inside interval's part within the pixel, at the middle height of the first band of the row that has one
    # (PlaneRaster.pointInBandsWithin); the bands split the row at the active edges' ends, each end once per
    # edge, so that two edges ending at one height make a band of no height there, whose middle is that height
    active = [e for e in edges if not (e[0] > y1 or e[2] < y0)]
    cuts = sorted([y0, y1] + [v for e in active for v in (e[0], e[2]) if y0 < v < y1])
    for ya, yb in zip(cuts[:-1], cuts[1:]):
        y = 0.5 * (ya + yb)
        xs = sorted(lx + (y - ly) * slope for ly, lx, uy, ux, slope in active if ly <= y < uy)
        for a, c in zip(xs[0::2], xs[1::2]):
            a, c = max(a, x0), min(c, x1)
            if c > a:
                return quantised(i, j, 0.5 * (a + c), y)
    raise Sliver('pixel %d, %d: covered, but no sub-cell centre, edge or inside interval within it' % (i, j))


def quantised(i, j, px, py):
    """A witness point as eqd2sum stores it: offsets from the pixel centre quantised to 1/32767 of a pixel
    (PlaneRaster.encodeWitness), added to the pixel's index in float32."""
    q = [math.floor((min(0.5, max(-0.5, d)) + 0.5) * 32767 + 0.5) for d in (px - i, py - j)]
    wx, wy = (np.float32(v / 32767.0 - 0.5) for v in q)
    return float(np.float32(i) + wx), float(np.float32(j) + wy)


def prism_raster(grid, prism):
    """
    (occupancy [k, j, i] float32, (sample indices 3 x N, volumes cc)) of a Prism on an axis-aligned grid, by
    Rasteriser's rule: each plane owns its slab (ends within SLAB_SNAP of a slice boundary put on it); a voxel's
    occupancy is the sum over the slab parts crossing it of their plane's pixel coverage times the part; a voxel
    whose occupancy and its six face neighbours' are whole is its centre; every other occupied voxel is, for each
    slab part crossing it, the sub-cell centres inside its plane's region (or the witness point of a sliver) at
    round(n * part) heights (at least 1; a half within HEIGHTS_SNAP rounds up), sharing the part's occupied volume
    equally, and its centre (a grid node) is a sample with no volume when some plane whose slab holds its height has
    it inside, and so is the node's column where a plane holding it ends its slab in the voxel off the node's height on
    the structure's surface (a cap node); every contour vertex and every crossing of a contour edge with a grid line,
    at both ends of its plane's slab and every whole k between, is a sample with no volume (with n = 1 neither the
    crossings, the whole k between nor the cap nodes). n = 4 unless the
    surface is large. Only what lies inside the grid is sampled: a voxel on the grid's surface is sub-sampled, a
    vertex outside it is none, a slab is cut at the grid's ends.
    """
    nx, ny, nz = grid.shape
    voxel_cc = float(np.prod(np.abs(np.diag(grid.axes)))) / 1000
    planes = []  # per plane: polygons in index units, their signs (outline +1, hole -1), slab [lo, hi] in k

    def snap(k):
        boundary = math.floor(k) + 0.5
        return boundary if abs(k - boundary) <= SLAB_SNAP else k

    for (z, polys, signs, overlap), slab in zip(prism.planes, prism.slab_mm):
        idx = [grid.to_index(np.asarray(p, dtype=np.float64).T)[:2].T for p in polys]
        ka, kb = sorted(float(grid.to_index(np.array([[0.0], [0.0], [v]]))[2, 0]) for v in slab)
        planes.append((idx, (signs, overlap), snap(ka), snap(kb)))
    planes.sort(key=lambda p: p[2])
    boundary = sum(sum(np.sum(np.hypot(*(np.roll(q, -1, axis=0) - q).T)) for q in polys) * max(1.0, hi - lo)
                   for polys, _, lo, hi in planes)
    for polys in (planes[0][0], planes[-1][0]):
        allxy = np.concatenate(polys)
        boundary += np.ptp(allxy[:, 0]) * np.ptp(allxy[:, 1])
    n = 4 if boundary * 64 <= AUTO_SAMPLE_BUDGET else 2 if boundary * 8 <= AUTO_SAMPLE_BUDGET else 1
    offsets = (np.arange(n) + 0.5) / n - 0.5

    rasters = []  # per plane: {(i, j): (coverage float32, [sub-cell points] or None for all, centre inside)}
    on_grid = [min(hi, nz - 0.5) - max(lo, -0.5) > 0 for _, _, lo, hi in planes]
    for (polys, (signs, overlap), lo, hi), plane_on_grid in zip(planes, on_grid):
        cells = {}
        if plane_on_grid:
            allxy = np.concatenate(polys)
            i0 = max(0, math.floor(allxy[:, 0].min() + 0.5))
            i1 = min(nx - 1, math.floor(allxy[:, 0].max() + 0.5))
            j0 = max(0, math.floor(allxy[:, 1].min() + 0.5))
            j1 = min(ny - 1, math.floor(allxy[:, 1].max() + 0.5))
            edges = []
            for q in polys:
                for v in range(len(q)):
                    (ax, ay), (bx, by) = q[v], q[(v + 1) % len(q)]
                    if ay == by:
                        continue
                    (ly, lx), (uy, ux) = sorted([(ay, ax), (by, bx)])
                    edges.append((ly, lx, uy, ux, (ux - lx) / (uy - ly)))
            edges = [e for _, e in sorted(enumerate(edges), key=lambda t: (t[1][0], t[0]))]
            as_lists = [[tuple(v) for v in q] for q in polys]
            for j in range(j0, j1 + 1):
                for i in range(i0, i1 + 1):
                    c = region_area(as_lists, signs, overlap, (i - 0.5, i + 0.5, j - 0.5, j + 0.5))
                    if c <= EPS:
                        continue
                    if c >= 1 - EPS:
                        cells[(i, j)] = (np.float32(1.0), None, True)
                        continue
                    # the n x n sub-cell centres, then the pixel's centre (a grid node: where trilinear dose peaks)
                    sx, sy = np.meshgrid(i + offsets, j + offsets)
                    sx = np.append(sx.ravel(), float(i))
                    sy = np.append(sy.ravel(), float(j))
                    inside = np.zeros(sx.size, dtype=bool)
                    if overlap == 'xor':  # in exactly one of the outline and the XOR contour
                        inside = inside_polygon(polys[0], sx.ravel(), sy.ravel()) ^ inside_polygon(
                            polys[1], sx.ravel(), sy.ravel())
                    else:
                        for q, s in zip(polys, signs):  # in an outline and in none of the holes
                            inside = inside | inside_polygon(q, sx.ravel(), sy.ravel()) if s > 0 else inside
                        for q, s in zip(polys, signs):
                            inside = inside & ~inside_polygon(q, sx.ravel(), sy.ravel()) if s < 0 else inside
                    for q in polys:  # or on any outline, within ON_OUTLINE
                        inside |= near_outline(q, sx.ravel(), sy.ravel())
                    centre_in = bool(inside[-1])
                    pts = list(zip(sx[:-1][inside[:-1]], sy[:-1][inside[:-1]]))
                    if not pts:
                        pts = [witness(edges, i, j)]
                        prism.witnesses += 1
                    cells[(i, j)] = (np.float32(c), pts, centre_in)
        rasters.append(cells)

    occ = np.zeros((nz, ny, nx), dtype=np.float32)
    for (polys, _, lo, hi), cells in zip(planes, rasters):
        for k in range(max(0, math.floor(lo - 0.5) + 1), min(nz - 1, math.ceil(hi + 0.5) - 1) + 1):
            overlap = np.float32(min(hi, k + 0.5) - max(lo, k - 0.5))
            if overlap <= 0:
                continue
            for (i, j), (c, _, _) in cells.items():
                occ[k, j, i] = np.float32(occ[k, j, i] + np.float32(c * overlap))
    full = np.pad(occ >= np.float32(1 - EPS), 1)
    inner = (full[1:-1, 1:-1, 1:-1] & full[:-2, 1:-1, 1:-1] & full[2:, 1:-1, 1:-1] & full[1:-1, :-2, 1:-1]
             & full[1:-1, 2:, 1:-1] & full[1:-1, 1:-1, :-2] & full[1:-1, 1:-1, 2:])
    inner[[0, -1], :, :] = False
    inner[:, [0, -1], :] = False
    inner[:, :, [0, -1]] = False
    points, volumes = [], []
    for k, j, i in zip(*np.nonzero(occ > np.float32(EPS))):
        if inner[k, j, i]:
            points.append((i, j, k))
            volumes.append(voxel_cc)
            continue
        centre_done = False
        for q, ((polys, _, lo, hi), cells) in enumerate(zip(planes, rasters)):
            z_lo, z_hi = max(lo, k - 0.5), min(hi, k + 0.5)
            part = z_hi - z_lo
            if part <= 0 or (i, j) not in cells:
                continue
            c, pts, centre_in = cells[(i, j)]
            if centre_in and n > 1:
                # (not with one sub-sample per pixel, a surface too large for the budget) where the slab ends in this voxel off the node's height on the structure's surface (the plane
                # sharing that end does not hold the node, or there is none): the node's column there, no volume
                # (an end within rounding beyond this voxel's face leaves the next voxel empty: taken here)
                for end, b, side in ((hi, q + 1, 2), (lo, q - 1, 3)):
                    here = end <= k + 0.5 or (k + 1 < nz and end < k + 1.5 and occ[k + 1, j, i] <= np.float32(EPS)) \
                        if side == 2 else \
                        end >= k - 0.5 or (k > 0 and end > k - 1.5 and occ[k - 1, j, i] <= np.float32(EPS))
                    if here and end != k:
                        beyond = planes[b] if 0 <= b < len(planes) else None
                        if beyond is not None and abs(beyond[side] - end) <= SLAB_SNAP:
                            if not on_grid[b] or rasters[b].get((i, j), (0, None, False))[2]:
                                continue
                        points.append((i, j, end))
                        volumes.append(0.0)
            if not centre_done and centre_in and lo <= k <= hi:
                # the voxel's centre, inside: a sample with no volume, unless a sub-sample lies on it (odd n, and
                # one of the part's heights at k)
                h = max(1, math.floor(n * part + 0.5 + HEIGHTS_SNAP))
                t = round((k - z_lo) * h / part - 0.5)
                on_centre = n % 2 == 1 and 0 <= t < h and np.float32(z_lo + (t + 0.5) * part / h) == np.float32(k)
                if not on_centre:
                    points.append((i, j, k))
                    volumes.append(0.0)
                centre_done = True
            if pts is None:
                pts = [(i + ox, j + oy) for oy in offsets for ox in offsets]
            heights = max(1, math.floor(n * part + 0.5 + HEIGHTS_SNAP))
            vol = float(c) * part * voxel_cc / (len(pts) * heights)
            for t in range(heights):
                z = z_lo + (t + 0.5) * part / heights
                for x, y in pts:
                    points.append((x, y, z))
                    volumes.append(vol)
    # the outline inside the grid: every contour vertex and every crossing of an edge with a grid line (a whole i or
    # j strictly between the edge's ends), at both ends of the part of their plane's slab inside the grid and at
    # every whole k between them (distinct as float32)
    for polys, _, lo, hi in planes:
        z_lo, z_hi = max(lo, -0.5), min(hi, nz - 0.5)
        if z_hi - z_lo <= 0:
            continue
        levels = [z_lo]  # with n = 1 the slab's ends only
        for k in range(max(0, math.floor(z_lo) + 1), min(nz - 1, math.ceil(z_hi) - 1) + 1 if n > 1 else 0):
            if z_lo < k < z_hi and np.float32(k) != np.float32(levels[-1]):
                levels.append(float(k))
        if np.float32(z_hi) != np.float32(levels[-1]):
            levels.append(z_hi)
        for q in polys:
            for v in range(len(q)):
                (ax, ay), (bx, by) = q[v], q[(v + 1) % len(q)]
                on_outline = [(ax, ay)]
                if n == 1:
                    pass  # one sub-sample per pixel (a surface too large for the budget): the vertices only
                elif ax != bx:
                    for i in range(max(0, math.floor(min(ax, bx)) + 1), min(nx - 1, math.ceil(max(ax, bx)) - 1) + 1):
                        on_outline.append((i, ay + (i - ax) * (by - ay) / (bx - ax)))
                if ay != by and n > 1:
                    for j in range(max(0, math.floor(min(ay, by)) + 1), min(ny - 1, math.ceil(max(ay, by)) - 1) + 1):
                        on_outline.append((ax + (j - ay) * (bx - ax) / (by - ay), j))
                for x, y in on_outline:
                    if -0.5 <= x <= nx - 0.5 and -0.5 <= y <= ny - 0.5:
                        for z in levels:
                            points.append((x, y, z))
                            volumes.append(0.0)
    return occ, (np.array(points, dtype=np.float64).T, np.array(volumes)), planes, n


def lattice_nodes(shape, grid, courses):
    """
    The output-grid indices (3 x M, rounded to float32 as eqd2sum keeps them) of the nodes of every course's own
    grid that is not the output grid (a prior's; every course's on a union grid) lying in the structure: in or on a
    plane's region (within ON_OUTLINE) and within its slab, ends included (within SLAB_SNAP), and inside the output
    grid. A dose interpolated on that grid peaks at its nodes; samples without volume (Rasteriser.addLatticeNodes),
    not with n = 1.
    """
    prism = shape.prism if isinstance(shape, Box) else shape
    planes, n = prism.raster(grid)[2:]
    found = [np.zeros((3, 0))]
    if n == 1:
        return found[0]
    nx, ny, nz = grid.shape
    allxy = np.concatenate([np.concatenate(polys) for polys, _, _, _ in planes])
    box = [(max(allxy[:, 0].min() - ON_OUTLINE, -0.5), min(allxy[:, 0].max() + ON_OUTLINE, nx - 0.5)),
           (max(allxy[:, 1].min() - ON_OUTLINE, -0.5), min(allxy[:, 1].max() + ON_OUTLINE, ny - 0.5)),
           (max(planes[0][2] - SLAB_SNAP, -0.5), min(planes[-1][3] + SLAB_SNAP, nz - 0.5))]
    aligned = []
    for c in courses:
        if 'uniform' in c or (np.allclose(c['to_current'], np.eye(4), atol=1e-9, rtol=0) and c['grid'].same_as(grid)):
            continue
        m = c['to_current']
        lin = grid.inv @ m[:3, :3] @ c['grid'].axes
        o = grid.to_index(m[:3, :3] @ c['grid'].origin[:, None] + m[:3, 3:4])[:, 0]
        if np.all(np.abs(lin - np.eye(3)) <= 1e-9) and np.all(np.abs(o - np.rint(o)) <= 1e-9):
            continue  # PlanSum.onOutputLattice: its nodes are output voxel centres (a union grid's current course)
        if np.all(np.abs(lin - np.diag(np.diag(lin))) <= AXIS_ALIGNED):
            aligned.append((o, np.diag(lin), c['grid'].shape))
        idx = grid.to_index(m[:3, :3] @ c['grid'].centres() + m[:3, 3:4])
        # Rasteriser.LATTICE_BUDGET: no nodes from a lattice with more than that many in the structure's box
        in_box = np.ones(idx.shape[1], dtype=bool)
        for d, (a, b) in enumerate(box):
            in_box &= (idx[d] >= a) & (idx[d] <= b)
        if np.count_nonzero(in_box) > LATTICE_BUDGET:
            continue
        idx = idx[:, in_box]
        found.append(idx[:, encloses(planes, idx)].astype(np.float32).astype(np.float64))
        # where its dose can peak on the surface: a lattice along the output grid's axes (Rasteriser.addLatticeSurface),
        # a rotated one (Rasteriser.addObliqueLatticeSurface)
        if np.all(np.abs(lin - np.diag(np.diag(lin))) <= AXIS_ALIGNED):
            found.append(lattice_surface(planes, grid, o, np.diag(lin), c['grid'].shape))
        else:
            found.append(lattice_oblique_surface(planes, grid, lin, o, c['grid'].shape, box))
    found.append(merged_nodes(planes, grid, aligned, box))
    return np.concatenate(found, axis=1)


def encloses(planes, idx):
    """Rasteriser.encloses: which points (3 x M, output indices) lie in the structure's closed solid: in or on a
    plane's region (within ON_OUTLINE) within its slab, ends included (within SLAB_SNAP); a slab of no thickness
    holds nothing."""
    inside = np.zeros(idx.shape[1], dtype=bool)
    for polys, (signs, kind), lo, hi in planes:
        sel = (idx[2] >= lo - SLAB_SNAP) & (idx[2] <= hi + SLAB_SNAP)
        if hi - lo <= 0 or not sel.any():
            continue
        inside[sel] |= holds_region(polys, (polys, signs, kind), idx[0, sel], idx[1, sel])
    return inside


def merged_nodes(planes, grid, aligned, box):
    """
    Rasteriser.addMergedNodes: the nodes of the merged lattice in the structure (along each axis the output grid's
    planes and those of every course grid along its axes, aligned = [(origin, step, shape)] in output index units),
    but for the nodes of one grid; none when more than LATTICE_BUDGET in the box; float32-rounded.
    """
    if not aligned or len(aligned) > 30 or any(a > b for a, b in box):
        return np.zeros((3, 0))
    values, masks = [], []
    for d in range(3):
        at = {}
        for v in lattice_values(0, 1, grid.shape[d], box[d][0], box[d][1], True):
            at[float(v)] = at.get(float(v), 0) | 1
        for g, (o, step, shape) in enumerate(aligned):
            for v in lattice_values(o[d], step[d], shape[d], box[d][0], box[d][1], True):
                at[float(v)] = at.get(float(v), 0) | (2 << g)
        keys = sorted(at)
        values.append(np.array(keys, dtype=np.float64))
        masks.append(np.array([at[k] for k in keys], dtype=np.int64))
    if np.prod([len(v) for v in values]) == 0 or np.prod([len(v) for v in values]) > LATTICE_BUDGET:
        return np.zeros((3, 0))
    gx, gy, gz = np.meshgrid(values[0], values[1], values[2], indexing='ij')
    mx, my, mz = np.meshgrid(masks[0], masks[1], masks[2], indexing='ij')
    keep = (mx & my & mz) == 0
    idx = np.vstack([gx[keep], gy[keep], gz[keep]])
    if idx.shape[1] == 0:
        return np.zeros((3, 0))
    return idx[:, encloses(planes, idx)].astype(np.float32).astype(np.float64)


AXIS_ALIGNED = 1e-9  # Rasteriser.AXIS_ALIGNED
LATTICE_BUDGET = 4 * AUTO_SAMPLE_BUDGET  # Rasteriser.LATTICE_BUDGET


def lattice_values(origin, step, count, lo, hi, closed):
    """Rasteriser.latticeValues: origin + step * t (t = 0 .. count - 1) strictly between lo and hi (closed: ends
    included), ascending."""
    t = np.arange(count)
    v = origin + step * t
    keep = (v >= lo) & (v <= hi) if closed else (v > lo) & (v < hi)
    return np.sort(v[keep])


def lattice_surface(planes, grid, origin, step, shape):
    """
    For a node lattice along the output grid's axes (origin and step per axis in output index units; shape its node
    counts): every crossing of a contour edge with the lattice's lines at both slab ends (within the grid) and the
    lattice's node heights between, the vertices at those heights, and the lattice's in-plane nodes in the region on
    a slab end that is the structure's surface (no plane with thickness beyond it holds the point) or the grid's
    end (Rasteriser.addLatticeSurface); output-grid indices, float32-rounded.
    """
    nx, ny, nz = grid.shape
    pts = []
    for q, (polys, (signs, kind), lo, hi) in enumerate(planes):
        z_lo, z_hi = max(lo, -0.5), min(hi, nz - 0.5)
        if z_hi - z_lo <= 0:
            continue
        between = lattice_values(origin[2], step[2], shape[2], z_lo, z_hi, False)
        levels = [z_lo]
        for k in between:
            if np.float32(k) != np.float32(levels[-1]):
                levels.append(float(k))
        if np.float32(z_hi) != np.float32(levels[-1]):
            levels.append(z_hi)
        for poly in polys:
            for v in range(len(poly)):
                (ax, ay), (bx, by) = poly[v], poly[(v + 1) % len(poly)]
                on = []
                if -0.5 <= ax <= nx - 0.5 and -0.5 <= ay <= ny - 0.5:
                    pts += [(ax, ay, z) for z in between]
                if ax != bx:
                    for x in lattice_values(origin[0], step[0], shape[0], min(ax, bx), max(ax, bx), False):
                        on.append((x, ay + (x - ax) * (by - ay) / (bx - ax)))
                if ay != by:
                    for y in lattice_values(origin[1], step[1], shape[1], min(ay, by), max(ay, by), False):
                        on.append((ax + (y - ay) * (bx - ax) / (by - ay), y))
                for x, y in on:
                    if -0.5 <= x <= nx - 0.5 and -0.5 <= y <= ny - 0.5:
                        pts += [(x, y, z) for z in levels]
        allxy = np.concatenate(polys)
        xs = lattice_values(origin[0], step[0], shape[0], max(allxy[:, 0].min(), -0.5), min(allxy[:, 0].max(), nx - 0.5),
                            True)
        ys = lattice_values(origin[1], step[1], shape[1], max(allxy[:, 1].min(), -0.5), min(allxy[:, 1].max(), ny - 0.5),
                            True)
        if len(xs) == 0 or len(ys) == 0:
            continue
        gx, gy = np.meshgrid(xs, ys)
        gx, gy = gx.ravel(), gy.ravel()
        inside = holds_region(polys, (polys, signs, kind), gx, gy)
        # the grid's end bounds what is sampled, whatever lies beyond it
        for end, grid_end, above in ((z_lo, z_lo <= -0.5 + SLAB_SNAP, False), (z_hi, z_hi >= nz - 0.5 - SLAB_SNAP, True)):
            keep = inside.copy()
            if not grid_end:
                keep &= ~held_beyond(planes, q, above, end, gx, gy)
            pts += [(x, y, end) for x, y in zip(gx[keep], gy[keep])]
    if not pts:
        return np.zeros((3, 0))
    return np.array(pts, dtype=np.float64).T.astype(np.float32).astype(np.float64)


def holds_region(region_polys, region, x, y):
    """PlaneRegion.containsOrOn: in the region by its rule, or within ON_OUTLINE of a contour."""
    r = region_contains(region, x, y)
    for poly in region_polys:
        r = r | near_outline(poly, x, y)
    return r


def held_beyond(planes, q, above, end, x, y):
    """Rasteriser.heldBeyond: whether a plane with thickness beyond plane q's end (above it when above) holds each
    (x, y) there."""
    held = np.zeros(np.shape(x), dtype=bool)
    step_q = 1 if above else -1
    r = q + step_q
    while 0 <= r < len(planes):
        b_polys, (b_signs, b_kind), b_lo, b_hi = planes[r]
        if (b_lo > end + SLAB_SNAP) if above else (b_hi < end - SLAB_SNAP):
            break
        if b_hi - b_lo > 0:
            held |= holds_region(b_polys, (b_polys, b_signs, b_kind), x, y)
        r += step_q
    return held


def clip_range(t0, t1, o, d, lo, hi):
    """Rasteriser.clip: (t0, t1) narrowed to where o + t d lies within [lo, hi] (o, t0, t1 arrays; d a number);
    returns t0, t1 and which are not empty."""
    if d == 0:
        return t0, t1, (o >= lo) & (o <= hi) & (t0 <= t1)
    ta, tb = (lo - o) / d, (hi - o) / d
    t0 = np.maximum(t0, np.minimum(ta, tb))
    t1 = np.minimum(t1, np.maximum(ta, tb))
    return t0, t1, t0 <= t1


def lattice_oblique_surface(planes, grid, lin, origin, shape, box):
    """
    For a node lattice not along the output grid's axes (node (a, b, c) at lin @ (a, b, c) + origin in output
    index units; shape its node counts; box the structure's box as lattice_nodes makes it): where the lattice's
    lines cross a plane's walls within its slab, or cross a slab end that is the structure's surface or the grid's
    end inside the plane's region; and where each vertex's vertical edge (between its slab's ends) and each contour
    edge at both slab ends cross the lattice's cell planes; inside the grid in plane (Rasteriser.
    addObliqueLatticeSurface); output-grid indices, float32-rounded.
    """
    nx, ny, nz = grid.shape
    if any(a > b for a, b in box):
        return np.zeros((3, 0))  # the structure misses the grid (Rasteriser.addLatticeNodes asks nothing then)
    to_node = np.linalg.inv(np.vstack([np.hstack([lin, np.reshape(origin, (3, 1))]), [0, 0, 0, 1]]))

    def node_of(x, y, z):
        return to_node[:3, :3] @ np.array([x, y, z], dtype=np.float64) + to_node[:3, 3]

    def in_plane(x, y):
        return (x >= -0.5) & (x <= nx - 0.5) & (y >= -0.5) & (y <= ny - 0.5)

    pts = []
    # the walls' edges across the cell planes
    for q, (polys, _, lo, hi) in enumerate(planes):
        z_lo, z_hi = max(lo, -0.5), min(hi, nz - 0.5)
        if z_hi - z_lo <= 0:
            continue
        for poly in polys:
            for v in range(len(poly)):
                (ax, ay), (bx, by) = poly[v], poly[(v + 1) % len(poly)]
                segments = [(ax, ay, z_lo, ax, ay, z_hi)] if in_plane(ax, ay) else []
                segments += [(ax, ay, end, bx, by, end) for end in (z_lo, z_hi)]
                for sx, sy, sz, ex, ey, ez in segments:
                    ua, ub = node_of(sx, sy, sz), node_of(ex, ey, ez)
                    for d in range(3):
                        if ua[d] == ub[d]:
                            continue
                        for u in lattice_values(0, 1, shape[d], min(ua[d], ub[d]), max(ua[d], ub[d]), False):
                            f = (u - ua[d]) / (ub[d] - ua[d])
                            x, y, z = sx + f * (ex - sx), sy + f * (ey - sy), sz + f * (ez - sz)
                            if in_plane(x, y):
                                pts.append((x, y, z))
    # the node index ranges the box holds (Rasteriser.addLatticeNodes)
    corners = np.array([node_of(box[0][i & 1], box[1][i >> 1 & 1], box[2][i >> 2]) for i in range(8)])
    lo_n, hi_n = corners.min(axis=0), corners.max(axis=0)
    ranges = [(max(0, int(np.ceil(lo_n[d] - 1e-6))), min(shape[d] - 1, int(np.floor(hi_n[d] + 1e-6))))
              for d in range(3)]
    # the lattice's lines across the walls and the caps
    for d in range(3):
        e1, e2 = (d + 1) % 3, (d + 2) % 3
        if ranges[e1][0] > ranges[e1][1] or ranges[e2][0] > ranges[e2][1]:
            continue
        g1, g2 = np.meshgrid(np.arange(ranges[e1][0], ranges[e1][1] + 1),
                             np.arange(ranges[e2][0], ranges[e2][1] + 1), indexing='ij')
        nodes = np.zeros((3, g1.size))
        nodes[e1], nodes[e2] = g1.ravel(), g2.ravel()
        p0 = lin @ nodes + np.reshape(origin, (3, 1))
        dx, dy, dz = lin[0, d], lin[1, d], lin[2, d]
        t0, t1 = np.zeros(nodes.shape[1]), np.full(nodes.shape[1], shape[d] - 1.0)
        keep = np.ones(nodes.shape[1], dtype=bool)
        for k, dk in enumerate((dx, dy, dz)):
            t0, t1, ok = clip_range(t0, t1, p0[k], dk, box[k][0], box[k][1])
            keep &= ok
        p0, t0, t1 = p0[:, keep], t0[keep], t1[keep]
        if p0.shape[1] == 0:
            continue
        d_len2 = dx * dx + dy * dy
        for q, (polys, (signs, kind), lo, hi) in enumerate(planes):
            z_lo, z_hi = max(lo, -0.5), min(hi, nz - 0.5)
            if z_hi - z_lo <= 0:
                continue
            s0, s1, ok = clip_range(t0, t1, p0[2], dz, z_lo, z_hi)
            if ok.any():
                x0, y0, z0, s0, s1 = p0[0, ok], p0[1, ok], p0[2, ok], s0[ok], s1[ok]
                for poly in polys:
                    a = np.asarray(poly, dtype=np.float64)
                    b = np.roll(a, -1, axis=0)
                    ex, ey = b[:, 0] - a[:, 0], b[:, 1] - a[:, 1]
                    denom = dx * ey - dy * ex
                    ok_e = ~(denom * denom <= 1e-24 * d_len2 * (ex * ex + ey * ey))
                    if not ok_e.any():
                        continue
                    ax, ay, ex, ey, denom = a[ok_e, 0], a[ok_e, 1], ex[ok_e], ey[ok_e], denom[ok_e]
                    wx, wy = ax[None, :] - x0[:, None], ay[None, :] - y0[:, None]
                    t = (wx * ey - wy * ex) / denom
                    sp = (wx * dy - wy * dx) / denom
                    hit = (t >= s0[:, None]) & (t <= s1[:, None]) & (sp >= 0) & (sp <= 1)
                    li, _ = np.nonzero(hit)
                    th = t[hit]
                    x, y, z = x0[li] + th * dx, y0[li] + th * dy, z0[li] + th * dz
                    inp = in_plane(x, y)
                    pts += list(zip(x[inp], y[inp], z[inp]))
            if dz == 0:
                continue
            for end, grid_end, above in ((z_lo, z_lo <= -0.5 + SLAB_SNAP, False),
                                         (z_hi, z_hi >= nz - 0.5 - SLAB_SNAP, True)):
                t = (end - p0[2]) / dz
                sel = (t >= t0) & (t <= t1)
                x, y = p0[0, sel] + t[sel] * dx, p0[1, sel] + t[sel] * dy
                inp = in_plane(x, y)
                x, y = x[inp], y[inp]
                if len(x) == 0:
                    continue
                keep = holds_region(polys, (polys, signs, kind), x, y)
                if not grid_end:
                    keep &= ~held_beyond(planes, q, above, end, x, y)
                pts += [(xx, yy, end) for xx, yy in zip(x[keep], y[keep])]
    if not pts:
        return np.zeros((3, 0))
    return np.array(pts, dtype=np.float64).T.astype(np.float32).astype(np.float64)


class Box:
    """A structure that is one axis-aligned rectangle on evenly spaced planes (box_extent): its occupancy by the
    product of its overlaps along the axes, its samples as a Prism's (the same rectangles)."""

    def __init__(self, name, contours):
        self.lo, self.hi = box_extent(name, contours)
        self.contours = contours
        self.prism = Prism(name, contours)

    def volume_cc(self):
        return float(np.prod(self.hi - self.lo)) / 1000

    def samples(self, grid):
        return self.prism.samples(grid)

    def occupancy(self, grid):
        return occupancy(grid, self.lo, self.hi)


def shape_of(name, contours, set_planes=()):
    """A Box where the structure is one, else a Prism (which refuses what it cannot follow); set_planes: the
    structure set's planes (set_planes_of)."""
    try:
        return Box(name, contours)
    except ValueError:
        return Prism(name, contours, set_planes)


def same_plane(gap_mm):
    """StructureSetPlanes.samePlane: closer than SAME_PLANE_MM, rounding aside (0.05 mm apart is two planes)."""
    return abs(gap_mm) < SAME_PLANE_MM - 1e-9


def set_planes_of(structures):
    """The structure set's distinct contour planes (mm along z, ascending; StructureSetPlanes.of for planes
    perpendicular to z): each contour's mean z, those on the same plane as the previous one (same_plane) a plane at
    their mean."""
    positions = sorted(float(np.mean(c[:, 2])) for _, _, contours in structures for c in contours)
    groups = []
    for p in positions:
        if groups and same_plane(p - groups[-1][-1]):
            groups[-1].append(p)
        else:
            groups.append([p])
    return [sum(g) / len(g) for g in groups]


# eqd2sum's float32 sample doses are within about 1e-6 relative of these (the maps' largest difference is 3e-7):
# two samples this close (in float32 ulps) may be one node there, or swap places
TIE_ULPS = 16
# eqd2sum holds each sample's volume in float32 (6e-8 relative): node positions, cumulative sums of them, may be
# off by this much of the total, which a steep stretch of D(x) (the last group's half) turns into dose
POSITION_REL = 2e-7


class Nodes:
    """
    The weighted midpoint rule (Hyndman & Fan 1996, definition 5): each distinct dose a node at the middle of its
    samples' cumulative volume, by descending dose; linear between nodes, constant beyond.

    eqd2sum computes sample doses in float32: two samples whose doses differ by a few ulps here may be one node
    there (a tie) or come in the other order (a swap: the node that brackets a query is then the other one), which
    moves that node's position by up to the larger of the two volumes; and its float32 volumes move every position
    by up to POSITION_REL of the total. Each
    answer comes with a slack for both: the first is zero unless a node that brackets the query has a neighbour
    within TIE_ULPS ulps.
    """

    def __init__(self, dose, volume):
        # samples without volume (vertices, crossings, nodes: where the extremes can lie) count for Dmax and Dmin
        # only, not as points of the curve (StructureDoseSamples)
        top, bottom = (float(dose.max()), float(dose.min())) if len(dose) else (None, None)
        dose, volume = dose[volume > 0], volume[volume > 0]
        order = np.argsort(-dose, kind='stable')
        d, v = dose[order], volume[order]
        self.dose, start = np.unique(-d, return_index=True)
        self.dose = -self.dose
        group_volume = np.add.reduceat(v, start) if len(v) else np.zeros(0)
        # beyond the samples with volume, the extremes of those without are the curve's ends (DoseDistribution):
        # Dmax at 0 cc, Dmin at the whole volume
        if len(self.dose) and top > self.dose[0]:
            self.dose = np.concatenate([[top], self.dose])
            group_volume = np.concatenate([[0.0], group_volume])
        if len(self.dose) and bottom < self.dose[-1]:
            self.dose = np.concatenate([self.dose, [bottom]])
            group_volume = np.concatenate([group_volume, [0.0]])
        above = np.concatenate([[0.0], np.cumsum(group_volume)[:-1]])
        self.position = above + group_volume / 2
        self.total = float(v.sum())
        ulp = np.spacing(np.abs(self.dose).astype(np.float32)).astype(np.float64) * TIE_ULPS
        gap = np.abs(np.diff(self.dose))
        close = gap <= ulp[:-1]  # node k and k+1 may be one in float32
        self.shift = np.zeros(len(self.dose))
        larger = np.maximum(group_volume[1:], group_volume[:-1])
        self.shift[:-1] += np.where(close, larger, 0)
        self.shift[1:] += np.where(close, larger, 0)
        self.ulp = ulp

    def _slack(self, k0, k1):
        return float(self.shift[max(k0, 0):k1 + 1].sum())

    def dose_at(self, x):
        """
        (D(x) in Gy, slack in Gy; None without samples that carry volume). Where two nodes stand at one position, D
        drops at once: a query there may read any dose of the drop, as x's last bit decides.
        """
        if len(self.dose) == 0:
            return None, 0.0
        eps = 1e-9 * self.total
        lo, lo_slack = self._dose_at(x - eps)
        hi, hi_slack = self._dose_at(x + eps)
        return (lo + hi) / 2, abs(lo - hi) / 2 + max(lo_slack, hi_slack)

    def _dose_at(self, x):
        k = int(np.searchsorted(self.position, x, side='right')) - 1  # the last node at or before x
        n = len(self.dose)
        if k < 0:
            return float(self.dose[0]), float(self.ulp[0])
        if k >= n - 1 or self.position[k + 1] <= self.position[k]:
            return float(self.dose[k]), float(self.ulp[k])
        t = (x - self.position[k]) / (self.position[k + 1] - self.position[k])
        lo, hi = max(k - 1, 0), min(k + 2, n - 1)
        slopes = np.abs(np.diff(self.dose[lo:hi + 1])) / np.maximum(np.diff(self.position[lo:hi + 1]), 1e-300)
        slack = float(self.ulp[k]) + float(slopes.max()) * (self._slack(lo, hi) + POSITION_REL * self.total)
        return float(self.dose[k] + (self.dose[k + 1] - self.dose[k]) * t), slack

    def volume_at(self, e):
        """(V(e) in cc: the volume receiving at least e Gy, slack in cc)."""
        # beyond either end, but within the end node's float32 noise: eqd2sum's node may lie on e's other side,
        # where V starts at the node's position (seed 40: a maximum 1e-7 Gy below a bin edge)
        n = len(self.dose)
        if n == 0:
            return 0.0, 0.0
        if e > self.dose[0]:
            if e - self.dose[0] > self.ulp[0] or n < 2:
                return 0.0, 0.0
            span = self.position[1] - self.position[0]
            return 0.0, float(self.position[0] + min(span, span * self.ulp[0] / (self.dose[0] - self.dose[1])))
        if e <= self.dose[-1]:
            if self.dose[-1] - e > self.ulp[-1] or n < 2:
                return self.total, 0.0
            span = self.position[-1] - self.position[-2]
            return self.total, float(self.total - self.position[-1]
                                     + min(span, span * self.ulp[-1] / (self.dose[-2] - self.dose[-1])))
        lo = int(np.searchsorted(-self.dose, -e, side='right')) - 1  # the last node with dose >= e
        span = self.position[lo + 1] - self.position[lo]
        slope = span / (self.dose[lo] - self.dose[lo + 1])
        value = float(np.clip(self.position[lo] + slope * (self.dose[lo] - e), 0, self.total))
        # a node within its float32 noise of e may lie on the other side of e in eqd2sum, where V follows the
        # segment on that side: up to that segment's change over the noise (seed 0: a node 1e-7 Gy above a bin
        # edge, its upper neighbour 3e-4 Gy away, moved V by 2.5 % of the node's volume)
        across = 0.0
        for k in (lo, lo + 1):
            if abs(self.dose[k] - e) <= self.ulp[k]:
                for a in (k - 1, k):
                    if 0 <= a < len(self.dose) - 1:
                        seg = self.position[a + 1] - self.position[a]
                        across = max(across, min(seg, seg * self.ulp[k] / (self.dose[a] - self.dose[a + 1])))
        return value, (self._slack(lo, lo + 1) + float(min(span, slope * self.ulp[lo])) + across
                       + POSITION_REL * self.total)


def statistic_values(dose, volume, names):
    """name -> (value, slack): Gy, cc or %; (None, 0) when undefined; from one scope's sample doses."""
    nodes = Nodes(dose, volume)
    total = nodes.total
    out = {}
    for name in names:
        if name == 'Dmax':
            out[name] = float(dose.max()), 0.0
        elif name == 'Dmin':
            out[name] = float(dose.min()), 0.0
        elif name == 'Dmean':
            out[name] = float(np.sum(dose * volume) / total), 0.0
        elif name == 'volume':
            out[name] = total, 0.0
        elif name.startswith('D'):
            x = float(name[1:-2]) if name.endswith('cc') else float(name[1:-1]) / 100 * total
            out[name] = (None, 0.0) if x > total * (1 + 1e-6) else nodes.dose_at(min(x, total))
        else:
            cc, slack = nodes.volume_at(float(name[1:-2]))
            out[name] = cc, slack
            out[name + '%'] = cc / total * 100, slack / total * 100
    return out


def course_eqd2_values(physical, names, fractions, ab, dose, volume):
    """A course's EQD2 statistics in a case of several courses (README): its physical statistic converted;
    Dmean the mean EQD2; V<x>Gy the physical volume at the dose whose EQD2 is x."""
    def to_eqd2(d):
        return d * (d / fractions + ab) / (2 + ab)

    def from_eqd2(e):
        return (-ab + math.sqrt(ab * ab + 4 * e * (2 + ab) / fractions)) / (2 / fractions)

    out = {}
    for name in names:
        if name == 'volume':
            out[name] = physical[name]
        elif name == 'Dmean':
            out[name] = float(np.sum(to_eqd2(dose) * volume) / np.sum(volume)), 0.0
        elif name.startswith('D'):
            d, slack = physical[name]
            if d is None:
                out[name] = None, 0.0
            else:  # EQD2 is increasing: the range [d - slack, d + slack] maps onto one
                low, high = to_eqd2(d - slack), to_eqd2(d + slack)
                out[name] = (low + high) / 2, (high - low) / 2
        else:
            v = statistic_values(dose, volume, ['V%sGy' % plain(from_eqd2(float(name[1:-2])))])
            out[name], out[name + '%'] = list(v.values())
    return out


def course_grid_holds(c, points):
    """Whether each point (current frame, mm) lies inside the course's dose grid (the 1e-3 index rule)."""
    to_course = np.linalg.inv(c['to_current'])
    p = to_course[:3, :3] @ points + to_course[:3, 3:4]
    x, y, z = c['grid'].to_index(p)
    nx, ny, nz = c['grid'].shape
    return ((x >= -EDGE) & (x <= nx - 1 + EDGE) & (y >= -EDGE) & (y <= ny - 1 + EDGE)
            & (z >= -EDGE) & (z <= nz - 1 + EDGE))


def metrics_rows(out_dir):
    """metrics.csv's rows, as dicts (RFC 4180)."""
    with open(os.path.join(out_dir, 'metrics.csv'), newline='') as f:
        return list(csv.DictReader(f))


def compare_metrics_csv(name, reported, rows, problems):
    """Every metrics.csv row of the structure against dvh.json's value (4 decimals), and every dvh.json value
    present as a row: scopes plan_sum, plan_sum_unforgiven, plan_sum_physical, summary_sum,
    summary_sum_unforgiven, course:<label>, course_physical:<label> (CONTRACT); the alpha/beta cell empty for the
    physical scopes."""
    scopes = {'plan_sum': ('planSum',), 'plan_sum_unforgiven': ('planSumUnforgiven',),
              'plan_sum_physical': ('planSumPhysical',), 'summary_sum': ('summarySum',),
              'summary_sum_unforgiven': ('summarySumUnforgiven',)}
    seen = set()
    mine = '%.4f' % reported['alphaBeta']
    for row in rows:
        if row['structure'] != name or row['alpha_beta'] not in ('', mine):
            continue
        scope = row['scope']
        path = scopes.get(scope) or (('courses', scope[7:]) if scope.startswith('course:') else
                                     ('coursesPhysical', scope[16:]) if scope.startswith('course_physical:') else None)
        key = row['statistic'] + ('%' if row['unit'] == '%' else '')
        physical = path is not None and path[0] in ('planSumPhysical', 'coursesPhysical')
        value = (reported['statistics'].get(key) or {}) if path else {}
        for p in path or ():
            value = value.get(p) if isinstance(value, dict) else None
        expected_ab = '' if physical else '%.4f' % reported['alphaBeta']
        unit_ok = row['unit'] == (reported['statistics'].get(key) or {}).get('unit')
        cell = row['value']
        if path is None or row['alpha_beta'] != expected_ab or not unit_ok or (cell == '') != (value is None) \
                or (value is not None and abs(float(cell) - value) > 5.1e-5):
            problems.append('%s: metrics.csv row %s does not match dvh.json (%s)' % (name, dict(row), value))
        seen.add((key, path))
    for key, entry in reported['statistics'].items():
        leaves = [((s,), v) for s, v in entry.items() if s not in ('unit', 'courses', 'coursesPhysical')]
        leaves += [((s, label), v) for s in ('courses', 'coursesPhysical') for label, v in entry.get(s, {}).items()]
        for path, v in leaves:
            if v is not None and (key, path) not in seen:
                problems.append('%s: dvh.json %s %s = %s has no metrics.csv row' % (name, key, '.'.join(path), v))


def check_structures(case, base, out_dir, courses, out_grid):
    """
    dvh.json against the structure set, for every box structure that reaches into the output grid: an entry at
    its alpha/beta (byStructure, else the default), and each entry's target flag, metrics.csv rows
    (compare_metrics_csv), every statistic recomputed from the box's samples (compare_statistics; where the
    script cannot make them, the bounds of check_corner_bounds) and the summary sums against the weighted
    courses' values; then constraints.json (check_constraints).
    """
    by_structure = {k.strip().upper(): float(v) for k, v in case['alphaBeta'].get('byStructure', {}).items()}
    with open(os.path.join(out_dir, 'dvh.json')) as f:
        entries = {}  # name -> its entries, one per alpha/beta that it or a constraint uses (CONTRACT)
        for r in json.load(f)['structures']:
            entries.setdefault(r['name'], []).append(r)
    rows = metrics_rows(out_dir)
    problems = []
    checked = []
    exact = []
    skipped = {}
    worst = {'relative': 0.0}
    if np.any(np.abs(out_grid.axes - np.diag(np.diag(out_grid.axes))) > 1e-9):
        return {'case': case['caseId'], 'map': 'dvh.json', 'problems': [], 'structuresChecked': [],
                'note': 'the output grid is not along the patient axes'}
    structures = read_structures(os.path.join(base, case['structureSet']))
    set_planes = set_planes_of(structures)
    for name, kind, contours in structures:
        shape = shape_of(name, contours, set_planes)
        first, last = index_box(out_grid, shape.lo, shape.hi)
        if np.any(last < -0.5) or np.any(first > np.array(out_grid.shape) - 0.5):
            continue  # wholly outside the grid
        checked.append(name)
        key = name.strip().upper()
        target = kind.upper() in ('PTV', 'CTV', 'GTV') or key.startswith(('PTV', 'CTV', 'GTV'))
        own = by_structure.get(key, float(case['alphaBeta']['default']))
        mine = entries.get(name, [])
        if not any(r['alphaBeta'] == own for r in mine):
            problems.append('%s: no dvh.json entry at its alpha/beta %s (entries at %s)' % (
                name, own, [r['alphaBeta'] for r in mine]))
        for r in mine:
            check_entry(name, r, target, shape, case, courses, out_grid, rows, problems, worst, exact, skipped)
    constraints = check_constraints(out_dir, entries, courses, problems)
    return {'case': case['caseId'], 'map': 'dvh.json', 'problems': problems, 'structuresChecked': checked,
            'statisticsRecomputed': exact, 'statisticsNotRecomputed': skipped, 'worstStatistic': worst,
            'constraintsChecked': constraints}


def check_constraints(out_dir, entries, courses, problems):
    """
    Each constraints.json entry's value against the dvh.json statistic it names (DOMAIN, CONTRACT): scope
    `course` the current course alone, `cumulative` the unforgiven sum, `cumulativeForgiven` the forgiven one
    (voxelwise: the plan sum; summary: the summed per-course values), `ratio` the course's value in percent of
    the cumulative one, `interval` the months from the latest prior course's end; and its status against the
    limit. Returns how many entries were checked.
    """
    path = os.path.join(out_dir, 'constraints.json')
    if not os.path.isfile(path):
        return 0
    with open(path) as f:
        listed = json.load(f)['constraints']
    current = next(c for c in courses if c['months'] is None)['label']
    priors = [c['months'] for c in courses if c['months'] is not None]
    compare = {'<': lambda v, l: v < l, '<=': lambda v, l: v <= l, '>': lambda v, l: v > l,
               '>=': lambda v, l: v >= l}
    checked = 0
    for e in listed:
        where = '%s (%s, %s)' % (e['id'], e['scope'], e['method'])
        if e['status'] == 'not_evaluated':
            continue
        if e['scope'] == 'interval':
            want = min(priors) if priors else None
        else:
            entry = next((r for r in entries.get(e['structure'], []) if r['alphaBeta'] == e['alphaBeta']), None)
            if entry is None:
                problems.append('%s: dvh.json has no %s at alpha/beta %s' % (where, e['structure'], e['alphaBeta']))
                continue
            st = entry['statistics'][e['metric']]
            summary = e['method'] == 'summary'
            course = st['courses'][current]
            unforgiven = st['summarySumUnforgiven' if summary else 'planSumUnforgiven']
            want = {'course': course, 'cumulative': unforgiven,
                    'cumulativeForgiven': st['summarySum' if summary else 'planSum'],
                    'ratio': None if not unforgiven else 100 * course / unforgiven}.get(e['scope'])
        checked += 1
        if want is None or e['value'] is None or abs(e['value'] - want) > 2e-6 + 1e-6 * abs(want):
            problems.append('%s: value %s, dvh.json gives %s' % (where, e['value'], want))
            continue
        if abs(e['value'] - e['limit']) > 1e-6 * max(abs(e['limit']), 1):
            passed = compare[e['comparator']](e['value'], e['limit'])
            if e['status'] != ('passed' if passed else 'failed') or e['passed'] is not passed:
                problems.append('%s: %s %s %s is %s (passed %s)' % (where, e['value'], e['comparator'], e['limit'],
                                                                   e['status'], e['passed']))
    return checked


def check_entry(name, r, target, shape, case, courses, out_grid, rows, problems, worst, exact, skipped):
    """One dvh.json entry of a structure (at the entry's alpha/beta): see check_structures."""
    ab = r['alphaBeta']
    name_ab = '%s (alpha/beta %s)' % (name, plain(ab))
    if r['target'] != target:
        problems.append('%s: target %s, expected %s' % (name_ab, r['target'], target))
    weights = [1.0 if target else c['weight'] for c in courses]
    compare_metrics_csv(name, r, rows, problems)
    try:
        compare_statistics(name_ab, r, shape, out_grid, courses, ab, weights, case.get('statistics'), problems,
                           worst)
        if name not in exact:
            exact.append(name)
        prism = shape.prism if isinstance(shape, Box) else shape
        for key, count in (('witnessPixels', prism.witnesses), ('gapsSplit', prism.split),
                           ('planesOfOverlappingOutlines', prism.overlaps), ('planesWithXor', prism.xors)):
            if count:
                worst.setdefault(key, {})[name] = count
    except Sliver as e:
        skipped[name] = str(e)
        if isinstance(shape, Box):
            check_corner_bounds(name_ab, r, shape.lo, shape.hi, shape.contours, out_grid, courses, ab, weights,
                                problems)
    # the summary sums are the courses' statistics, weighted (CONTRACT: sum of w_i * course i's statistic)
    if len(courses) > 1:
        for statistic in [x for x in case.get('statistics', ['Dmax']) if x.startswith('D')]:
            st = r['statistics'][statistic]
            for scope, ws in (('summarySum', weights), ('summarySumUnforgiven', [1.0] * len(courses))):
                values = [st['courses'][c['label']] for c in courses]
                want = None if None in values else sum(w * v for w, v in zip(ws, values))
                if want is None and st.get(scope) is None:
                    continue
                if want is None or st.get(scope) is None or abs(st[scope] - want) > 1e-5 * len(courses):
                    problems.append('%s: %s %s is %s, the weighted courses give %s' % (
                        name_ab, statistic, scope, st.get(scope), want))


def check_corner_bounds(name_ab, r, lo, hi, contours, out_grid, courses, ab, weights, problems):
    """
    What remains checkable of a box whose samples this script cannot make (a Sliver), when it lies inside the
    grid: its volume, and Dmax and Dmin of every scope against the doses at the box's corners at every plane's
    slab ends, which the statistics sample (zero-volume samples at every contour vertex): Dmax at least the
    largest of them, Dmin at most the smallest.
    """
    first, last = index_box(out_grid, lo, hi)
    if not (np.all(first >= -0.5 - 1e-6) and np.all(last <= np.array(out_grid.shape) - 0.5 + 1e-6)):
        return  # corners beyond the grid are no samples
    volume = float(np.prod(hi - lo)) / 1000
    if abs(r['volumeCc'] - volume) > 1e-6 + 1e-6 * volume:
        problems.append('%s: volumeCc %s, the box is %.6f cc' % (name_ab, r['volumeCc'], volume))
    zs = np.linspace(lo[2], hi[2], len(contours) + 1)  # the planes' slab ends (one plane per contour)
    corners = np.array([[x, y, z] for x in (lo[0], hi[0]) for y in (lo[1], hi[1]) for z in zs]).T
    phys = physical_at(courses, corners)
    eqd2 = [D * (D / c['delivered'] + ab) / (2 + ab) for c, D in zip(courses, phys)]
    # per scope: the value at the sampled corners (CONTRACT: courses are unweighted EQD2)
    at_corners = {('planSum',): sum(w * e for w, e in zip(weights, eqd2)),
                  ('planSumUnforgiven',): sum(eqd2),
                  ('planSumPhysical',): sum(phys)}
    for c, e, D in zip(courses, eqd2, phys):
        at_corners[('courses', c['label'])] = e
        at_corners[('coursesPhysical', c['label'])] = D
    for scope, values in at_corners.items():
        tol = 1e-4 + 1e-5 * float(np.max(np.abs(values)))
        for statistic, bound, beyond in (('Dmax', float(np.max(values)), lambda v, b: v < b - tol),
                                          ('Dmin', float(np.min(values)), lambda v, b: v > b + tol)):
            v = r['statistics'][statistic]
            for key in scope:
                v = None if v is None else v.get(key)
            if v is None or beyond(v, bound):
                problems.append('%s: %s %s is %s, %s the EQD2 at a sampled corner (%.6f)' % (
                    name_ab, statistic, '.'.join(scope), v, 'below' if statistic == 'Dmax' else 'above', bound))


def compare_statistics(name, reported, shape, grid, courses, ab, weights, names, problems, worst):
    """
    Every statistic of every scope in dvh.json, and the plan sum's DVH curve, against those of the structure's
    samples (README rules), each within STATISTIC_TOL plus its float32-tie slack (Nodes).
    """
    index, volume = shape.samples(grid)
    nodes = lattice_nodes(shape, grid, courses)
    if nodes.shape[1]:
        index = np.concatenate([index, nodes], axis=1)
        volume = np.concatenate([volume, np.zeros(nodes.shape[1])])
    points = grid.origin[:, None] + grid.axes @ index
    phys = physical_at(courses, points)
    eqd2 = [D * (D / c['delivered'] + ab) / (2 + ab) for c, D in zip(courses, phys)]
    plan_sum = sum(w * e for w, e in zip(weights, eqd2))
    total = float(volume.sum())
    # the samples hold the volume inside the grid; the rest of the structure is outside it
    whole_cc = shape.volume_cc()
    for field, want_cc in (('volumeCc', total), ('volumeOutsideGridCc', whole_cc - total)):
        if abs(reported[field] - want_cc) > JSON_ROUNDING + STATISTIC_TOL * whole_cc:
            problems.append('%s: %s %s, the structure has %.6f cc %s the grid' % (
                name, field, reported[field], want_cc, 'inside' if field == 'volumeCc' else 'outside'))
    # the volume of the samples outside each course's grid (they get 0 from it), and where each maximum lies
    for c in courses:
        outside = 0.0 if 'uniform' in c else float(volume[~course_grid_holds(c, points)].sum())
        got = (reported.get('outsideCourseGridCc') or {}).get(c['label'])
        if got is None or abs(got - outside) > JSON_ROUNDING + STATISTIC_TOL * total:
            problems.append('%s: outsideCourseGridCc %s is %s, the samples outside its grid hold %.6f cc' % (
                name, c['label'], got, outside))
    locations = reported.get('maxLocationMm') or {}
    for key, dose in [('planSum', plan_sum)] + [(c['label'], D) for c, D in zip(courses, phys) if 'uniform' not in c]:
        order = np.argsort(-dose, kind='stable')
        best = points[:, order[0]]
        rivals = [q for q in order[1:] if dose[order[0]] - dose[q] <= TIE_ULPS * np.spacing(np.float32(dose[order[0]]))
                  and np.max(np.abs(points[:, q] - best)) > 1e-6]
        if rivals:
            continue  # another point holds the maximum up to float32 rounding: either may be named
        got = locations.get(key)
        if got is None or np.max(np.abs(np.asarray(got) - best)) > 1e-3:
            problems.append('%s: maxLocationMm %s is %s, the largest sample lies at %s' % (
                name, key, got, [round(float(v), 4) for v in best]))
    want = {('planSum',): statistic_values(plan_sum, volume, names),
            ('planSumUnforgiven',): statistic_values(sum(eqd2), volume, names),
            ('planSumPhysical',): statistic_values(sum(phys), volume, names)}
    for c, e, D in zip(courses, eqd2, phys):
        physical = statistic_values(D, volume, names)
        want[('coursesPhysical', c['label'])] = physical
        want[('courses', c['label'])] = statistic_values(e, volume, names) if len(courses) == 1 else \
            course_eqd2_values(physical, names, c['delivered'], ab, D, volume)
    # the plan sum's DVH curve: the volume receiving at least each bin edge, by the same nodes (Dvh's rule), from
    # 0 Gy to the first edge above the maximum
    curve = reported.get('dvh') or {}
    edges = np.asarray(curve.get('doseGy', []), dtype=np.float64)
    if curve.get('scope') != 'planSum' or curve.get('binGy') != 0.01 or len(edges) < 2:
        problems.append('%s: dvh is %s, expected the planSum curve in 0.01 Gy bins' % (name, curve.get('scope')))
    else:
        top = float(plan_sum.max())
        # the last edge is the first above the maximum (eqd2sum's float32 maximum may lie a few ulps either side)
        if np.any(np.abs(edges - 0.01 * np.arange(len(edges))) > 1e-9) \
                or not edges[-2] <= top * (1 + 1e-6) or not top * (1 - 1e-6) < edges[-1]:
            problems.append('%s: dvh edges 0 .. %s for a maximum of %.6f Gy' % (name, edges[-1], top))
        nodes = Nodes(plan_sum, volume)
        expected = np.array([nodes.volume_at(x) for x in edges])
        got = np.asarray(curve['volumeCc'])
        excess = np.maximum(np.abs(got - expected[:, 0]) - expected[:, 1] - JSON_ROUNDING, 0) / total
        b = int(np.argmax(excess))
        if excess[b] > worst.get('dvhRelative', 0.0):
            worst.update(dvhRelative=float(excess[b]), dvhStructure=name, dvhDoseGy=float(edges[b]))
        if excess[b] > STATISTIC_TOL:
            problems.append('%s: dvh volume at %.2f Gy is %s cc, the samples give %.6f (+- %.2e)' % (
                name, edges[b], got[b], expected[b, 0], expected[b, 1]))
    stats = reported['statistics']
    for scope, values in want.items():
        for statistic, (expected, slack) in values.items():
            got = stats.get(statistic)
            for key in scope:
                got = None if got is None else got.get(key)
            if expected is None or got is None:
                if expected is not got:
                    problems.append('%s: %s %s is %s, the samples give %s' % (name, statistic, '.'.join(scope), got,
                                                                             expected))
                continue
            scale = total if statistic.startswith('V') and not statistic.endswith('%') \
                else 100.0 if statistic.endswith('%') else max(abs(expected), 1.0)
            relative = max(abs(got - expected) - slack - JSON_ROUNDING, 0.0) / scale
            if relative > worst['relative']:
                worst.update(relative=relative, structure=name, statistic=statistic, scope='.'.join(scope),
                             got=got, expected=expected, slack=slack)
            if relative > STATISTIC_TOL:
                problems.append('%s: %s %s is %s, the samples give %.6f (+- %.2e)' % (
                    name, statistic, '.'.join(scope), got, expected, slack))


def main(args):
    for n in range(0, len(args), 2):
        for r in run_case(args[n], args[n + 1]):
            print(json.dumps(r))


if __name__ == '__main__':
    main(sys.argv[1:])
