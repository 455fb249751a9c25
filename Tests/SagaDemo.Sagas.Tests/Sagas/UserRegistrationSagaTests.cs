using SagaDemo.Contracts.Users;
using SagaDemo.Sagas.UserRegistration;
using SagaDemo.Sagas.Tests.Support;

namespace SagaDemo.Sagas.Tests.Sagas;

public sealed class UserRegistrationSagaTests
{
    static async Task<(Guid OperationId, Guid UserId)> RequestAsync(UserSagaHarness h, string name = "hans", string? email = "hans@example.com")
    {
        var operationId = Guid.NewGuid();
        await h.Bus.PublishAndSettleAsync(new UserCreateRequested(operationId, name, email));
        Assert.NotNull(await h.Saga.Exists(operationId, m => m.AwaitingApproval));
        return (operationId, h.Instance(operationId)!.UserId);
    }

    static async Task<(Guid OperationId, Guid UserId)> ApprovedAsync(UserSagaHarness h)
    {
        var (operationId, userId) = await RequestAsync(h);
        await h.Bus.PublishAndSettleAsync(new UserApprovalCompleted(operationId, userId, true, null));
        Assert.NotNull(await h.Saga.Exists(operationId, m => m.Storing));
        return (operationId, userId);
    }

    [Fact]
    public async Task Request_asks_for_approval_with_a_new_user_and_a_deadline()
    {
        await using var h = await UserSagaHarness.StartAsync();
        var (operationId, userId) = await RequestAsync(h, "hans", "hans@example.com");

        var asked = Assert.Single(h.Bus.PublishedOf<UserApprovalRequested>(m => m.OperationId == operationId));
        Assert.Equal(new UserApprovalRequested(operationId, userId, "hans", "hans@example.com"), asked);
        Assert.NotEqual(Guid.Empty, userId);
        var saga = h.Instance(operationId)!;
        Assert.Equal(h.Clock.GetUtcNow(), saga.CreatedAt);
        Assert.Equal(h.Clock.GetUtcNow() + UserSagaHarness.ApprovalTimeout, saga.ApprovalDeadline);
    }

    [Fact]
    public async Task Approval_stores_the_user_then_completes_the_operation()
    {
        await using var h = await UserSagaHarness.StartAsync();
        var (operationId, userId) = await ApprovedAsync(h);

        var store = Assert.Single(h.Bus.PublishedOf<StoreUser>(m => m.OperationId == operationId));
        Assert.Equal(userId, store.UserId);
        Assert.Equal("hans", store.Name);
        Assert.Null(h.Instance(operationId)!.ApprovalDeadline);
        Assert.Empty(h.Bus.PublishedOf<UserCreateCompleted>(m => m.OperationId == operationId));

        await h.Bus.PublishAndSettleAsync(new UserStored(operationId, userId));

        Assert.NotNull(await h.Saga.Exists(operationId, m => m.Completed));
        var done = Assert.Single(h.Bus.PublishedOf<UserCreateCompleted>(m => m.OperationId == operationId));
        Assert.Equal(new UserCreateCompleted(operationId, userId, UserCreateStatus.Completed, null), done);
    }

    [Theory]
    [InlineData("name 'admin' is on the deny list", "approval failed: name 'admin' is on the deny list")]
    [InlineData(null, "approval failed")]
    public async Task Rejection_fails_the_operation_with_the_reason(string? reason, string expectedError)
    {
        await using var h = await UserSagaHarness.StartAsync();
        var (operationId, userId) = await RequestAsync(h);

        await h.Bus.PublishAndSettleAsync(new UserApprovalCompleted(operationId, userId, false, reason));

        Assert.NotNull(await h.Saga.Exists(operationId, m => m.Rejected));
        var failed = Assert.Single(h.Bus.PublishedOf<UserCreateCompleted>(m => m.OperationId == operationId));
        Assert.Equal(new UserCreateCompleted(operationId, userId, UserCreateStatus.Failed, expectedError), failed);
        Assert.Empty(h.Bus.PublishedOf<StoreUser>(m => m.OperationId == operationId));
    }

