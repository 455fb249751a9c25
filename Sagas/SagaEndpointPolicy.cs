using MassTransit;

namespace SagaDemo.Sagas;

/// <summary>What every saga endpoint does with a failed or conflicting delivery.</summary>
public static class SagaEndpointPolicy
{
    public static void Apply(IReceiveEndpointConfigurator endpoint, IRegistrationContext context)
    {
        // A database outage is waited out, not retried ten times and given up (see StorageOutage).
        endpoint.UseStorageOutageRetry();
        // An optimistic-concurrency conflict means another event for the same instance won the
        // race; reloading and retrying applies this one on top of it. Exponential intervals carry
        // random jitter, so events that collided once do not collide again at fixed instants.
        endpoint.UseMessageRetry(r =>
        {
            r.Ignore<Exception>(StorageOutage.Is);
            r.Ignore<Exception>(MessageRefusedException.Is);
            r.Exponential(10, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(40));
        });
        // Publishes leave only after the transition succeeded, so a retried event sends nothing twice.
        endpoint.UseInMemoryOutbox(context);
    }
}
