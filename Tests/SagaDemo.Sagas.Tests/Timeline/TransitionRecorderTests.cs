using System.Diagnostics;
using MassTransit;
using SagaDemo.Contracts.Users;
using SagaDemo.Host.OperationsConsole.Timeline;
using SagaDemo.Sagas.Tests.Sagas;
using SagaDemo.Sagas.Tests.Support;
using SagaDemo.Sagas.UserRegistration;

namespace SagaDemo.Sagas.Tests.Timeline;

/// <summary>The timeline a saga instance keeps in memory for the retention period holds one copy of its trace id.</summary>
public sealed class TransitionRecorderTests
{
    [Fact]
    public async Task Steps_of_one_trace_share_one_trace_id_string()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var source = new ActivitySource("SagaDemo.Sagas.Tests.Timeline");
        await using var h = await UserSagaHarness.StartAsync();
        h.Machine.ConnectStateObserver(new TransitionRecorder<UserRegistrationState>(h.Clock));

        var id = Guid.NewGuid();
        using (source.StartActivity("operation"))
        {
            await h.Bus.PublishAndSettleAsync(new UserCreateRequested(id, "hans", null));
            await h.Bus.PublishAndSettleAsync(new UserApprovalCompleted(id, h.Instance(id)!.UserId, false, "deny list"));
        }

        var steps = h.Instance(id)!.Transitions;
        Assert.True(steps.Count >= 2, $"{steps.Count} transitions recorded");
        // Each consume parsed the trace id from its own message's headers: equal text, and after the recorder one string.
        Assert.All(steps, s => Assert.Equal(steps[0].TraceId, s.TraceId));
        Assert.NotNull(steps[0].TraceId);
        Assert.All(steps, s => Assert.Same(steps[0].TraceId, s.TraceId));
    }
}
