using System.Net;
using SagaDemo.Api.Tests.Api;

namespace SagaDemo.Api.Tests.Security;

public sealed class RateLimitedApiFactory : SecuredApiFactory
{
    protected override IEnumerable<KeyValuePair<string, string>> MoreSettings =>
        [new("RateLimiting:PermitsPerSecond", "1"), new("RateLimiting:Burst", "2")];
}

public sealed class RateLimitingTests(RateLimitedApiFactory factory) : IClassFixture<RateLimitedApiFactory>
{
    const string UserBody = """{"name":"hans"}""";

    [Fact]
    public async Task Posts_over_a_clients_burst_get_429_problem_with_retry_after_while_other_clients_and_reads_go_on()
    {
        var shop = factory.ClientWithKey(SecuredApiFactory.ShopKey);
        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 6; i++)
            responses.Add(await shop.PostJsonAsync("/operations/user-create", UserBody));

        var accepted = responses.Count(r => r.StatusCode == HttpStatusCode.Accepted);
        var limited = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        // Burst 2, plus at most one token refilled during the burst of requests.
        Assert.InRange(accepted, 2, 3);
        Assert.Equal(6 - accepted, limited.Count);
        Assert.Equal(HttpStatusCode.Accepted, responses[0].StatusCode);
        var rejection = limited[0];
        Assert.Equal("application/problem+json", rejection.Content.Headers.ContentType?.MediaType);
        Assert.Equal(429, (await rejection.JsonAsync()).GetProperty("status").GetInt32());
        Assert.InRange(rejection.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 2);

        // Reads have their own, larger bucket, and another client has its own buckets.
        var id = (await responses[0].JsonAsync()).GetProperty("id").GetGuid();
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.OK, (await shop.GetAsync($"/operations/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted,
            (await factory.ClientWithKey(SecuredApiFactory.BackofficeKey).PostJsonAsync("/operations/user-create", UserBody)).StatusCode);
    }

    [Fact]
    public async Task Reads_over_a_clients_read_burst_get_429()
    {
        var backoffice = factory.ClientWithKey(SecuredApiFactory.BackofficeKey);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 40; i++)
            statuses.Add((await backoffice.GetAsync($"/operations/{Guid.NewGuid()}")).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, statuses[0]);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }

    [Fact]
    public async Task Failed_authentications_count_against_the_callers_address()
    {
        // Guessing keys: every wrong key is a request the limiter sees, so guessing is as slow as the anonymous budget.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 40; i++)
            statuses.Add((await factory.ClientWithKey($"guess-{i}").GetAsync($"/operations/{Guid.NewGuid()}")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, statuses[0]);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }
}
