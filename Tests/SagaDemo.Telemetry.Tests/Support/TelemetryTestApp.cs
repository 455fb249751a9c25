using System.Collections.Concurrent;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SagaDemo.Telemetry.Instruments;

namespace SagaDemo.Telemetry.Tests.Support;

/// <summary>
/// A small real ASP.NET Core app on 127.0.0.1 (port 0) with the SagaDemo telemetry setup, an
/// in-memory MassTransit bus with a consumer that can fault, and endpoints that produce HTTP,
/// MassTransit and SagaDemoMetrics data, so /metrics shows runtime, ASP.NET Core, Kestrel,
/// MassTransit and our own instruments as a real process would.
/// </summary>
public sealed class TelemetryTestApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TelemetryTestApp(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>host:port, as a Prometheus scrape target.</summary>
    public string Target => $"{BaseAddress.Host}:{BaseAddress.Port}";

    public static async Task<TelemetryTestApp> StartAsync(
        Action<WebApplicationBuilder>? configureBuilder = null,
        Action<WebApplication>? configureApp = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Test" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        // First, so settings such as OTEL_EXPORTER_OTLP_ENDPOINT are in place when telemetry is registered, as in the host.
        configureBuilder?.Invoke(builder);
        builder.AddSagaDemoTelemetry(o => o.Roles = ["api", "users", "approval"]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddMassTransit(x =>
        {
            x.AddConsumer<PingConsumer>();
            x.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
        });

        var app = builder.Build();
        app.MapSagaDemoTelemetry();
        MapTrafficEndpoints(app);
        configureApp?.Invoke(app);

        await app.StartAsync();
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new TelemetryTestApp(app, new Uri(address + "/"));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    private static void MapTrafficEndpoints(WebApplication app)
    {
        var sagaStates = new ConcurrentDictionary<string, long>();
        app.Services.GetRequiredService<SagaDemoMetrics>()
            .ObserveSagaStates("UserRegistration", () => sagaStates.ToArray());

        app.MapGet("/hello", () => "hello");
        app.MapGet("/fail", () => Results.StatusCode(StatusCodes.Status500InternalServerError));
        app.MapPost("/ping", async (bool fail, IBus bus) =>
        {
            await bus.Publish(new Ping(fail));
            return Results.Accepted();
        });
        // Stands in for the operations service: reports one operation's whole lifecycle.
        app.MapPost("/operations/{type}", (string type, string status, double seconds, SagaDemoMetrics metrics) =>
        {
            metrics.OperationCreated(type, "pending");
            metrics.OperationCompleted(type, status, TimeSpan.FromSeconds(seconds));
            sagaStates.AddOrUpdate(status == "completed" ? "Completed" : "Failed", 1, (_, n) => n + 1);
            return Results.Ok();
        });
    }

    /// <summary>One round of every kind of traffic the dashboards look at.</summary>
    public async Task GenerateTrafficAsync(int round)
    {
        (await Http.GetAsync("hello")).EnsureSuccessStatusCode();
        await Http.GetAsync("fail");
        await Http.GetAsync("no-such-route");
        (await Http.PostAsync($"ping?fail={round % 3 == 0}", null)).EnsureSuccessStatusCode();
        var status = round % 4 == 0 ? "failed" : "completed";
        var seconds = 0.02 * (1 + round % 50);
        (await Http.PostAsync($"operations/user-create?status={status}&seconds={seconds}", null)).EnsureSuccessStatusCode();
    }

    /// <summary>Polls /metrics until the condition holds (MassTransit consumes asynchronously).</summary>
    public async Task<string> WaitForMetricsAsync(Func<string, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var text = await Http.GetStringAsync("metrics");
            if (condition(text))
                return text;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"/metrics did not reach the expected state within {timeout}:\n{text}");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.DisposeAsync();
    }

    public sealed record Ping(bool Fail);

    public sealed class PingConsumer : IConsumer<Ping>
    {
        public Task Consume(ConsumeContext<Ping> context) =>
            context.Message.Fail ? throw new InvalidOperationException("ping asked to fail") : Task.CompletedTask;
    }
}
