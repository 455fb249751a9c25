using MassTransit;
using SagaDemo.Contracts.Users;

namespace SagaDemo.Services.Approval;

/// <summary>Acknowledges a request at once, then approves or rejects the user after the configured work delay.</summary>
/// <remarks>
/// The receipt goes out through the bus, not the consume context, so it leaves now rather than with the answer
/// (the endpoint's outbox holds the context's publishes until the consumer finishes): the user saga's approval
/// deadline starts counting from it. A redelivered request is acknowledged again, which restarts that time.
/// The work starts when the request is taken, not when Kafka acknowledged the receipt: the receipt's produce runs
/// during the delay instead of before it, so it adds nothing to the saga's time. The answer still follows the receipt.
/// </remarks>
public sealed class UserApprovalRequestedConsumer(IOptions<ApprovalOptions> options, ApprovalRules rules, IBus bus, TimeProvider clock)
    : IConsumer<UserApprovalRequested>
{
    public async Task Consume(ConsumeContext<UserApprovalRequested> context)
    {
        var m = context.Message;
        var delay = options.Value.Delay;
        // Waits without holding a thread, so one process can work many approvals at once.
        var work = delay > TimeSpan.Zero ? Task.Delay(delay, context.CancellationToken) : Task.CompletedTask;
        await bus.Publish(new UserApprovalReceived(m.OperationId, m.UserId, clock.GetUtcNow()), context.CancellationToken);
        await work;

        var decision = rules.Decide(m.Name, m.Email);
        await context.Publish(new UserApprovalCompleted(m.OperationId, m.UserId, decision.Approved, decision.Reason),
            context.CancellationToken);
    }
}
