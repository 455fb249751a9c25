using Microsoft.AspNetCore.Hosting;
using SagaDemo.Sagas.UserRegistration;

namespace SagaDemo.Api.Tests.Api;

/// <summary>
/// The whole host over its embedded Kafka with an approval service that is slow and narrow on purpose: two lanes,
/// 500 ms per request, so 16 requests queue for about 4 s in <c>user-approve</c>, longer than the 1.5 s approval
/// deadline. Every operation must complete: waiting in our own backlog is not the approval service failing to answer.
/// </summary>
public sealed class BacklogDeadlineTests
{
    static readonly TimeSpan ApprovalTimeout = TimeSpan.FromSeconds(1.5);

    sealed class NarrowApprovalFactory : SagaDemoApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Approval:Delay", "00:00:00.500");
            builder.UseSetting("UserRegistration:ApprovalTimeout", ApprovalTimeout.ToString());
            builder.UseSetting("UserRegistration:DeadlineCheckInterval", "00:00:00.100");
            builder.UseSetting("Kafka:Endpoints:user-approval-service:Concurrency", "2");
            builder.UseSetting("Kafka:Endpoints:user-approval-service:MaxInFlight", "2");
        }
    }

    [Fact]
    public async Task A_backlog_longer_than_the_approval_deadline_fails_no_operation()
    {
        await using var factory = new NarrowApprovalFactory();
        var client = factory.CreateClient();

        var locations = new List<string>();
        for (var i = 0; i < 16; i++)
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
