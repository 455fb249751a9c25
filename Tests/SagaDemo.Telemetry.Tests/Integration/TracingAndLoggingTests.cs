using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SagaDemo.Telemetry.Logging;
using SagaDemo.Telemetry.Tests.Support;

namespace SagaDemo.Telemetry.Tests.Integration;

[Collection(AppsCollection.Name)]
public sealed class TracingAndLoggingTests
{
    private static readonly Guid OperationId = Guid.Parse("3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b");

    private static void MapOperationEndpoint(WebApplication app) =>
        app.MapGet("/operations/{id:guid}", (Guid id, ILogger<TracingAndLoggingTests> logger) =>
        {
            using (logger.BeginOperationScope(id))
                logger.LogWarning("looked up operation");
            return Results.Ok();
        });

    [Fact]
    public async Task Request_activity_carries_route_status_and_operation_id_and_logs_carry_trace_and_operation_ids()
    {
        var logs = new CapturingLoggerProvider();
        var traceId = ActivityTraceId.CreateRandom();
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = a => { if (a.TraceId == traceId) stopped.Enqueue(a); },
        };
        ActivitySource.AddActivityListener(listener);
        await using var app = await TelemetryTestApp.StartAsync(b => b.Logging.AddProvider(logs), MapOperationEndpoint);

        // A caller from outside this process: its traceparent reaches the server as sent. (The app's HttpClient
        // instrumentation would otherwise inject this process's own context into the in-process test client.)
        using var outsideCaller = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = app.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"operations/{OperationId}");
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        (await outsideCaller.SendAsync(request)).EnsureSuccessStatusCode();

        var activity = await PollAsync(() => stopped.FirstOrDefault());
        Assert.Equal("/operations/{id:guid}", activity.GetTagItem("http.route"));
        Assert.Equal(200, Convert.ToInt32(activity.GetTagItem("http.response.status_code")));
        Assert.Equal(OperationId.ToString(), activity.GetTagItem(OperationLogScope.ActivityTag));
        Assert.Equal("GET /operations/{id:guid}", activity.DisplayName);

        var entry = Assert.Single(logs.Entries, e => e.Message == "looked up operation");
        Assert.Equal(OperationId.ToString(), entry.Scope[OperationLogScope.LogProperty]?.ToString());
        Assert.Equal(traceId.ToString(), entry.Scope["TraceId"]?.ToString());
    }

    [Fact]
    public async Task Server_errors_mark_the_request_activity_as_failed()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = a => { if ((a.GetTagItem("url.path") as string) == "/fail") stopped.Enqueue(a); },
        };
        ActivitySource.AddActivityListener(listener);
        await using var app = await TelemetryTestApp.StartAsync();

        await app.Http.GetAsync("fail");

        var activity = await PollAsync(() => stopped.FirstOrDefault());
        Assert.Equal(ActivityStatusCode.Error, activity.Status);
    }

    private static async Task<T> PollAsync<T>(Func<T?> probe) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            if (probe() is { } found)
                return found;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("condition not met within 10 s");
            await Task.Delay(50);
        }
    }
}
