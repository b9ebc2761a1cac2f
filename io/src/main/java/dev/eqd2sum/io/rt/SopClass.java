package dev.eqd2sum.io.rt;

import dev.eqd2sum.engine.InvalidInputException;
import dev.eqd2sum.io.dicom.DicomFile;
import dev.eqd2sum.io.dicom.Tags;

/** SOP classes eqd2sum reads or names in messages (PS3.4 B.5). */
public enum SopClass {
    RT_DOSE("1.2.840.10008.5.1.4.1.1.481.2", "an RT Dose", "RTDOSE"),
    RT_STRUCTURE_SET("1.2.840.10008.5.1.4.1.1.481.3", "an RT Structure Set", "RTSTRUCT"),
    RT_PLAN("1.2.840.10008.5.1.4.1.1.481.5", "an RT Plan", "RTPLAN"),
    RT_ION_PLAN("1.2.840.10008.5.1.4.1.1.481.8", "an RT Ion Plan", "RTPLAN"),
    SPATIAL_REGISTRATION("1.2.840.10008.5.1.4.1.1.66.1", "a Spatial Registration", "REG"),
    DEFORMABLE_SPATIAL_REGISTRATION("1.2.840.10008.5.1.4.1.1.66.3", "a Deformable Spatial Registration", "REG"),
    RT_IMAGE("1.2.840.10008.5.1.4.1.1.481.1", "an RT Image", "RTIMAGE"),
    RT_BEAMS_TREATMENT_RECORD("1.2.840.10008.5.1.4.1.1.481.4", "an RT Beams Treatment Record", "RTRECORD"),
    CT_IMAGE("1.2.840.10008.5.1.4.1.1.2", "a CT Image", "CT"),
    ENHANCED_CT_IMAGE("1.2.840.10008.5.1.4.1.1.2.1", "an Enhanced CT Image", "CT"),
    MR_IMAGE("1.2.840.10008.5.1.4.1.1.4", "an MR Image", "MR"),
    ENHANCED_MR_IMAGE("1.2.840.10008.5.1.4.1.1.4.1", "an Enhanced MR Image", "MR"),
    PET_IMAGE("1.2.840.10008.5.1.4.1.1.128", "a PET Image", "PT"),
    SECONDARY_CAPTURE("1.2.840.10008.5.1.4.1.1.7", "a Secondary Capture Image", "OT");

    private final String uid;
    private final String article;
    private final String modality;

    SopClass(String uid, String withArticle, String modality) {
        this.uid = uid;
        this.article = withArticle;
        this.modality = modality;
    }

    public String uid() {
        return uid;
    }

    /** "an RT Dose" */
    public String withArticle() {
        return article;
    }

    /** "RT Dose" */
    public String title() {
        return article.substring(article.indexOf(' ') + 1);
    }

    public String modality() {
        return modality;
    }

    public static SopClass forUid(String uid) {
        for (SopClass c : values()) {
            if (c.uid.equals(uid)) {
                return c;
            }
        }
        return null;
    }

    /** A readable name for any SOP class UID. */
    public static String describe(String uid) {
        SopClass c = uid == null ? null : forUid(uid);
        return c != null ? c.withArticle() : "a DICOM object of SOP class " + uid;
    }

    /**
     * Checks that a file is the object its role needs:
     * {@code RS.dcm is an RT Structure Set, not an RT Dose}.
     */
    public static void require(DicomFile file, SopClass expected) {
        String uid = file.dataset().getString(Tags.SOPClassUID);
        if (uid == null) {
            uid = file.meta().getString(Tags.MediaStorageSOPClassUID);
        }
        if (uid == null) {
            throw new InvalidInputException(file.source(), "SOPClassUID (0008,0016) is missing; expected "
                    + expected.withArticle());
        }
        if (!uid.equals(expected.uid)) {
            throw new InvalidInputException(file.source(), "is " + describe(uid) + ", not " + expected.withArticle());
        }
    }
}
