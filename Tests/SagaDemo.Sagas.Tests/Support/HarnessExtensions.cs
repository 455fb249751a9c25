using MassTransit;
using MassTransit.Testing;
using SagaDemo.Testing;

namespace SagaDemo.Sagas.Tests.Support;

public static class HarnessExtensions
{
    /// <summary>
    /// A token already cancelled: the harness's synchronous <c>Select</c> then returns what it holds and does not wait.
    /// </summary>
    /// <remarks>
    /// Waiting inside <c>Select</c> can deadlock (MassTransit 8.5's <c>AsyncElementList.Select</c>): when a match arrives
    /// while the harness's inactivity token fires, the enumerator disposes its token registration while holding the
    /// list's lock, and the cancellation callback it waits for needs that lock. A CI run hung there for over 10 minutes.
    /// Polling snapshots with <see cref="Eventually"/> waits without the harness.
    /// </remarks>
    static readonly CancellationToken Snapshot = new(canceled: true);

    /// <summary>Whether the bus consumes a <typeparamref name="T"/> matching <paramref name="filter"/> within <see cref="Eventually"/>'s time.</summary>
    public static Task<bool> EventuallyConsumedAsync<T>(this ITestHarness harness, FilterDelegate<IReceivedMessage<T>> filter)
        where T : class =>
        Eventually.TrueAsync(() => harness.Consumed.Select(filter, Snapshot).Any());

    /// <summary>
    /// Publishes a message and returns once the bus consumed it. The harness records a consumed
    /// message after its consume pipe finished, and the endpoint's outbox delivers the handler's
    /// publishes inside that pipe, so afterwards everything the message caused has been published.
    /// </summary>
    public static async Task PublishAndSettleAsync<T>(this ITestHarness harness, T message) where T : class
    {
        var messageId = NewId.NextGuid();
        await harness.Bus.Publish(message, c => c.MessageId = messageId);
        Assert.True(await harness.EventuallyConsumedAsync<T>(x => x.Context.MessageId == messageId),
            $"{typeof(T).Name} was not consumed");
    }

    public static List<T> PublishedOf<T>(this ITestHarness harness, Func<T, bool> filter) where T : class =>
        [.. harness.Published.Select<T>().Select(x => x.Context.Message).Where(filter)];
}
