package dev.nines.spring.boot.autoconfigure.web.internal;

import org.springframework.beans.ConversionNotSupportedException;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.BindException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;

/**
 * Tells a handler exception that is the client's doing from one that is the endpoint failing, by
 * what the exception itself states: Spring's {@link ErrorResponse} exceptions (a missing parameter,
 * a body that does not convert, a {@code ResponseStatusException}) carry their status, the older
 * ones that {@code DefaultHandlerExceptionResolver} answers with 400 are known by type
 * ({@link TypeMismatchException}, {@link HttpMessageNotReadableException}, {@link BindException}),
 * an exception type can declare its status with {@link ResponseStatus}, and
 * {@link AsyncRequestNotUsableException} says the client went away. Nothing is guessed from a type's name. Stateless and thread-safe.
 */
final class ClientErrors {

    private ClientErrors() {
    }

    /** Whether {@code e} is answered with a 4xx status, or means the client disconnected. */
    static boolean isClientError(Throwable e) {
        if (e instanceof ErrorResponse response) {
            return response.getStatusCode().is4xxClientError();
        }
        if (e instanceof AsyncRequestNotUsableException) {
            return true;
        }
        if (e instanceof TypeMismatchException) {
            // a request value that does not convert: 400; the one subtype answered 500 is the server's
            return !(e instanceof ConversionNotSupportedException);
        }
        if (e instanceof HttpMessageNotReadableException || e instanceof BindException) {
            return true; // an unreadable body, a binding that failed: 400 from DefaultHandlerExceptionResolver
        }
        ResponseStatus status = AnnotatedElementUtils.findMergedAnnotation(e.getClass(), ResponseStatus.class);
        return status != null && status.code().is4xxClientError();
    }
}
