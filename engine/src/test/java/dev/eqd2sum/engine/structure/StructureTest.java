package dev.eqd2sum.engine.structure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The contour area that orders structures by size (the largest one's statistics run last). */
class StructureTest {
    @Test
    void closedContoursAddTheirAreasWhicheverWayTheyAreDrawn() {
        Structure s = Contours.structure("Box", List.of(
                Contours.rectangle(0, 0, 10, 20, 0),
                Contours.circle(50, 50, 10, 2, 400, true),
                Contours.circle(50, 50, 10, 4, 400, false)));
        assertThat(s.closedContourAreaMm2()).isCloseTo(200 + 2 * Contours.circleArea(10, 400), within(1e-9));
    }

    @Test
    void pointsAndOpenContoursHaveNoArea() {
        Structure s = Contours.structure("Marks", List.of(
                Contours.rectangle(0, 0, 10, 20, 0, ContourType.OPEN_PLANAR),
                Contours.rectangle(0, 0, 10, 20, 2, ContourType.POINT),
                Contours.rectangle(0, 0, 1, 1, 4, ContourType.CLOSEDPLANAR_XOR)));
        assertThat(s.closedContourAreaMm2()).isCloseTo(1.0, within(1e-12));
        assertThat(Contours.structure("Empty", List.of()).closedContourAreaMm2()).isZero();
    }
}
