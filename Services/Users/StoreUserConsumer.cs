using MassTransit;
using SagaDemo.Contracts.Users;

namespace SagaDemo.Services.Users;

/// <summary>Stores an approved user and confirms; a redelivery confirms again without a second user.</summary>
public sealed class StoreUserConsumer(IUserStore store) : IConsumer<StoreUser>
{
    public async Task Consume(ConsumeContext<StoreUser> context)
    {
        var m = context.Message;
        await store.AddAsync(new User(m.UserId, m.Name, m.Email, m.CreatedAt, m.OperationId) { Owner = m.Owner }, context.CancellationToken);
        await context.Publish(new UserStored(m.OperationId, m.UserId), context.CancellationToken);
    }
}
