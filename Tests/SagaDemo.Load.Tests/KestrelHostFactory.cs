using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace SagaDemo.Load.Tests;

/// <summary>
/// The real SagaDemo host (every role, in-memory transport) on Kestrel at a free loopback port, so
/// the load generator goes through real sockets and its own tuned HttpClient. No approval delay.
/// </summary>
public sealed class KestrelHostFactory : WebApplicationFactory<Program>
{
    public KestrelHostFactory() => UseKestrel(k => k.Listen(IPAddress.Loopback, 0));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Transport", "InMemory");
        builder.UseSetting("Approval:Delay", "00:00:00");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }

    public Uri StartAndGetAddress()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return new Uri(addresses.First());
    }
}
