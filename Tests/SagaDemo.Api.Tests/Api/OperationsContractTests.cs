using System.Net;
using System.Text.Json;

namespace SagaDemo.Api.Tests.Api;

/// <summary>The status codes and headers of the HTTP contract.</summary>
public sealed class OperationsContractTests(SagaDemoApiFactory factory) : IClassFixture<SagaDemoApiFactory>
{
    readonly HttpClient _client = factory.CreateClient();

    [Theory]
    [InlineData("/operations/user-create", """{"name":"hans","email":"hans@example.com"}""", "user-create")]
    [InlineData("/operations/order-create", """{"customerId":"c-1","items":[{"sku":"apple","quantity":1}]}""", "order-create")]
    public async Task Create_answers_202_with_location_retry_after_and_the_operation(string path, string json, string type)
    {
        var response = await _client.PostJsonAsync(path, json);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        var body = await response.JsonAsync();
        var id = body.GetProperty("id").GetGuid();
        Assert.Equal($"/operations/{id}", response.Headers.Location?.ToString());
        Assert.Equal(type, body.GetProperty("type").GetString());
        Assert.Equal("pending", body.GetProperty("status").GetString());
        foreach (var field in new[] { "createdAt", "updatedAt", "result", "error" })
            Assert.True(body.TryGetProperty(field, out _), field);

        var get = await _client.GetAsync($"/operations/{id}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(id, (await get.JsonAsync()).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Unknown_operation_is_404_problem()
    {
        var response = await _client.GetAsync($"/operations/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Unknown_user_is_404_problem()
    {
        var response = await _client.GetAsync($"/users/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Compat_unknown_uuid_is_an_empty_object()
    {
        foreach (var uuid in new[] { Guid.NewGuid().ToString(), "not-a-uuid" })
        {
            var response = await _client.GetAsync($"/operation/get/{uuid}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("{}", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Compat_other_operation_is_stored_failed_and_not_run()
    {
        var response = await _client.PostJsonAsync("/operation/create/user-delete", """{"name":"hans"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var envelope = await response.JsonAsync();
        Assert.Equal("failed", envelope.GetProperty("state").GetString());
        Assert.Equal("operation not allowed", envelope.GetProperty("error").GetString());
        Assert.Equal("user-delete", envelope.GetProperty("type").GetString());
        Assert.Equal("hans", envelope.GetProperty("data").GetProperty("name").GetString());
        Assert.Equal("failed", envelope.GetProperty("response").GetProperty("state").GetString());
        Assert.Equal("operation not allowed", envelope.GetProperty("response").GetProperty("error").GetString());

        var stored = await (await _client.GetAsync($"/operation/get/{envelope.GetProperty("uuid").GetString()}")).JsonAsync();
        Assert.Equal(envelope.ToString(), stored.ToString());
    }

    [Fact]
    public async Task Inventory_and_statistics_answer()
    {
        var inventory = await (await _client.GetAsync("/inventory")).JsonAsync();
        Assert.Equal(JsonValueKind.Array, inventory.ValueKind);
        var first = inventory[0];
        foreach (var field in new[] { "sku", "name", "unitPrice", "onHand", "reserved" })
            Assert.True(first.TryGetProperty(field, out _), field);

        var stats = await (await _client.GetAsync("/statistics")).JsonAsync();
        foreach (var field in new[] { "completed", "cancelled", "revenue" })
            Assert.True(stats.TryGetProperty(field, out _), field);
    }
}
