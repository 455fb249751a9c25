using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace SagaDemo.Testing;

/// <summary>
/// The real SagaDemo host in process, configured the way its operators configure it (settings by configuration key)
/// plus, where a test needs it, an environment, more services or replaced ones: the one host factory of the test
/// projects. Named subclasses exist only where xUnit needs a fixture type or a test adds members of its own.
/// </summary>
public class SagaDemoHostFactory : WebApplicationFactory<Program>
{
    /// <summary>No approval delay, warnings and worse in the log: what most tests of flows want.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Quick { get; } =
        [new("Approval:Delay", "00:00:00"), new("Logging:LogLevel:Default", "Warning")];

    readonly IReadOnlyList<KeyValuePair<string, string>> _settings;

    /// <param name="settings">Configuration keys and values, applied in order (a later one wins).</param>
    public SagaDemoHostFactory(IEnumerable<KeyValuePair<string, string>>? settings = null) => _settings = [.. settings ?? []];

    /// <summary>Settings only known once the host is built (a database started after the factory was made).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> MoreSettings => [];

    /// <summary>The hosting environment; the factory's default (Development) when null.</summary>
    public string? Environment { get; init; }

    /// <summary>More services, registered after the host's own.</summary>
    public Action<IServiceCollection>? WithServices { get; init; }

    /// <summary>Replaced services, registered after everything else.</summary>
    public Action<IServiceCollection>? WithTestServices { get; init; }

    /// <summary>Serves on Kestrel at a free loopback port (real sockets) instead of the in-memory test server.</summary>
    public SagaDemoHostFactory OnLoopback()
    {
        UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        return this;
    }

    /// <summary>Starts a host made <see cref="OnLoopback"/>; returns its address (http://127.0.0.1:port/).</summary>
    public Uri StartOnLoopback()
    {
        StartServer();
        return new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        if (Environment is not null)
            builder.UseEnvironment(Environment);
        foreach (var (key, value) in _settings.Concat(MoreSettings))
            builder.UseSetting(key, value);
        if (WithServices is not null)
            builder.ConfigureServices(WithServices);
        if (WithTestServices is not null)
            builder.ConfigureTestServices(WithTestServices);
    }

    /// <summary><see cref="Quick"/> and then <paramref name="more"/>.</summary>
    public static IEnumerable<KeyValuePair<string, string>> QuickWith(IEnumerable<KeyValuePair<string, string>>? more) => Quick.Concat(more ?? []);
}
