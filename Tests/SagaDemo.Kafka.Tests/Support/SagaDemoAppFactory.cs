using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using SagaDemo.Kafka.Embedded;

namespace SagaDemo.Kafka.Tests.Support;

/// <summary>The real Host in process: embedded Kafka (its default transport), no approval delay, extra settings.</summary>
public sealed class SagaDemoAppFactory(IReadOnlyDictionary<string, string>? settings = null) : WebApplicationFactory<Program>
{
    /// <summary>The embedded cluster's bootstrap servers (starts the host).</summary>
    public string Bootstrap => Services.GetRequiredService<KafkaBootstrap>().BootstrapServers;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Approval:Delay", "00:00:00");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            builder.UseSetting(key, value);
    }
}
