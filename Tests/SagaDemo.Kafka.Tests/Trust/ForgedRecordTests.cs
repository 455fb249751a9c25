using System.Net;
using System.Text.Json;
using SagaDemo.Kafka.Topology;

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
}
