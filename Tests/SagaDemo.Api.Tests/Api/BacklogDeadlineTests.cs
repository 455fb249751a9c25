using Microsoft.AspNetCore.Hosting;
using SagaDemo.Sagas.UserRegistration;

namespace SagaDemo.Api.Tests.Api;

/// <summary>
/// The whole host over its embedded Kafka with an approval service that is narrow on purpose: one lane, 200 ms per
/// request, so 20 requests queue for at least 4 s in <c>user-approve</c>, longer than the 3 s approval deadline.
/// Every operation must complete: waiting in our own backlog is not the approval service failing to answer.
/// </summary>
/// <remarks>
/// The work is serial, so the backlog outlasts the deadline however fast the machine is; a request the approval
/// service took has 2.8 s beyond its 200 ms of work to reach the saga (a 1 s margin was once eaten on a loaded CI
/// machine, failing one operation as a real timeout would).
/// </remarks>
public sealed class BacklogDeadlineTests
{
    static readonly TimeSpan ApprovalTimeout = TimeSpan.FromSeconds(3);

    sealed class NarrowApprovalFactory : SagaDemoApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Approval:Delay", "00:00:00.200");
            builder.UseSetting("UserRegistration:ApprovalTimeout", ApprovalTimeout.ToString());
            builder.UseSetting("UserRegistration:DeadlineCheckInterval", "00:00:00.100");
            builder.UseSetting("Kafka:Endpoints:user-approval-service:Concurrency", "1");
            builder.UseSetting("Kafka:Endpoints:user-approval-service:MaxInFlight", "1");
        }
    }

    [Fact]
    public async Task A_backlog_longer_than_the_approval_deadline_fails_no_operation()
    {
        await using var factory = new NarrowApprovalFactory();
        var client = factory.CreateClient();

        var locations = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var created = await client.PostJsonAsync("/operations/user-create", $$"""{"name":"burst{{i}}"}""");
            Assert.Equal(System.Net.HttpStatusCode.Accepted, created.StatusCode);
            locations.Add(created.Headers.Location!.ToString());
        }
        var finished = new List<System.Text.Json.JsonElement>();
        foreach (var location in locations)
            finished.Add(await client.PollAsync(location, o => o.GetProperty("status").GetString() != "pending"));

        Assert.All(finished, o => Assert.Equal("completed", o.GetProperty("status").GetString()));
        Assert.DoesNotContain(finished, o => o.GetProperty("error").ToString() == UserRegistrationStateMachine.ApprovalTimedOutError);
        // The premise: some operation really waited longer than the deadline.
        var longest = finished.Max(o => o.GetProperty("updatedAt").GetDateTimeOffset() - o.GetProperty("createdAt").GetDateTimeOffset());
        Assert.True(longest > ApprovalTimeout, $"the longest operation took {longest}, no backlog beyond the deadline formed");
    }
}