    [Fact]
    public async Task Receipt_starts_the_approval_time_from_when_the_approval_service_took_the_request()
    {
        await using var h = await UserSagaHarness.StartAsync();
        var (operationId, userId) = await RequestAsync(h);

        // The request waited in the backlog well past its first deadline; the receipt gives a full timeout from now.
        h.Clock.Advance(UserSagaHarness.ApprovalTimeout * 3);
        await h.Bus.PublishAndSettleAsync(new UserApprovalReceived(operationId, userId, h.Clock.GetUtcNow()));

        Assert.NotNull(await h.Saga.Exists(operationId, m => m.Approving));
        Assert.Equal(h.Clock.GetUtcNow() + UserSagaHarness.ApprovalTimeout, h.Instance(operationId)!.ApprovalDeadline);

        // A receipt for another user id is not this request's.
        h.Clock.Advance(TimeSpan.FromSeconds(5));
        await h.Bus.PublishAndSettleAsync(new UserApprovalReceived(operationId, Guid.NewGuid(), h.Clock.GetUtcNow()));
        Assert.Equal(h.Clock.GetUtcNow() - TimeSpan.FromSeconds(5) + UserSagaHarness.ApprovalTimeout,
            h.Instance(operationId)!.ApprovalDeadline);

        await h.Bus.PublishAndSettleAsync(new UserApprovalCompleted(operationId, userId, true, null));
        Assert.NotNull(await h.Saga.Exists(operationId, m => m.Storing));
        Assert.Null(h.Instance(operationId)!.ApprovalDeadline);
    }

    [Fact]
    public async Task An_answer_that_overtakes_its_receipt_still_completes_and_the_late_receipt_changes_nothing()
    {
        await using var h = await UserSagaHarness.StartAsync();
        var (operationId, userId) = await RequestAsync(h);

        await h.Bus.PublishAndSettleAsync(new UserApprovalCompleted(operationId, userId, true, null));
        await h.Bus.PublishAndSettleAsync(new UserApprovalReceived(operationId, userId, h.Clock.GetUtcNow()));

        Assert.Equal(nameof(UserRegistrationStateMachine.Storing), h.Instance(operationId)!.CurrentState);
        Assert.Null(h.Instance(operationId)!.ApprovalDeadline);
    }

    [Fact]
    public async Task A_timeout_before_the_current_deadline_is_stale_and_changes_nothing()
    {
        await using var h = await UserSagaHarness.StartAsync();
        var (operationId, userId) = await RequestAsync(h);
        h.Clock.Advance(UserSagaHarness.ApprovalTimeout + TimeSpan.FromSeconds(1));
        await h.Bus.PublishAndSettleAsync(new UserApprovalReceived(operationId, userId, h.Clock.GetUtcNow()));

        // Fired for the first deadline, arrives after the receipt moved it.
        await h.Bus.PublishAndSettleAsync(new UserApprovalTimedOut(operationId));

        Assert.Equal(nameof(UserRegistrationStateMachine.Approving), h.Instance(operationId)!.CurrentState);
        Assert.Empty(h.Bus.PublishedOf<UserCreateCompleted>(m => m.OperationId == operationId));
    }

    [Fact]
    public async Task Timeout_fails_the_operation_and_a_late_approval_changes_nothing()
    {
        await using var h = await UserSagaHarness.StartAsync();
        var (operationId, userId) = await RequestAsync(h);
        await h.Bus.PublishAndSettleAsync(new UserApprovalReceived(operationId, userId, h.Clock.GetUtcNow()));
        h.Clock.Advance(UserSagaHarness.ApprovalTimeout);

        await h.Bus.PublishAndSettleAsync(new UserApprovalTimedOut(operationId));
        Assert.NotNull(await h.Saga.Exists(operationId, m => m.TimedOut));
        var failed = Assert.Single(h.Bus.PublishedOf<UserCreateCompleted>(m => m.OperationId == operationId));
        Assert.Equal(UserRegistrationStateMachine.ApprovalTimedOutError, failed.Error);

        await h.Bus.PublishAndSettleAsync(new UserApprovalCompleted(operationId, userId, true, null));
        await h.Bus.PublishAndSettleAsync(new UserApprovalTimedOut(operationId));

        Assert.Equal(nameof(UserRegistrationStateMachine.TimedOut), h.Instance(operationId)!.CurrentState);
        Assert.Single(h.Bus.PublishedOf<UserCreateCompleted>(m => m.OperationId == operationId));
        Assert.Empty(h.Bus.PublishedOf<StoreUser>(m => m.OperationId == operationId));
    }

    [Fact]
    public async Task Duplicate_request_keeps_the_first_user_and_asks_once()
    {
        await using var h = await UserSagaHarness.StartAsync();
        var (operationId, userId) = await RequestAsync(h, "hans");

        await h.Bus.PublishAndSettleAsync(new UserCreateRequested(operationId, "someone-else", null));

        Assert.Single(h.Bus.PublishedOf<UserApprovalRequested>(m => m.OperationId == operationId));
        var saga = h.Instance(operationId)!;
        Assert.Equal(userId, saga.UserId);
        Assert.Equal("hans", saga.Name);
        Assert.Equal(nameof(UserRegistrationStateMachine.AwaitingApproval), saga.CurrentState);
    }

