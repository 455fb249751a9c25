using MassTransit;
using SagaDemo.Contracts.Users;

namespace SagaDemo.Services.Approval;

/// <summary>Approves or rejects a user after the configured work delay.</summary>
public sealed class UserApprovalRequestedConsumer(IOptions<ApprovalOptions> options, ApprovalRules rules)
    : IConsumer<UserApprovalRequested>
{
    public async Task Consume(ConsumeContext<UserApprovalRequested> context)
    {
        var delay = options.Value.Delay;
        // Waits without holding a thread, so one process can work many approvals at once.
        if (delay > TimeSpan.Zero)
            await Task.Delay(delay, context.CancellationToken);

        var m = context.Message;
        var decision = rules.Decide(m.Name, m.Email);
        await context.Publish(new UserApprovalCompleted(m.OperationId, m.UserId, decision.Approved, decision.Reason),
            context.CancellationToken);
    }
}
