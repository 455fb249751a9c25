using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using SagaDemo.Testing;

namespace SagaDemo.Persistence.Tests.Security;

/// <summary>
/// Secrets from configuration (the database password, API keys) and keys callers present never reach the
/// logs, at any level, on success or failure, including a database that cannot be reached.
/// </summary>
public sealed class SecretsInLogsTests(PostgresServerFixture fixture) : PostgresTestBase(fixture)
{
    const string DbPassword = "Pg-Secret-5b1e0c9a";
    const string ApiKey = "Api-Secret-91f3d7e2";
    const string WrongKey = "Api-Wrong-0c44aa71";

    static SagaDemoHostFactory App(string connectionString, LogCapture logs) => new([
        new("ConnectionStrings:Postgres", connectionString),
        new("Approval:Delay", "00:00:00"),
        new("Auth:Mode", "ApiKey"),
        new("Auth:ApiKeys:0:ClientId", "shop"),
        new("Auth:ApiKeys:0:Key", ApiKey),
        new("Logging:LogLevel:Default", "Trace"),
        new("Logging:LogLevel:Microsoft", "Trace")])
    {
        WithServices = s => s.AddLogging(l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Trace)),
    };

    static HttpRequestMessage Post(string path, string body, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (key is not null)
            request.Headers.Add("X-Api-Key", key);
        return request;
    }

    [Fact]
    public async Task Neither_the_database_password_nor_api_keys_appear_in_any_log_line()
    {
        var logs = new LogCapture();
        var connectionString = new NpgsqlConnectionStringBuilder(ConnectionString) { Password = DbPassword }.ConnectionString;
        await using (var app = App(connectionString, logs))
        {
            var client = app.CreateClient();
            var created = await client.SendAsync(Post("/operations/user-create", """{"name":"hans"}""", ApiKey));
            Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(Post("/operations/user-create", """{"name":"hans"}""", WrongKey))).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(Post("/operations/user-create", "{", null))).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(Post("/operations/user-create", "{", ApiKey))).StatusCode);
            // Ready once the Kafka consumer groups have joined (a few seconds after start).
            await Eventually.Until(async () => (await client.GetAsync("/health/ready")).StatusCode, s => s == HttpStatusCode.OK, what: "ready");
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/metrics")).StatusCode);
        }

        Assert.NotEmpty(logs.Lines);
        // The capture works: the failed authentication was logged (without the key).
        Assert.Contains(logs.Lines, l => l.Contains("ApiKey was not authenticated"));
        AssertNoSecret(logs.All);
    }

    [Fact]
    public async Task An_unreachable_database_fails_the_start_without_its_password_in_logs_or_the_error()
    {
        var logs = new LogCapture();
        var connectionString = new NpgsqlConnectionStringBuilder(ConnectionString)
        {
            Port = ClosedPort(), Password = DbPassword, Timeout = 2,
        }.ConnectionString;
        await using var app = App(connectionString, logs);

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.DoesNotContain(DbPassword, error.ToString());
        AssertNoSecret(logs.All);
    }

    static void AssertNoSecret(string logs)
    {
        foreach (var secret in new[] { DbPassword, ApiKey, WrongKey })
            Assert.False(logs.Contains(secret, StringComparison.Ordinal), $"a secret appeared in the logs: {secret[..6]}...");
    }

    static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
