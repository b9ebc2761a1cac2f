# Writes RT Dose files with pydicom (an independent DICOM implementation) for the reader tests.
# argv: output dir, then case specs "name:ts:bits:signed:orient:offsets" where
#   ts in {ile, ele, dle, ebe}, bits in {16, 32}, signed in {0, 1},
#   orient in {hfs, ffs, hfp}, offsets in {rel, abs, desc}
# Voxel (i, j, k) holds stored value 1 + 3i + 5j + 7k; DoseGridScaling 0.0025.
import sys, numpy as np
from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
from pydicom.uid import (ImplicitVRLittleEndian, ExplicitVRLittleEndian, DeflatedExplicitVRLittleEndian,
                         ExplicitVRBigEndian)
out = sys.argv[1]
TS = {'ile': ImplicitVRLittleEndian, 'ele': ExplicitVRLittleEndian, 'dle': DeflatedExplicitVRLittleEndian,
      'ebe': ExplicitVRBigEndian}
ORIENT = {'hfs': [1, 0, 0, 0, 1, 0], 'ffs': [-1, 0, 0, 0, 1, 0], 'hfp': [-1, 0, 0, 0, -1, 0]}
NX, NY, NZ = 7, 5, 4
for spec in sys.argv[2:]:
    name, ts, bits, signed, orient, offs = spec.split(':')
    bits, signed = int(bits), int(signed)
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = '1.2.840.10008.5.1.4.1.1.481.2'
    meta.MediaStorageSOPInstanceUID = '1.2.3.4.' + str(abs(hash(name)) % 100000)
    meta.TransferSyntaxUID = TS[ts]
    ds = FileDataset(name, {}, file_meta=meta, preamble=b'\0' * 128)
    ds.SpecificCharacterSet = 'ISO_IR 192'
    ds.SOPClassUID = meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.Modality = 'RTDOSE'
    ds.PatientName = 'Müller^Jürgen'
    ds.PatientID = 'pt017'
    ds.StudyInstanceUID = '1.2.3.9'
    ds.SeriesInstanceUID = '1.2.3.9.1'
    ds.FrameOfReferenceUID = '1.2.3.7'
    ds.ImagePositionPatient = [-12.5, 30.25, -100.0]
    ds.ImageOrientationPatient = ORIENT[orient]
    ds.PixelSpacing = [2.5, 2.0]   # between rows, between columns
    ds.Rows, ds.Columns, ds.NumberOfFrames = NY, NX, NZ
    ds.FrameIncrementPointer = 0x3004000C
    if offs == 'rel':
        ds.GridFrameOffsetVector = [0, 3.0, 6.0, 9.0]
    elif offs == 'desc':
        ds.GridFrameOffsetVector = [0, -3.0, -6.0, -9.0]
    else:
        ds.GridFrameOffsetVector = [-100.0, -97.0, -94.0, -91.0]
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = 'MONOCHROME2'
    ds.BitsAllocated = bits; ds.BitsStored = bits; ds.HighBit = bits - 1
    ds.PixelRepresentation = signed
    ds.DoseUnits = 'GY'; ds.DoseType = 'PHYSICAL'; ds.DoseSummationType = 'PLAN'
    ds.DoseGridScaling = '0.0025'
    ref = Dataset(); ref.ReferencedSOPClassUID = '1.2.840.10008.5.1.4.1.1.481.5'; ref.ReferencedSOPInstanceUID = '1.2.3.5'
    ds.ReferencedRTPlanSequence = [ref]
    k, j, i = np.meshgrid(np.arange(NZ), np.arange(NY), np.arange(NX), indexing='ij')
    values = 1 + 3 * i + 5 * j + 7 * k
    dtype = {(16, 0): 'u2', (16, 1): 'i2', (32, 0): 'u4', (32, 1): 'i4'}[(bits, signed)]
    arr = values.astype(('>' if ts == 'ebe' else '<') + dtype)
    ds.PixelData = arr.tobytes()
    ds['PixelData'].VR = 'OW'
    ds.is_little_endian = ts != 'ebe'
    ds.is_implicit_VR = ts == 'ile'
    ds.save_as(out + '/' + name + '.dcm', write_like_original=False)
