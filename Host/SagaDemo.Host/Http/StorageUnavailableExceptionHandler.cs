using Microsoft.AspNetCore.Diagnostics;
using SagaDemo.Hosting.Endpoints;

namespace SagaDemo.Host.Http;

/// <summary>
/// PostgreSQL unreachable, restarting or refusing connections is an outage, not a server bug: the request is
/// answered 503 with Retry-After as an RFC 9457 problem, so a client knows to ask again (with its Idempotency-Key)
/// instead of taking the exception handler's default 500 for a failure. What counts as an outage is
/// <see cref="StorageOutage.Is"/>, the same rule by which the Kafka endpoints wait one out; anything else (a broken
/// statement, a violated constraint, contention) stays a 500.
/// </summary>
public sealed class StorageUnavailableExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    const string RetryAfterSeconds = "1";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!StorageOutage.Is(exception))
            return false;

        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Service unavailable",
                Detail = "The database is unavailable; retry later (with the same Idempotency-Key, a repeated POST is not a second operation).",
            },
        });
    }
}
