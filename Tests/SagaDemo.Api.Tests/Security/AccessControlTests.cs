using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using SagaDemo.Testing;
using SagaDemo.Api.Tests.Api;

namespace SagaDemo.Api.Tests.Security;

public sealed class AccessControlTests(SecuredApiFactory factory) : IClassFixture<SecuredApiFactory>
{
    const string UserBody = """{"name":"hans","email":"hans@example.com"}""";

    public static TheoryData<string, string> ProtectedRoutes => new()
    {
        { "POST", "/operations/user-create" },
        { "POST", "/operations/order-create" },
        { "GET", "/operations/6c1f8e0e-7d55-4b0e-9a55-0d6f4b0e9a55" },
        { "POST", "/operation/create/user-create" },
        { "GET", "/operation/get/6c1f8e0e-7d55-4b0e-9a55-0d6f4b0e9a55" },
        { "GET", "/users/6c1f8e0e-7d55-4b0e-9a55-0d6f4b0e9a55" },
        { "GET", "/inventory" },
        { "GET", "/statistics" },
    };

    [Theory]
    [MemberData(nameof(ProtectedRoutes))]
    public async Task Without_a_valid_key_every_business_route_answers_401_problem_with_a_challenge(string method, string path)
    {
        foreach (var key in new[] { null, "wrong-key", "", new string('k', 5000), SecuredApiFactory.ShopKey[..^1], "shop" })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method == "POST")
                request.Content = new StringContent(UserBody, System.Text.Encoding.UTF8, "application/json");
            using var response = await factory.ClientWithKey(key).SendAsync(request);

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(401, (await response.JsonAsync()).GetProperty("status").GetInt32());
            Assert.Equal("ApiKey header=\"X-Api-Key\"", response.Headers.WwwAuthenticate.ToString());
        }
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/metrics")]
    public async Task Health_and_metrics_stay_open(string path)
    {
        // Polled: /health/ready answers 503 until the Kafka consumer groups have joined, a few seconds after start.
        var client = factory.ClientWithKey(null);
        var status = await Eventually.ValueAsync(async () => (await client.GetAsync(path)).StatusCode, s => s == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task A_caller_sees_its_own_operations_and_another_callers_id_is_unknown()
    {
        var shop = factory.ClientWithKey(SecuredApiFactory.ShopKey);
        var backoffice = factory.ClientWithKey(SecuredApiFactory.BackofficeKey);

        var created = await shop.PostJsonAsync("/operations/user-create", UserBody);
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        var id = (await created.JsonAsync()).GetProperty("id").GetGuid();

        Assert.Equal(HttpStatusCode.OK, (await shop.GetAsync($"/operations/{id}")).StatusCode);
        var foreign = await backoffice.GetAsync($"/operations/{id}");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal("application/problem+json", foreign.Content.Headers.ContentType?.MediaType);
        // Exactly the answer for an id nobody has.
        var unknown = await backoffice.GetAsync($"/operations/{Guid.NewGuid()}");
        Assert.Equal((await unknown.JsonAsync()).GetProperty("title").GetString(), (await foreign.JsonAsync()).GetProperty("title").GetString());

        Assert.Equal(id.ToString(), (await (await shop.GetAsync($"/operation/get/{id}")).JsonAsync()).GetProperty("uuid").GetString());
        var compatForeign = await backoffice.GetAsync($"/operation/get/{id}");
        Assert.Equal(HttpStatusCode.OK, compatForeign.StatusCode);
        Assert.Equal("{}", await compatForeign.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_user_is_visible_only_to_the_client_that_created_it()
    {
        var shop = factory.ClientWithKey(SecuredApiFactory.ShopKey);
        var backoffice = factory.ClientWithKey(SecuredApiFactory.BackofficeKey);
        var created = await shop.PostJsonAsync("/operations/user-create", UserBody);
        var operation = await shop.PollAsync(created.Headers.Location!.ToString(), o => o.GetProperty("status").GetString() != "pending");
        Assert.Equal("completed", operation.GetProperty("status").GetString());
        var userId = operation.GetProperty("result").GetProperty("userId").GetGuid();

        Assert.Equal(HttpStatusCode.OK, (await shop.GetAsync($"/users/{userId}")).StatusCode);
        var foreign = await backoffice.GetAsync($"/users/{userId}");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        var unknown = await backoffice.GetAsync($"/users/{Guid.NewGuid()}");
        Assert.Equal((await unknown.JsonAsync()).GetProperty("title").GetString(), (await foreign.JsonAsync()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task Ids_a_caller_sees_are_random_not_time_ordered()
    {
        var shop = factory.ClientWithKey(SecuredApiFactory.ShopKey);
        var ids = new List<Guid>();
        for (var i = 0; i < 2; i++)
        {
            var created = await shop.PostJsonAsync("/operations/user-create", UserBody);
            var operation = await shop.PollAsync(created.Headers.Location!.ToString(), o => o.GetProperty("status").GetString() != "pending");
            ids.Add(operation.GetProperty("id").GetGuid());
            ids.Add(operation.GetProperty("result").GetProperty("userId").GetGuid());
        }
        // RFC 9562 version 4: 122 random bits, so neither the next id nor a neighbour's can be derived from one seen.
        Assert.All(ids, id => Assert.Equal(4, id.Version));
    }

    [Fact]
    public async Task Readiness_tells_anonymous_callers_only_its_status_and_authenticated_ones_which_check_is_which()
    {
        var anonymous = factory.ClientWithKey(null);
        var body = await Eventually.ValueAsync(async () => await (await anonymous.GetAsync("/health/ready")).JsonAsync(),
            b => b.GetProperty("status").GetString() == "Healthy", TimeSpan.FromSeconds(30));
        Assert.Equal(["status"], body.EnumerateObject().Select(p => p.Name));

        var detailed = await (await factory.ClientWithKey(SecuredApiFactory.ShopKey).GetAsync("/health/ready")).JsonAsync();
        Assert.Contains(detailed.GetProperty("checks").EnumerateArray(), c => c.GetProperty("name").GetString() == "kafka");
    }

    [Fact]
    public async Task Compat_create_records_the_owner_too()
    {
        var shop = factory.ClientWithKey(SecuredApiFactory.ShopKey);
        var created = await shop.PostJsonAsync("/operation/create/user-create", UserBody);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var uuid = (await created.JsonAsync()).GetProperty("uuid").GetString();

        Assert.Equal(HttpStatusCode.OK, (await shop.GetAsync($"/operations/{uuid}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await factory.ClientWithKey(SecuredApiFactory.BackofficeKey).GetAsync($"/operations/{uuid}")).StatusCode);
    }

    [Fact]
    public async Task Idempotency_keys_are_per_client()
    {
        var shop = factory.ClientWithKey(SecuredApiFactory.ShopKey);
        var backoffice = factory.ClientWithKey(SecuredApiFactory.BackofficeKey);
        shop.DefaultRequestHeaders.Add("Idempotency-Key", "same-key");
        backoffice.DefaultRequestHeaders.Add("Idempotency-Key", "same-key");

        var first = (await (await shop.PostJsonAsync("/operations/user-create", UserBody)).JsonAsync()).GetProperty("id").GetGuid();
        var other = await backoffice.PostJsonAsync("/operations/user-create", UserBody);

        Assert.Equal(HttpStatusCode.Accepted, other.StatusCode);
        Assert.NotEqual(first, (await other.JsonAsync()).GetProperty("id").GetGuid());
    }

    [Theory]
    [InlineData("Jwt", null, "Auth:Jwt:Audience is not set")]
    [InlineData("ApiKey", null, "lists no keys")]
    [InlineData("ApiKey", "not-hex", "KeyHash must be 64 hex digits")]
    public void Access_misconfiguration_stops_the_start(string mode, string? keyHash, string message)
    {
        using var app = new SagaDemoHostFactory([
            new("Auth:Mode", mode),
            .. keyHash is null ? [] : new KeyValuePair<string, string>[] { new("Auth:ApiKeys:0:ClientId", "c"), new("Auth:ApiKeys:0:KeyHash", keyHash) }]);
        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        Assert.Contains(message, error.ToString());
    }
}
