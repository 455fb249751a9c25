using System.Text.Json;
using MassTransit;
using SagaDemo.Contracts.Users;

namespace SagaDemo.Services.Operations;

/// <summary>Ends a user-create operation with the saga's answer; result <c>{userId}</c>.</summary>
public sealed class UserCreateCompletedConsumer(IOperationStore store, TimeProvider clock, ILogger<UserCreateCompletedConsumer> logger)
    : IConsumer<UserCreateCompleted>
{
    public async Task Consume(ConsumeContext<UserCreateCompleted> context)
    {
        var m = context.Message;
        var outcome = m.Status == UserCreateStatus.Completed
            ? new OperationOutcome(OperationStatus.Completed, JsonSerializer.SerializeToElement(new { userId = m.UserId }), null, m.UserId)
            : new OperationOutcome(OperationStatus.Failed, null, m.Error ?? "user creation failed", m.UserId);
        if (await store.FinishAsync(m.OperationId, outcome, clock.GetUtcNow(), context.CancellationToken) is null)
            logger.LogWarning("user-create-response for unknown operation {OperationId} ignored", m.OperationId);
    }
}
