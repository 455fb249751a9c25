using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SagaDemo.Contracts;
using SagaDemo.Contracts.Orders;
using SagaDemo.Kafka.Producing;
using SagaDemo.Kafka.Signing;
using SagaDemo.Kafka.Tests.Support;
using SagaDemo.Kafka.Topology;
using SagaDemo.Host.RoleModules;

namespace SagaDemo.Kafka.Tests.Trust;

/// <summary>
/// The two exploits of issue #14 that needed nothing but kcat and the embedded system: an approval answered by
/// someone other than the approval service, and an order the HTTP API would refuse produced straight onto its topic.
/// </summary>
public sealed class ForgedRecordTests(TrustHost host) : IClassFixture<TrustHost>
{
    [Fact]
    public async Task A_forged_approval_on_user_approve_response_leaves_a_denied_user_failed_and_is_dead_lettered()
    {
        var operationId = await host.PostAsync("/operations/user-create", """{"name":"admin"}""");
        var request = await host.RecordAsync("user-approve", operationId, TimeSpan.FromSeconds(20));
        var userId = JsonDocument.Parse(request.Value).RootElement.GetProperty("userId").GetGuid();

        // Answered before the approval service, which takes 3 s and denies "admin".
        host.Kcat("user-approve-response", operationId, $$"""{"operationId":"{{operationId}}","userId":"{{userId}}","approved":true,"reason":null}""");

        var final = await host.FinalAsync(operationId, TimeSpan.FromSeconds(30));
        Assert.Equal("failed", final.GetProperty("status").GetString());
        Assert.StartsWith("approval failed: name 'admin' is on the deny list", final.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync($"/users/{userId}")).StatusCode);

