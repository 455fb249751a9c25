using System.Net;
using System.Text.Json;
using SagaDemo.Sagas.UserRegistration;

namespace SagaDemo.Api.Tests.Api;

/// <summary>Both flows through the real host: HTTP, operations, sagas and every service, in one process.</summary>
public sealed class EndToEndTests(SagaDemoApiFactory factory) : IClassFixture<SagaDemoApiFactory>
{
    readonly HttpClient _client = factory.CreateClient();

    async Task<JsonElement> Stock(string sku)
    {
        var inventory = await (await _client.GetAsync("/inventory")).JsonAsync();
        return inventory.EnumerateArray().Single(i => i.GetProperty("sku").GetString() == sku);
    }

    [Fact]
    public async Task User_create_completes_and_the_user_can_be_read()
    {
        var operation = await _client.RunOperationAsync("/operations/user-create", """{"name":"hans","email":"hans@example.com"}""");

        Assert.Equal("completed", operation.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, operation.GetProperty("error").ValueKind);
        var userId = operation.GetProperty("result").GetProperty("userId").GetGuid();

        var user = await _client.GetAsync($"/users/{userId}");
        Assert.Equal(HttpStatusCode.OK, user.StatusCode);
        var body = await user.JsonAsync();
        Assert.Equal("hans", body.GetProperty("name").GetString());
        Assert.Equal("hans@example.com", body.GetProperty("email").GetString());
        Assert.Equal(operation.GetProperty("id").GetGuid(), body.GetProperty("operationId").GetGuid());
        Assert.True(body.TryGetProperty("createdAt", out _));
    }

    [Fact]
    public async Task Denied_name_fails_with_the_reason_and_no_user()
    {
        var operation = await _client.RunOperationAsync("/operations/user-create", """{"name":"Mallory"}""");

        Assert.Equal("failed", operation.GetProperty("status").GetString());
        Assert.Equal($"{UserRegistrationStateMachine.ApprovalFailedError}: name 'Mallory' is on the deny list",
            operation.GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Null, operation.GetProperty("result").ValueKind);
    }

    [Fact]
    public async Task Order_completes_ships_stock_and_counts_in_statistics()
    {
        var keyboardBefore = await Stock("keyboard");
        var statsBefore = await (await _client.GetAsync("/statistics")).JsonAsync();

        var operation = await _client.RunOperationAsync("/operations/order-create",
            """{"customerId":"c-1","items":[{"sku":"keyboard","quantity":2},{"sku":"apple","quantity":4}]}""");

        Assert.Equal("completed", operation.GetProperty("status").GetString());
        var result = operation.GetProperty("result");
        Assert.Equal(operation.GetProperty("id").GetGuid(), result.GetProperty("orderId").GetGuid());
        Assert.Equal(101.80m, result.GetProperty("amount").GetDecimal());
        Assert.StartsWith("TRK-", result.GetProperty("trackingNumber").GetString());

        var keyboard = await Stock("keyboard");
        Assert.Equal(keyboardBefore.GetProperty("onHand").GetInt32() - 2, keyboard.GetProperty("onHand").GetInt32());
        Assert.Equal(0, keyboard.GetProperty("reserved").GetInt32());

        // Statistics read topic "order" on their own endpoint; they catch up shortly after the operation.
        var stats = await _client.PollAsync("/statistics", s =>
            s.GetProperty("completed").GetInt64() == statsBefore.GetProperty("completed").GetInt64() + 1);
        Assert.Equal(statsBefore.GetProperty("completed").GetInt64() + 1, stats.GetProperty("completed").GetInt64());
        Assert.Equal(statsBefore.GetProperty("revenue").GetDecimal() + 101.80m, stats.GetProperty("revenue").GetDecimal());
    }

    [Fact]
    public async Task Out_of_stock_order_fails_naming_the_sku()
    {
        var operation = await _client.RunOperationAsync("/operations/order-create",
            """{"customerId":"c-1","items":[{"sku":"book","quantity":1},{"sku":"unicorn","quantity":1}]}""");

        Assert.Equal("failed", operation.GetProperty("status").GetString());
        Assert.Equal("out of stock: SKU 'unicorn': 1 requested, 0 available", operation.GetProperty("error").GetString());
        Assert.Equal(0, (await Stock("book")).GetProperty("reserved").GetInt32());
    }

    [Fact]
    public async Task Declined_payment_fails_and_puts_the_stock_back()
    {
        var laptopBefore = await Stock("laptop");

        var operation = await _client.RunOperationAsync("/operations/order-create",
            """{"customerId":"c-1","items":[{"sku":"laptop","quantity":1}]}""");

        Assert.Equal("failed", operation.GetProperty("status").GetString());
        Assert.Equal("payment declined: amount 1299.00 exceeds the limit of 1000.00", operation.GetProperty("error").GetString());
        var laptop = await Stock("laptop");
        Assert.Equal(laptopBefore.GetProperty("onHand").GetInt32(), laptop.GetProperty("onHand").GetInt32());
        Assert.Equal(0, laptop.GetProperty("reserved").GetInt32());
    }

    [Fact]
    public async Task Compat_user_create_ends_completed_with_the_users_data()
    {
        var created = await _client.PostJsonAsync("/operation/create/user-create", """{"name":"hans"}""");
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var envelope = await created.JsonAsync();
        Assert.Equal("pending", envelope.GetProperty("state").GetString());
        Assert.Equal("user-create", envelope.GetProperty("type").GetString());
        Assert.Equal("hans", envelope.GetProperty("data").GetProperty("name").GetString());
        Assert.Equal("pending", envelope.GetProperty("response").GetProperty("state").GetString());
        var uuid = envelope.GetProperty("uuid").GetString();

        var done = await _client.PollAsync($"/operation/get/{uuid}", e => e.GetProperty("state").GetString() != "pending");

        Assert.Equal("completed", done.GetProperty("state").GetString());
        Assert.Equal("completed", done.GetProperty("response").GetProperty("state").GetString());
        var data = done.GetProperty("data");
        Assert.Equal("hans", data.GetProperty("name").GetString());
        Assert.Equal("true", data.GetProperty("approved").GetString());
        Assert.True(DateTimeOffset.TryParse(data.GetProperty("createdAt").GetString(), out _));
        var userId = data.GetProperty("uuid").GetString();
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync($"/users/{userId}")).StatusCode);
    }

    [Fact]
    public async Task Compat_rejected_user_ends_failed_with_error_and_approved_false()
    {
        var envelope = await (await _client.PostJsonAsync("/operation/create/user-create", """{"name":"root"}""")).JsonAsync();

        var done = await _client.PollAsync($"/operation/get/{envelope.GetProperty("uuid").GetString()}",
            e => e.GetProperty("state").GetString() != "pending");

        Assert.Equal("failed", done.GetProperty("state").GetString());
        Assert.StartsWith("approval failed", done.GetProperty("error").GetString());
        Assert.Equal("failed", done.GetProperty("response").GetProperty("state").GetString());
        Assert.Equal(done.GetProperty("error").GetString(), done.GetProperty("response").GetProperty("error").GetString());
        Assert.Equal("false", done.GetProperty("data").GetProperty("approved").GetString());
    }
}
