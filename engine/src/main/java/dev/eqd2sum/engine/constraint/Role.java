package dev.eqd2sum.engine.constraint;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An anatomical role a constraint refers to, independent of what a clinic named the structure.
 * Each role has its case-file key and the names it is found by when the case does not map it:
 * the AAPM TG-263 name first, then common aliases (CONTRACT, "Structure names").
 */
public enum Role {
    CORD("cord", "SpinalCord", List.of("SpinalCord", "Spinal Cord", "Spinal_Cord", "Cord")),
    THECAL_SAC("thecalSac", "ThecalSac", List.of("ThecalSac", "Thecal Sac", "Thecal_Sac")),
    CAUDA_EQUINA("caudaEquina", "CaudaEquina", List.of("CaudaEquina", "Cauda Equina", "Cauda_Equina", "Cauda")),
    BRACHIAL_PLEXUS_L("brachialPlexusL", "BrachialPlex_L",
            List.of("BrachialPlex_L", "BrachialPlexus_L", "Brachial Plexus L", "Brachial_Plexus_L", "Lt Brachial Plexus")),
    BRACHIAL_PLEXUS_R("brachialPlexusR", "BrachialPlex_R",
            List.of("BrachialPlex_R", "BrachialPlexus_R", "Brachial Plexus R", "Brachial_Plexus_R", "Rt Brachial Plexus")),
    PTV_HIGH("ptvHigh", "PTV_High", List.of("PTV_High", "PTV High", "PTVHigh")),
    PTV_LOW("ptvLow", "PTV_Low", List.of("PTV_Low", "PTV Low", "PTVLow"));

    private final String key;
    private final String tg263Name;
    private final List<String> names;

    Role(String key, String tg263Name, List<String> names) {
        this.key = key;
        this.tg263Name = tg263Name;
        this.names = names;
    }

    /** The key used in the case file's {@code roles} object and in constraint files. */
    public String key() {
        return key;
    }

    public String tg263Name() {
        return tg263Name;
    }

    /** Words for messages: "thecal sac", "cord", "PTV_High". */
    public String words() {
        return switch (this) {
            case CORD -> "spinal cord";
            case THECAL_SAC -> "thecal sac";
            case CAUDA_EQUINA -> "cauda equina";
            case BRACHIAL_PLEXUS_L -> "left brachial plexus";
            case BRACHIAL_PLEXUS_R -> "right brachial plexus";
            case PTV_HIGH -> "high-dose PTV";
            case PTV_LOW -> "low-dose PTV";
        };
    }

    public static Optional<Role> fromKey(String key) {
        for (Role r : values()) {
            if (r.key.equals(key)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    public static String keysForMessage() {
        StringBuilder sb = new StringBuilder();
        for (Role r : values()) {
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            sb.append(r.key);
        }
        return sb.toString();
    }

    /**
     * The structure that plays this role among {@code structureNames}, by TG-263 name or alias
     * (case-insensitive, trimmed); the earliest alias wins when several structures match.
     */
    public Optional<String> findIn(List<String> structureNames) {
        for (String alias : names) {
            for (String s : structureNames) {
                if (s != null && s.trim().toLowerCase(Locale.ROOT).equals(alias.toLowerCase(Locale.ROOT))) {
                    return Optional.of(s.trim());
                }
            }
        }
        return Optional.empty();
    }
}