        var dead = await host.DeadLetterAsync("user-approve-response", operationId);
        Assert.Contains("signature", dead.Headers[KafkaHeaderNames.DeadLetterError]);
        Assert.Equal("user-service", dead.Headers[KafkaHeaderNames.DeadLetterConsumerGroup]);
    }

    [Fact]
    public async Task A_negative_quantity_on_order_create_leaves_stock_unchanged_and_is_dead_lettered_with_its_reason()
    {
        var before = await host.StockAsync("unicorn");
        var orderId = Guid.NewGuid();
        host.Kcat("order-create", orderId,
            $$"""{"orderId":"{{orderId}}","customerId":"c-1","items":[{"sku":"unicorn","quantity":-50}],"submittedAt":"2026-12-01T10:00:00Z"}""");

        var dead = await host.DeadLetterAsync("order-create", orderId);
        Assert.Contains("quantity must be between 1 and 1000", dead.Headers[KafkaHeaderNames.DeadLetterError]);

        // An order after it goes through: the partition went on past the refused record.
        var next = await host.PostAsync("/operations/order-create", """{"customerId":"c-1","items":[{"sku":"apple","quantity":1}]}""");
        Assert.Equal("completed", (await host.FinalAsync(next, TimeSpan.FromSeconds(30))).GetProperty("status").GetString());
        Assert.Equal(before, await host.StockAsync("unicorn"));
    }

    public static TheoryData<string, string, string> RecordsTheApiWouldRefuse => new()
    {
        // topic, JSON with {id} for the record's id, the API's reason (OperationRequestValidation)
        { "user-create", $$"""{"operationId":"{id}","name":"{{new string('n', 101)}}","email":null}""", "name must be at most 100 characters" },
        { "user-create", """{"operationId":"{id}","name":"ha\u0001ns","email":null}""", "name must not contain control characters" },
        { "user-create", """{"operationId":"{id}","name":"  ","email":null}""", "name is required" },
        { "user-create", """{"operationId":"{id}","name":"x","email":"a\u0000@b.co"}""", "email must not contain control characters" },
        { "user-create", """{"operationId":"{id}","name":"x","email":"nope"}""", "email must be an address" },
        { "order-create", Order("""{"sku":"apple","quantity":0}"""), "quantity must be between 1 and 1000" },
        { "order-create", Order("""{"sku":"apple","quantity":1001}"""), "quantity must be between 1 and 1000" },
        { "order-create", Order(string.Join(",", Enumerable.Repeat("""{"sku":"apple","quantity":1}""", 51))), "items must list at most 50 items" },
        { "order-create", Order(""), "items must list at least one item" },
        { "order-create", Order($$"""{"sku":"{{new string('s', 65)}}","quantity":1}"""), "sku must be at most 64 characters" },
    };

    static string Order(string items) =>
        $$$"""{"orderId":"{id}","customerId":"c-1","items":[{{{items}}}],"submittedAt":"2026-12-01T10:00:00Z"}""";

    [Theory]
    [MemberData(nameof(RecordsTheApiWouldRefuse))]
    public async Task An_entry_record_the_HTTP_API_would_refuse_is_dead_lettered_with_the_APIs_reason(string topic, string json, string reason)
    {
        var id = Guid.NewGuid();
        RawKafka.ProduceRaw(host.Bootstrap, topic, id.ToString(), Encoding.UTF8.GetBytes(json.Replace("{id}", id.ToString())));

        var dead = await host.DeadLetterAsync(topic, id);
        Assert.Contains(reason, dead.Headers[KafkaHeaderNames.DeadLetterError]);
    }

    public static TheoryData<string> InternalTopics() => [.. RoleCatalog.Topics.Definitions.Where(t => !t.IsEntry).Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(InternalTopics))]
    public async Task An_unsigned_record_on_an_internal_topic_is_dead_lettered_naming_the_topics_producer(string topic)
    {
        var id = Guid.NewGuid();
        var definition = RoleCatalog.Topics.Definitions.Single(t => t.Name == topic);
        RawKafka.ProduceRaw(host.Bootstrap, topic, id.ToString(), Encoding.UTF8.GetBytes($$"""{"orderId":"{{id}}","operationId":"{{id}}"}"""));

        var dead = await host.DeadLetterAsync(topic, id);
        Assert.Contains($"only {definition.Producer} writes {topic}", dead.Headers[KafkaHeaderNames.DeadLetterError]);
    }

    [Fact]
    public async Task A_payment_signed_with_another_services_key_changes_nothing()
    {
        // A compromised approval service holds its own key, not payment's: it cannot confirm a charge.
        var orderId = await host.PostAsync("/operations/order-create", """{"customerId":"c-1","items":[{"sku":"laptop","quantity":1}]}""");
        var keys = host.App.Services.GetRequiredService<SigningKeyRing>();
        var approvalAsPayment = new RecordSignatures(RoleCatalog.Topics, SigningKeyRing.Create(
            new SigningOptions { Keys = new() { ["payment"] = Encoding.UTF8.GetString(keys.SigningKey("approval")!) } }, [], false));
        var value = JsonSerializer.SerializeToUtf8Bytes(new PaymentCharged(orderId, 1299.00m), WireJson.Options);
        var headers = new OutgoingRecords(approvalAsPayment, new MessageKeySelector()).HeadersOf(
            new OutgoingRecord(Topics.PaymentEvent, orderId.ToString(), value, nameof(PaymentCharged), Guid.NewGuid()));
        RawKafka.ProduceRaw(host.Bootstrap, Topics.PaymentEvent, orderId.ToString(), value,
            [.. headers.Select(h => (h.Key, Encoding.UTF8.GetString(h.GetValueBytes())))]);

        // The laptop is over the payment limit: the real payment service declines it, whatever was forged.
        var final = await host.FinalAsync(orderId, TimeSpan.FromSeconds(30));
        Assert.Equal("failed", final.GetProperty("status").GetString());
        Assert.StartsWith("payment declined", final.GetProperty("error").GetString());
        var dead = await host.DeadLetterAsync(Topics.PaymentEvent, orderId);
        Assert.Contains("not payment's", dead.Headers[KafkaHeaderNames.DeadLetterError]);
    }
}
