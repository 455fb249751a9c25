using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace SagaDemo.Persistence.Tests.System;

/// <summary>The whole host in process (in-memory transport) with <c>ConnectionStrings:Postgres</c> set.</summary>
public sealed class PostgresAppFactory(string? connectionString, IReadOnlyDictionary<string, string>? settings = null)
    : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        if (connectionString is not null)
            builder.UseSetting("ConnectionStrings:Postgres", connectionString);
        builder.UseSetting("Approval:Delay", "00:00:00");
        builder.UseSetting("UserRegistration:DeadlineCheckInterval", "00:00:00.200");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            builder.UseSetting(key, value);
    }
}

public static class OperationClient
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
