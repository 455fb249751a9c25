using System.Net;
using System.Net.Http.Headers;

namespace SagaDemo.Load.Running;

/// <summary>
/// How a client that honours <c>Retry-After</c> treats a shed create (503 or 429): it waits the advised time, plus a
/// little random spread so clients shed together do not all come back in the same millisecond, then sends it again.
/// </summary>
public static class ShedRetry
{
    /// <summary>Used when a shed answer carries no usable Retry-After (RFC 9110 leaves the wait to the client then).</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(1);

    /// <summary>Extra wait as a share of the advised one, drawn uniformly from [0, Spread).</summary>
    public const double Spread = 0.2;

    public static bool IsShed(HttpStatusCode status) => status is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests;

    /// <summary>The advised wait: delta-seconds or an HTTP date (against <paramref name="now"/>); null when absent or in the past.</summary>
    public static TimeSpan? Advised(RetryConditionHeaderValue? header, DateTimeOffset now) => header switch
    {
        { Delta: { } delta } when delta > TimeSpan.Zero => delta,
        { Date: { } date } when date > now => date - now,
        _ => null,
    };

    /// <summary>The wait before the next attempt; <paramref name="random"/> is uniform in [0, 1).</summary>
    public static TimeSpan Wait(TimeSpan? advised, double random) =>
        (advised ?? DefaultWait) * (1 + Spread * Math.Clamp(random, 0, 1));
}
