using Microsoft.AspNetCore.Diagnostics;

namespace SagaDemo.Services.Http;

/// <summary>
/// The server raises <see cref="BadHttpRequestException"/> for requests it cannot read (body over
/// the server limit, broken chunking, ...). They are the client's fault: answer with their 4xx as a
/// problem, not the exception handler's default 500.
/// </summary>
public sealed class BadHttpRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
            return false;

        httpContext.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = bad.StatusCode, Title = "Bad request", Detail = bad.Message },
        });
    }
}
