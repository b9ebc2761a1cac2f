package dev.eqd2sum.io.dicom;

/**
 * A parsed DICOM file: its File Meta Information (empty for a bare data set), the data set, and
 * the transfer syntax its data set was encoded with.
 *
 * @param transferSyntaxUid the UID from the meta header, or the one the encoding of a bare data
 *     set was recognised as
 */
public record DicomFile(String source, DicomObject meta, DicomObject dataset, TransferSyntax transferSyntax,
                        String transferSyntaxUid, boolean hasPart10Header, long sizeBytes) {
}
