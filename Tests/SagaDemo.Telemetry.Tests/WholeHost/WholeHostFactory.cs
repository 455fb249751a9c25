using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SagaDemo.Kafka.Embedded;
using SagaDemo.Telemetry.Tests.Support;
using SagaDemo.Testing;

namespace SagaDemo.Telemetry.Tests.WholeHost;

/// <summary>
/// The real SagaDemo executable in process: every role, the embedded Kafka mock cluster (the default
/// transport), in-memory storage, no approval delay, Kafka statistics every second (lag, offsets and group
/// state move at test speed). On Kestrel at a free loopback port so a real Prometheus can scrape it.
/// </summary>
public sealed class WholeHostFactory : SagaDemoHostFactory
{
    /// <param name="settings">More configuration (a PostgreSQL connection string, an OTLP endpoint).</param>
    /// <param name="services">More services, registered after the host's own.</param>
    public WholeHostFactory(IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
        : base(QuickWith([
            new("Kafka:StatisticsInterval", "00:00:01"),
            // The per-consume Debug line of the operation scope filter is what the log assertions read.
            new("Logging:LogLevel:SagaDemo.Host.Observability", "Debug"),
            .. (settings ?? new Dictionary<string, string?>()).Select(s => KeyValuePair.Create(s.Key, s.Value!))]))
    {
        WithServices = services;
        OnLoopback();
    }

    public CapturingLoggerProvider Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(l => l.AddProvider(Logs));
    }

    /// <summary>Starts the host; returns its base address (http://127.0.0.1:port/).</summary>
    public Uri Start() => StartOnLoopback();

    public HttpClient Client(Uri baseAddress) => new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(15) };

    public MockKafkaCluster Kafka => Services.GetRequiredService<KafkaBootstrap>().EmbeddedCluster
        ?? throw new InvalidOperationException("the host was expected to run the embedded Kafka");

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>POSTs an operation and polls it until it is no longer pending; returns (id, final operation).</summary>
    public static async Task<(Guid Id, JsonElement Operation)> RunOperationAsync(HttpClient http, string path, string json, TimeSpan timeout)
    {
        using var created = await http.PostAsync(path, Json(json));
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        var location = created.Headers.Location!.ToString().TrimStart('/');
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var operation = JsonDocument.Parse(await http.GetStringAsync(location)).RootElement;
            if (operation.GetProperty("status").GetString() != "pending")
                return (operation.GetProperty("id").GetGuid(), operation);
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{path} still pending after {timeout}: {operation}");
            await Task.Delay(50);
        }
    }

    /// <summary>Polls until the probe returns true; fails with the last observation.</summary>
    public static async Task<TimeSpan> EventuallyAsync(Func<Task<(bool Done, string Seen)>> probe, TimeSpan timeout, string what)
    {
        var started = DateTime.UtcNow;
        var seen = "";
        while (DateTime.UtcNow - started < timeout)
        {
            bool done;
            (done, seen) = await probe();
            if (done)
                return DateTime.UtcNow - started;
            await Task.Delay(200);
        }
        throw new TimeoutException($"{what}: not within {timeout}; last seen: {seen}");
    }
}
