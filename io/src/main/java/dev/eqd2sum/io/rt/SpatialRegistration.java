package dev.eqd2sum.io.rt;

import dev.eqd2sum.engine.InvalidInputException;
import dev.eqd2sum.engine.geometry.RigidTransform;
import java.util.Map;

/**
 * A rigid Spatial Registration: for each registered frame of reference, the matrix that maps
 * that frame's patient coordinates into the REG object's own frame (PS3.3 C.20.2).
 *
 * @param frameOfReferenceUid the REG object's own frame of reference
 * @param toOwnFrame per registered frame UID, the map of its coordinates into the own frame
 */
public record SpatialRegistration(String source, String sopInstanceUid, String frameOfReferenceUid,
                                  Map<String, RigidTransform> toOwnFrame) {
    public SpatialRegistration {
        toOwnFrame = Map.copyOf(toOwnFrame);
    }

    /**
     * The map of patient coordinates (mm) in frame {@code fromFrameUid} to frame {@code toFrameUid},
     * whichever of the two is the REG's own (DOMAIN.md: invert as needed). For a prior course:
     * {@code mapping(priorFrame, currentFrame)} gives prior mm -> current mm.
     */
    public RigidTransform mapping(String fromFrameUid, String toFrameUid) {
        RigidTransform from = toOwn(fromFrameUid);
        RigidTransform to = toOwn(toFrameUid);
        return to.inverse().after(from);
    }

    private RigidTransform toOwn(String frame) {
        RigidTransform t = toOwnFrame.get(frame);
        if (t != null) {
            return t;
        }
        if (frame.equals(frameOfReferenceUid)) {
            return RigidTransform.identity();
        }
        throw new InvalidInputException(source, "does not register frame of reference " + frame
                + " (it registers " + String.join(", ", new java.util.TreeSet<>(toOwnFrame.keySet()))
                + " into " + frameOfReferenceUid + ")");
    }

    public boolean registers(String frame) {
        return toOwnFrame.containsKey(frame) || frame.equals(frameOfReferenceUid);
    }
}
