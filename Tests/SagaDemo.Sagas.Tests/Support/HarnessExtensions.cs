using MassTransit;
using MassTransit.Testing;
using SagaDemo.Testing;

namespace SagaDemo.Sagas.Tests.Support;

public static class HarnessExtensions
{
    /// <summary>
    /// Publishes a message and returns once the bus consumed it. The harness records a consumed
    /// message after its consume pipe finished, and the endpoint's outbox delivers the handler's
    /// publishes inside that pipe, so afterwards everything the message caused has been published.
    /// </summary>
    public static async Task PublishAndSettleAsync<T>(this ITestHarness harness, T message) where T : class
    {
        var messageId = NewId.NextGuid();
        await harness.Bus.Publish(message, c => c.MessageId = messageId);
        Assert.True(await Eventually.TrueAsync(() => harness.Consumed.Select<T>(x => x.Context.MessageId == messageId).Any()),
            $"{typeof(T).Name} was not consumed");
    }

    public static List<T> PublishedOf<T>(this ITestHarness harness, Func<T, bool> filter) where T : class =>
        [.. harness.Published.Select<T>().Select(x => x.Context.Message).Where(filter)];
}
