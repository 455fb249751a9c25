using MassTransit;
using SagaDemo.Sagas.Timeline;

namespace SagaDemo.Sagas.UserRegistration;

/// <summary>One user-create operation; the pending user lives here until the user store has it.</summary>
public sealed class UserRegistrationState : SagaStateMachineInstance, ISagaVersion, ITransitionHistory
{
    /// <summary>The operation id.</summary>
    public Guid CorrelationId { get; set; }

    public int Version { get; set; }

    public string CurrentState { get; set; } = "";

    public Guid UserId { get; set; }

    public string Name { get; set; } = "";

    public string? Email { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The API client the operation is for (its producer's word, header client-id); null when nobody's.</summary>
    public string? Owner { get; set; }

    /// <summary>
    /// The earliest time an unanswered approval may fail the operation, kept with the instance so the users
    /// service can fire it on any transport and after a restart. In <c>AwaitingApproval</c> (not yet taken by the
    /// approval service) it fires only while the approval service is silent; in <c>Approving</c> it counts from
    /// the approval service's receipt. Null once answered.
    /// </summary>
    public DateTimeOffset? ApprovalDeadline { get; set; }

    public string? Error { get; set; }

    public List<SagaTransition> Transitions { get; set; } = [];
}
