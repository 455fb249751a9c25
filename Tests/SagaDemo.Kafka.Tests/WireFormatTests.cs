using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using SagaDemo.Contracts;
using SagaDemo.Kafka.Topology;
using SagaDemo.Contracts.Orders;
using SagaDemo.Kafka.Tests.Support;

namespace SagaDemo.Kafka.Tests;

/// <summary>What the rider writes, read back with a plain Kafka client: camelCase, one line, numbers as JSON numbers.</summary>
public sealed class WireFormatTests(ClusterFixture kafka) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Decimal_amounts_are_json_numbers_and_dates_and_names_are_unchanged()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var warehouse = $"warehouse-event-{suffix}";
        var order = $"order-{suffix}";
        var topics = new TestTopics(new TopicDefinition(warehouse, [typeof(StockReserved)]), new TopicDefinition(order, [typeof(OrderLifecycleEvent)]));
        await using var host = await RiderHost.StartAsync(kafka.Cluster, topics);
        var orderId = Guid.NewGuid();
        var occurredAt = new DateTimeOffset(2026, 11, 21, 10, 30, 0, TimeSpan.Zero);

        using (var scope = host.Host.Services.CreateScope())
        {
            var publish = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
            await publish.Publish(new StockReserved(orderId, 25.80m));
            await publish.Publish(new OrderLifecycleEvent(orderId, "c-1", OrderLifecycleKind.StockReserved, 1234567.125m, null, occurredAt));
        }

        var reserved = Assert.Single(RawKafka.Read(kafka.Bootstrap, warehouse, 2, TimeSpan.FromSeconds(3)));
        var reservedJson = System.Text.Encoding.UTF8.GetString(reserved.Message.Value);
        Assert.DoesNotContain('\n', reservedJson);
        var amount = JsonDocument.Parse(reservedJson).RootElement.GetProperty("amount");
        Assert.Equal(JsonValueKind.Number, amount.ValueKind);
        Assert.Equal(25.80m, amount.GetDecimal());

        var lifecycle = JsonDocument.Parse(Assert.Single(RawKafka.Read(kafka.Bootstrap, order, 2, TimeSpan.FromSeconds(3))).Message.Value).RootElement;
        Assert.Equal(JsonValueKind.Number, lifecycle.GetProperty("amount").ValueKind);
        Assert.Equal(1234567.125m, lifecycle.GetProperty("amount").GetDecimal());
        Assert.Equal(orderId, lifecycle.GetProperty("orderId").GetGuid());
        Assert.Equal(OrderLifecycleKind.StockReserved, lifecycle.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, lifecycle.GetProperty("reason").ValueKind);
        Assert.Equal(occurredAt, lifecycle.GetProperty("occurredAt").GetDateTimeOffset());
    }

    [Fact]
    public void Amounts_written_as_strings_by_older_producers_are_still_read()
    {
        var fromString = JsonSerializer.Deserialize<StockReserved>("""{"orderId":"8a1c6a1e-0000-4000-8000-000000000001","amount":"25.80"}""",
            SagaDemo.Kafka.Producing.WireJson.Options);
        Assert.Equal(25.80m, fromString!.Amount);
    }
}
