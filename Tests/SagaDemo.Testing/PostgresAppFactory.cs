using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace SagaDemo.Testing;

/// <summary>The whole host in process (in-memory transport) with <c>ConnectionStrings:Postgres</c> set.</summary>
public sealed class PostgresAppFactory(string? connectionString, IReadOnlyDictionary<string, string>? settings = null)
    : SagaDemoHostFactory([
        .. connectionString is null ? [] : new[] { KeyValuePair.Create("ConnectionStrings:Postgres", connectionString) },
        new("UserRegistration:DeadlineCheckInterval", "00:00:00.200"),
        .. QuickWith(settings)]);

public static class OperationClientExtensions
{
    /// <summary>POSTs an operation and returns its id.</summary>
    public static async Task<Guid> StartAsync(this HttpClient client, string path, string json)
    {
        var response = await client.PostAsync(path, new StringContent(json, global::System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(global::System.Net.HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public static async Task<JsonElement> GetOperationAsync(this HttpClient client, Guid id) =>
        await client.GetFromJsonAsync<JsonElement>($"/operations/{id}");

    /// <summary>Polls until the operation is no longer pending.</summary>
    public static Task<JsonElement> FinishedAsync(this HttpClient client, Guid id, TimeSpan? timeout = null) =>
        Eventually.Until(() => client.GetOperationAsync(id), o => o.GetProperty("status").GetString() != "pending", timeout,
            $"operation {id} finished");

    public static async Task<JsonElement> RunAsync(this HttpClient client, string path, string json) =>
        await client.FinishedAsync(await client.StartAsync(path, json));
}
