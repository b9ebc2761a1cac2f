// The eqd2sum kernels in OpenCL C: the same arithmetic as VectorDoseKernels (float doses,
// cells located in double where the device has it), one work-item per voxel or point.

#ifdef cl_khr_fp64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
typedef double coord_t;
#else
typedef float coord_t;
#endif

// No contraction into fma: cell coordinates must match ScalarDoseKernels bit for bit.
#pragma OPENCL FP_CONTRACT OFF

#define EDGE_TOLERANCE 1e-3

// Conversion of one course (see VoxelConversion): flags bit 0 = alpha/beta map, bit 1 = target mask.
// Uniform: e = d * (a*d + b) with a = s^2/(n(2+ab)), b = s*ab/(2+ab). Map: D = s*d, e = D*(D/n + ab)/(ab + 2).
inline void accumulate(float d, int v, __global float *acc, __global const float *abMap,
                       __global const uchar *target, int flags, float a, float b, float scale,
                       float invN, float weight) {
    float e;
    if (flags & 1) {
        float dGy = d * scale;
        float ab = abMap[v];
        e = fma(dGy, invN, ab) * dGy / (ab + 2.0f);
    } else {
        e = fma(d, a, b) * d;
    }
    float w = ((flags & 2) && target[v] != 0) ? 1.0f : weight;
    acc[v] = fma(e, w, acc[v]);
}

inline int cellOf(coord_t c, int n) {
    if (n == 1) {
        return 0;
    }
    int i = (int) floor(c);
    return max(0, min(n - 2, i));
}

inline float fracOf(coord_t c, int c0, int n) {
    if (n == 1) {
        return 0.0f;
    }
    coord_t f = c - (coord_t) c0;
    return (float) fmax((coord_t) 0, fmin((coord_t) 1, f));
}

// Trilinear interpolation at continuous source index (x, y, z); 0 outside the grid.
inline float trilinear(__global const float *src, int nx, int ny, int nz, coord_t x, coord_t y, coord_t z) {
    if (!(x >= -EDGE_TOLERANCE && x <= nx - 1 + EDGE_TOLERANCE
          && y >= -EDGE_TOLERANCE && y <= ny - 1 + EDGE_TOLERANCE
          && z >= -EDGE_TOLERANCE && z <= nz - 1 + EDGE_TOLERANCE)) {
        return 0.0f;
    }
    int x0 = cellOf(x, nx);
    int y0 = cellOf(y, ny);
    int z0 = cellOf(z, nz);
    float fx = fracOf(x, x0, nx);
    float fy = fracOf(y, y0, ny);
    float fz = fracOf(z, z0, nz);
    int dx = nx > 1 ? 1 : 0;
    int dy = ny > 1 ? nx : 0;
    int dz = nz > 1 ? nx * ny : 0;
    int b = x0 + y0 * nx + z0 * nx * ny;
    float c00 = fma(src[b + dx] - src[b], fx, src[b]);
    float c10 = fma(src[b + dy + dx] - src[b + dy], fx, src[b + dy]);
    float c01 = fma(src[b + dz + dx] - src[b + dz], fx, src[b + dz]);
    float c11 = fma(src[b + dz + dy + dx] - src[b + dz + dy], fx, src[b + dz + dy]);
    float c0 = fma(c10 - c00, fy, c00);
    float c1 = fma(c11 - c01, fy, c01);
    return fma(c1 - c0, fz, c0);
}

__kernel void eqd2_accumulate(__global const float *dose, __global float *acc, __global const float *abMap,
                              __global const uchar *target, int flags, float a, float b, float scale,
                              float invN, float weight, int count) {
    int v = get_global_id(0);
    if (v < count) {
        accumulate(dose[v], v, acc, abMap, target, flags, a, b, scale, invN, weight);
    }
}

// Axis-aligned map: per-axis cells and fractions come from the host (tables laid out x, then y, then z);
// only voxels inside [first, end) on every axis receive dose. acc, abMap and target start at slice kFrom.
__kernel void resample_separable(__global const float *src, __global float *acc, __global const float *abMap,
                                 __global const uchar *target, __global const int *cells,
                                 __global const float *fracs, int nx, int ny, int kFrom, int slices,
                                 int xFirst, int xEnd, int yFirst, int yEnd, int zFirst, int zEnd,
                                 int snx, int dx, int dyRow, int dzPlane, int sPlane,
                                 int flags, float a, float b, float scale, float invN, float weight) {
    // A 3-D range (nx, ny, slices): no division per work-item.
    int i = get_global_id(0);
    int j = get_global_id(1);
    int k = get_global_id(2) + kFrom;
    int v = i + nx * (j + ny * (int) get_global_id(2));
    if (i < xFirst || i >= xEnd || j < yFirst || j >= yEnd || k < zFirst || k >= zEnd) {
        return;
    }
    int x0 = cells[i];
    float fx = fracs[i];
    float fy = fracs[nx + j];
    float fz = fracs[nx + ny + k];
    int r = cells[nx + ny + k] * sPlane + cells[nx + j] * snx + x0;
    float c00 = fma(src[r + dx] - src[r], fx, src[r]);
    float c10 = fma(src[r + dyRow + dx] - src[r + dyRow], fx, src[r + dyRow]);
    float c01 = fma(src[r + dzPlane + dx] - src[r + dzPlane], fx, src[r + dzPlane]);
    float c11 = fma(src[r + dzPlane + dyRow + dx] - src[r + dzPlane + dyRow], fx, src[r + dzPlane + dyRow]);
    float c0 = fma(c10 - c00, fy, c00);
    float c1 = fma(c11 - c01, fy, c01);
    float d = fma(c1 - c0, fz, c0);
    accumulate(d, v, acc, abMap, target, flags, a, b, scale, invN, weight);
}

// Any affine map m (row-major 3x4, output index -> source index), evaluated as ScalarDoseKernels does.
__kernel void resample_general(__global const float *src, __global float *acc, __global const float *abMap,
                               __global const uchar *target, __global const coord_t *m, int nx, int ny,
                               int kFrom, int slices, int snx, int sny, int snz,
                               int flags, float a, float b, float scale, float invN, float weight) {
    int v = get_global_id(0) + nx * (get_global_id(1) + ny * (int) get_global_id(2));
    coord_t i = (coord_t) get_global_id(0);
    coord_t j = (coord_t) get_global_id(1);
    coord_t k = (coord_t) (get_global_id(2) + kFrom);
    coord_t x = (m[1] * j + m[2] * k + m[3]) + m[0] * i;
    coord_t y = (m[5] * j + m[6] * k + m[7]) + m[4] * i;
    coord_t z = (m[9] * j + m[10] * k + m[11]) + m[8] * i;
    float d = trilinear(src, snx, sny, snz, x, y, z);
    if (d != 0.0f) {
        accumulate(d, v, acc, abMap, target, flags, a, b, scale, invN, weight);
    }
}

__kernel void gather(__global const float *src, __global const coord_t *m, __global const float *pi,
                     __global const float *pj, __global const float *pk, __global float *out, int count,
                     float scale, int snx, int sny, int snz) {
    int s = get_global_id(0);
    if (s >= count) {
        return;
    }
    coord_t i = (coord_t) pi[s];
    coord_t j = (coord_t) pj[s];
    coord_t k = (coord_t) pk[s];
    coord_t x = m[0] * i + m[1] * j + m[2] * k + m[3];
    coord_t y = m[4] * i + m[5] * j + m[6] * k + m[7];
    coord_t z = m[8] * i + m[9] * j + m[10] * k + m[11];
    out[s] = scale * trilinear(src, snx, sny, snz, x, y, z);
}
