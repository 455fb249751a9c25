using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SagaDemo.Host.Composition;
using SagaDemo.Api.Tests.Api;

namespace SagaDemo.Api.Tests.Security;

public sealed class ServerLimitsTests(SagaDemoApiFactory factory) : IClassFixture<SagaDemoApiFactory>
{
    [Fact]
    public void Kestrel_limits_are_set_explicitly()
    {
        _ = factory.Server;
        var limits = factory.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;
        Assert.Equal(64 * 1024, limits.MaxRequestBodySize);
        Assert.Equal(HttpServerLimits.MaxRequestHeadersTotalSize, limits.MaxRequestHeadersTotalSize);
        Assert.Equal(HttpServerLimits.MaxRequestHeaderCount, limits.MaxRequestHeaderCount);
        Assert.Equal(HttpServerLimits.MaxRequestLineSize, limits.MaxRequestLineSize);
    }
}
