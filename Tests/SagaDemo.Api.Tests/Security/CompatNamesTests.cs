using System.Net;
using System.Text.RegularExpressions;
using SagaDemo.Api.Tests.Api;

namespace SagaDemo.Api.Tests.Security;

/// <summary>
/// The compatibility route takes any operation name and answers "operation not allowed" for all but user-create,
/// as the original demo did. Random names must neither grow the metrics (one series per name) nor the store.
/// </summary>
public sealed partial class CompatNamesTests(SagaDemoApiFactory factory) : IClassFixture<SagaDemoApiFactory>
{
    const int Names = 300;

    [Fact]
    public async Task Random_operation_names_add_at_most_a_handful_of_series_and_only_the_newest_refusals_are_kept()
    {
        var client = factory.CreateClient();
        var uuids = new List<string>();
        for (var i = 0; i < Names; i++)
        {
            using var response = await client.PostJsonAsync($"/operation/create/{Guid.NewGuid():N}", """{"name":"hans"}""");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var envelope = await response.JsonAsync();
            Assert.Equal("operation not allowed", envelope.GetProperty("error").GetString());
            uuids.Add(envelope.GetProperty("uuid").GetString()!);
        }

        var metrics = await client.GetStringAsync("/metrics");
        var types = OperationTypeLabel().Matches(metrics).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.True(types.Count <= 3, $"operation metrics carry {types.Count} type labels: {string.Join(", ", types.Take(10))}");
        Assert.Contains("other", types);

        // The newest refusal is kept (its client can read it back, as the original demo allowed); the oldest are not.
        Assert.Equal(uuids[^1], (await (await client.GetAsync($"/operation/get/{uuids[^1]}")).JsonAsync()).GetProperty("uuid").GetString());
        Assert.Equal("{}", await client.GetStringAsync($"/operation/get/{uuids[0]}"));
    }

    [GeneratedRegex("""^sagademo_operations?_[a-z_]+\{[^}]*type="([^"]*)"[^}]*\}""", RegexOptions.Multiline)]
    private static partial Regex OperationTypeLabel();
}
