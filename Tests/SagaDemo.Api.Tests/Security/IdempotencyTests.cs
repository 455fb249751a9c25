using System.Net;
using System.Text;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using SagaDemo.Contracts.Users;
using SagaDemo.Services.Operations;
using SagaDemo.Api.Tests.Api;

namespace SagaDemo.Api.Tests.Security;

/// <summary>Idempotency-Key on the POST routes (access control off: every caller is the same anonymous client).</summary>
public sealed class IdempotencyTests(SagaDemoApiFactory factory) : IClassFixture<SagaDemoApiFactory>
{
    const string User = "/operations/user-create";
    const string UserBody = """{"name":"hans","email":"hans@example.com"}""";

    static HttpRequestMessage Post(string path, string body, params string[] keys)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (var key in keys)
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return request;
    }

    [Fact]
    public async Task A_repeated_key_answers_202_with_the_same_operation_in_its_current_state()
    {
        var client = factory.CreateClient();
        var key = Guid.NewGuid().ToString();
        var first = await client.SendAsync(Post(User, UserBody, key));
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var id = (await first.JsonAsync()).GetProperty("id").GetGuid();
        await client.PollAsync($"/operations/{id}", o => o.GetProperty("status").GetString() != "pending");

        // Same body up to whitespace: a retry.
        var again = await client.SendAsync(Post(User, UserBody.Replace(",", ", "), key));

        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal($"/operations/{id}", again.Headers.Location!.ToString());
        var view = await again.JsonAsync();
        Assert.Equal(id, view.GetProperty("id").GetGuid());
        Assert.Equal("completed", view.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_repeated_key_with_a_different_request_is_422()
    {
        var client = factory.CreateClient();
        var key = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.Accepted, (await client.SendAsync(Post(User, UserBody, key))).StatusCode);

        foreach (var other in new[]
                 {
                     Post(User, """{"name":"fritz","email":"hans@example.com"}""", key),
                     Post("/operations/order-create", """{"customerId":"c-1","items":[{"sku":"apple","quantity":1}]}""", key),
                 })
        {
            var response = await client.SendAsync(other);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("Idempotency-Key reused with a different request", (await response.JsonAsync()).GetProperty("title").GetString());
        }
    }

    [Fact]
    public async Task Compat_create_with_a_repeated_key_answers_200_with_the_same_envelope()
    {
        var client = factory.CreateClient();
        var key = Guid.NewGuid().ToString();
        foreach (var path in new[] { "/operation/create/user-create", "/operation/create/user-delete" })
        {
            var first = await client.SendAsync(Post(path, UserBody, key + path));
            var again = await client.SendAsync(Post(path, UserBody, key + path));
            Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, again.StatusCode));
            Assert.Equal((await first.JsonAsync()).GetProperty("uuid").GetString(), (await again.JsonAsync()).GetProperty("uuid").GetString());
        }
        var reused = await client.SendAsync(Post("/operation/create/user-create", """{"name":"other"}""", key + "/operation/create/user-create"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
    }

    [Theory]
    [InlineData("caf\u00e9")]
    [InlineData("tab\there")]
    [InlineData("del\u007f")]
    public async Task A_malformed_key_is_400(string key)
    {
        var response = await factory.CreateClient().SendAsync(Post(User, UserBody, key));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("", false)]
    [InlineData(" ", true)]
    [InlineData("a b", true)]
    [InlineData("~!#$%&'*+-.^_`|", true)]
    [InlineData("line\nbreak", false)]
    public void Key_format_is_printable_ascii(string key, bool valid)
    {
        var http = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        http.Request.Headers["Idempotency-Key"] = key;
        var (read, problem) = IdempotencyKey.Read(http.Request);
        Assert.Equal(valid, problem is null);
        Assert.Equal(valid ? key : null, read);
    }

    [Fact]
    public async Task Key_length_limits_are_1_to_128_and_one_header()
    {
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Accepted, (await client.SendAsync(Post(User, UserBody, new string('k', 127) + Guid.NewGuid().ToString("N")[..1]))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(Post(User, UserBody, new string('k', 129)))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(Post(User, UserBody, "a", "b"))).StatusCode);
    }

    [Fact]
    public async Task Concurrent_posts_with_one_key_create_one_operation()
    {
        var client = factory.CreateClient();
        var key = Guid.NewGuid().ToString();
        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => client.SendAsync(Post(User, UserBody, key)))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.JsonAsync()).GetProperty("id").GetGuid()));
        Assert.Single(ids.Distinct());
    }

    [Fact]
    public async Task Concurrent_launches_with_one_key_publish_one_message()
    {
        await using var provider = new ServiceCollection()
            .AddMassTransitTestHarness()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<IOperationStore, InMemoryOperationStore>()
            .AddScoped<IOperationLauncher, PublishingOperationLauncher>()
            .BuildServiceProvider(true);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        var now = DateTimeOffset.UtcNow;

        var launched = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            await using var scope = provider.CreateAsyncScope();
            var operation = new Operation(NewId.NextGuid(), OperationTypes.UserCreate, OperationStatus.Pending, now, now,
                System.Text.Json.JsonSerializer.SerializeToElement(new { name = "hans" }), null, null, null)
            {
                IdempotencyKey = "k", RequestHash = "h",
            };
            return await scope.ServiceProvider.GetRequiredService<IOperationLauncher>()
                .LaunchAsync(operation, new UserCreateRequested(operation.Id, "hans", null), default);
        })));

        Assert.Single(launched.Select(o => o.Id).Distinct());
        Assert.Single(harness.Published.Select<UserCreateRequested>());
    }
}
