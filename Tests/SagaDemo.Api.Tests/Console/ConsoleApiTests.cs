using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using SagaDemo.Kafka.Embedded;
using SagaDemo.Api.Tests.Api;
using SagaDemo.Testing;

namespace SagaDemo.Api.Tests.Console;

/// <summary>
/// The operations console's read API through the whole host on the embedded Kafka cluster: listing with filters and
/// paging, an order's timeline, and a poison record read back from its dead-letter topic, replayed once and discarded.
/// </summary>
public sealed class ConsoleApiTests(SagaDemoApiFactory factory) : IClassFixture<SagaDemoApiFactory>
{
    const string OrderBody = """{"customerId":"c-1","items":[{"sku":"book","quantity":1}]}""";
    readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Listing_filters_by_type_status_time_and_id_and_pages_newest_first()
    {
        var order = await _client.RunOperationAsync("/operations/order-create", OrderBody);
        var denied = await _client.RunOperationAsync("/operations/user-create", """{"name":"admin"}""");
        var user = await _client.RunOperationAsync("/operations/user-create", """{"name":"hans"}""");
        var orderId = order.GetProperty("id").GetString()!;

        var orders = await ListAsync("?type=order-create");
        Assert.Contains(orderId, Ids(orders));
        Assert.All(orders.GetProperty("items").EnumerateArray(), o => Assert.Equal("order-create", o.GetProperty("type").GetString()));

        var failed = Ids(await ListAsync("?status=failed&type=user-create"));
        Assert.Contains(denied.GetProperty("id").GetString(), failed);
        Assert.DoesNotContain(user.GetProperty("id").GetString(), failed);

        var byId = await ListAsync($"?id={orderId[4..13].ToUpperInvariant()}");
        Assert.Equal([orderId], Ids(byId));

        Assert.Empty(Ids(await ListAsync($"?from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"))}")));
        var upTo = Ids(await ListAsync($"?to={Uri.EscapeDataString(order.GetProperty("createdAt").GetString()!)}"));
        Assert.DoesNotContain(orderId, upTo);

        // Newest first, one per page, the pages adding up to the total.
        var first = await ListAsync("?limit=1");
        var second = await ListAsync($"?limit=1&offset={first.GetProperty("nextOffset").GetInt32()}");
        Assert.Equal(user.GetProperty("id").GetString(), Ids(first).Single());
        Assert.Equal(denied.GetProperty("id").GetString(), Ids(second).Single());
        Assert.True(first.GetProperty("total").GetInt32() >= 3);

        using var bad = await _client.GetAsync("/operations?status=done&limit=0&id=xyz&from=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        var errors = (await bad.JsonAsync()).GetProperty("errors");
        Assert.Equal(["from", "id", "limit", "status"], errors.EnumerateObject().Select(e => e.Name).Order());
    }

    [Fact]
    public async Task With_a_trace_ui_configured_each_step_links_to_its_trace()
    {
        await using var traced = factory.WithWebHostBuilder(b => b.UseSetting("Console:TraceUrl", "https://traces.example/trace/{traceId}?view=timeline"));
        var client = traced.CreateClient();
        var order = await client.RunOperationAsync("/operations/order-create", OrderBody);
        var timeline = await (await client.GetAsync($"/operations/{order.GetProperty("id").GetString()}/timeline")).JsonAsync();

        var steps = timeline.GetProperty("sagas").EnumerateArray().Single().GetProperty("transitions").EnumerateArray().ToList();
        Assert.NotEmpty(steps);
        Assert.All(steps, s => Assert.Equal($"https://traces.example/trace/{s.GetProperty("traceId").GetString()}?view=timeline",
            s.GetProperty("traceUrl").GetString()));
    }

    [Theory]
    [InlineData("https://traces.example/trace/{traceId}", true)]
    [InlineData("http://jaeger:16686/trace/{traceId}", true)]
    [InlineData("https://traces.example/trace/", false)]
    [InlineData("javascript:alert('{traceId}')", false)]
    [InlineData("/trace/{traceId}", false)]
    public void A_trace_url_is_an_absolute_http_template_with_the_placeholder(string template, bool valid) =>
        Assert.Equal(valid, SagaDemo.Host.OperationsConsole.ConsoleOptions.IsTraceUrlTemplate(template));

    [Fact]
    public async Task An_orders_timeline_shows_its_steps_in_order_with_their_records()
    {
        var order = await _client.RunOperationAsync("/operations/order-create", OrderBody);
        var timeline = await (await _client.GetAsync($"/operations/{order.GetProperty("id").GetString()}/timeline")).JsonAsync();

        var saga = timeline.GetProperty("sagas").EnumerateArray().Single();
        Assert.Equal("order", saga.GetProperty("saga").GetString());
        Assert.Equal("Completed", saga.GetProperty("currentState").GetString());
        var steps = saga.GetProperty("transitions").EnumerateArray().ToList();
        Assert.Equal(["Reserving", "Charging", "Shipping", "Completed"], steps.Select(s => s.GetProperty("to").GetString()));
        Assert.Equal(["order-create", "warehouse-event", "payment-event", "warehouse-event"], steps.Select(s => s.GetProperty("topic").GetString()));
        var times = steps.Select(s => s.GetProperty("at").GetDateTimeOffset()).ToList();
        Assert.Equal(times.Order(), times);
        Assert.All(steps, s => Assert.True(s.GetProperty("sincePreviousMs").GetDouble() >= 0));
        // Every step names the trace it ran in; without Console:TraceUrl there is no link.
        Assert.All(steps, s => Assert.Matches("^[0-9a-f]{32}$", s.GetProperty("traceId").GetString()));
        Assert.All(steps, s => Assert.Equal(JsonValueKind.Null, s.GetProperty("traceUrl").ValueKind));

        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/operations/{Guid.NewGuid()}/timeline")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/operations/nope/timeline")).StatusCode);
    }

    [Fact]
    public async Task A_poison_record_is_listed_replayed_once_and_then_cannot_be_discarded()
    {
        var marker = Guid.NewGuid().ToString("N");
        var poison = $$"""{"operationId":"{{marker}}" """; // unterminated JSON
        var bootstrap = factory.Services.GetRequiredService<KafkaBootstrap>().BootstrapServers;
        await ConsoleKafka.ProduceAsync(bootstrap, "user-create", Guid.NewGuid().ToString(), poison);

        var listed = await Eventually.ValueAsync(async () => Record(await DeadLettersAsync(), marker), r => r is not null, TimeSpan.FromSeconds(20));
        var record = listed!.Value;
        Assert.Equal("user-create.dead-letter", record.GetProperty("topic").GetString());
        Assert.Equal("user-create", record.GetProperty("originalTopic").GetString());
        Assert.Equal("user-service", record.GetProperty("consumerGroup").GetString());
        Assert.False(string.IsNullOrEmpty(record.GetProperty("reason").GetString()));
        Assert.Equal(poison, record.GetProperty("value").GetString());
        Assert.Equal(JsonValueKind.Null, record.GetProperty("decision").ValueKind);

        var path = $"/dead-letters/user-create.dead-letter/{record.GetProperty("partition").GetInt32()}/{record.GetProperty("offset").GetInt64()}";
        var before = ConsoleKafka.HighWatermark(bootstrap, "user-create");
        var replays = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => _client.PostAsync($"{path}/replay", null)));
        Assert.All(replays, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var outcomes = await Task.WhenAll(replays.Select(async r => (await r.JsonAsync()).GetProperty("outcome").GetString()));
        Assert.Equal(["already-applied", "already-applied", "applied"], outcomes.Order());
        Assert.Equal(before + 1, ConsoleKafka.HighWatermark(bootstrap, "user-create"));

        using var discard = await _client.PostAsync($"{path}/discard", null);
        Assert.Equal(HttpStatusCode.Conflict, discard.StatusCode);
        var decided = Record(await DeadLettersAsync(), marker, offset: record.GetProperty("offset").GetInt64())!.Value.GetProperty("decision");
        Assert.Equal("replay", decided.GetProperty("action").GetString());
        Assert.Equal("anonymous", decided.GetProperty("by").GetString());
        Assert.StartsWith("user-create/0@", decided.GetProperty("replayedTo").GetString());

        // The replayed copy is still poison: it is dead-lettered again, as a new record, and can be discarded, once.
        var again = await Eventually.ValueAsync(async () => Record(await DeadLettersAsync(), marker, notOffset: record.GetProperty("offset").GetInt64()),
            r => r is not null, TimeSpan.FromSeconds(20));
        var againPath = $"/dead-letters/user-create.dead-letter/0/{again!.Value.GetProperty("offset").GetInt64()}";
        Assert.Equal("applied", (await (await _client.PostAsync($"{againPath}/discard", null)).JsonAsync()).GetProperty("outcome").GetString());
        Assert.Equal("already-applied", (await (await _client.PostAsync($"{againPath}/discard", null)).JsonAsync()).GetProperty("outcome").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await _client.PostAsync($"{againPath}/replay", null)).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await _client.PostAsync("/dead-letters/user-create.dead-letter/0/999999/replay", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.PostAsync("/dead-letters/user-create/0/0/replay", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/dead-letters?topic=user-create")).StatusCode);
    }

    async Task<JsonElement> ListAsync(string query)
    {
        using var response = await _client.GetAsync("/operations" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    async Task<JsonElement> DeadLettersAsync() => await (await _client.GetAsync("/dead-letters?topic=user-create.dead-letter")).JsonAsync();

    static JsonElement? Record(JsonElement list, string marker, long? offset = null, long? notOffset = null) =>
        list.GetProperty("records").EnumerateArray()
            .Where(r => r.GetProperty("value").GetString()!.Contains(marker, StringComparison.Ordinal))
            .Where(r => offset is null || r.GetProperty("offset").GetInt64() == offset)
            .Where(r => notOffset is null || r.GetProperty("offset").GetInt64() != notOffset)
            .Select(r => (JsonElement?)r).FirstOrDefault();

    static List<string?> Ids(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("id").GetString())];
}
