using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Xunit.Abstractions;

namespace SagaDemo.Api.Tests.Security;

/// <summary>
/// Generated requests (seeded, so every run sends the same ones) against the whole app with API keys on, once with
/// in-memory state and once on PostgreSQL (whose columns cannot hold everything a JSON string can): no answer is a
/// 5xx, every 4xx is an application/problem+json whose status matches, 2xx only for requests that are valid.
/// Reproduce: dotnet test Tests/SagaDemo.Api.Tests --filter GeneratedBadInput --logger "console;verbosity=detailed".
/// </summary>
public abstract class GeneratedBadInputTests(SecuredApiFactory factory, ITestOutputHelper output)
{
    public const int Seed = 20260515;
    public const int Count = 1200;

    [Fact]
    public async Task A_NUL_in_an_email_address_is_a_400_problem()
    {
        var client = factory.ClientWithKey(SecuredApiFactory.ShopKey);
        foreach (var path in new[] { "/operations/user-create", "/operation/create/user-create" })
        {
            using var response = await client.PostAsync(path,
                new StringContent("""{"name":"x","email":"a\u0000@b.co"}""", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Generated_requests_get_problems_never_server_errors()
    {
        var client = factory.CreateClient();
        var clock = Stopwatch.StartNew();
        var byStatus = new SortedDictionary<int, int>();
        var byCategory = new SortedDictionary<string, int>();
        var failures = new List<string>();

        var cases = new BadInputGenerator(Seed, SecuredApiFactory.ShopKey).Generate(Count).ToList();
        foreach (var generated in cases)
        {
            using var request = ToRequest(generated);
            using var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            byStatus[status] = byStatus.GetValueOrDefault(status) + 1;
            byCategory[generated.Category] = byCategory.GetValueOrDefault(generated.Category) + 1;
            if (await ProblemWith(generated, response) is { } problem)
                failures.Add($"{status} {problem}: {generated}");
        }

        output.WriteLine($"{cases.Count} generated cases (seed {Seed}) in {clock.Elapsed.TotalSeconds:F1} s");
        output.WriteLine("status distribution: " + string.Join(", ", byStatus.Select(s => $"{s.Key}: {s.Value}")));
        output.WriteLine("categories: " + string.Join(", ", byCategory.Select(c => $"{c.Key}: {c.Value}")));
        Assert.True(cases.Count >= 1000);
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} cases failed:\n" + string.Join("\n", failures.Take(30)));
    }

    static async Task<string?> ProblemWith(GeneratedCase generated, HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        if (status >= 500)
            return "server error";
        if (generated.Expect == Expect.Success && status is < 200 or >= 300)
            return "expected 2xx";
        if (generated.Expect == Expect.ClientError && status is < 400 or >= 500)
            return "expected 4xx";
        if (status < 400 || generated.Method == "HEAD")
            return null;
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            return $"4xx with content type {response.Content.Headers.ContentType}";
        try
        {
            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            return problem.GetProperty("status").GetInt32() == status ? null : "problem status differs";
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return "4xx body is no problem document";
        }
    }

    internal static HttpRequestMessage ToRequest(GeneratedCase generated)
    {
        var request = new HttpRequestMessage(new HttpMethod(generated.Method), generated.Path);
        if (generated.Body is not null)
        {
            request.Content = new ByteArrayContent(generated.Body);
            if (generated.ContentType is not null)
                request.Content.Headers.TryAddWithoutValidation("Content-Type", generated.ContentType);
        }
        foreach (var (name, value) in generated.Headers)
            request.Headers.TryAddWithoutValidation(name, value);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }
}

public sealed class GeneratedBadInputInMemoryTests(SecuredApiFactory factory, ITestOutputHelper output)
    : GeneratedBadInputTests(factory, output), IClassFixture<SecuredApiFactory>;

public sealed class GeneratedBadInputPostgresTests(SecuredPostgresApiFactory factory, ITestOutputHelper output)
    : GeneratedBadInputTests(factory, output), IClassFixture<SecuredPostgresApiFactory>;
