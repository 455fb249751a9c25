using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using SagaDemo.Services.Http.Access;

namespace SagaDemo.Services.Http.RateLimiting;

/// <summary>
/// Section <c>RateLimiting</c>: token buckets per client, one for POSTs (they start work) and a larger one for reads
/// (polling is expected, but not without end). Off unless <see cref="PermitsPerSecond"/> is set.
/// </summary>
public sealed class RateLimitingOptions
{
    public const string Section = "RateLimiting";

    /// <summary>Reads per second a client gets for each POST per second, when <see cref="ReadPermitsPerSecond"/> is not set.</summary>
    public const int ReadsPerPost = 10;

    /// <summary>Sustained POSTs per second per client; 0 (the default) turns limiting off.</summary>
    public int PermitsPerSecond { get; set; }

    /// <summary>POSTs a client may send at once after being idle; defaults to <see cref="PermitsPerSecond"/>.</summary>
    public int? Burst { get; set; }

    /// <summary>Sustained reads (GET and every other method but POST) per second per client; default 10 x PermitsPerSecond.</summary>
    public int? ReadPermitsPerSecond { get; set; }

    /// <summary>Reads a client may send at once; defaults to <see cref="ReadPermitsPerSecond"/>.</summary>
    public int? ReadBurst { get; set; }
}

/// <summary>
/// Per-client rate limiting of every API route, partitioned by the authenticated client id, or by remote address for
/// anonymous callers, and for callers whose credentials failed (the limiter runs before authorization). Probes and
/// scrapes (<c>/health/*</c>, <c>/metrics</c>) are not limited: they carry no credentials and must not be starved by
/// other callers from the same address. Rejections are 429 problems with <c>Retry-After</c>.
/// </summary>
public static class ApiRateLimiting
{
    public static bool AddSagaDemoRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(RateLimitingOptions.Section).Get<RateLimitingOptions>() ?? new RateLimitingOptions();
        if (options.PermitsPerSecond < 0 || options.Burst is < 1 || options.ReadPermitsPerSecond is < 1 || options.ReadBurst is < 1)
            throw new InvalidOperationException(
                "RateLimiting:PermitsPerSecond must be >= 0 and RateLimiting:Burst, ReadPermitsPerSecond and ReadBurst >= 1.");
        if (options.PermitsPerSecond == 0)
            return false;

        var posts = Bucket(options.PermitsPerSecond, options.Burst);
        var readsPerSecond = options.ReadPermitsPerSecond ?? options.PermitsPerSecond * RateLimitingOptions.ReadsPerPost;
        var reads = Bucket(readsPerSecond, options.ReadBurst ?? (options.Burst ?? options.PermitsPerSecond) * RateLimitingOptions.ReadsPerPost);
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                IsProbe(context.Request.Path) ? RateLimitPartition.GetNoLimiter("probes")
                : HttpMethods.IsPost(context.Request.Method) ? RateLimitPartition.GetTokenBucketLimiter("post " + PartitionOf(context), _ => posts)
                : RateLimitPartition.GetTokenBucketLimiter("read " + PartitionOf(context), _ => reads));
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (rejected, _) => RejectAsync(rejected,
                HttpMethods.IsPost(rejected.HttpContext.Request.Method) ? options.PermitsPerSecond : readsPerSecond);
        });
        return true;
    }

    static TokenBucketRateLimiterOptions Bucket(int perSecond, int? burst) => new()
    {
        TokenLimit = burst ?? perSecond,
        TokensPerPeriod = perSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    static bool IsProbe(PathString path) => path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics");

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
                detail: $"This client may send at most {permitsPerSecond} such requests per second; retry after {wait} s.")
            .ExecuteAsync(http);
    }
}
