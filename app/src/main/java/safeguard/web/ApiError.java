package safeguard.web;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The one error body of the API. {@code field} names the input to fix, when there is one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ApiError(int status, String error, String field) {
}
