package dev.triage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.triage.scoring.CalibrationFit;

/** calibrate's catch-all threshold: the likelihood's 50 % point, or with --prior the expected-F1 cut at that rate. */
class CalibrationReportTest {

    static final double[] ON = { 0.21, 0.25, 0.28, 0.30, 0.33, 0.36, 0.26, 0.31 };
    static final double[] OFF = { 0.02, 0.05, 0.08, 0.11, 0.14, 0.17, 0.10, 0.07 };

    static List<CalibrateCommand.Example> examples() {
        List<CalibrateCommand.Example> examples = new ArrayList<>();
        for (double s : ON) {
            examples.add(new CalibrateCommand.Example(null, "motorcycles", new double[] { s }, 0));
        }
        for (double s : OFF) {
            examples.add(new CalibrateCommand.Example(null, "rest", new double[] { s }, -1));
        }
        return examples;
    }

    @Test
    void aStatedPriorFitsTheExpectedF1CutAndARareLabelGetsAHigherOne() {
        double rare = CalibrationReport.fit(examples(), 1, true, false, 0.05, 0.05).threshold();
        assertEquals(CalibrationFit.expectedF1Threshold(ON, OFF, 0.05), rare, 1e-12);
        double balanced = CalibrationReport.fit(examples(), 1, true, false, 0.05, 0.5).threshold();
        assertTrue(rare > balanced, rare + " vs " + balanced);
    }

    @Test
    void withoutAPriorTheThresholdIsTheLikelihoodsAndAPriorNeedsTwoOfEach() {
        boolean[] present = new boolean[16];
        double[] all = new double[16];
        for (int i = 0; i < 8; i++) {
            present[i] = true;
            all[i] = ON[i];
            all[8 + i] = OFF[i];
        }
        assertEquals(CalibrationFit.threshold(all, present, 0.05),
                CalibrationReport.fit(examples(), 1, true, false, 0.05, Double.NaN).threshold(), 1e-12);
        List<CalibrateCommand.Example> onePositive = new ArrayList<>(examples().subList(7, 16));
        assertThrows(CliException.class, () -> CalibrationReport.fit(onePositive, 1, true, false, 0.05, 0.05));
    }
}
