package dev.triage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The eval report's definitions are scikit-learn's. */
class EvalReportTest {

    /** gold a,a,a,b,b; predicted a,a,b,b,c (c never gold). */
    private static EvalReport report() {
        EvalReport report = new EvalReport(List.of("a", "b", "c", "d"));
        report.add(0, 0);
        report.add(0, 0);
        report.add(0, 1);
        report.add(1, 1);
        report.add(1, 2);
        return report;
    }

    @Test
    void accuracyIsCorrectOverDocs() {
        assertEquals(5, report().docs());
        assertEquals(3, report().correct());
        assertEquals(0.6, report().accuracy(), 1e-12);
    }

    @Test
    void perClassCoversClassesThatOccurAsGoldOrPrediction() {
        List<EvalReport.Scores> rows = report().perClass();
        assertEquals(List.of("a", "b", "c"), rows.stream().map(EvalReport.Scores::label).toList());
        EvalReport.Scores a = rows.get(0);
        assertEquals(1.0, a.precision(), 1e-12);
        assertEquals(2.0 / 3, a.recall(), 1e-12);
        assertEquals(0.8, a.f1(), 1e-12);
        assertEquals(3, a.support());
        EvalReport.Scores c = rows.get(2);
        assertEquals(0.0, c.precision(), 0, "predicted but never right");
        assertEquals(0, c.support());
    }

    @Test
    void macroIsThePlainMeanAndWeightedWeighsBySupport() {
        EvalReport report = report();
        List<EvalReport.Scores> rows = report.perClass();
        double meanF1 = rows.stream().mapToDouble(EvalReport.Scores::f1).sum() / 3;
        assertEquals(meanF1, report.macro().f1(), 1e-12);
        double weightedF1 = (rows.get(0).f1() * 3 + rows.get(1).f1() * 2) / 5;
        assertEquals(weightedF1, report.weighted().f1(), 1e-12);
    }
}
