using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using SagaDemo.Api.Tests.Api;
using SagaDemo.Api.Tests.Security;
using SagaDemo.Testing;
using Xunit.Abstractions;

namespace SagaDemo.Api.Tests.OpenApi;

/// <summary>
/// GET /openapi/v1.json describes the API, and the API answers as it describes: real requests, valid and invalid,
/// through the whole host, each answer checked against the document (status, content type, JSON Schema).
/// </summary>
public sealed class OpenApiConformanceTests(ConformanceApiFactory factory, ITestOutputHelper output) : IClassFixture<ConformanceApiFactory>
{
    const string UserBody = """{"name":"hans","email":"hans@example.com"}""";
    const string OrderBody = """{"customerId":"c-1","items":[{"sku":"book","quantity":2},{"sku":"apple","quantity":3}]}""";

    [Fact]
    public async Task The_document_is_public_valid_OpenAPI_and_describes_every_route_the_host_maps()
    {
        using var anonymous = factory.CreateClient();
        using var response = await anonymous.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var json = await response.Content.ReadAsStringAsync();

        // Microsoft.OpenApi's reader and its default validation rules: a document other tools can load.
        var read = OpenApiDocument.Parse(json, OpenApiConstants.Json, new OpenApiReaderSettings());
        Assert.Empty(read.Diagnostic?.Errors ?? []);
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, read.Diagnostic?.SpecificationVersion);
        Assert.Empty(read.Document!.Validate(ValidationRuleSet.GetDefaultRuleSet()) ?? []);

