using Microsoft.AspNetCore.Server.Kestrel.Core;
using SagaDemo.Services.Http;

namespace SagaDemo.Host.Composition;

/// <summary>
/// Kestrel's limits, stated rather than inherited, so a change of defaults cannot widen them. Bodies are
/// the routes' 64 KiB (no route takes more); header sizes are Kestrel's defaults written down.
/// </summary>
public static class HttpServerLimits
{
    public const int MaxRequestHeadersTotalSize = 32 * 1024;
    public const int MaxRequestHeaderCount = 100;
    public const int MaxRequestLineSize = 8 * 1024;

    public static void Apply(KestrelServerOptions kestrel)
    {
        kestrel.AddServerHeader = false;
        kestrel.Limits.MaxRequestBodySize = RequestLimits.MaxBodyBytes;
        kestrel.Limits.MaxRequestHeadersTotalSize = MaxRequestHeadersTotalSize;
        kestrel.Limits.MaxRequestHeaderCount = MaxRequestHeaderCount;
        kestrel.Limits.MaxRequestLineSize = MaxRequestLineSize;
        kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(30);
    }
}
