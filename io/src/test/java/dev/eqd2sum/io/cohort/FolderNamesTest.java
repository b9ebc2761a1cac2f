package dev.eqd2sum.io.cohort;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FolderNamesTest {
    @Test
    void validCaseIdsAreKeptAsTheyAre() {
        assertThat(FolderNames.sanitise("pt017-T1")).isEqualTo("pt017-T1");
        assertThat(FolderNames.sanitise("a.b_c")).isEqualTo("a.b_c");
    }

    @Test
    void unsafeCharactersHiddenNamesAndDeviceNamesAreDefused() {
        assertThat(FolderNames.sanitise("pt 017/T1")).isEqualTo("pt_017_T1");
        assertThat(FolderNames.sanitise("..")).isEqualTo("_._");
        assertThat(FolderNames.sanitise(".hidden")).isEqualTo("_.hidden");
        assertThat(FolderNames.sanitise("NUL")).isEqualTo("_NUL");
        assertThat(FolderNames.sanitise("con.txt")).isEqualTo("_con.txt");
        assertThat(FolderNames.sanitise("Müller")).isEqualTo("M_ller");
        assertThat(FolderNames.sanitise("")).isEqualTo("_");
    }

    @Test
    void longCaseIdsStayDistinct() {
        String a = "x".repeat(150) + "a";
        String b = "x".repeat(150) + "b";
        assertThat(FolderNames.sanitise(a)).hasSize(FolderNames.MAX_LENGTH).isNotEqualTo(FolderNames.sanitise(b));
    }

    @Property(tries = 500)
    void everyFolderNameIsSafe(@ForAll @StringLength(max = 300) String caseId) {
        String f = FolderNames.sanitise(caseId);
        assertThat(f).matches("[A-Za-z0-9_-][A-Za-z0-9._-]*").hasSizeLessThanOrEqualTo(FolderNames.MAX_LENGTH);
        assertThat(f).doesNotEndWith(".");
    }
}