        var checker = new ApiDocumentChecker(json);
        var paths = checker.Document["paths"]!.AsObject();
        var routes = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (
                Method: m, Path: "/" + e.RoutePattern.RawText!.TrimStart('/'),
                Excluded: e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>()?.ExcludeFromDescription == true)))
            .ToList();
        foreach (var route in routes)
            output.WriteLine($"{(route.Excluded ? "excluded  " : "documented")} {route.Method} {route.Path}");
        // Every route is in the document unless it says otherwise; the only ones that do are the document itself,
        // the reference page and the catch-all for unknown operation types (the document's description covers it).
        Assert.All(routes.Where(r => !r.Excluded), r => Assert.True(paths[r.Path]?[r.Method.ToLowerInvariant()] is not null, $"{r.Method} {r.Path} is not in the document"));
        Assert.All(routes.Where(r => r.Excluded), r => Assert.True(
            r.Path is "/openapi/v1.json" || r.Path.StartsWith("/scalar", StringComparison.Ordinal) || (r.Method, r.Path) == ("POST", "/operations/{type}"),
            $"{r.Method} {r.Path} is left out of the document"));
        Assert.Contains(routes, r => r.Path == "/operation/create/{name}");
        Assert.Contains(routes, r => r.Path == "/health/ready");

        foreach (var (path, item) in paths)
            foreach (var (method, operation) in item!.AsObject())
            {
                var what = $"{method} {path}";
                Assert.False(string.IsNullOrEmpty((string?)operation!["operationId"]), $"{what}: no operationId");
                Assert.False(string.IsNullOrEmpty((string?)operation["summary"]), $"{what}: no summary");
                var responses = operation["responses"]!.AsObject();
                Assert.Contains(responses, r => r.Key.StartsWith('2') && r.Value!["content"] is not null);
                // Every error answer of the API is a problem document; health reports are the exception (503 = not ready).
                foreach (var (status, answer) in responses.Where(r => r.Key[0] is '4' or '5' && !path.StartsWith("/health", StringComparison.Ordinal)))
                    Assert.Equal(["application/problem+json"], answer!["content"]!.AsObject().Select(c => c.Key));
                // With API keys on, the business routes name the scheme; probes, metrics and the document stay open.
                var secured = operation["security"] is not null;
                Assert.Equal(!path.StartsWith("/health", StringComparison.Ordinal) && path != "/metrics", secured);
                Assert.Equal(secured, responses.ContainsKey("401"));
            }
        Assert.Equal("apiKey", (string?)checker.Document["components"]!["securitySchemes"]!["ApiKey"]!["type"]);
    }

    [Fact]
    public async Task Answers_to_valid_and_invalid_requests_match_the_document()
    {
        var checker = await CheckerAsync();
        var shop = factory.ClientWithKey(SecuredApiFactory.ShopKey);
        var exercised = new List<string>();
        var failures = new List<string>();

        async Task<HttpResponseMessage> Send(HttpStatusCode expected, HttpMethod method, string path, string? body = null,
            string contentType = "application/json", HttpClient? client = null, (string, string)? header = null)
        {
            var request = new HttpRequestMessage(method, path);
            if (body is not null)
            {
                request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
            if (header is var (name, value))
                request.Headers.TryAddWithoutValidation(name, value);
            var response = await (client ?? shop).SendAsync(request);
            if (response.StatusCode != expected)
                failures.Add($"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            if (await checker.CheckAsync(method, path, response) is { } problem)
                failures.Add(problem);
            exercised.Add($"{method} {path.Split('?')[0]} {(int)response.StatusCode}");
            return response;
        }

        // The requests a client may send validate against the documented request schemas.
        foreach (var (template, body) in new[] { ("/operations/user-create", UserBody), ("/operations/order-create", OrderBody),
                     ("/operations/user-create", """{"name":"no-email"}"""), ("/operation/create/{name}", UserBody) })
            if (checker.CheckRequest(HttpMethod.Post, template, body) is { } invalid)
                failures.Add(invalid);

        // Operations API: create, poll pending and final, and every way a client can get it wrong.
        var user = await Send(HttpStatusCode.Accepted, HttpMethod.Post, "/operations/user-create", UserBody);
        var userPath = user.Headers.Location!.ToString();
        await Send(HttpStatusCode.OK, HttpMethod.Get, userPath);
        var final = await shop.PollAsync(userPath, o => o.GetProperty("status").GetString() != "pending");
        await Send(HttpStatusCode.OK, HttpMethod.Get, userPath);
        var userId = final.GetProperty("result").GetProperty("userId").GetString();
        var order = await Send(HttpStatusCode.Accepted, HttpMethod.Post, "/operations/order-create", OrderBody);
        await shop.PollAsync(order.Headers.Location!.ToString(), o => o.GetProperty("status").GetString() != "pending");
        await Send(HttpStatusCode.OK, HttpMethod.Get, order.Headers.Location!.ToString());
        var denied = await Send(HttpStatusCode.Accepted, HttpMethod.Post, "/operations/user-create", """{"name":"admin"}""");
        await shop.PollAsync(denied.Headers.Location!.ToString(), o => o.GetProperty("status").GetString() != "pending");
        await Send(HttpStatusCode.OK, HttpMethod.Get, denied.Headers.Location!.ToString());
        await Send(HttpStatusCode.Accepted, HttpMethod.Post, "/operations/user-create", UserBody, header: ("Idempotency-Key", "conformance-1"));
        await Send(HttpStatusCode.Accepted, HttpMethod.Post, "/operations/user-create", UserBody, header: ("Idempotency-Key", "conformance-1"));
        await Send(HttpStatusCode.UnprocessableEntity, HttpMethod.Post, "/operations/user-create", """{"name":"other"}""", header: ("Idempotency-Key", "conformance-1"));
        await Send(HttpStatusCode.BadRequest, HttpMethod.Post, "/operations/user-create", UserBody, header: ("Idempotency-Key", "\u00e9"));
        await Send(HttpStatusCode.BadRequest, HttpMethod.Post, "/operations/user-create", "{not json");
        await Send(HttpStatusCode.BadRequest, HttpMethod.Post, "/operations/user-create", "[1,2]");
        await Send(HttpStatusCode.BadRequest, HttpMethod.Post, "/operations/user-create", """{"name":""}""");
        await Send(HttpStatusCode.BadRequest, HttpMethod.Post, "/operations/order-create", """{"customerId":"c-1","items":[{"sku":"book","quantity":"2"}]}""");
        await Send(HttpStatusCode.BadRequest, HttpMethod.Post, "/operations/order-create", """{"customerId":"c-1","items":[]}""");
        await Send(HttpStatusCode.RequestEntityTooLarge, HttpMethod.Post, "/operations/user-create", $$"""{"name":"{{new string('x', 70_000)}}"}""");
        await Send(HttpStatusCode.UnsupportedMediaType, HttpMethod.Post, "/operations/user-create", UserBody, "text/plain");
        await Send(HttpStatusCode.BadRequest, HttpMethod.Get, "/operations/not-a-uuid");
        await Send(HttpStatusCode.NotFound, HttpMethod.Get, $"/operations/{Guid.NewGuid()}");
        await Send(HttpStatusCode.NotFound, HttpMethod.Post, "/operations/user-delete", UserBody);
        await Send(HttpStatusCode.MethodNotAllowed, HttpMethod.Put, "/operations/user-create", UserBody);
        await Send(HttpStatusCode.MethodNotAllowed, HttpMethod.Delete, userPath);
        await Send(HttpStatusCode.NotFound, HttpMethod.Get, "/no/such/route");
        await Send(HttpStatusCode.Unauthorized, HttpMethod.Get, userPath, client: factory.ClientWithKey(null));
        await Send(HttpStatusCode.Unauthorized, HttpMethod.Post, "/operations/user-create", UserBody, client: factory.ClientWithKey("wrong-key"));

        // The operations console's reads; a client that is no operator gets only its own operations and no dead letters.
        await Send(HttpStatusCode.OK, HttpMethod.Get, "/operations?type=user-create&status=completed&limit=2");
        await Send(HttpStatusCode.BadRequest, HttpMethod.Get, "/operations?status=done&limit=0");
        await Send(HttpStatusCode.OK, HttpMethod.Get, $"{userPath}/timeline");
        await Send(HttpStatusCode.OK, HttpMethod.Get, $"{order.Headers.Location}/timeline");
        await Send(HttpStatusCode.NotFound, HttpMethod.Get, $"/operations/{Guid.NewGuid()}/timeline");
        await Send(HttpStatusCode.Forbidden, HttpMethod.Get, "/dead-letters");
        await Send(HttpStatusCode.Forbidden, HttpMethod.Post, "/dead-letters/user-create.dead-letter/0/0/replay");
        await Send(HttpStatusCode.Forbidden, HttpMethod.Post, "/dead-letters/user-create.dead-letter/0/0/discard");

        // The original demo's routes and envelope.
        var compat = await Send(HttpStatusCode.OK, HttpMethod.Post, "/operation/create/user-create", UserBody);
        var uuid = (await compat.JsonAsync()).GetProperty("uuid").GetString();
        await shop.PollAsync($"/operation/get/{uuid}", o => o.GetProperty("state").GetString() != "pending");
        await Send(HttpStatusCode.OK, HttpMethod.Get, $"/operation/get/{uuid}");
        await Send(HttpStatusCode.OK, HttpMethod.Post, "/operation/create/user-delete", UserBody);
        await Send(HttpStatusCode.OK, HttpMethod.Get, $"/operation/get/{Guid.NewGuid()}");
        await Send(HttpStatusCode.OK, HttpMethod.Get, "/operation/get/not-a-uuid");
        await Send(HttpStatusCode.BadRequest, HttpMethod.Post, "/operation/create/user-create", """{"name":" "}""");
        await Send(HttpStatusCode.UnsupportedMediaType, HttpMethod.Post, "/operation/create/user-create", UserBody, "application/xml");

        // The other services' reads, probes and metrics.
        await Send(HttpStatusCode.OK, HttpMethod.Get, $"/users/{userId}");
        await Send(HttpStatusCode.BadRequest, HttpMethod.Get, "/users/42");
        await Send(HttpStatusCode.NotFound, HttpMethod.Get, $"/users/{Guid.NewGuid()}");
        await Send(HttpStatusCode.OK, HttpMethod.Get, "/inventory");
        await Send(HttpStatusCode.OK, HttpMethod.Get, "/statistics");
        await Send(HttpStatusCode.OK, HttpMethod.Get, "/health/live");
        await Send(HttpStatusCode.OK, HttpMethod.Get, "/metrics");
        // Ready once the Kafka consumer groups have joined, a few seconds after start.
        await Eventually.ValueAsync(async () => (await shop.GetAsync("/health/ready")).StatusCode, s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(30));
        await Send(HttpStatusCode.OK, HttpMethod.Get, "/health/ready");

        // Past the client's rate limit: 429 (another client, so the requests above are not limited).
        // All at once, so that a slow machine cannot refill the bucket between them.
        var backoffice = factory.ClientWithKey(SecuredApiFactory.BackofficeKey);
        var burst = await Task.WhenAll(Enumerable.Range(0, ConformanceApiFactory.PermitsPerSecond * 3)
            .Select(_ => backoffice.PostJsonAsync("/operations/user-create", UserBody)));
        var limited = burst.FirstOrDefault(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        if (limited is null)
            failures.Add($"POST /operations/user-create: no 429 among {burst.Length} requests sent at once");
        else if (await checker.CheckAsync(HttpMethod.Post, "/operations/user-create", limited) is { } problem)
            failures.Add(problem);
        exercised.Add("POST /operations/user-create 429");

        output.WriteLine(string.Join("\n", exercised));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task A_storage_outage_answers_503_as_documented()
    {
        await using var outage = new StorageOutageApiFactory();
        var client = outage.ClientWithKey(SecuredApiFactory.ShopKey);
        var checker = new ApiDocumentChecker(await client.GetStringAsync("/openapi/v1.json"), UnknownOperationType);
        foreach (var (path, body) in new[] { ("/operations/user-create", UserBody), ("/operations/order-create", OrderBody), ("/operation/create/user-create", UserBody) })
        {
            using var response = await client.PostJsonAsync(path, body);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.True(response.Headers.RetryAfter is not null, $"{path}: no Retry-After");
            Assert.Null(await checker.CheckAsync(HttpMethod.Post, path, response));
        }
    }

    [Fact]
    public async Task Answers_to_1200_generated_requests_match_the_document()
    {
        var checker = await CheckerAsync();
        var client = factory.CreateClient();
        var failures = new List<string>();
        var cases = new BadInputGenerator(GeneratedBadInputTests.Seed, SecuredApiFactory.ShopKey).Generate(GeneratedBadInputTests.Count).ToList();
        foreach (var generated in cases)
        {
            using var request = GeneratedBadInputTests.ToRequest(generated);
            using var response = await client.SendAsync(request);
            if (await checker.CheckAsync(request.Method, generated.Path, response) is { } problem)
                failures.Add($"{problem}\n    for {generated}");
        }
        output.WriteLine($"{cases.Count} generated requests, {failures.Count} answers not as documented");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(30)));
    }

    async Task<ApiDocumentChecker> CheckerAsync() =>
        new(await factory.CreateClient().GetStringAsync("/openapi/v1.json"), UnknownOperationType);

    /// <summary>
    /// The document's description: POST /operations/{any other type} is 404 (a catch-all, not an operation). Being a
    /// business route, it is authenticated and rate limited like the others first.
    /// </summary>
    internal static int[]? UnknownOperationType(HttpMethod method, string[] segments) =>
        method == HttpMethod.Post && segments is ["", "operations", { Length: > 0 }] ? [404, 401, 429] : null;
}
