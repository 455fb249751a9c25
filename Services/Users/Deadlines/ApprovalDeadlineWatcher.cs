using MassTransit;
using SagaDemo.Contracts.Users;
using SagaDemo.Sagas.UserRegistration;
using SagaDemo.Services.Hosting.Deadlines;

namespace SagaDemo.Services.Users.Deadlines;

/// <summary>
/// Fires approval timeouts so that they mean "the approval service is not answering", never "the request waits in
/// our backlog": a request the approval service took (<c>Approving</c>) times out <c>ApprovalTimeout</c> after its
/// receipt; one it has not taken yet (<c>AwaitingApproval</c>) only while the approval service has been silent
/// (<see cref="ApprovalActivity"/>) for <c>ApprovalTimeout</c> too, which a busy approval service never is.
/// </summary>
public sealed class ApprovalDeadlineWatcher(
    ISagaDeadlineSource<UserRegistrationState> deadlines,
    IBus bus,
    TimeProvider clock,
    IOptions<UserRegistrationOptions> options,
    ApprovalActivity activity,
    UserRegistrationStateMachine machine,
    ILogger<ApprovalDeadlineWatcher> logger)
    : SagaDeadlineWatcher<UserRegistrationState>(deadlines, bus, clock, options.Value.DeadlineCheckInterval, logger)
{
    protected override object? TimeoutFor(DueSaga due, DateTimeOffset now)
    {
        if (due.CurrentState == machine.Approving.Name)
            return new UserApprovalTimedOut(due.CorrelationId);
        if (due.CurrentState == machine.AwaitingApproval.Name && activity.SilentFor(now) >= options.Value.ApprovalTimeout)
            return new UserApprovalTimedOut(due.CorrelationId);
        return null;
    }
}
