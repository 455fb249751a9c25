using MassTransit;
using SagaDemo.Sagas;

namespace SagaDemo.Hosting.Endpoints;

/// <summary>
/// What a receive endpoint does with a failed or conflicting delivery: a database outage is waited out (see
/// <see cref="StorageOutage"/>), a refused message (<see cref="MessageRefusedException"/>) is dead-lettered at once,
/// anything else is retried briefly; publishes leave only after the delivery succeeded, so a retry sends nothing twice.
/// </summary>
public static class EndpointDeliveryPolicy
{
    /// <summary>
    /// A saga endpoint: an optimistic-concurrency conflict means another event for the same instance won the race;
    /// reloading and retrying applies this one on top of it. Exponential intervals carry random jitter, so events that
    /// collided once do not collide again at fixed instants.
    /// </summary>
    public static void ForSaga(IReceiveEndpointConfigurator endpoint, IRegistrationContext context) =>
        Apply(endpoint, context, r => r.Exponential(10, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(40)));

    /// <summary>A service's consumers: they are idempotent, so retrying is safe; any other failure a few times before the dead letter.</summary>
    public static void ForService(IReceiveEndpointConfigurator endpoint, IRegistrationContext context) =>
        Apply(endpoint, context, r => r.Intervals(100, 500, 1000));

    static void Apply(IReceiveEndpointConfigurator endpoint, IRegistrationContext context, Action<IRetryConfigurator> intervals)
    {
        endpoint.UseStorageOutageRetry();
        endpoint.UseMessageRetry(r =>
        {
            r.Ignore<Exception>(StorageOutage.Is);
            r.Ignore<Exception>(MessageRefusedException.Is);
            intervals(r);
        });
        endpoint.UseInMemoryOutbox(context);
    }
}
