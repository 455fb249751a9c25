using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SagaDemo.Services.Operations.Admission;
using SagaDemo.Api.Tests.OpenApi;
using SagaDemo.Api.Tests.Security;
using SagaDemo.Testing;

namespace SagaDemo.Api.Tests.Api;

/// <summary>
/// Admission control through the whole host: a budget of 4 pending operations, held pending by a 3 s approval, so the
/// fifth create is shed with 503, Retry-After and a problem the API document describes, on both route families; the
/// budget is shared fairly between two clients; once the work finishes, creates are taken again.
/// </summary>
public sealed class AdmissionTests : IAsyncLifetime
{
    const string UserBody = """{"name":"hans","email":"hans@example.com"}""";

    sealed class FourPendingFactory : SecuredApiFactory
    {
        protected override IEnumerable<KeyValuePair<string, string>> MoreSettings =>
        [
            new("Approval:Delay", "00:00:03"),
            new("Admission:MinPending", "4"),
            new("Admission:MaxPending", "4"),
            new("Admission:SampleInterval", "00:00:00.050"),
        ];
    }

    readonly FourPendingFactory _factory = new();

    public async Task InitializeAsync()
    {
        var admission = _factory.Services.GetRequiredService<OperationAdmission>();
        Assert.True(await Eventually.TrueAsync(() => !ReferenceEquals(admission.Backlog, Backlog.Unknown)), "the backlog was never measured");
    }

    /// <summary>
    /// Waits for a measurement begun after the creates so far were stored: between the store and the end of its request
    /// an operation is counted twice (in the store and as admitted), erring on the safe side, which exact budgets of 4
    /// would notice.
    /// </summary>
    async Task FreshMeasurementAsync()
    {
        var admission = _factory.Services.GetRequiredService<OperationAdmission>();
        for (var i = 0; i < 2; i++)
        {
            var seen = admission.Backlog;
            Assert.True(await Eventually.TrueAsync(() => !ReferenceEquals(admission.Backlog, seen)), "no new measurement");
        }
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task Past_the_budget_creates_are_shed_with_a_documented_503_and_Retry_After_and_taken_again_once_work_finished()
    {
        var shop = _factory.ClientWithKey(SecuredApiFactory.ShopKey);
        var backoffice = _factory.ClientWithKey(SecuredApiFactory.BackofficeKey);
        var checker = new ApiDocumentChecker(await shop.GetStringAsync("/openapi/v1.json"), OpenApiConformanceTests.UnknownOperationType);

        // Fair shares: past half the budget (2 pending), with two clients waiting, a client holding half of it waits
        // while the other still gets its half.
        for (var i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.Accepted, (await shop.PostJsonAsync("/operations/user-create", UserBody)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await backoffice.PostJsonAsync("/operations/user-create", UserBody)).StatusCode);
        await FreshMeasurementAsync();
        using (var unfair = await shop.PostJsonAsync("/operations/user-create", UserBody))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unfair.StatusCode);
            Assert.Contains("share", (await unfair.JsonAsync()).GetProperty("detail").GetString());
        }
        Assert.Equal(HttpStatusCode.Accepted, (await backoffice.PostJsonAsync("/operations/user-create", UserBody)).StatusCode);
        await FreshMeasurementAsync();

        // Full: every create route sheds, answering what the document says.
        foreach (var (client, path, body) in new[]
                 {
                     (backoffice, "/operations/user-create", UserBody),
                     (shop, "/operations/order-create", """{"customerId":"c-1","items":[{"sku":"apple","quantity":1}]}"""),
                     (shop, "/operation/create/user-create", UserBody),
                 })
        {
            using var shed = await client.PostJsonAsync(path, body);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, shed.StatusCode);
            Assert.Equal("application/problem+json", shed.Content.Headers.ContentType?.MediaType);
            Assert.InRange(shed.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 30);
            Assert.Null(await checker.CheckAsync(HttpMethod.Post, path, shed));
        }
        // Bad input is still told apart from overload.
        Assert.Equal(HttpStatusCode.BadRequest, (await shop.PostJsonAsync("/operations/user-create", """{"name":""}""")).StatusCode);

        // The approvals finish after 3 s: the budget frees and a client that waited gets in.
        Assert.True(await Eventually.TrueAsync(
            () => _factory.Services.GetRequiredService<OperationAdmission>().Backlog.Pending.Total == 0, TimeSpan.FromSeconds(15)));
        Assert.Equal(HttpStatusCode.Accepted, (await shop.PostJsonAsync("/operations/user-create", UserBody)).StatusCode);
    }
}
