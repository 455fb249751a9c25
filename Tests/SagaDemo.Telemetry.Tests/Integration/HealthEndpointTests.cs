using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SagaDemo.Telemetry.Health;
using SagaDemo.Telemetry.Tests.Support;

namespace SagaDemo.Telemetry.Tests.Integration;

[Collection(AppsCollection.Name)]
public sealed class HealthEndpointTests
{
    /// <summary>Stands in for a dependency (Kafka, PostgreSQL) whose health the test switches.</summary>
    private sealed class Switch
    {
        public volatile bool Healthy = true;
    }

    private static Task<TelemetryTestApp> StartAsync(Switch kafka) =>
        TelemetryTestApp.StartAsync(builder =>
            {
                builder.Services.AddHealthChecks()
                    .AddReadyCheck("kafka", _ => Task.FromResult(kafka.Healthy
                        ? HealthCheckResult.Healthy("brokers reachable")
                        : HealthCheckResult.Unhealthy("no broker reachable", new InvalidOperationException("connection refused to kafka-0.internal:9092"))))
                    // Untagged: must not decide readiness.
                    .AddCheck("background-only", () => HealthCheckResult.Unhealthy("not a readiness concern"));
                builder.Services.AddAuthentication(OperatorScheme.Name).AddScheme<AuthenticationSchemeOptions, OperatorScheme>(OperatorScheme.Name, null);
            },
            app => app.UseAuthentication());

    /// <summary>Stands in for the app's API keys or tokens: a request with the header is an authenticated caller.</summary>
    private sealed class OperatorScheme(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string Name = "operator";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
            Task.FromResult(Request.Headers.ContainsKey("X-Operator")
                ? AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "ops")], Name)), Name))
                : AuthenticateResult.NoResult());
    }

    private static Task<HttpResponseMessage> ReadyAsOperatorAsync(TelemetryTestApp app)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, SagaDemoHealth.ReadyPath.TrimStart('/'));
        request.Headers.Add("X-Operator", "yes");
        return app.Http.SendAsync(request);
    }

    [Fact]
    public async Task Live_answers_200_even_when_a_dependency_is_down()
    {
        var kafka = new Switch { Healthy = false };
        await using var app = await StartAsync(kafka);

        using var response = await app.Http.GetAsync(SagaDemoHealth.LivePath.TrimStart('/'));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ready_tells_an_anonymous_caller_its_status_and_nothing_else()
    {
        await using var app = await StartAsync(new Switch { Healthy = false });

        using var down = await app.Http.GetAsync(SagaDemoHealth.ReadyPath.TrimStart('/'));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Equal("""{"status":"Unhealthy"}""", await down.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Ready_answers_503_with_the_failing_check_and_200_once_it_recovers()
    {
        var kafka = new Switch { Healthy = false };
        await using var app = await StartAsync(kafka);

        using (var down = await ReadyAsOperatorAsync(app))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.Equal("application/json", down.Content.Headers.ContentType!.MediaType);
            using var body = JsonDocument.Parse(await down.Content.ReadAsStringAsync());
            Assert.Equal("Unhealthy", body.RootElement.GetProperty("status").GetString());
            // MassTransit adds its own "ready"-tagged bus check; ours is the one that fails.
            var checks = body.RootElement.GetProperty("checks").EnumerateArray().ToList();
            Assert.Contains(checks, c => c.GetProperty("name").GetString() == "masstransit-bus");
            Assert.DoesNotContain(checks, c => c.GetProperty("name").GetString() == "background-only");
            var check = Assert.Single(checks, c => c.GetProperty("name").GetString() == "kafka");
            Assert.Equal("Unhealthy", check.GetProperty("status").GetString());
            Assert.Equal("no broker reachable", check.GetProperty("description").GetString());
            // Exception text names hosts and users: it goes to the log, never into an answer.
            Assert.DoesNotContain("kafka-0.internal", body.RootElement.GetRawText());
        }

        kafka.Healthy = true;
        using var up = await ReadyAsOperatorAsync(app);
        Assert.Equal(HttpStatusCode.OK, up.StatusCode);
        using var upBody = JsonDocument.Parse(await up.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", upBody.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ready_without_registered_checks_is_healthy()
    {
        await using var app = await TelemetryTestApp.StartAsync();

        using var response = await app.Http.GetAsync(SagaDemoHealth.ReadyPath.TrimStart('/'));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
