package dev.eqd2sum.io.rt;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.UUID;

/** New UIDs under the {@code 2.25.} root: a random UUID as a decimal integer (PS3.5 B.2). */
public final class Uids {
    /** Our implementation class UID (also under 2.25., derived from a fixed UUID). */
    public static final String IMPLEMENTATION_CLASS_UID = "2.25." + toDecimal(UUID.fromString("5c1f7e0e-3c55-4f3e-9c1a-0e9d2f3a7b41"));
    public static final String IMPLEMENTATION_VERSION_NAME = "EQD2SUM_0_1";

    private Uids() {
    }

    public static String newUid() {
        return "2.25." + toDecimal(UUID.randomUUID());
    }

    private static String toDecimal(UUID u) {
        byte[] b = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits()).array();
        return new BigInteger(1, b).toString();
    }
}
