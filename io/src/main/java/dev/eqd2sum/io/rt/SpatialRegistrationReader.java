package dev.eqd2sum.io.rt;

import dev.eqd2sum.engine.InvalidInputException;
import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.engine.geometry.RigidTransform;
import dev.eqd2sum.io.dicom.DicomFile;
import dev.eqd2sum.io.dicom.DicomObject;
import dev.eqd2sum.io.dicom.DicomReader;
import dev.eqd2sum.io.dicom.Tags;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a rigid Spatial Registration. Each RegistrationSequence item's matrix maps that item's
 * frame into the REG's own frame; the items of a MatrixSequence are applied in order (first item
 * first); only RIGID matrices are accepted, and they must be orthonormal within 1e-4.
 */
public final class SpatialRegistrationReader {
    private SpatialRegistrationReader() {
    }

    public static SpatialRegistration read(Path path) {
        return read(DicomReader.read(path));
    }

    public static SpatialRegistration read(byte[] data, String source) {
        return read(DicomReader.parse(data, source));
    }

    public static SpatialRegistration read(DicomFile file) {
        String sop = file.dataset().getString(Tags.SOPClassUID);
        if (SopClass.DEFORMABLE_SPATIAL_REGISTRATION.uid().equals(sop)) {
            throw new InvalidInputException(file.source(), "is a Deformable Spatial Registration; only rigid"
                    + " registrations are supported (export a rigid Spatial Registration)");
        }
        SopClass.require(file, SopClass.SPATIAL_REGISTRATION);
        DicomObject ds = file.dataset();
        String src = file.source();
        String own = ds.requireString(Tags.FrameOfReferenceUID);
        Map<String, RigidTransform> maps = new LinkedHashMap<>();
        int itemNumber = 0;
        for (DicomObject item : ds.requireSequence(Tags.RegistrationSequence)) {
            itemNumber++;
            String where = "registration " + itemNumber;
            String frame = item.getString(Tags.FrameOfReferenceUID);
            if (frame == null) {
                throw new InvalidInputException(src, where + ": FrameOfReferenceUID (0020,0052) is missing");
            }
            List<DicomObject> registrations = item.requireSequence(Tags.MatrixRegistrationSequence);
            if (registrations.size() != 1) {
                throw new InvalidInputException(src, where + ": MatrixRegistrationSequence has "
                        + registrations.size() + " items (1 expected)");
            }
            RigidTransform total = RigidTransform.identity();
            int m = 0;
            for (DicomObject matrix : registrations.get(0).requireSequence(Tags.MatrixSequence)) {
                m++;
                String type = matrix.getString(Tags.FrameOfReferenceTransformationMatrixType);
                if (!"RIGID".equals(type)) {
                    throw new InvalidInputException(src, where + ", matrix " + m
                            + ": FrameOfReferenceTransformationMatrixType is " + type
                            + "; only RIGID registrations are supported");
                }
                double[] values = matrix.getDoubles(Tags.FrameOfReferenceTransformationMatrix);
                if (values.length != 16) {
                    throw new InvalidInputException(src, where + ", matrix " + m
                            + ": FrameOfReferenceTransformationMatrix (3006,00C6) has " + values.length
                            + " values, expected 16");
                }
                for (int r = 0; r < 3; r++) {
                    if (Math.abs(values[4 * r + 3]) > GridGeometry.MAX_COORDINATE_MM) {
                        throw new InvalidInputException(src, where + ", matrix " + m + ": translates by "
                                + values[4 * r + 3] + " mm along " + "xyz".charAt(r) + ", more than "
                                + (long) GridGeometry.MAX_COORDINATE_MM + " mm");
                    }
                }
                RigidTransform t;
                try {
                    t = RigidTransform.fromMatrix4x4(values);
                } catch (IllegalArgumentException e) {
                    throw new InvalidInputException(src, where + ", matrix " + m + ": " + e.getMessage());
                }
                total = t.after(total);
            }
            if (maps.containsKey(frame)) {
                throw new InvalidInputException(src, "frame of reference " + frame + " is registered twice");
            }
            maps.put(frame, total);
        }
        RigidTransform ownMap = maps.get(own);
        if (ownMap != null && !ownMap.isIdentity(1e-4)) {
            throw new InvalidInputException(src, "maps its own frame of reference " + own
                    + " by a matrix other than identity");
        }
        return new SpatialRegistration(src, ds.requireString(Tags.SOPInstanceUID), own, maps);
    }
}
