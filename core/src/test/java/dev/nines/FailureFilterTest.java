package dev.nines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.FailureFilter.Verdict;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class FailureFilterTest {

    @Test
    void exceptionsCountsEveryExceptionAndNoErrorAndNoResult() {
        FailureFilter f = FailureFilter.exceptions();
        assertEquals(Verdict.FAILURE, f.judge(new IOException()));
        assertEquals(Verdict.FAILURE, f.judge(new IllegalStateException()));
        assertEquals(Verdict.SUCCESS, f.judge(new AssertionError()));
        assertEquals(Verdict.SUCCESS, f.judgeResult(null));
        assertFalse(f.judgesResults());
    }

    @Test
    void onCountsOnlyTheListedTypesAndTheirSubtypes() {
        FailureFilter f = FailureFilter.on(IOException.class);
        assertEquals(Verdict.FAILURE, f.judge(new FileNotFoundException()));
        assertEquals(Verdict.SUCCESS, f.judge(new IllegalStateException()));
        assertEquals(Verdict.FAILURE, f.or(IllegalStateException.class).judge(new IllegalStateException()));
        assertEquals(Verdict.FAILURE, FailureFilter.on(Throwable.class).judge(new AssertionError()));
    }

    @Test
    void ignoringIsCheckedBeforeFailures() {
        FailureFilter f = FailureFilter.on(IOException.class).ignoring(FileNotFoundException.class);
        assertEquals(Verdict.IGNORED, f.judge(new FileNotFoundException()));
        assertEquals(Verdict.FAILURE, f.judge(new IOException()));
        FailureFilter byPredicate = FailureFilter.exceptions().ignoringIf(t -> t.getMessage() != null);
        assertEquals(Verdict.IGNORED, byPredicate.judge(new IOException("miss")));
        assertEquals(Verdict.FAILURE, byPredicate.judge(new IOException()));
    }

    @Test
    void predicatesAddToTypesAndToEachOther() {
        FailureFilter f = FailureFilter.onlyIf(t -> "a".equals(t.getMessage())).orIf(t -> "b".equals(t.getMessage()));
        assertEquals(Verdict.FAILURE, f.judge(new RuntimeException("a")));
        assertEquals(Verdict.FAILURE, f.judge(new RuntimeException("b")));
        assertEquals(Verdict.SUCCESS, f.judge(new RuntimeException("c")));
        FailureFilter ignored = FailureFilter.exceptions().ignoringIf(t -> "a".equals(t.getMessage()))
                .ignoringIf(t -> "b".equals(t.getMessage()));
        assertEquals(Verdict.IGNORED, ignored.judge(new RuntimeException("a")));
        assertEquals(Verdict.IGNORED, ignored.judge(new RuntimeException("b")));
        assertEquals(Verdict.FAILURE, ignored.judge(new RuntimeException("c")));
    }

    @Test
    void resultsAreJudgedByTheirPredicatesIgnoreFirst() {
        FailureFilter f = FailureFilter.none().failingResults(r -> r instanceof Integer i && i >= 500)
                .ignoringResults(r -> Integer.valueOf(503).equals(r));
        assertTrue(f.judgesResults());
        assertEquals(Verdict.FAILURE, f.judgeResult(500));
        assertEquals(Verdict.IGNORED, f.judgeResult(503));
        assertEquals(Verdict.SUCCESS, f.judgeResult(200));
        assertEquals(Verdict.SUCCESS, f.judgeResult(null));
        assertEquals(Verdict.SUCCESS, f.judge(new IOException()));
    }

    @Test
    void wrappersAreJudgedByTheirCause() {
        FailureFilter f = FailureFilter.on(IOException.class);
        assertEquals(Verdict.FAILURE, f.judge(new CompletionException(new IOException())));
        assertEquals(Verdict.FAILURE, f.judge(new ExecutionException(new IOException())));
        assertEquals(Verdict.SUCCESS, f.judge(new CompletionException(new TimeoutException())));
    }

    @Test
    void aThrowingPredicateCountsAsAFailureAndDoesNotEscape() {
        FailureFilter f = FailureFilter.onlyIf(t -> {
            throw new AssertionError("predicate bug");
        }).failingResults(r -> {
            throw new IllegalStateException("result predicate bug");
        });
        assertEquals(Verdict.FAILURE, f.judge(new IOException()));
        assertEquals(Verdict.FAILURE, f.judgeResult("x"));
    }

    @Test
    void aVirtualMachineErrorInAPredicateEscapes() {
        FailureFilter f = FailureFilter.onlyIf(t -> {
            throw new StackOverflowError();
        });
        assertThrows(StackOverflowError.class, () -> f.judge(new IOException()));
    }

    @Test
    void everyMethodReturnsANewFilterAndLeavesThisOneAlone() {
        FailureFilter base = FailureFilter.on(IOException.class);
        FailureFilter more = base.ignoring(FileNotFoundException.class);
        assertNotSame(base, more);
        assertEquals(Verdict.FAILURE, base.judge(new FileNotFoundException()));
        assertTrue(base.failingResults(r -> true).judgesResults());
        assertFalse(base.judgesResults());
    }

    @Test
    @SuppressWarnings("unchecked")
    void badArgumentsFailAtOnceNamingTheMethod() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FailureFilter.on()).getMessage()
                .contains("none()"));
        assertEquals("on element", assertThrows(NullPointerException.class,
                () -> FailureFilter.on(IOException.class, null)).getMessage());
        assertEquals("ignoring", assertThrows(NullPointerException.class,
                () -> FailureFilter.exceptions().ignoring((Class<? extends Throwable>[]) null)).getMessage());
        assertEquals("failingResults", assertThrows(NullPointerException.class,
                () -> FailureFilter.exceptions().failingResults(null)).getMessage());
    }

    @Test
    void toStringSaysWhatCounts() {
        assertEquals("FailureFilter[on=[IOException], ignoring=[FileNotFoundException]]",
                FailureFilter.on(IOException.class).ignoring(FileNotFoundException.class).toString());
    }
}
