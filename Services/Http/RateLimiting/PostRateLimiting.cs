using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using SagaDemo.Services.Http.Access;

namespace SagaDemo.Services.Http.RateLimiting;

/// <summary>Section <c>RateLimiting</c>: a token bucket per client for POSTs. Off unless <see cref="PermitsPerSecond"/> is set.</summary>
public sealed class RateLimitingOptions
{
    public const string Section = "RateLimiting";

    /// <summary>Sustained POSTs per second per client; 0 (the default) turns limiting off.</summary>
    public int PermitsPerSecond { get; set; }

    /// <summary>POSTs a client may send at once after being idle; defaults to <see cref="PermitsPerSecond"/>.</summary>
    public int? Burst { get; set; }
}

/// <summary>
/// Per-client rate limiting of the POST routes (the ones that start work), partitioned by the authenticated
/// client id, or by remote address for anonymous callers. Reads are not limited: polling is cheap and
/// expected. Rejections are 429 problems with <c>Retry-After</c>.
/// </summary>
public static class PostRateLimiting
{
    public static bool AddSagaDemoRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(RateLimitingOptions.Section).Get<RateLimitingOptions>() ?? new RateLimitingOptions();
        if (options.PermitsPerSecond < 0 || options.Burst is < 1)
            throw new InvalidOperationException("RateLimiting:PermitsPerSecond must be >= 0 and RateLimiting:Burst >= 1.");
        if (options.PermitsPerSecond == 0)
            return false;

        var bucket = new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.Burst ?? options.PermitsPerSecond,
            TokensPerPeriod = options.PermitsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                HttpMethods.IsPost(context.Request.Method)
                    ? RateLimitPartition.GetTokenBucketLimiter(PartitionOf(context), _ => bucket)
                    : RateLimitPartition.GetNoLimiter("reads"));
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (rejected, _) => RejectAsync(rejected, options.PermitsPerSecond);
        });
        return true;
    }

    static string PartitionOf(HttpContext context) =>
        ClientIdentity.Of(context) is { } client
            ? "client:" + client
            : "address:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    static async ValueTask RejectAsync(OnRejectedContext rejected, int permitsPerSecond)
    {
        // The bucket gains a token every 1/permits seconds; Retry-After is whole seconds, at least 1.
        var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : Math.Max(1, (int)Math.Ceiling(1.0 / permitsPerSecond));
        var http = rejected.HttpContext;
        http.Response.Headers.RetryAfter = wait.ToString(CultureInfo.InvariantCulture);
        await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
                detail: $"This client may start at most {permitsPerSecond} operations per second; retry after {wait} s.")
            .ExecuteAsync(http);
    }
}
