using SagaDemo.Telemetry.Tests.Integration;
using SagaDemo.Telemetry.Tests.WholeHost;
using SagaDemo.Testing;
using Xunit.Abstractions;

namespace SagaDemo.Telemetry.Tests.Otlp;

/// <summary>
/// The whole host on PostgreSQL (every publish goes through an outbox row and its relay) exporting over OTLP:
/// what a collector receives for one user-create is one trace from the client's call through the POST, every
/// Kafka hop and the database commands of each step.
/// </summary>
[Collection(AppsCollection.Name)]
public sealed class ExportedTraceOverPostgresTests(ITestOutputHelper output)
{
    static readonly string[] ConsumedTypes =
        ["UserCreateRequested", "UserApprovalRequested", "UserApprovalCompleted", "StoreUser", "UserStored", "UserCreateCompleted"];

    [Fact]
    public async Task A_user_create_on_PostgreSQL_is_one_exported_trace_through_outbox_rows_Kafka_hops_and_Npgsql_commands()
    {
        await using var postgres = await PostgresServer.StartNewAsync();
        await using var collector = await OtlpReceiver.StartAsync();
        var factory = new WholeHostFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = await postgres.CreateDatabaseAsync("otelapi_trace"),
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        });
        Guid operationId;
        await using (factory)
        {
            using var http = factory.Client(factory.Start());
            (operationId, var operation) = await WholeHostFactory.RunOperationAsync(http, "operations/user-create",
                """{"name":"exported","email":"exported@example.com"}""", TimeSpan.FromSeconds(60));
            Assert.Equal("completed", operation.GetProperty("status").GetString());
            // The last consume (UserCreateCompleted) may end a moment after the operation reads completed.
            await Task.Delay(TimeSpan.FromSeconds(1));
        } // stopping the host flushes the exporter

        string? ConsumedType(OtlpSpan s) => s.Scope == "MassTransit" && s.Attribute("messaging.operation") == "process"
            && s.Attribute("messaging.masstransit.correlation_id") == operationId.ToString()
            ? ConsumedTypes.FirstOrDefault(t => (s.Attribute("messaging.masstransit.message_types") ?? "").EndsWith(":" + t, StringComparison.Ordinal))
            : null;
        await WholeHostFactory.EventuallyAsync(() => Task.FromResult((
            ConsumedTypes.All(t => collector.Spans.Any(s => ConsumedType(s) == t)),
            string.Join(", ", collector.Spans.Select(ConsumedType).OfType<string>()))), TimeSpan.FromSeconds(10), "every consume exported");

        var spans = collector.Spans;
        var post = Assert.Single(spans, s => s.Kind == OtlpSpanKind.Server && s.Attribute("http.route") == "/operations/user-create");
        var trace = spans.Where(s => s.TraceId == post.TraceId).ToList();
        output.WriteLine($"trace {post.TraceId}: {trace.Count} spans of {spans.Count} exported");
        foreach (var group in trace.GroupBy(s => (s.Scope, s.Kind)))
            output.WriteLine($"  {group.Key.Scope} {group.Key.Kind}: {group.Count()}");

        foreach (var type in ConsumedTypes)
            Assert.Single(trace, s => ConsumedType(s) == type);
        // The client's call is the root; every other span hangs off a span of the same trace.
        var root = Assert.Single(trace, s => s.ParentSpanId == "");
        Assert.Equal(OtlpSpanKind.Client, root.Kind);
        Assert.All(trace.Where(s => s != root), s => Assert.True(trace.Any(p => p.SpanId == s.ParentSpanId), $"{s.Scope} {s.Name}: parent not in the trace"));

        // Npgsql: the POST's own commands (operation row, outbox row) and those of the consumes (inbox, saga, outbox).
        var commands = trace.Where(s => s.Scope == "Npgsql").ToList();
        Assert.All(commands, c => Assert.Equal(OtlpSpanKind.Client, c.Kind));
        Assert.All(commands, c => Assert.Equal("postgresql", c.Attribute("db.system.name") ?? c.Attribute("db.system")));
        // Each Kafka hop is MassTransit's "receive" span, with "process" below it; saga repositories and the inbox
        // work under "receive", consumers under "process". The hop a command belongs to is its nearest receive span.
        void Print(OtlpSpan s, string indent)
        {
            output.WriteLine($"{indent}{s.Scope} {s.Kind} {s.Name} {ConsumedType(s)} {(s.Attribute("db.query.text") ?? "").Split('\n')[0]}");
            foreach (var child in trace.Where(c => c.ParentSpanId == s.SpanId))
                Print(child, indent + "  ");
        }
        Print(root, "");
        var byId = trace.ToDictionary(s => s.SpanId);
        string? HopOf(OtlpSpan command)
        {
            for (var p = byId.GetValueOrDefault(command.ParentSpanId); p is not null; p = byId.GetValueOrDefault(p.ParentSpanId))
            {
                if (p == post)
                    return "POST";
                if (p.Scope == "MassTransit" && p.Attribute("messaging.operation") == "receive")
                    return trace.Where(c => c.ParentSpanId == p.SpanId).Select(ConsumedType).FirstOrDefault(t => t is not null);
            }
            return null;
        }
        var hops = commands.Select(HopOf).ToHashSet();
        Assert.Contains("POST", hops); // the operation row and its outbox row
        // Every hop that keeps state wrote under this trace; the approval service keeps none.
        foreach (var type in ConsumedTypes.Where(t => t != "UserApprovalRequested"))
            Assert.Contains(type, hops);
    }
}