    [Fact]
    public async Task Approval_for_another_user_id_is_ignored()
    {
        await using var h = await UserSagaHarness.StartAsync();
        var (operationId, _) = await RequestAsync(h);

        await h.Bus.PublishAndSettleAsync(new UserApprovalCompleted(operationId, Guid.NewGuid(), true, null));
        await h.Bus.PublishAndSettleAsync(new UserApprovalCompleted(operationId, Guid.NewGuid(), false, "no"));

        Assert.Equal(nameof(UserRegistrationStateMachine.AwaitingApproval), h.Instance(operationId)!.CurrentState);
        Assert.Empty(h.Bus.PublishedOf<StoreUser>(m => m.OperationId == operationId));
        Assert.Empty(h.Bus.PublishedOf<UserCreateCompleted>(m => m.OperationId == operationId));
    }

    [Fact]
    public async Task While_storing_duplicates_timeouts_and_foreign_confirmations_change_nothing()
    {
        await using var h = await UserSagaHarness.StartAsync();
        var (operationId, userId) = await ApprovedAsync(h);

        await h.Bus.PublishAndSettleAsync(new UserApprovalCompleted(operationId, userId, true, null));
        await h.Bus.PublishAndSettleAsync(new UserApprovalCompleted(operationId, userId, false, "late rejection"));
        await h.Bus.PublishAndSettleAsync(new UserApprovalTimedOut(operationId));
        await h.Bus.PublishAndSettleAsync(new UserCreateRequested(operationId, "hans", null));
        await h.Bus.PublishAndSettleAsync(new UserStored(operationId, Guid.NewGuid()));

        Assert.Equal(nameof(UserRegistrationStateMachine.Storing), h.Instance(operationId)!.CurrentState);
        Assert.Single(h.Bus.PublishedOf<StoreUser>(m => m.OperationId == operationId));
        Assert.Single(h.Bus.PublishedOf<UserApprovalRequested>(m => m.OperationId == operationId));
        Assert.Empty(h.Bus.PublishedOf<UserCreateCompleted>(m => m.OperationId == operationId));
    }

    [Fact]
    public async Task After_completion_every_redelivery_is_ignored()
    {
        await using var h = await UserSagaHarness.StartAsync();
        var (operationId, userId) = await ApprovedAsync(h);
        await h.Bus.PublishAndSettleAsync(new UserStored(operationId, userId));
        Assert.NotNull(await h.Saga.Exists(operationId, m => m.Completed));

        await h.Bus.PublishAndSettleAsync(new UserStored(operationId, userId));
        await h.Bus.PublishAndSettleAsync(new UserApprovalCompleted(operationId, userId, false, "late"));
        await h.Bus.PublishAndSettleAsync(new UserApprovalTimedOut(operationId));
        await h.Bus.PublishAndSettleAsync(new UserCreateRequested(operationId, "hans", null));

        Assert.Equal(nameof(UserRegistrationStateMachine.Completed), h.Instance(operationId)!.CurrentState);
        var done = Assert.Single(h.Bus.PublishedOf<UserCreateCompleted>(m => m.OperationId == operationId));
        Assert.Equal(UserCreateStatus.Completed, done.Status);
        Assert.Single(h.Bus.PublishedOf<StoreUser>(m => m.OperationId == operationId));
    }

    [Fact]
    public async Task After_rejection_a_late_approval_changes_nothing()
    {
        await using var h = await UserSagaHarness.StartAsync();
        var (operationId, userId) = await RequestAsync(h);
        await h.Bus.PublishAndSettleAsync(new UserApprovalCompleted(operationId, userId, false, "no"));

        await h.Bus.PublishAndSettleAsync(new UserApprovalCompleted(operationId, userId, true, null));
        await h.Bus.PublishAndSettleAsync(new UserStored(operationId, userId));

        Assert.Equal(nameof(UserRegistrationStateMachine.Rejected), h.Instance(operationId)!.CurrentState);
        Assert.Single(h.Bus.PublishedOf<UserCreateCompleted>(m => m.OperationId == operationId));
        Assert.Empty(h.Bus.PublishedOf<StoreUser>(m => m.OperationId == operationId));
    }

    [Fact]
    public async Task Replies_for_unknown_operations_are_discarded_without_creating_instances()
    {
        await using var h = await UserSagaHarness.StartAsync();
        var unknown = Guid.NewGuid();

        await h.Bus.PublishAndSettleAsync(new UserApprovalCompleted(unknown, Guid.NewGuid(), true, null));
        await h.Bus.PublishAndSettleAsync(new UserStored(unknown, Guid.NewGuid()));
        await h.Bus.PublishAndSettleAsync(new UserApprovalTimedOut(unknown));

        Assert.Null(h.Instance(unknown));
        Assert.Empty(h.Bus.PublishedOf<UserCreateCompleted>(_ => true));
        Assert.Empty(h.Bus.PublishedOf<StoreUser>(_ => true));
        Assert.Empty(h.Bus.Published.Select<MassTransit.Fault>());
    }
}
