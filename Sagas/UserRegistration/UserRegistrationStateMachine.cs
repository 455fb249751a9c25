using MassTransit;
using Microsoft.Extensions.Options;
using SagaDemo.Contracts;
using SagaDemo.Contracts.Users;

namespace SagaDemo.Sagas.UserRegistration;

/// <summary>
/// user-create -> approval -> user store -> user-create-response. Terminal states are kept (never
/// finalized and removed) so a duplicate or late message finds its instance and changes nothing.
/// </summary>
/// <remarks>
/// The approval deadline is about the approval service, not about our own queue: the request waits in
/// <see cref="AwaitingApproval"/> until the approval service acknowledges it (<see cref="UserApprovalReceived"/>),
/// and only then does <c>ApprovalTimeout</c> start counting (<see cref="Approving"/>). Whether an unacknowledged
/// request may time out (the approval service silent, not merely busy) is the users service's deadline watcher's
/// call; the saga only refuses a timeout that comes before its recorded deadline (a stale one).
/// </remarks>
public sealed class UserRegistrationStateMachine : MassTransitStateMachine<UserRegistrationState>
{
    public const string ApprovalFailedError = "approval failed";
    public const string ApprovalTimedOutError = "approval timed out";

    public UserRegistrationStateMachine(IOptions<UserRegistrationOptions> options, TimeProvider clock)
    {
        var approvalTimeout = options.Value.ApprovalTimeout;

        InstanceState(x => x.CurrentState);

        Event(() => Requested, x => x.CorrelateById(c => c.Message.OperationId));
        Event(() => ApprovalReceived, x =>
        {
            x.CorrelateById(c => c.Message.OperationId);
            x.OnMissingInstance(m => m.Discard());
        });
        Event(() => ApprovalCompleted, x =>
        {
            x.CorrelateById(c => c.Message.OperationId);
            x.OnMissingInstance(m => m.Discard());
        });
        Event(() => Stored, x =>
        {
            x.CorrelateById(c => c.Message.OperationId);
            x.OnMissingInstance(m => m.Discard());
        });
        Event(() => ApprovalTimedOut, x =>
        {
            x.CorrelateById(c => c.Message.OperationId);
            x.OnMissingInstance(m => m.Discard());
        });

        Initially(
            When(Requested)
                .Then(c =>
                {
                    // Random, not time-ordered (NewId): a user id a client sees tells nothing about another user's.
                    c.Saga.UserId = Guid.NewGuid();
                    c.Saga.Owner = c.Headers.Get<string>(ContractHeaders.ClientId);
                    c.Saga.Name = c.Message.Name;
                    c.Saga.Email = c.Message.Email;
                    c.Saga.CreatedAt = clock.GetUtcNow();
                    c.Saga.ApprovalDeadline = c.Saga.CreatedAt + approvalTimeout;
                })
                .Publish(c => new UserApprovalRequested(c.Saga.CorrelationId, c.Saga.UserId, c.Saga.Name, c.Saga.Email))
                .TransitionTo(AwaitingApproval));

        // The approval service took the request: from now on it has ApprovalTimeout to answer. A redelivered
        // receipt (the approval service restarted and took it again) starts the time again.
        During(AwaitingApproval, Approving,
            When(ApprovalReceived, c => c.Message.UserId == c.Saga.UserId)
                .Then(c => c.Saga.ApprovalDeadline = clock.GetUtcNow() + approvalTimeout)
                .TransitionTo(Approving));

        During(AwaitingApproval, Approving,
            When(ApprovalCompleted, c => IsForThisUser(c) && c.Message.Approved)
                .Then(c => c.Saga.ApprovalDeadline = null)
                .Publish(c => new StoreUser(c.Saga.CorrelationId, c.Saga.UserId, c.Saga.Name, c.Saga.Email, c.Saga.CreatedAt, c.Saga.Owner))
                .TransitionTo(Storing),
            When(ApprovalCompleted, c => IsForThisUser(c) && !c.Message.Approved)
                .Then(c =>
                {
                    c.Saga.ApprovalDeadline = null;
                    c.Saga.Error = c.Message.Reason is null ? ApprovalFailedError : $"{ApprovalFailedError}: {c.Message.Reason}";
                })
                .Publish(c => Failed(c.Saga))
                .TransitionTo(Rejected),
            When(ApprovalTimedOut, c => c.Saga.ApprovalDeadline is { } deadline && deadline <= clock.GetUtcNow())
                .Then(c =>
                {
                    c.Saga.ApprovalDeadline = null;
                    c.Saga.Error = ApprovalTimedOutError;
                })
                .Publish(c => Failed(c.Saga))
                .TransitionTo(TimedOut));

        During(Storing,
            When(Stored, c => c.Message.UserId == c.Saga.UserId)
                .Publish(c => new UserCreateCompleted(c.Saga.CorrelationId, c.Saga.UserId, UserCreateStatus.Completed, null))
                .TransitionTo(Completed));

        // Redeliveries, answers that come too late and timeouts fired for a deadline since moved: acknowledged, no effect.
        During(AwaitingApproval, Approving, Ignore(Requested), Ignore(Stored));
        During(Storing, Ignore(Requested), Ignore(ApprovalReceived), Ignore(ApprovalCompleted), Ignore(ApprovalTimedOut));
        During(Completed, Rejected, TimedOut,
            Ignore(Requested), Ignore(ApprovalReceived), Ignore(ApprovalCompleted), Ignore(Stored), Ignore(ApprovalTimedOut));
    }

    /// <summary>Asked the approval service; it has not taken the request yet (it may sit in the backlog).</summary>
    public State AwaitingApproval { get; private set; } = null!;

    /// <summary>The approval service took the request; <c>ApprovalTimeout</c> counts from then.</summary>
    public State Approving { get; private set; } = null!;

    public State Storing { get; private set; } = null!;
    public State Completed { get; private set; } = null!;
    public State Rejected { get; private set; } = null!;
    public State TimedOut { get; private set; } = null!;

    public Event<UserCreateRequested> Requested { get; private set; } = null!;
    public Event<UserApprovalReceived> ApprovalReceived { get; private set; } = null!;
    public Event<UserApprovalCompleted> ApprovalCompleted { get; private set; } = null!;
    public Event<UserStored> Stored { get; private set; } = null!;
    public Event<UserApprovalTimedOut> ApprovalTimedOut { get; private set; } = null!;

    static bool IsForThisUser(BehaviorContext<UserRegistrationState, UserApprovalCompleted> c) =>
        c.Message.UserId == c.Saga.UserId;

    static UserCreateCompleted Failed(UserRegistrationState saga) =>
        new(saga.CorrelationId, saga.UserId, UserCreateStatus.Failed, saga.Error);
}
