package dev.triage.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.triage.model.Vectors;

/** The catch-all's reference as pure functions of vectors. */
class BackgroundTest {

    @Test
    void theCentreIsThePlainMeanOfTheBackgroundVectors() {
        double[] centre = Background.centre(List.of(new float[] { 1, 0, 0 }, new float[] { 0, 1, 0 },
                new float[] { 0, 0, 1 }, new float[] { 1, 1, 0 }));
        assertArrayEquals(new double[] { 0.5, 0.5, 0.25 }, centre, 1e-9);
    }

    @Test
    void aDirectionIsTheLabelAwayFromTheCentreAtUnitLength() {
        float[] direction = Background.direction(new float[] { 0.6f, 0.8f, 0 }, new double[] { 0.6, 0.4, 0.3 });
        assertArrayEquals(new float[] { 0, 0.8f, -0.6f }, direction, 1e-6f);
        assertArrayEquals(new float[3], Background.direction(new float[] { 1, 0, 0 }, new double[] { 1, 0, 0 }),
                "a label at the centre has no direction");
    }

    /**
     * What every templated sentence shares (the template, the look of a sentence) is in the centre too and cancels:
     * adding one vector to the label and to every background hypothesis leaves the direction as it was.
     */
    @Test
    void whatLabelAndBackgroundShareCancels() {
        Random random = new Random(17);
        float[] shared = randomVector(random, 16);
        float[] label = randomVector(random, 16);
        List<float[]> background = new ArrayList<>();
        List<float[]> shifted = new ArrayList<>();
        for (int i = 0; i < 29; i++) {
            float[] topic = randomVector(random, 16);
            background.add(topic);
            shifted.add(plus(topic, shared));
        }
        assertArrayEquals(Background.direction(label, Background.centre(background)),
                Background.direction(plus(label, shared), Background.centre(shifted)), 1e-5f);
    }

    /**
     * A text that resembles every hypothesis (a content-free sentence) has a high cosine with the label but no
     * strength along its direction; a text about the label keeps its strength.
     */
    @Test
    void aTextLikeEveryHypothesisHasNoStrength() {
        Random random = new Random(3);
        float[] shared = randomVector(random, 32);
        List<float[]> background = new ArrayList<>();
        for (int i = 0; i < 29; i++) {
            background.add(unit(plus(shared, scaled(randomVector(random, 32), 0.5f))));
        }
        float[] own = randomVector(random, 32);
        float[] label = unit(plus(shared, scaled(own, 0.5f)));
        float[] direction = Background.direction(label, Background.centre(background));
        float[] generic = unit(shared);
        float[] onTopic = unit(plus(generic, own));
        assertTrue(Vectors.dot(generic, label) > 0.8, "the plain cosine cannot tell");
        assertTrue(Math.abs(Vectors.dot(generic, direction)) < 0.25, "generic: " + Vectors.dot(generic, direction));
        assertTrue(Vectors.dot(onTopic, direction) > 0.5, "on topic: " + Vectors.dot(onTopic, direction));
    }

    @Test
    void aFewShotDirectionIsTheNamesPlusHalfTheExamples() {
        double[] centre = { 0.5, 0.5, 0 };
        float[] named = { 1, 0, 0 };
        float[] examples = { 0, 0, 1 };
        assertArrayEquals(Background.direction(named, centre), Background.direction(named, null, centre, centre), 1e-7f,
                "no examples: the name's direction");
        float[] expected = plusHalf(Background.direction(named, centre), Background.direction(examples, centre));
        assertArrayEquals(expected, Background.direction(named, examples, centre, centre), 1e-6f);
    }

    /** {@code normalise(own + 0.5 fromExamples)}. */
    private static float[] plusHalf(float[] own, float[] fromExamples) {
        float[] sum = new float[own.length];
        double norm = 0;
        for (int i = 0; i < own.length; i++) {
            sum[i] = own[i] + 0.5f * fromExamples[i];
            norm += sum[i] * sum[i];
        }
        for (int i = 0; i < own.length; i++) {
            sum[i] /= (float) Math.sqrt(norm);
        }
        return sum;
    }

    @Test
    void theCatchAllsExamplesSetTheCentreOfTheExamplesDirectionOnly() {
        double[] centre = { 0.5, 0.5, 0 };
        double[] noneCentre = { 0, 0.5, 0.5 };
        float[] named = { 1, 0, 0 };
        float[] examples = { 0, 0.6f, 0.8f };
        float[] own = Background.direction(named, centre);
        float[] expected = plusHalf(own, Background.direction(examples, noneCentre));
        assertArrayEquals(expected, Background.direction(named, examples, centre, noneCentre), 1e-6f);
        assertArrayEquals(own, Background.direction(named, null, centre, noneCentre), 1e-7f,
                "a label without examples keeps the name's direction");
        float[][] directions = LabelVector.directions(List.of(new LabelVector(named, examples)),
                List.of(new float[] { 1, 0, 0 }, new float[] { 0, 1, 0 }), List.of(new float[] { 0, 1, 0 },
                        new float[] { 0, 0, 1 }));
        assertArrayEquals(expected, directions[0], 1e-6f, "the catch-all's examples' mean is the centre");
    }

    @Test
    void fewShotLabelsAreLoweredByTheOffsetAndOthersAreNot() {
        assertEquals(0.04, Background.FEW_SHOT_OFFSET, 1e-12);
        assertEquals(0.04, new LabelVector(new float[] { 1, 0 }, new float[] { 0, 1 }).offset(), 1e-12);
        assertEquals(0.0, new LabelVector(new float[] { 1, 0 }, null).offset(), 1e-12);
    }

    @Test
    void theListIsVersionedAndHoldsDistinctTopics() {
        assertEquals("general-topics-1", Background.VERSION);
        assertEquals(Background.TOPICS.size(), Background.TOPICS.stream().distinct().count());
        assertEquals(29, Background.TOPICS.size());
    }

    /**
     * The direction cosine does not depend on where an encoder's cosines sit: the F1-best cut on the 20NG train
     * sample was 0.195-0.204 for each embedded model (deploy/ACCURACY.md), so each, and a model directory, gets 0.20.
     */
    @Test
    void everyModelGetsTheMeasuredThreshold() {
        assertEquals(0.20, Background.THRESHOLD, 1e-12);
    }

    private static float[] randomVector(Random random, int dimensions) {
        float[] v = new float[dimensions];
        for (int i = 0; i < dimensions; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return unit(v);
    }

    private static float[] unit(float[] v) {
        double norm = Math.sqrt(Vectors.dot(v, v));
        return scaled(v, (float) (1 / norm));
    }

    private static float[] scaled(float[] v, float factor) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * factor;
        }
        return out;
    }

    private static float[] plus(float[] a, float[] b) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] + b[i];
        }
        return out;
    }
}
