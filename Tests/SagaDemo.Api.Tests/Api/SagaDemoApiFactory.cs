using System.Net.Http.Json;
using System.Text.Json;
using SagaDemo.Testing;

namespace SagaDemo.Api.Tests.Api;

/// <summary>The whole host in process (every role, in-memory transport) with no approval delay.</summary>
public class SagaDemoApiFactory()
    : SagaDemoHostFactory([new("Approval:Delay", "00:00:00"), new("UserRegistration:DeadlineCheckInterval", "00:00:00.200")]);

public static class ApiClientExtensions
{
    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, string json) =>
        client.PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>Creates an operation and polls it until it is no longer pending.</summary>
    public static async Task<JsonElement> RunOperationAsync(this HttpClient client, string path, string json)
    {
        var created = await client.PostJsonAsync(path, json);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, created.StatusCode);
        var location = created.Headers.Location!.ToString();
        return await client.PollAsync(location, o => o.GetProperty("status").GetString() != "pending");
    }

    public static Task<JsonElement> PollAsync(this HttpClient client, string path, Func<JsonElement, bool> done) =>
        Eventually.ValueAsync(async () => await (await client.GetAsync(path)).JsonAsync(), done);
}
