using System.Collections.Concurrent;
using System.Diagnostics;
using SagaDemo.Telemetry.Logging;
using SagaDemo.Telemetry.Tests.Integration;
using Xunit.Abstractions;

namespace SagaDemo.Telemetry.Tests.WholeHost;

/// <summary>
/// A user-create through the whole host over Kafka is one trace: the POST, and every consume across the
/// Kafka hops (the W3C traceparent header carries it), and the consumers' log lines carry its trace id and
/// the operation id.
/// </summary>
[Collection(AppsCollection.Name)]
public sealed class OneTraceTests(ITestOutputHelper output)
{
    // Consumes the user flow runs through, by the message type each consume activity reports.
    static readonly string[] ConsumedTypes =
    [
        "UserCreateRequested",   // user saga, topic user-create
        "UserApprovalRequested", // approval, topic user-approve
        "UserApprovalCompleted", // user saga, topic user-approve-response
        "StoreUser",             // user store, topic user-store
        "UserStored",            // user saga, topic user-store-response
        "UserCreateCompleted",   // operations, topic user-create-response
    ];

    [Fact]
    public async Task A_user_create_is_one_trace_from_the_POST_through_every_Kafka_consume_and_its_logs_carry_trace_and_operation_ids()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Microsoft.AspNetCore" or "MassTransit",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var factory = new WholeHostFactory();
        using var http = factory.Client(factory.Start());

        var (operationId, operation) = await WholeHostFactory.RunOperationAsync(http, "operations/user-create",
            """{"name":"traced","email":"traced@example.com"}""", TimeSpan.FromSeconds(30));
        Assert.Equal("completed", operation.GetProperty("status").GetString());

        var post = stopped.Single(a => a.Source.Name == "Microsoft.AspNetCore" && a.GetTagItem("http.route") as string == "/operations/user-create");
        var traceId = post.TraceId;
        output.WriteLine($"POST trace {traceId}, operation {operationId}");

        // Each Kafka record is consumed under MassTransit's "<group> process" span; the message type is in its tags.
        string? ConsumedType(Activity a) => a.Source.Name == "MassTransit" && a.GetTagItem("messaging.operation") as string == "process"
            ? ConsumedTypes.FirstOrDefault(t => (a.GetTagItem("messaging.masstransit.message_types") as string ?? "").EndsWith(":" + t, StringComparison.Ordinal))
            : null;
        List<Activity> Consumes() => stopped.Where(a => ConsumedType(a) is not null
            && a.GetTagItem("messaging.masstransit.correlation_id") as string == operationId.ToString()).ToList();
        // The consume of UserCreateCompleted (the last hop) may stop a moment after the operation reads completed.
        await WholeHostFactory.EventuallyAsync(() => Task.FromResult((ConsumedTypes.All(t => Consumes().Any(a => ConsumedType(a) == t)),
            string.Join(", ", Consumes().Select(ConsumedType)))), TimeSpan.FromSeconds(10), "every consume span stopped");
        var consumes = Consumes();
        foreach (var a in consumes)
            output.WriteLine($"{a.TraceId} {a.ParentSpanId} -> {a.SpanId} {a.DisplayName} {ConsumedType(a)}");
        foreach (var type in ConsumedTypes)
        {
            var span = Assert.Single(consumes, a => ConsumedType(a) == type);
            Assert.True(span.TraceId == traceId, $"{type} consume is in trace {span.TraceId}, the POST in {traceId}");
        }
        // Every span of the flow hangs off another span of it, up to the POST: nothing on the way lost its parent.
        var flow = stopped.Where(a => a.TraceId == traceId).ToList();
        var spanIds = flow.Select(a => a.SpanId).ToHashSet();
        Assert.All(flow.Where(a => a != post), a => Assert.True(spanIds.Contains(a.ParentSpanId), $"{a.DisplayName}: parent {a.ParentSpanId} not in the trace"));

        // The Host-level consume filter logs each consume at Debug inside the operation scope.
        foreach (var type in ConsumedTypes)
        {
            var entry = Assert.Single(factory.Logs.Entries, e => e.Message.StartsWith($"Consumed {type} in ", StringComparison.Ordinal)
                && e.Scope.TryGetValue(OperationLogScope.LogProperty, out var id) && id?.ToString() == operationId.ToString());
            Assert.Equal(traceId.ToString(), entry.Scope["TraceId"]?.ToString());
        }
    }
}
