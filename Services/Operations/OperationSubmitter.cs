using System.Text.Json;
using MassTransit;
using SagaDemo.Contracts.Orders;
using SagaDemo.Contracts.Users;

namespace SagaDemo.Services.Operations;

/// <summary>
/// Creates operations and hands their work to the sagas through the <see cref="IOperationLauncher"/>
/// (store and message together). Each returns the operation as stored, which for a repeated idempotency
/// key is the earlier one (see <see cref="Submission.ConflictsWith"/>). Operation ids are random (version 4),
/// not time-ordered: one id a client sees says nothing about the next or about another client's.
/// </summary>
public sealed class OperationSubmitter(IOperationStore store, IOperationLauncher launcher, TimeProvider clock)
{
    public const string NotAllowedError = "operation not allowed";
    public const string NotSubmittedError = "operation could not be submitted";

    /// <summary>Returns the pending operation, or a failed one when the message could not be published.</summary>
    public Task<Operation> SubmitUserCreateAsync(UserCreateRequest request, JsonElement data, Submission submission,
        CancellationToken cancellationToken) =>
        SubmitAsync(OperationTypes.UserCreate, data, submission,
            id => new UserCreateRequested(id, request.Name!.Trim(), request.Email), cancellationToken);

    public Task<Operation> SubmitOrderCreateAsync(OrderCreateRequest request, JsonElement data, Submission submission,
        CancellationToken cancellationToken) =>
        SubmitAsync(OperationTypes.OrderCreate, data, submission,
            id => new OrderSubmitted(id, request.CustomerId!.Trim(),
                [.. request.Items!.Select(i => new OrderItem(i!.Sku!.Trim(), i.Quantity!.Value))], clock.GetUtcNow()),
            cancellationToken);

    /// <summary>The original demo stored an operation it does not run and failed it at once; nothing is published.</summary>
    public Task<Operation> RecordNotAllowedAsync(string type, JsonElement data, Submission submission, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var operation = new Operation(Guid.NewGuid(), type, OperationStatus.Failed, now, now, data, null, NotAllowedError, null);
        return store.AddAsync(submission.StampOn(operation), cancellationToken);
    }

    Task<Operation> SubmitAsync<T>(string type, JsonElement data, Submission submission, Func<Guid, T> message,
        CancellationToken cancellationToken)
        where T : class
    {
        var now = clock.GetUtcNow();
        var operation = submission.StampOn(
            new Operation(Guid.NewGuid(), type, OperationStatus.Pending, now, now, data, null, null, null));
        return launcher.LaunchAsync(operation, message(operation.Id), cancellationToken);
    }
}
